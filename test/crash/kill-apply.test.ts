/**
 * Crash safety (issue 5): a child process running the real apply (test/crash/apply-child.ts) is
 * killed with SIGKILL at seeded points — right after the simulator has answered its n-th write, or
 * some milliseconds after its first request — and a second apply (in-process) then converges with
 * no duplicate: one invitation and one user per email, one bookable resource per contact, no
 * duplicate characteristic. Points cover both stages of a new technician's provisioning: the Graph
 * stage (invitation, anchor, user update, licence, group) and, after Dataverse's user sync, the
 * Dataverse stage (coordinates, bookable resource, link, characteristics).
 * Service accounts (issue 12): a kill right after POST /users, before the anchor, then one
 * account per contact. Project work orders (issue 14): a kill right after the first work order
 * upsert, then one work order per ready task (the last describe).
 * Sources: hashicorp/terraform-provider-azuread#851 (re-running after a failure re-invites); the
 * Entra B2B
 * "query first" advice (customize-invitation-api); deterministic ids (reconcilers/technicians/ids.ts).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TECHNICIAN_GROUP_ID } from 'tenant-sim/demo-fixture';
import type { Fixture, RequestLogEntry } from 'tenant-sim';
import { GUEST_SETTINGS, startTenant, type Tenant } from '../support/tenant.js';
import { apply, expectConverged, expectNoDuplicates, newContact, rows, runUntilQuiet, smallFixture, users } from '../badinput/small-tenant.js';
import { technician } from '../integration/engine-fixture.js';
import { ACCOUNT_TYPE, SA_SETTINGS, SA_SKUS, serviceAccountFixture } from '../integration/service-accounts-fixture.js';
import { STAGE, TASKS, WORK_ORDER_SETTINGS, workOrdersFixture } from '../integration/workorders-fixture.js';

const CHILD = fileURLToPath(new URL('./apply-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COUNT = 6;
const POINTS = 24;

/** mulberry32: the same seed gives the same kill points on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const writesIn = (e: RequestLogEntry): number =>
  e.service === 'token' ? 0 : e.inner ? e.inner.filter((i) => i.method !== 'GET').length : e.method === 'GET' ? 0 : 1;

let t: Tenant;
const stages: { name: 'graph' | 'dataverse'; fixture: Fixture; writes: number; ms: number }[] = [];

beforeAll(async () => {
  const fixture = smallFixture(Array.from({ length: COUNT }, (_, i) => newContact(`crash-${i}`, {}, 1 + (i % 3), (['fabrikam', 'northwind', 'tailspin'] as const)[i % 3])));
  t = await startTenant(fixture);
  // Calibrate: how many writes (and how long) each stage's apply takes when nothing goes wrong.
  let started = Date.now();
  await apply(t);
  stages.push({ name: 'graph', fixture, writes: t.s.sim.requests.reduce((n, e) => n + writesIn(e), 0), ms: Date.now() - started });
  t.s.sim.userSync.runNow(t.s.sim.state);
  const afterGraph = (await t.s.admin('GET', '/state')).json as Fixture;
  t.s.sim.reset(afterGraph);
  started = Date.now();
  await apply(t);
  stages.push({ name: 'dataverse', fixture: afterGraph, writes: t.s.sim.requests.reduce((n, e) => n + writesIn(e), 0), ms: Date.now() - started });
});
afterAll(() => t.stop());

interface KillPoint {
  afterWrites?: number;
  afterMs?: number;
  /** Kill right after the simulator answered the first request (or $batch) this picks out. */
  afterEntry?: (e: RequestLogEntry) => boolean;
}

/** Starts the child apply (against `on`, with `settings`) and kills it at the point; resolves when it is gone. */
async function killedApply(point: KillPoint, on: Tenant = t, settings: Record<string, string> = GUEST_SETTINGS): Promise<{ killed: boolean; stdout: string }> {
  const env = { ...process.env, ...on.s.info.env, ...settings, NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? on.s.info.caCertPath };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const log = on.s.sim.requests;
  const push = log.push;
  let writes = 0;
  let timer: NodeJS.Timeout | undefined;
  const kill = (): void => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  // The simulator logs a request once it has answered it: kill right then.
  log.push = (...entries: RequestLogEntry[]): number => {
    const n = push.apply(log, entries);
    for (const e of entries) {
      if (point.afterMs !== undefined && timer === undefined && e.service !== 'token') timer = setTimeout(kill, point.afterMs);
      writes += writesIn(e);
      if (point.afterEntry?.(e)) kill();
    }
    if (point.afterWrites !== undefined && writes >= point.afterWrites) kill();
    return n;
  };
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  clearTimeout(timer);
  log.push = push;
  if (exit.signal !== 'SIGKILL' && exit.code !== 0) throw new Error(`the child apply failed (${exit.code}): ${stderr}`);
  return { killed: exit.signal === 'SIGKILL', stdout };
}

