/**
 * The whole loop against the simulated demo tenant, through the real clients: apply converges,
 * Dataverse's user sync lets the bookable resources follow, and a converged tenant plans nothing
 * and gets no write request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTenant, type Tenant } from '../support/tenant.js';

let t: Tenant;
beforeAll(async () => {
  t = await startTenant();
});
afterAll(() => t.stop());

describe('demo tenant, end to end', () => {
  it('converges in two applies around the user sync, then plans nothing and writes nothing', async () => {
    const first = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
    expect(first.outcome).toBe('succeeded');
    expect(first.results.length).toBeGreaterThan(0);
    expect(first.results.every((r) => r.outcome === 'applied')).toBe(true);
    // One token per service, although the run starts all its reads at once.
    const tokenRequests = ((await t.s.admin('GET', '/requests')).json.value as { service: string; method: string }[]).filter((e) => e.service === 'token' && e.method === 'POST');
    expect(tokenRequests).toHaveLength(2);

    t.s.sim.userSync.runNow(t.s.sim.state);
    const second = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
    expect(second.outcome).toBe('succeeded');
    expect(second.results.some((r) => r.changeId.endsWith('/bookableresource.create'))).toBe(true);

    await t.s.admin('DELETE', '/requests');
    const third = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
    expect(third.plan.changes).toEqual([]);
    // Every write the services saw: inner requests of $batch envelopes, and top-level writes other
    // than the envelopes themselves and token requests.
    type Entry = { service: string; method: string; path: string; inner?: { method: string; path: string }[] };
    const log = (await t.s.admin('GET', '/requests')).json.value as Entry[];
    const calls = log.filter((e) => e.service !== 'token').flatMap((e) => (e.path.includes('$batch') ? (e.inner ?? []) : [e]));
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
  });
});
