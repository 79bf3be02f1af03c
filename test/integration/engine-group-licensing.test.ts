/**
 * LICENSE_MODE=group end to end against the simulator (issue 15 item 4, "group mode end to end,
 * including a group-licensing error"; item 5, "at most 2.05 Graph writes per new technician in
 * group mode"). The technician group carries the licence (the simulator's group-based licensing,
 * packages/tenant-sim/src/graph/group-licensing.ts): invite → user update → group add (one PATCH of
 * up to 20) → Entra licenses the members → Dataverse's user sync → bookable resource. The product
 * never calls assignLicense.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createIncrementalObserver, MemorySnapshotStore } from '../../src/engine/incremental/index.js';
import { GUEST_SETTINGS } from '../support/tenant.js';
import { REF, engineFixture, startEngineTenant, technician, type EngineTenant, type Technician } from './engine-fixture.js';

const GROUP_MODE = { ...GUEST_SETTINGS, LICENSE_MODE: 'group' };
const NO_LICENCE_UNITS = 808950006;
const ACTIVE = 808950003;

/** The engine tenant with the technician group carrying LICENSE_SKU_ID, and `units` units of it. */
async function groupTenant(techs: Technician[], units: number, carries = true): Promise<EngineTenant> {
  const t = await startEngineTenant(techs, GROUP_MODE);
  const fixture = engineFixture(techs);
  fixture.graph!.groups = fixture.graph!.groups!.map((g) => (g.id.toLowerCase() === REF.groupId.toLowerCase() && carries ? { ...g, assignedLicenses: [{ skuId: REF.skuId }] } : g));
  fixture.graph!.subscribedSkus = fixture.graph!.subscribedSkus!.map((s) => (String(s.skuId).toLowerCase() === REF.skuId.toLowerCase() ? { ...s, prepaidUnits: { enabled: units, suspended: 0, warning: 0, lockedOut: 0 } } : s));
  t.s.sim.reset(fixture);
  return t;
}

/** Dataverse's user sync through the admin route, which first lets Entra finish the group licensing due by now. */
const sync = async (t: EngineTenant): Promise<void> => {
  expect((await t.s.admin('POST', '/sync')).status).toBe(204);
};

const contactIdOf = (t: EngineTenant): string => String(t.table('contacts')[0]!.contactid);
const states = (t: EngineTenant, contactId: string) => t.userOf(contactId).licenseAssignmentStates as { skuId: string; assignedByGroup: string | null; state: string; error: string }[];

