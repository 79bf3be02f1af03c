/**
 * Conformance: Dataverse's user sync from Entra.
 * Sources: learn.microsoft.com/power-platform/admin/create-users
 * (power-platform/admin/create-users.md and
 * add-users-to-environment.md): a systemuser is created for a user who is enabled, holds a licence
 * of the environment and is a DIRECT member of the environment's security group (nested members are
 * not synced); the sync is asynchronous; an unlicensed, removed or disabled user shows as
 * isdisabled = true and the row is never deleted; the sync re-enables it when the conditions hold.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../../src/index.js';
import { startSim, type RunningSim } from '../support/sim.js';

const SKU = '23e6e135-e869-4ce4-9ae4-5710cd69ac13';
const OTHER_SKU = '06ebc4ee-1bb5-47dd-8120-11324bc54e06';
const TECH = '3c9e0d2a-0000-4000-8000-0000000000a1';
const NESTED = '3c9e0d2a-0000-4000-8000-0000000000a2';
const id = (n: number): string => `3c9e0d2a-0000-4000-8000-00000000000${n}`;
const [ANN, BOB, NINA, UMA, OLGA, DAVE] = [1, 2, 3, 4, 5, 6].map(id) as [string, string, string, string, string, string];
const BOB_SYSTEMUSER = '3c9e0d2a-0000-4000-8000-0000000000f2';
const lic = (sku: string) => [{ skuId: sku, disabledPlans: [] }];
const licensed = (sku: string) => ({ assignedLicenses: lic(sku), licenseAssignmentStates: [{ skuId: sku, disabledPlans: [], assignedByGroup: null, state: 'Active', error: 'None' }] });
const user = (uid: string, name: string, extra: Record<string, unknown> = {}) => ({
  id: uid, displayName: name, mail: `${name.toLowerCase()}@vendor.example`, userPrincipalName: `${name.toLowerCase()}_vendor.example#EXT#@contoso.onmicrosoft.com`,
  userType: 'Guest', usageLocation: 'GB', ...extra,
});

const FIXTURE: Fixture = {
  app: { roles: ['User.ReadWrite.All', 'LicenseAssignment.ReadWrite.All', 'GroupMember.ReadWrite.All'] },
  environment: { securityGroupId: TECH, licensedSkuIds: [SKU], userSyncDelayMs: 300 },
  graph: {
    users: [
      user(ANN, 'Ann'),
      user(BOB, 'Bob', licensed(SKU)),
      user(NINA, 'Nina', licensed(SKU)),
      user(UMA, 'Uma'),
      user(OLGA, 'Olga', licensed(OTHER_SKU)),
      user(DAVE, 'Dave', { ...licensed(SKU), accountEnabled: false }),
    ],
    groups: [
      { id: TECH, displayName: 'Technicians', members: [BOB, UMA, OLGA, DAVE, NESTED] },
      { id: NESTED, displayName: 'Apprentices', members: [NINA] },
    ],
    subscribedSkus: [
      { skuId: SKU, skuPartNumber: 'DYN365_FS_CONTRACTOR', capabilityStatus: 'Enabled', consumedUnits: 3, prepaidUnits: { enabled: 10, suspended: 0, warning: 0 } },
      { skuId: OTHER_SKU, skuPartNumber: 'SPE_E5', capabilityStatus: 'Enabled', consumedUnits: 1, prepaidUnits: { enabled: 10, suspended: 0, warning: 0 } },
    ],
  },
  dataverse: {
    systemusers: [{
      systemuserid: BOB_SYSTEMUSER, azureactivedirectoryobjectid: BOB, internalemailaddress: 'bob@vendor.example', fullname: 'Bob',
      domainname: 'bob_vendor.example#EXT#@contoso.onmicrosoft.com', isdisabled: false, accessmode: 0, address1_latitude: 51.5, address1_longitude: -0.12,
    }],
  },
};

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(FIXTURE);
});
afterAll(() => s.stop());
beforeEach(async () => {
  expect((await s.admin('POST', '/reset', FIXTURE)).status).toBe(204);
});

const rowsFor = (uid: string) => [...s.sim.state.dataverse.table('systemusers').values()].filter((r) => r.azureactivedirectoryobjectid === uid);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await sleep(10);
  }
  return Date.now() - start;
}
const assign = (uid: string, add: string[], remove: string[] = []) =>
  s.graph('POST', `/users/${uid}/assignLicense`, { body: { addLicenses: add.map((skuId) => ({ skuId, disabledPlans: [] })), removeLicenses: remove } });
const addMember = (uid: string) => s.graph('POST', `/groups/${TECH}/members/$ref`, { body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${uid}` } });
const removeMember = (uid: string) => s.graph('DELETE', `/groups/${TECH}/members/${uid}/$ref`);

describe('Dataverse user sync (learn.microsoft.com/power-platform/admin/create-users)', () => {
  it('a licensed direct member gets a systemuser after userSyncDelayMs, never inside the request', async () => {
    // Taken before the requests: the sync's timer starts inside them, so the time from here is at
    // least the delay however slow the requests are (taken after them, a slow round trip ate into it).
    const changedAt = Date.now();
    expect((await assign(ANN, [SKU])).status).toBe(200);
    expect((await addMember(ANN)).status).toBe(204);
    expect(rowsFor(ANN)).toEqual([]);
    await waitFor(() => rowsFor(ANN).length > 0);
    expect(Date.now() - changedAt).toBeGreaterThanOrEqual(250);
    const [row] = rowsFor(ANN);
    expect(row).toEqual({
      systemuserid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      azureactivedirectoryobjectid: ANN,
      internalemailaddress: 'ann@vendor.example',
      fullname: 'Ann',
      domainname: 'ann_vendor.example#EXT#@contoso.onmicrosoft.com',
      isdisabled: false,
      accessmode: 0,
      address1_latitude: null,
      address1_longitude: null,
    });
    // GET /_sim/state shows it too.
    const state = await s.admin('GET', '/state');
    expect(state.json.dataverse.systemusers.filter((r: { azureactivedirectoryobjectid: string }) => r.azureactivedirectoryobjectid === ANN)).toHaveLength(1);
  });

  it('with delay 0 the row still comes on a later tick, not synchronously', () => {
    s.sim.state.environment.userSyncDelayMs = 0;
    s.sim.state.graph.users.get(UMA)!.assignedLicenses = lic(SKU);
    s.sim.userSync.entraChanged(s.sim.state);
    expect(rowsFor(UMA)).toEqual([]);
    return waitFor(() => rowsFor(UMA).length === 1, 500);
  });

  it('POST /_sim/sync applies everything pending at once, ignoring the delay', async () => {
    s.sim.state.environment.userSyncDelayMs = 3_600_000;
    expect((await assign(ANN, [SKU])).status).toBe(200);
    expect((await addMember(ANN)).status).toBe(204);
    await sleep(50);
    expect(rowsFor(ANN)).toEqual([]);
    expect((await s.admin('POST', '/sync')).status).toBe(204);
    expect(rowsFor(ANN)).toHaveLength(1);
    expect(rowsFor(ANN)[0]!.isdisabled).toBe(false);
  });

  it('losing the licence sets isdisabled; regaining it clears it on the same row (never deleted, never duplicated)', async () => {
    expect((await assign(BOB, [], [SKU])).status).toBe(200);
    expect(rowsFor(BOB)[0]!.isdisabled).toBe(false); // not yet: the sync is asynchronous
    await waitFor(() => rowsFor(BOB)[0]!.isdisabled === true);
    expect((await assign(BOB, [SKU])).status).toBe(200);
    await waitFor(() => rowsFor(BOB)[0]!.isdisabled === false);
    expect(rowsFor(BOB).map((r) => r.systemuserid)).toEqual([BOB_SYSTEMUSER]);
    // Columns the sync does not own (coordinates the reconciler set) are kept.
    expect(rowsFor(BOB)[0]).toMatchObject({ address1_latitude: 51.5, address1_longitude: -0.12 });
  });

  it('leaving the security group disables; joining again re-enables', async () => {
    expect((await removeMember(BOB)).status).toBe(204);
    await waitFor(() => rowsFor(BOB)[0]!.isdisabled === true);
    expect((await addMember(BOB)).status).toBe(204);
    await waitFor(() => rowsFor(BOB)[0]!.isdisabled === false);
    expect(rowsFor(BOB)).toHaveLength(1);
  });

  it('an account disabled in Entra disables the systemuser', async () => {
    expect((await s.graph('PATCH', `/users/${BOB}`, { body: { accountEnabled: false } })).status).toBe(204);
    await waitFor(() => rowsFor(BOB)[0]!.isdisabled === true);
  });

  it('a change undone within the delay changes nothing', async () => {
    const version = s.sim.state.dataverse.version('systemusers', BOB_SYSTEMUSER);
    expect((await removeMember(BOB)).status).toBe(204);
    await sleep(100);
    expect((await addMember(BOB)).status).toBe(204);
    await sleep(450);
    expect(rowsFor(BOB)[0]!.isdisabled).toBe(false);
    expect(s.sim.state.dataverse.version('systemusers', BOB_SYSTEMUSER)).toBe(version);
  });

  it('no systemuser for a nested-only member, an unlicensed member, a member with another SKU, or a disabled account', async () => {
    expect((await s.admin('POST', '/sync')).status).toBe(204);
    for (const uid of [NINA, UMA, OLGA, DAVE, ANN]) expect(rowsFor(uid)).toEqual([]);
    expect(rowsFor(BOB)).toHaveLength(1);
  });

  it('after a reset, timers of the previous state leave the new state alone', async () => {
    expect((await removeMember(BOB)).status).toBe(204);
    expect((await s.admin('POST', '/reset', FIXTURE)).status).toBe(204);
    await sleep(450);
    expect(rowsFor(BOB)[0]!.isdisabled).toBe(false);
  });
});
