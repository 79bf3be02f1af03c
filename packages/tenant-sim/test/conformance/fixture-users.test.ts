/**
 * Conformance: fixtures cannot describe a user Graph would never return (issue 10, item 3). A
 * property Graph always returns with another is derived when the fixture leaves it out, and a
 * fixture whose pair contradicts is refused with a message that says what to change.
 * Sources (Learn, Graph v1.0): user resource (assignedLicenses "including inherited (group-based)
 * licenses"; licenseAssignmentStates; externalUserState "for invited users … PendingAcceptance or
 * Accepted, or null for all other users"; creationType `Invitation` for an external account;
 * externalUserStateChangeDateTime; mail "Changes to this property will also update the user's
 * proxyAddresses collection to include the value as an SMTP address"), licenseAssignmentState
 * resource type (assignedByGroup null for a direct assignment; state Active, ActiveWithError,
 * Disabled, Error), user-assignlicense (removing a direct licence).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/index.js';
import { FixtureError } from '../../src/fixture-users.js';
import { startSim, type RunningSim } from '../support/sim.js';

const SKU = '23e6e135-e869-4ce4-9ae4-5710cd69ac13';
const OTHER_SKU = '06ebc4ee-1bb5-47dd-8120-11324bc54e06';
const PLAN = 'aaaaaaaa-1111-2222-3333-444444444444';
const GROUP = 'bbbbbbbb-0000-0000-0000-000000000001';
const CREATED = '2025-01-15T09:00:00Z';
const uid = (n: number) => `dddddddd-0000-0000-0000-${String(n).padStart(12, '0')}`;
const base = (n: number) => ({ id: uid(n), displayName: `User ${n}`, mail: `user${n}@vendor.example`, userType: 'Guest', usageLocation: 'GB', createdDateTime: CREATED });
const SELECT = '$select=assignedLicenses,licenseAssignmentStates,creationType,externalUserState,externalUserStateChangeDateTime';

let s: RunningSim;
beforeAll(async () => {
  s = await startSim({
    app: { roles: ['User.ReadWrite.All', 'LicenseAssignment.ReadWrite.All'] },
    graph: {
      subscribedSkus: [{ skuId: SKU, prepaidUnits: { enabled: 10 }, consumedUnits: 2, servicePlans: [{ servicePlanId: PLAN }] }],
      users: [
        { ...base(1), creationType: 'Invitation', externalUserState: 'Accepted', assignedLicenses: [{ skuId: SKU, disabledPlans: [PLAN] }] },
        { ...base(2), creationType: 'Invitation', externalUserState: 'Accepted', licenseAssignmentStates: [{ skuId: SKU, assignedByGroup: GROUP, state: 'Active', error: 'None', lastUpdatedDateTime: CREATED }, { skuId: SKU, disabledPlans: [PLAN] }] },
        { ...base(3), creationType: 'Invitation' },
        { ...base(4), externalUserState: 'Accepted', externalUserStateChangeDateTime: '2025-02-01T10:00:00Z' },
        { ...base(5), userType: 'Member', mail: 'ann@contoso.com', proxyAddresses: ['SMTP:ann@contoso.com', 'smtp:ann@sales.contoso.com'] },
      ],
    },
  });
});
afterAll(() => s.stop());

const read = async (n: number) => (await s.graph('GET', `/users/${uid(n)}?${SELECT}`)).json;

describe('derived when the fixture leaves one out', () => {
  it('assignedLicenses alone: licenseAssignmentStates holds a direct, Active assignment with the same disabledPlans', async () => {
    expect(await read(1)).toMatchObject({
      assignedLicenses: [{ skuId: SKU, disabledPlans: [PLAN] }],
      licenseAssignmentStates: [{ skuId: SKU, disabledPlans: [PLAN], assignedByGroup: null, state: 'Active', error: 'None', lastUpdatedDateTime: CREATED }],
    });
  });

  it('the derived direct licence is a direct licence: assignLicense can remove it (user-assignlicense)', async () => {
    const res = await s.graph('POST', `/users/${uid(1)}/assignLicense`, { body: { addLicenses: [], removeLicenses: [SKU] } });
    expect(res.status).toBe(200);
    expect(await read(1)).toMatchObject({ assignedLicenses: [], licenseAssignmentStates: [] });
  });

  it('licenseAssignmentStates alone: assignedLicenses has one entry per SKU, with the direct entry\'s disabledPlans; missing fields take Graph\'s values', async () => {
    expect(await read(2)).toMatchObject({
      assignedLicenses: [{ skuId: SKU, disabledPlans: [PLAN] }],
      licenseAssignmentStates: [
        { skuId: SKU, disabledPlans: [], assignedByGroup: GROUP, state: 'Active', error: 'None', lastUpdatedDateTime: CREATED },
        { skuId: SKU, disabledPlans: [PLAN], assignedByGroup: null, state: 'Active', error: 'None', lastUpdatedDateTime: CREATED },
      ],
    });
  });

  it('creationType Invitation alone: externalUserState PendingAcceptance (what an invitation creates), changed at createdDateTime', async () => {
    expect(await read(3)).toMatchObject({ creationType: 'Invitation', externalUserState: 'PendingAcceptance', externalUserStateChangeDateTime: CREATED });
  });

  it('externalUserState alone: creationType Invitation (only invited users have a state)', async () => {
    expect(await read(4)).toMatchObject({ creationType: 'Invitation', externalUserState: 'Accepted', externalUserStateChangeDateTime: '2025-02-01T10:00:00Z' });
  });

  it('a member with proxy addresses and its mail among them loads as given; nothing licensed means both lists empty', async () => {
    expect((await s.graph('GET', `/users/${uid(5)}?$select=mail,proxyAddresses,assignedLicenses,licenseAssignmentStates,externalUserState,creationType`)).json).toMatchObject({
      mail: 'ann@contoso.com', proxyAddresses: ['SMTP:ann@contoso.com', 'smtp:ann@sales.contoso.com'], assignedLicenses: [], licenseAssignmentStates: [], externalUserState: null, creationType: null,
    });
  });
});

const refused: { reason: string; user: Record<string, unknown>; message: RegExp }[] = [
  { reason: 'a SKU in assignedLicenses with no state, and a state for another SKU', user: { assignedLicenses: [{ skuId: SKU }], licenseAssignmentStates: [{ skuId: OTHER_SKU }] }, message: new RegExp(`only in assignedLicenses: ${SKU}; only in licenseAssignmentStates: ${OTHER_SKU}`) },
  { reason: 'assignedLicenses with a licence and licenseAssignmentStates empty: the state Graph never returns (issue 10)', user: { assignedLicenses: [{ skuId: SKU }], licenseAssignmentStates: [] }, message: /assignedLicenses and licenseAssignmentStates name different SKUs/ },
  { reason: 'a direct assignment whose disabledPlans differ from assignedLicenses', user: { assignedLicenses: [{ skuId: SKU, disabledPlans: [PLAN] }], licenseAssignmentStates: [{ skuId: SKU, disabledPlans: [], assignedByGroup: null }] }, message: /other disabledPlans/ },
  { reason: 'the same SKU twice in assignedLicenses', user: { assignedLicenses: [{ skuId: SKU }, { skuId: SKU.toUpperCase() }] }, message: /names the same SKU twice/ },
  { reason: 'the same SKU from the same source twice', user: { licenseAssignmentStates: [{ skuId: SKU }, { skuId: SKU }] }, message: /same SKU from the same source twice/ },
  { reason: 'a state Graph does not have', user: { licenseAssignmentStates: [{ skuId: SKU, state: 'Pending' }] }, message: /state "Pending"; Graph's states are Active, ActiveWithError, Disabled, Error/ },
  { reason: 'assignedLicenses null: the property is not nullable', user: { assignedLicenses: null }, message: /assignedLicenses must be a list/ },
  { reason: 'an invited user with no invitation state', user: { creationType: 'Invitation', externalUserState: null }, message: /creationType is Invitation but externalUserState is null/ },
  { reason: 'an invitation state on a user who was not invited', user: { creationType: null, externalUserState: 'Accepted' }, message: /only invited users \(creationType Invitation\) have one/ },
  { reason: 'an invitation state Graph does not have', user: { externalUserState: 'Redeemed' }, message: /externalUserState "Redeemed" is not one of Graph's values/ },
  { reason: 'a change time for a state the user does not have', user: { externalUserStateChangeDateTime: CREATED }, message: /externalUserStateChangeDateTime is set but the user has no externalUserState/ },
  { reason: 'a userType other than Member or Guest', user: { userType: 'Vendor' }, message: /userType "Vendor" is not Member or Guest/ },
  { reason: 'a mail that is not among the proxy addresses', user: { mail: 'ann@contoso.com', proxyAddresses: ['SMTP:bob@contoso.com'] }, message: /mail ann@contoso.com is not among proxyAddresses/ },
  { reason: 'two primary proxy addresses', user: { mail: 'ann@contoso.com', proxyAddresses: ['SMTP:ann@contoso.com', 'SMTP:bob@contoso.com'] }, message: /more than one primary address/ },
];

describe('refused when the pair contradicts', () => {
  for (const c of refused) {
    it(`${c.reason}: createSimulator throws a FixtureError naming the user`, () => {
      const fixture = { graph: { users: [{ ...base(9), ...c.user }] } };
      let caught: unknown;
      try {
        createSimulator({ fixture, caDir: process.env.SIM_CA_DIR! });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(FixtureError);
      expect((caught as FixtureError).code).toBe('FIXTURE_IMPOSSIBLE');
      expect((caught as Error).message).toMatch(new RegExp(`^graph\\.users\\[0\\] \\(id ${uid(9)}\\): `));
      expect((caught as Error).message).toMatch(c.message);
    });
  }

  it('POST /_sim/reset with such a fixture answers 400 with the message and keeps the state', async () => {
    const before = s.sim.state;
    const res = await s.admin('POST', '/reset', { graph: { users: [{ ...base(9), ...refused[1]!.user }] } });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/graph\.users\[0\].*assignedLicenses and licenseAssignmentStates name different SKUs/);
    expect(s.sim.state).toBe(before);
  });

  it('tenant-sim refuses such a fixture file: exit 2 and the message on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fixture-users-'));
    try {
      const file = join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify({ graph: { users: [{ ...base(9), ...refused[1]!.user }] } }));
      const child = spawn(process.execPath, ['bin/tenant-sim.mjs', '--fixture', file, '--ca-dir', dir], { cwd: resolve(import.meta.dirname, '../..') });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((res) => child.once('exit', res));
      expect(code).toBe(2);
      expect(stderr).toContain(`tenant-sim: the fixture ${file} is not a possible tenant: graph.users[0] (id ${uid(9)}): assignedLicenses and licenseAssignmentStates name different SKUs`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
