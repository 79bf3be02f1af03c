/**
 * Conformance: injected faults (PUT /_sim/faults, docs/simulator.md).
 * Sources: the 429 bodies of learn.microsoft.com/graph/throttling (Graph TooManyRequests) and
 * learn.microsoft.com/power-apps/developer/data-platform/api-limits
 * (Dataverse 0x80072322); Graph's 503 from learn.microsoft.com/graph/errors ("the length of the delay
 * may be specified in a Retry-After header", so clients must also back off on their own); issue 2's
 * faults shape ("a service left out keeps its settings").
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

let s: RunningSim;
beforeAll(async () => {
  s = await startSim({ app: { roles: ['User.Read.All'] }, graph: { users: [{ id: '5b0c4a8e-0000-4000-8000-000000000001', displayName: 'A' }] } });
});
afterAll(() => s.stop());
beforeEach(async () => {
  await s.admin('PUT', '/faults', { graph: { rate429: 0, rate503: 0, latencyMs: 0, seed: 1, replicationLagMs: 0 }, dataverse: { rate429: 0, rate503: 0, latencyMs: 0, seed: 1 } });
});

async function statuses(n: number, call: () => Promise<{ status: number }>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call()).status);
  return out;
}

describe('injected faults', () => {
  it('rate429 1.0 on Graph: every Graph request gets 429 with Retry-After: 1 and the TooManyRequests body; Dataverse is untouched', async () => {
    const set = await s.admin('PUT', '/faults', { graph: { rate429: 1 } });
    expect(set.status).toBe(200);
    expect(set.json.faults.graph).toEqual({ rate429: 1, rate503: 0, latencyMs: 0, seed: 1, replicationLagMs: 0 });
    for (let i = 0; i < 5; i++) {
      const res = await s.graph('GET', '/users');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.json.error).toMatchObject({ code: 'TooManyRequests', message: 'Please retry again later.', innerError: { code: '429', status: '429' } });
    }
    expect((await s.dataverse('GET', 'contacts')).status).not.toBe(429);
    expect((await s.admin('PUT', '/faults', {})).json.usage.graph.injected429).toBeGreaterThanOrEqual(5);
  });

  it('rate429 1.0 on Dataverse: 429 with the 0x80072322 body (learn.microsoft.com/power-apps/developer/data-platform/api-limits)', async () => {
    await s.admin('PUT', '/faults', { dataverse: { rate429: 1 } });
    const res = await s.dataverse('GET', 'contacts');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.json).toEqual({ error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } });
  });

  it('rate503 1.0: 503 in each service\'s error shape, Retry-After only on some (stricter: clients must back off without it)', async () => {
    await s.admin('PUT', '/faults', { graph: { rate503: 1 }, dataverse: { rate503: 1 } });
    const graph = [];
    for (let i = 0; i < 20; i++) graph.push(await s.graph('GET', '/users'));
    expect(graph.every((r) => r.status === 503 && r.json.error.code === 'serviceNotAvailable')).toBe(true);
    const withHeader = graph.filter((r) => r.headers.get('retry-after') === '1').length;
    expect(withHeader).toBeGreaterThan(0);
    expect(withHeader).toBeLessThan(20);
    const dv = await s.dataverse('GET', 'contacts');
    expect(dv.status).toBe(503);
    expect(dv.json.error.code).toMatch(/^0x[0-9a-f]{8}$/);
  });

  it('the same seed gives the same faults, in the same order; another seed another sequence', async () => {
    const body = { graph: { rate429: 0.3, rate503: 0.2, seed: 42 } };
    await s.admin('PUT', '/faults', body);
    const first = await statuses(40, () => s.graph('GET', '/users'));
    await s.admin('PUT', '/faults', body);
    const second = await statuses(40, () => s.graph('GET', '/users'));
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 503]));
    await s.admin('PUT', '/faults', { graph: { seed: 7 } });
    expect(await statuses(40, () => s.graph('GET', '/users'))).not.toEqual(first);
  });

  it('latencyMs delays every request of that service', async () => {
    await s.admin('PUT', '/faults', { dataverse: { latencyMs: 250 } });
    let t = Date.now();
    await s.dataverse('GET', 'contacts');
    expect(Date.now() - t).toBeGreaterThanOrEqual(240);
    t = Date.now();
    await s.graph('GET', '/users');
    expect(Date.now() - t).toBeLessThan(240);
  });

  it('a service left out keeps its settings, and so does a setting left out', async () => {
    await s.admin('PUT', '/faults', { graph: { latencyMs: 30, rate503: 0.1, seed: 5 } });
    await s.admin('PUT', '/faults', { dataverse: { rate429: 0.5 } });
    const res = await s.admin('PUT', '/faults', { graph: { rate429: 0.2 } });
    expect(res.json.faults).toEqual({
      graph: { rate429: 0.2, rate503: 0.1, latencyMs: 30, seed: 5, replicationLagMs: 0 },
      dataverse: { rate429: 0.5, rate503: 0, latencyMs: 0, seed: 1 },
    });
  });

  it('a bad faults body gets 400 and changes nothing', async () => {
    for (const body of [{ graph: { rate429: 1.5 } }, { graph: { rate429: 0.6, rate503: 0.6 } }, { dataverse: { latency: 5 } }, { sharepoint: {} }, { graph: { latencyMs: -1 } }]) {
      expect((await s.admin('PUT', '/faults', { dataverse: { latencyMs: 10 }, ...body })).status).toBe(400);
    }
    expect((await s.admin('PUT', '/faults', {})).json.faults.dataverse.latencyMs).toBe(0);
  });
});
