/**
 * Chaos: the throttles issue 10 added, set low at once — Graph's invitation limit (150 per 5 s per
 * tenant) and resource-unit quota (per app and tenant, per 10 s), Dataverse's execution-time limit
 * (1,200 s per 300 s per user) — while the product runs hourly-style: a full read, then incremental
 * runs that follow Graph delta and Dataverse change-tracking links. The run must slow down, not
 * fail: every run succeeds, nothing is left failed, and the end state equals a run without limits.
 * The client report (GET /_sim/report) must show every Retry-After waited out and every page or
 * delta link followed as the services returned it.
 * Sources: Learn "Microsoft Graph service-specific throttling limits" (identity and access,
 * invitation manager), "Service protection API limits" (Dataverse), Dev Proxy's RetryAfterPlugin
 * and ODataPagingGuidancePlugin (packages/tenant-sim/docs/simulator.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/model/run.js';
import { createIncrementalObserver, MemorySnapshotStore } from '../../src/engine/incremental/index.js';
import { startTenant, type Tenant } from '../support/tenant.js';
import { expectNoDuplicates, newContact, plan, smallFixture, type SmallContact } from '../badinput/small-tenant.js';
import { endState } from './end-state.js';

const technicians = (n: number): SmallContact[] =>
  Array.from({ length: n }, (_, i) => newContact(`limits-${i}`, {}, i % 3, (['fabrikam', 'northwind', 'tailspin'] as const)[i % 3]));

const DEFAULTS = {
  graph: { enabled: true, writesPerWindow: 3000, windowMs: 150000, resourceUnitsSmall: 3500, resourceUnitsMedium: 5000, resourceUnitsLarge: 8000, resourceUnitWindowMs: 10000, invitationsPerWindow: 150, invitationWindowMs: 5000 },
  dataverse: { enabled: true, requestsPerWindow: 6000, windowMs: 300000, concurrent: 52, executionMsPerWindow: 1200000, serverMsPerOperation: 20 },
};

let t: Tenant;
beforeAll(async () => {
  t = await startTenant(smallFixture([]));
});
afterAll(() => t.stop());

/** Hourly-style runs (full read first, then incremental) with the user sync between, until the plan is empty. */
async function runHourly(maxRuns = 6): Promise<RunRecord[]> {
  const observer = createIncrementalObserver({ store: new MemorySnapshotStore(), settings: t.settings });
  const runs: RunRecord[] = [];
  for (let i = 0; i < maxRuns; i += 1) {
    runs.push(await t.engine({ observer }).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'timer' }));
    t.s.sim.userSync.runNow(t.s.sim.state);
    if ((await plan(t)).changes.length === 0) break;
  }
  // One more, incremental: its statuses reflect the converged state and it follows the delta links.
  runs.push(await t.engine({ observer }).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'timer' }));
  return runs;
}

describe('chaos: the invitation limit, the resource-unit quota and the execution-time limit set low', () => {
  it('24 new technicians: every run succeeds slower, the end state equals the unthrottled one, no early retry, no hand-built link', { timeout: 180_000 }, async () => {
    const fixture = smallFixture(technicians(24));
    await t.s.admin('PUT', '/limits', { graph: { enabled: false }, dataverse: { enabled: false } });
    t.s.sim.reset(fixture);
    let started = Date.now();
    const free = await runHourly();
    const freeMs = Date.now() - started;
    const expected = endState(t);

    t.s.sim.reset(fixture);
    await t.s.admin('DELETE', '/report');
    const low = await t.s.admin('PUT', '/limits', {
      graph: { ...DEFAULTS.graph, invitationsPerWindow: 6, invitationWindowMs: 2000, resourceUnitsSmall: 60, resourceUnitWindowMs: 2000 },
      dataverse: { ...DEFAULTS.dataverse, windowMs: 2000, executionMsPerWindow: 600, serverMsPerOperation: 20 },
    });
    expect(low.status).toBe(200);
    started = Date.now();
    const runs = await runHourly();
    const limitedMs = Date.now() - started;
    const usage = (await t.s.admin('PUT', '/limits', {})).json.usage;
    const report = (await t.s.admin('GET', '/report')).json;
    await t.s.admin('PUT', '/limits', DEFAULTS);

    // Each new limit refused something, and the run waited instead of failing.
    expect(usage.graph.throttledInvitations).toBeGreaterThan(0);
    expect(usage.graph.throttledResourceUnits).toBeGreaterThan(0);
    expect(usage.dataverse.throttledExecutionTime).toBeGreaterThan(0);
    expect(runs.map((r) => r.outcome)).toEqual(runs.map(() => 'succeeded'));
    expect(runs.flatMap((r) => r.results).filter((r) => r.outcome !== 'applied')).toEqual([]);
    expect(runs.length).toBeLessThanOrEqual(free.length + 1);
    expect(limitedMs).toBeGreaterThan(freeMs + 1000);
    expect((await plan(t)).changes).toEqual([]);
    expectNoDuplicates(t);
    expect(t.s.sim.state.invitations).toHaveLength(24);
    expect(endState(t)).toEqual(expected);

    expect(report.retryAfter.given).toBeGreaterThan(0);
    expect(report.retryAfter.examples).toEqual([]);
    expect(report.retryAfter.violations).toBe(0);
    expect(report.paging.pagingRequests).toBeGreaterThan(0); // the incremental runs' delta links
    expect(report.paging.examples).toEqual([]);
    expect(report.paging.handBuilt).toBe(0);
  });
});
