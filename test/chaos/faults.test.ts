/**
 * Chaos (issue 5): the simulator injects 20% 429s, 5% 503s and latency into both services
 * (packages/tenant-sim/docs/simulator.md "Injected faults"; Retry-After: 1 on every 429 and about half the 503s). A
 * tenant of 40 new technicians converges within a few applies (user syncs between), with no
 * duplicate (one invitation and one user per email, one bookable resource per contact, no duplicate
 * characteristic) and no lost change: the end state equals the fault-free run's. The client
 * report (GET /_sim/report) shows no request sent before its Retry-After elapsed and no page URL
 * the services did not return.
 * Sources: throttling.md (Retry-After), learn.microsoft.com/graph/json-batching ($batch inner
 * 429s), learn.microsoft.com/power-apps/developer/data-platform/api-limits (Dataverse limits), Dev
 * Proxy's RetryAfterPlugin and ODataPagingGuidancePlugin (packages/tenant-sim/docs/simulator.md "The client report").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTenant, type Tenant } from '../support/tenant.js';
import { expectConverged, expectNoDuplicates, newContact, plan, rows, runUntilQuiet, smallFixture, type SmallContact } from '../badinput/small-tenant.js';
import { endState } from './end-state.js';

/** The client report's two checks: every Retry-After waited out, every page link followed as given. */
async function expectPatientClient(t: Tenant): Promise<void> {
  const report = (await t.s.admin('GET', '/report')).json;
  expect(report.retryAfter.given).toBeGreaterThan(0);
  expect(report.retryAfter.examples).toEqual([]);
  expect(report.retryAfter.violations).toBe(0);
  // These tenants fit on one page; test/chaos/limits.test.ts follows delta links under pressure.
  expect(report.paging.examples).toEqual([]);
  expect(report.paging.handBuilt).toBe(0);
}

const technicians = (n: number): SmallContact[] =>
  Array.from({ length: n }, (_, i) => newContact(`chaos-${i}`, {}, i % 4, (['fabrikam', 'northwind', 'tailspin'] as const)[i % 3]));

let t: Tenant;
beforeAll(async () => {
  t = await startTenant(smallFixture([]));
});
afterAll(() => t.stop());

const NO_FAULTS = { rate429: 0, rate503: 0, latencyMs: 0 };

describe('chaos: injected 429s, 503s and latency', () => {
  it.each([
    { count: 40, seed: 7 },
    { count: 12, seed: 2024 },
  ])('$count new technicians converge within 4 applies, no duplicate, no lost change (seed $seed)', { timeout: 120_000 }, async ({ count, seed }) => {
    const fixture = smallFixture(technicians(count));
    // The fault-free end state first.
    await t.s.admin('PUT', '/faults', { graph: NO_FAULTS, dataverse: NO_FAULTS });
    t.s.sim.reset(fixture);
    await runUntilQuiet(t);
    const expected = endState(t);

    t.s.sim.reset(fixture);
    const faults = { rate429: 0.2, rate503: 0.05, latencyMs: 5, seed };
    const set = await t.s.admin('PUT', '/faults', { graph: faults, dataverse: faults });
    expect(set.status).toBe(200);
    const { runs, last } = await runUntilQuiet(t, [], 4);
    const usage = (await t.s.admin('PUT', '/faults', { graph: NO_FAULTS, dataverse: NO_FAULTS })).json.usage;
    expect(usage.graph.injected429 + usage.dataverse.injected429).toBeGreaterThan(5);
    expect(usage.graph.injected503 + usage.dataverse.injected503).toBeGreaterThan(0);

    expect(runs.length).toBeLessThanOrEqual(5);
    expect(last.changes).toEqual([]);
    expect((await plan(t)).changes).toEqual([]);
    expectNoDuplicates(t);
    expect(t.s.sim.state.invitations).toHaveLength(count);
    expect(rows(t, 'bookableresources')).toHaveLength(count);
    for (const c of rows(t, 'contacts')) expectConverged(t, String(c.contactid));
    expect(endState(t)).toEqual(expected);
    await expectPatientClient(t);
  });
});

describe('chaos: service-protection limits set low', () => {
  it('the run slows down (429s in the log, Retry-After honoured) instead of failing, and converges like a fault-free one', { timeout: 120_000 }, async () => {
    const fixture = smallFixture(technicians(10));
    await t.s.admin('PUT', '/faults', { graph: NO_FAULTS, dataverse: NO_FAULTS });
    await t.s.admin('PUT', '/limits', { graph: { enabled: false }, dataverse: { enabled: false } });
    t.s.sim.reset(fixture);
    let started = Date.now();
    const free = await runUntilQuiet(t);
    const freeMs = Date.now() - started;
    const expected = endState(t);

    t.s.sim.reset(fixture);
    const limits = await t.s.admin('PUT', '/limits', {
      graph: { enabled: true, writesPerWindow: 20, windowMs: 2000 },
      dataverse: { enabled: true, requestsPerWindow: 10, windowMs: 2000, concurrent: 52 },
    });
    expect(limits.status).toBe(200);
    started = Date.now();
    const { runs, last } = await runUntilQuiet(t);
    const limitedMs = Date.now() - started;
    type Entry = { status: number; inner?: { status: number }[] };
    const log = (await t.s.admin('GET', '/requests')).json.value as Entry[];
    const usage = (await t.s.admin('PUT', '/limits', {})).json.usage;
    // Back to the documented defaults for whatever runs next in this file.
    await t.s.admin('PUT', '/limits', { graph: { enabled: true, writesPerWindow: 3000, windowMs: 150000 }, dataverse: { enabled: true, requestsPerWindow: 6000, windowMs: 300000, concurrent: 52 } });

    expect(usage.graph.throttled + usage.dataverse.throttledRequests).toBeGreaterThan(0);
    expect(log.flatMap((e) => [e.status, ...(e.inner ?? []).map((i) => i.status)]).filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(runs.map((r) => r.outcome)).toEqual(free.runs.map(() => 'succeeded'));
    expect(runs.flatMap((r) => r.results).filter((r) => r.outcome !== 'applied')).toEqual([]);
    expect(runs).toHaveLength(free.runs.length);
    expect(limitedMs).toBeGreaterThan(freeMs + 1000);
    expect(last.changes).toEqual([]);
    expectNoDuplicates(t);
    expect(endState(t)).toEqual(expected);
    await expectPatientClient(t);
  });
});
