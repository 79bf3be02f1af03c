/**
 * Incremental hourly runs through the real engine and clients against the simulator (issue 6
 * "Incremental runs", docs/incremental.md):
 * - after a full run, a run with nothing changed reads a constant number of pages, the same for
 *   50 and 500 extra technicians, and writes nothing;
 * - changes made in the tenant by hand are picked up by the incremental run and repaired;
 * - a refused (expired) token falls back to a full read in the same run;
 * - a settings change and the daily full-resync age force a full read.
 */
import { quietIncrementalPages } from '../support/incremental-pages.js';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/families.js';
import { createEngine } from '../../src/engine/compose.js';
import { createIncrementalObserver, MemorySnapshotStore, type IncrementalObserver } from '../../src/engine/incremental/index.js';
import type { RunRecord } from '../../src/model/run.js';
import { DEMO_SETTINGS, startTenant, type Tenant } from '../support/tenant.js';
import { requestCounts, scaledFixture } from '../unit/incremental/scaled-tenant.js';

type Row = Record<string, unknown>;
const tenants: Tenant[] = [];
afterAll(async () => {
  for (const t of tenants) await t.stop();
});

async function converged(extra: number): Promise<{ t: Tenant; observer: IncrementalObserver; store: MemorySnapshotStore; run: () => Promise<RunRecord> }> {
  const t = await startTenant(scaledFixture(extra));
  tenants.push(t);
  const store = new MemorySnapshotStore();
  const observer = createIncrementalObserver({ store, settings: t.settings });
  const run = () => t.engine({ observer }).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'timer' });
  expect((await run()).outcome).toBe('succeeded');
  expect(observer.last?.mode).toBe('full');
  t.s.sim.userSync.runNow(t.s.sim.state);
  await run();
  t.s.sim.userSync.runNow(t.s.sim.state);
  await run();
  return { t, observer, store, run };
}

/** A quiet run's GETs, as "service METHOD path-without-query" lines. */
async function quietRun(extra: number): Promise<{ pages: string[]; writes: number; mode: string | undefined }> {
  const { t, observer, run } = await converged(extra);
  await run(); // its own earlier writes come back once through the deltas
  await t.s.admin('DELETE', '/requests');
  const record = await run();
  expect(record.plan.changes.filter((c) => !c.blocked)).toEqual([]);
  const counts = await requestCounts(t);
  return { pages: counts.gets.map((g) => `${g.service} ${g.method} ${g.path.split('?')[0]}`).sort(), writes: counts.writes.length, mode: observer.last?.mode };
}

describe('steady state (issue 6 target: "an incremental run with nothing changed reads a constant number of pages")', () => {
  it('reads the same pages with 50 and with 500 extra technicians, and writes nothing', async () => {
    const small = await quietRun(50);
    const large = await quietRun(500);
    expect(small.mode).toBe('incremental');
    expect(large.mode).toBe('incremental');
    expect(small.writes).toBe(0);
    expect(large.writes).toBe(0);
    expect(large.pages).toEqual(small.pages);
    expect(small.pages).toEqual(quietIncrementalPages(DEMO_SETTINGS.TECHNICIAN_GROUP_ID!));
  }, 120_000);
});