const random = prng(20250101);
/** Seeded points, as a share of the stage's writes (or of its duration, every third point). */
const POINT_LIST = Array.from({ length: POINTS }, (_, i) => ({ i, stage: i % 2, share: random(), byTime: i % 3 === 2 }));
let killed = 0;

describe('crash: SIGKILL during apply, then apply again', () => {
  it.each(POINT_LIST)('kill point $i (stage $stage, share $share, by time: $byTime): the next apply converges with no duplicate', { timeout: 60_000 }, async ({ stage: s, share, byTime }) => {
    const stage = stages[s]!;
    const point = byTime ? { afterMs: Math.floor(share * stage.ms) } : { afterWrites: 1 + Math.floor(share * stage.writes) };
    const what = `${stage.name} stage, ${JSON.stringify(point)}`;
    t.s.sim.reset(stage.fixture);
    const result = await killedApply(point);
    if (result.killed) killed += 1;

    const { last } = await runUntilQuiet(t);
    expect(last.changes, what).toEqual([]);
    expectNoDuplicates(t);
    // Graph stage: exactly one invitation per email; Dataverse stage: every guest exists already, so none.
    expect(t.s.sim.state.invitations, what).toHaveLength(stage.name === 'graph' ? COUNT : 0);
    expect(users(t), what).toHaveLength(COUNT);
    expect(rows(t, 'bookableresources'), what).toHaveLength(COUNT);
    for (const c of rows(t, 'contacts')) expectConverged(t, String(c.contactid));
  });

  it('most points really interrupted the child (a point past the end just lets it finish)', () => {
    expect(killed).toBeGreaterThanOrEqual(POINTS - 4);
  });
});

/**
 * Issue 12: a service account is created with POST /users, which cannot be repeated (a second
 * create with the same names is refused; with other names it would make a second account). The
 * child is killed right after the simulator answered the request (or $batch) carrying the first
 * POST /users, before the contact is anchored; the next apply finds the account by its
 * deterministic names (reconcilers/technicians/service-account-create.ts) and adopts it.
 */
