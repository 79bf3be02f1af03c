/**
 * Crash safety (issue 5): a child process running the real apply (test/crash/apply-child.ts) is
 * killed with SIGKILL at seeded points — right after the simulator has answered its n-th write, or
 * some milliseconds after its first request — and a second apply (in-process) then converges with
 * no duplicate: one invitation and one user per email, one bookable resource per contact, no
 * duplicate characteristic. Points cover both stages of a new technician's provisioning: the Graph
 * stage (invitation, anchor, user update, licence, group) and, after Dataverse's user sync, the
 * Dataverse stage (coordinates, bookable resource, link, characteristics).
 * Sources: hashicorp/terraform-provider-azuread#851 (re-running after a failure re-invites); the
 * Entra B2B
 * "query first" advice (customize-invitation-api); deterministic ids (reconcilers/technicians/ids.ts).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixture, RequestLogEntry } from 'tenant-sim';
import { DEMO_SETTINGS, startTenant, type Tenant } from '../support/tenant.js';
import { apply, expectConverged, expectNoDuplicates, newContact, rows, runUntilQuiet, smallFixture, users } from '../badinput/small-tenant.js';

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

/** Starts the child apply and kills it at the point; resolves when it is gone. */
async function killedApply(point: { afterWrites?: number; afterMs?: number }): Promise<{ killed: boolean; stdout: string }> {
  const env = { ...process.env, ...t.s.info.env, ...DEMO_SETTINGS, NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? t.s.info.caCertPath };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const log = t.s.sim.requests;
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