describe('changes made by hand are picked up by the incremental run and repaired', () => {
  it('contact edited, licence removed, member removed, resource edited, characteristic added, link deleted', async () => {
    const { t, observer, run } = await converged(10);
    const st = t.s.sim.state;
    const dv = st.dataverse;
    const techs = [...dv.table('contacts').values()]
      .filter((c) => c.o25fs_provisioningstatus === 808950003 && c._o25fs_bookableresourceid_value && c.o25fs_entraobjectid)
      .sort((a, b) => String(a.contactid).localeCompare(String(b.contactid)));
    expect(techs.length).toBeGreaterThanOrEqual(6);
    const linked = (contact: Row) => [...dv.table('bookableresourcecharacteristics').values()].find((l) => l._resource_value === contact._o25fs_bookableresourceid_value);
    const f = techs.find((x) => linked(x))!;
    const [a, b, c, d, e] = techs.filter((x) => x !== f) as [Row, Row, Row, Row, Row];
    const sku = DEMO_SETTINGS.LICENSE_SKU_ID!;
    const group = DEMO_SETTINGS.TECHNICIAN_GROUP_ID!;

    // a: contact edited in Dataverse.
    expect((await t.s.dataverse('PATCH', `contacts(${a.contactid})`, { body: { o25fs_hourlyrate: 99.5 } })).status).toBe(204);
    // b: licence removed by an admin.
    expect((await t.s.graph('POST', `/users/${b.o25fs_entraobjectid}/assignLicense`, { body: { addLicenses: [], removeLicenses: [sku] } })).status).toBe(200);
    // c: removed from the technician group.
    expect((await t.s.graph('DELETE', `/groups/${group}/members/${c.o25fs_entraobjectid}/$ref`)).status).toBe(204);
    // d: bookable resource edited by hand.
    expect((await t.s.dataverse('PATCH', `bookableresources(${d._o25fs_bookableresourceid_value})`, { body: { name: 'Hand edited' } })).status).toBe(204);
    // e: a characteristic added to the vendor's technician.
    const heights = [...dv.table('characteristics').values()].find((ch) => ch.name === 'Working at Heights')!;
    const hasHeights = (resource: unknown) =>
      [...dv.table('bookableresourcecharacteristics').values()].some((l) => l._resource_value === resource && l._characteristic_value === heights.characteristicid);
    const vcBody = { 'o25fs_VendorContactId@odata.bind': `/contacts(${e.contactid})`, 'o25fs_CharacteristicId@odata.bind': `/characteristics(${heights.characteristicid})` };
    const added = await t.s.dataverse('POST', 'o25fs_vendorcharacteristics', { body: vcBody });
    expect(added.status, added.text).toBe(204);
    expect(hasHeights(e._o25fs_bookableresourceid_value)).toBe(false);
    // f: one of its resource characteristic links deleted.
    const link = linked(f)!;
    expect(link).toBeDefined();
    expect((await t.s.dataverse('DELETE', `bookableresourcecharacteristics(${link.bookableresourcecharacteristicid})`)).status).toBe(204);

    await t.s.admin('DELETE', '/requests');
    const record = await run();
    expect(observer.last?.mode).toBe('incremental');
    expect(record.outcome).toBe('succeeded');

    const br = (contact: Row) => dv.get('bookableresources', String(contact._o25fs_bookableresourceid_value))!;
    expect(br(a).msdyn_hourlyrate).toBe(99.5);
    const userB = st.graph.users.get(String(b.o25fs_entraobjectid))!;
    expect((userB.assignedLicenses as { skuId: string }[]).map((l) => l.skuId)).toContain(sku);
    expect(st.graph.groups.get(group)!.members.has(String(c.o25fs_entraobjectid))).toBe(true);
    expect(br(d).name).toBe(d.fullname);
    expect(hasHeights(e._o25fs_bookableresourceid_value)).toBe(true);
    expect(
      [...dv.table('bookableresourcecharacteristics').values()].some((l) => l._resource_value === f._o25fs_bookableresourceid_value && l._characteristic_value === link._characteristic_value),
    ).toBe(true);
    // The incremental run read no full collection: no guest list, no group member list.
    const { gets } = await requestCounts(t);
    expect(gets.some((g) => g.path.startsWith('/users?'))).toBe(false);
    expect(gets.some((g) => g.path.includes('/members'))).toBe(false);
  }, 60_000);
});

describe('what forces a full read', () => {
  it('an expired token (older than 7 days) falls back to a full read in the same run', async () => {
    const { t, observer, run } = await converged(5);
    await t.s.admin('PUT', '/tracking', { clockOffsetMs: 8 * 86_400_000 });
    await t.s.admin('DELETE', '/requests');
    const record = await run();
    expect(record.outcome).toBe('succeeded');
    expect(observer.last?.mode).toBe('full');
    expect(observer.last?.reason).toMatch(/token was refused \(410/);
    const { gets, writes } = await requestCounts(t);
    expect(writes).toEqual([]);
    expect(gets.filter((g) => g.path.startsWith('/users/delta?$deltatoken=') && !g.path.includes('latest')).length).toBe(1);
    expect(gets.some((g) => g.path.startsWith('/users?$filter=userType'))).toBe(true);
    expect(gets.some((g) => g.path.startsWith('/groups/') && g.path.includes('/members'))).toBe(true);
    // The new tokens work: the next run is incremental again.
    await run();
    expect(observer.last?.mode).toBe('incremental');
  }, 60_000);

  it('a settings change forces a full read; so does a snapshot older than FULL_RESYNC_HOURS', async () => {
    const { t, store, observer, run } = await converged(5);
    await run();
    expect(observer.last?.mode).toBe('incremental');
    const credential = new ClientSecretCredential(t.s.info.tenantId, t.s.info.clientId, t.s.info.clientSecret, { authorityHost: t.s.info.authorityHost, disableInstanceDiscovery: true });
    const changed = loadSettings({ ...DEMO_SETTINGS, SEND_INVITATION_EMAIL: 'true', GRAPH_BASE_URL: t.s.info.graphBaseUrl, DATAVERSE_URL: t.s.info.dataverseUrl });
    const other = createIncrementalObserver({ store, settings: changed });
    await createEngine(changed, { credential, observer: other }).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'timer' });
    expect(other.last).toEqual({ mode: 'full', reason: 'settings or read shapes changed' });

    const later = createIncrementalObserver({ store, settings: changed, now: () => new Date(Date.now() + 2 * 3_600_000) , fullResyncHours: 1 });
    await createEngine(changed, { credential, observer: later }).run({ scope: { kind: 'tenant' }, dryRun: true, trigger: 'timer' });
    expect(later.last?.mode).toBe('full');
    expect(later.last?.reason).toMatch(/is 1 h or more ago/);
    const again = createIncrementalObserver({ store, settings: changed, fullResyncHours: 24 });
    await createEngine(changed, { credential, observer: again }).run({ scope: { kind: 'tenant' }, dryRun: true, trigger: 'timer' });
    expect(again.last?.mode).toBe('incremental');
  }, 60_000);
});