describe('crash: SIGKILL right after the POST /users of a service account, before the anchor', () => {
  const techs = [
    technician(1, { first: 'Ada', last: 'Lovelace' }),
    ...[['Bea', 'Jones', 3], ['Chen', 'Wu', 4]].map(([first, last, n]) =>
      technician(Number(n), { first: String(first), last: String(last), vendor: 'northwind', contact: { o25fs_accounttype: ACCOUNT_TYPE.service } }),
    ),
  ];
  const service = techs.slice(1);
  let sa: Tenant;
  beforeAll(async () => {
    sa = await startTenant(serviceAccountFixture(techs), SA_SETTINGS);
  });
  afterAll(() => sa.stop());

  const isCreate = (r: { method: string; path: string; status: number }): boolean => r.method === 'POST' && /\/users$/.test(r.path.split('?')[0]!) && r.status === 201;
  const creates = (): number => sa.s.sim.requests.reduce((n, e) => n + [e, ...(e.inner ?? [])].filter(isCreate).length, 0);
  const marked = (contactId: string): Record<string, unknown>[] =>
    [...sa.s.sim.state.graph.users.values()].filter(
      (u) => u.userType === 'Member' && String((u.onPremisesExtensionAttributes as Record<string, unknown> | undefined)?.extensionAttribute15 ?? '').includes(`contact=${contactId};account=service`),
    );
  const anchorOf = (contactId: string): unknown => sa.s.sim.state.dataverse.get('contacts', contactId)?.o25fs_entraobjectid ?? null;

  it('the next apply adopts the account: exactly one Member per contact, anchored, licensed with each SKU, in the group', { timeout: 60_000 }, async () => {
    const result = await killedApply({ afterEntry: (e) => e.service === 'graph' && [e, ...(e.inner ?? [])].some(isCreate) }, sa, SA_SETTINGS);
    expect(result.killed).toBe(true);
    // The point is hit: an account exists that no contact records yet.
    const unanchored = service.filter((c) => marked(c.id).length === 1 && anchorOf(c.id) === null);
    expect(unanchored.length).toBeGreaterThan(0);
    for (const c of service) expect(marked(c.id).length).toBeLessThanOrEqual(1);
    const missing = service.filter((c) => marked(c.id).length === 0).length;

    await sa.s.admin('DELETE', '/requests');
    const { runs, last } = await runUntilQuiet(sa);
    expect(last.changes).toEqual([]);
    expect(runs.flatMap((r) => r.results.filter((x) => x.outcome === 'failed'))).toEqual([]);
    // Only the accounts the killed run had not created are created now; the others are adopted.
    expect(creates()).toBe(missing);
    for (const c of service) {
      const [account, ...more] = marked(c.id);
      expect(more, c.id).toEqual([]);
      expect(anchorOf(c.id)).toBe(account!.id);
      expect((account!.assignedLicenses as { skuId: string }[]).map((l) => l.skuId).sort()).toEqual([...SA_SKUS].sort());
      expect(sa.s.sim.state.graph.groups.get(DEMO_TECHNICIAN_GROUP_ID)!.members.has(String(account!.id))).toBe(true);
      expect(sa.s.sim.state.dataverse.get('contacts', c.id)?.o25fs_provisioningstatus).toBe(808950003);
    }
    expect([...sa.s.sim.state.graph.users.values()].filter((u) => u.userType === 'Member')).toHaveLength(service.length);
    expect(rows(sa, 'bookableresources')).toHaveLength(techs.length);
  });
});

/**
 * Issue 14: a work order is created by an upsert keyed on its task (If-None-Match: * on
 * msdyn_workorders(_o25fs_projecttask_value=…)). The child is killed right after the simulator
 * answered the first upsert, so that work order exists but the run never saw its answer; the next
 * applies create the others, and every ready task ends with exactly one work order and one
 * resource requirement.
 */
describe('crash: SIGKILL right after the first work order upsert', () => {
  let wo: Tenant;
  beforeAll(async () => {
    const fixture = workOrdersFixture();
    const dv = fixture.dataverse!;
    dv.msdyn_projecttasks = dv.msdyn_projecttasks!.map((r) => (TASKS.includes(r.msdyn_projecttaskid as (typeof TASKS)[number]) ? { ...r, o25fs_taskstage: STAGE.ready } : r));
    wo = await startTenant(fixture, WORK_ORDER_SETTINGS);
  });
  afterAll(() => wo.stop());

  const isUpsert = (r: { method: string; path: string; status: number }): boolean => r.method === 'PATCH' && r.path.includes('msdyn_workorders(_o25fs_projecttask_value=') && r.status < 300;

  it('the next apply converges: one work order and one requirement per ready task, none for the summary task', { timeout: 60_000 }, async () => {
    const result = await killedApply({ afterEntry: (e) => e.service === 'dataverse' && [e, ...(e.inner ?? [])].some(isUpsert) }, wo, WORK_ORDER_SETTINGS);
    expect(result.killed).toBe(true);
    const before = rows(wo, 'msdyn_workorders');
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThanOrEqual(TASKS.length);

    const { runs, last } = await runUntilQuiet(wo);
    expect(last.changes).toEqual([]);
    expect(runs.flatMap((r) => r.results.filter((x) => x.outcome === 'failed'))).toEqual([]);
    const orders = rows(wo, 'msdyn_workorders');
    expect(orders.map((o) => o._o25fs_projecttask_value).sort()).toEqual([...TASKS].sort());
    // The work orders the killed run made are kept, not made again.
    for (const o of before) expect(orders.map((x) => x.msdyn_workorderid)).toContain(o.msdyn_workorderid);
    for (const o of orders) expect(rows(wo, 'msdyn_resourcerequirements').filter((r) => r._msdyn_workorder_value === o.msdyn_workorderid)).toHaveLength(1);
  });
});