let t: EngineTenant | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe('LICENSE_MODE=group', () => {
  it('twenty new technicians: invite, user update, one PATCH group add; Entra licenses them; then their bookable resources; ≤ 2.05 Graph writes each', async () => {
    const techs = Array.from({ length: 20 }, (_, i) => technician(i + 1, { first: 'Tech', last: `Number${i + 1}` }));
    t = await groupTenant(techs, 100);

    const first = await t.apply();
    expect(first.outcome).toBe('succeeded');
    expect(first.plan.changes.map((c) => c.kind).filter((k) => k.startsWith('licence'))).toEqual([]);
    const graphWrites = t.writes().filter((w) => w.service === 'graph');
    // One invitation and one user update per technician, and the 20 group adds in a single PATCH.
    expect(graphWrites.filter((w) => w.path === '/invitations')).toHaveLength(20);
    expect(graphWrites.filter((w) => w.method === 'PATCH' && w.path.startsWith('/users/'))).toHaveLength(20);
    const groupPatches = graphWrites.filter((w) => w.method === 'PATCH' && w.path === `/groups/${REF.groupId}`);
    expect(groupPatches).toHaveLength(1);
    expect((groupPatches[0]!.body as Record<string, string[]>)['members@odata.bind']).toHaveLength(20);
    expect(graphWrites.length / techs.length).toBeLessThanOrEqual(2.05);
    expect(graphWrites.map((w) => `${w.method} ${w.path.replace(/[0-9a-f-]{36}/g, '{id}')}`).sort()).toEqual(
      [...Array(20).fill('POST /invitations'), ...Array(20).fill('PATCH /users/{id}'), 'PATCH /groups/{id}'].sort(),
    );

    // The usage location is still set (group licensing would otherwise use the directory's).
    expect(t.userOf(techs[0]!.id).usageLocation).toBe('GB');
    await sync(t);
    for (const tech of techs) {
      expect(states(t, tech.id)).toEqual([expect.objectContaining({ skuId: REF.skuId.toLowerCase(), assignedByGroup: REF.groupId.toLowerCase(), state: 'Active', error: 'None' })]);
    }

    await t.clearLogs();
    const second = await t.apply();
    expect(second.outcome).toBe('succeeded');
    expect(t.table('bookableresources').filter((r) => r.statecode === 0)).toHaveLength(20);
    expect(techs.map((x) => t!.contact(x.id).o25fs_provisioningstatus)).toEqual(Array(20).fill(ACTIVE));
    // Not one assignLicense in the whole life of the tenant, in either run.
    expect(t.wire.filter((w) => w.path.endsWith('/assignLicense'))).toEqual([]);

    const { plan } = await t.engine().plan({ kind: 'tenant' });
    expect(plan.changes).toEqual([]);
  });

  it('units run out: the technician left without one gets no_licence_units and a GROUP_LICENSING_FAILED text that says to buy units; the other becomes active', async () => {
    const techs = [technician(1, { first: 'Ada', last: 'Lovelace' }), technician(2, { first: 'Brendan', last: 'Kelly' })];
    t = await groupTenant(techs, 1);
    expect((await t.apply()).outcome).toBe('succeeded');
    await sync(t);
    const [ok, short] = techs.map((x) => states(t!, x.id)[0]!.state === 'Active') as [boolean, boolean];
    expect([ok, short].sort()).toEqual([false, true]);
    const [licensed, unlicensed] = ok ? techs : [techs[1]!, techs[0]!];
    expect(states(t, unlicensed!.id)).toEqual([expect.objectContaining({ state: 'Error', error: 'CountViolation', assignedByGroup: REF.groupId.toLowerCase() })]);

    const second = await t.apply();
    expect(second.outcome).toBe('succeeded');
    expect(t.contact(licensed!.id).o25fs_provisioningstatus).toBe(ACTIVE);
    const row = t.contact(unlicensed!.id);
    expect(row.o25fs_provisioningstatus).toBe(NO_LICENCE_UNITS);
    expect(String(row.o25fs_provisioningerror)).toMatch(/no unit of the licence is free \(CountViolation\).*What to do: Buy more units of the licence/);
    // Still no assignLicense, and no bookable resource for the one without a licence (no Dataverse user).
    expect(t.wire.filter((w) => w.path.endsWith('/assignLicense'))).toEqual([]);
    expect(t.table('bookableresources').map((r) => r.name)).toEqual([licensed!.displayName]);
  });

  it('a deactivated technician leaves the group, and with it loses the inherited licence (no assignLicense)', async () => {
    const techs = [technician(1, { first: 'Ada', last: 'Lovelace' })];
    t = await groupTenant(techs, 5);
    await t.apply();
    await sync(t);
    await t.apply();
    t.s.sim.state.dataverse.update('contacts', techs[0]!.id, { statecode: 1, statuscode: 2 });
    await t.clearLogs();
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    expect(t.writes().filter((w) => w.service === 'graph').map((w) => w.method)).toEqual(['DELETE']);
    await sync(t);
    expect(t.userOf(techs[0]!.id).assignedLicenses).toEqual([]);
  });

  it('the technician group does not carry LICENSE_SKU_ID: the run stops with GROUP_LICENCE_MISSING before any write', async () => {
    t = await groupTenant([technician(1, { first: 'Ada', last: 'Lovelace' })], 5, false);
    const run = await t.apply();
    expect(run.outcome).toBe('failed');
    expect(JSON.stringify(run)).toContain('GROUP_LICENCE_MISSING');
    expect(t.writes().filter((w) => w.service === 'graph')).toEqual([]);
  });

  it('incremental runs read the group\'s licences every time: a group that stops carrying the licence stops the next incremental run', async () => {
    t = await groupTenant([technician(1, { first: 'Ada', last: 'Lovelace' })], 5);
    const observer = createIncrementalObserver({ store: new MemorySnapshotStore(), settings: t.settings });
    const run = () => t!.engine({ observer }).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'timer' });
    expect((await run()).outcome).toBe('succeeded');
    expect(observer.last?.mode).toBe('full');
    await sync(t);
    expect((await run()).outcome).toBe('succeeded');
    expect(observer.last?.mode).toBe('incremental');
    expect(t.table('bookableresources')).toHaveLength(1);
    // Active, not waiting: the users delta brought the inherited licence (licenseAssignmentStates) in.
    expect(t.contact(contactIdOf(t)).o25fs_provisioningstatus).toBe(ACTIVE);
    t.s.sim.state.graph.groups.get(REF.groupId.toLowerCase())!.assignedLicenses = [];
    const stopped = await run();
    expect(observer.last?.mode).toBe('incremental');
    expect(stopped.outcome).toBe('failed');
    expect(JSON.stringify(stopped)).toContain('GROUP_LICENCE_MISSING');
  });
});
