/**
 * Conformance: service-protection limits.
 * Sources: learn.microsoft.com/graph/throttling and throttling-limits ("identity and access service
 * limits": 3,000 writes per 2 min 30 s per app and tenant; 429 with Retry-After and the
 * TooManyRequests body), learn.microsoft.com/graph/json-batching (inner requests are throttled one
 * by one), learn.microsoft.com/power-apps/developer/data-platform/api-limits (6,000 requests per
 * 300 s sliding window and 52 concurrent requests per user, 0x80072322 / 0x80072326) and
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
 * (a $batch counts once).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlatformGate } from '../../src/index.js';
import type { SimRequest } from '../../src/types.js';
import { startSim, type RunningSim } from '../support/sim.js';

const TENANT = '7a1f2c3d-0000-4000-8000-000000000001';
const GROUP = '7a1f2c3d-0000-4000-8000-0000000000a1';
const USERS = [0, 1, 2, 3, 4].map((i) => `7a1f2c3d-0000-4000-8000-00000000000${i + 2}`);

let s: RunningSim;
beforeAll(async () => {
  s = await startSim({
    tenant: { id: TENANT },
    app: { roles: ['User.ReadWrite.All', 'GroupMember.ReadWrite.All'] },
    graph: {
      users: USERS.map((id, i) => ({ id, displayName: `User ${i}`, userPrincipalName: `user${i}@contoso.onmicrosoft.com` })),
      groups: [{ id: GROUP, displayName: 'Technicians', members: [] }],
    },
  });
});
afterAll(() => s.stop());
beforeEach(async () => {
  // Defaults again, fresh windows and no faults, whatever the previous test set.
  await s.admin('PUT', '/limits', { graph: { enabled: true, writesPerWindow: 3000, windowMs: 150000 }, dataverse: { enabled: true, requestsPerWindow: 6000, windowMs: 300000, concurrent: 52 } });
  await s.admin('PUT', '/faults', { graph: { rate429: 0, rate503: 0, latencyMs: 0 }, dataverse: { rate429: 0, rate503: 0, latencyMs: 0 } });
});

const patchUser = (i: number) => s.graph('PATCH', `/users/${USERS[i % USERS.length]}`, { body: { jobTitle: `Technician ${i}` } });

describe('limits are on by default with the documented numbers', () => {
  it('PUT /_sim/limits {} answers the defaults: Graph 3,000 writes / 150 s, 3,500/5,000/8,000 resource units / 10 s, 150 invitations / 5 s; Dataverse 6,000 / 300 s, 1,200,000 ms / 300 s and 52 concurrent (learn.microsoft.com/graph/throttling, learn.microsoft.com/power-apps/developer/data-platform/api-limits; Learn "Microsoft Graph service-specific throttling limits", "Service protection API limits")', async () => {
    const res = await s.admin('PUT', '/limits', {});
    expect(res.status).toBe(200);
    expect(res.json.limits).toEqual({
      graph: {
        enabled: true, writesPerWindow: 3000, windowMs: 150000,
        resourceUnitsSmall: 3500, resourceUnitsMedium: 5000, resourceUnitsLarge: 8000, resourceUnitWindowMs: 10000,
        invitationsPerWindow: 150, invitationWindowMs: 5000,
      },
      dataverse: { enabled: true, requestsPerWindow: 6000, windowMs: 300000, concurrent: 52, executionMsPerWindow: 1200000, serverMsPerOperation: 20 },
    });
  });

  it('a malformed limits body gets 400 and changes nothing', async () => {
    const res = await s.admin('PUT', '/limits', { graph: { writesPerWindow: 5 }, dataverse: { concurrent: 0 } });
    expect(res.status).toBe(400);
    expect((await s.admin('PUT', '/limits', {})).json.limits.graph.writesPerWindow).toBe(3000);
    expect((await s.admin('PUT', '/limits', { exchange: {} })).status).toBe(400);
  });
});

describe('Graph write budget per app (learn.microsoft.com/graph/throttling)', () => {
  it('the write past the budget gets 429 with Retry-After (seconds until the budget frees) and the TooManyRequests body', async () => {
    await s.admin('PUT', '/limits', { graph: { writesPerWindow: 3, windowMs: 60000 } });
    for (let i = 0; i < 3; i++) expect((await patchUser(i)).status).toBe(204);
    const res = await patchUser(3);
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.json.error).toMatchObject({ code: 'TooManyRequests', message: 'Please retry again later.', innerError: { code: '429', message: 'Please retry after', status: '429' } });
    expect(res.json.error.innerError['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // The refused PATCH did nothing.
    expect(s.sim.state.graph.users.get(USERS[3]!)!.jobTitle).toBeNull();
  });

  it('reads are not writes: GETs still pass once the write budget is spent', async () => {
    await s.admin('PUT', '/limits', { graph: { writesPerWindow: 1, windowMs: 60000 } });
    expect((await patchUser(0)).status).toBe(204);
    expect((await patchUser(1)).status).toBe(429);
    expect((await s.graph('GET', `/users/${USERS[0]}`)).status).toBe(200);
    const usage = (await s.admin('PUT', '/faults', {})).json.usage.graph;
    expect(usage).toMatchObject({ writesInWindow: 1, writes: 1, throttled: 1 });
  });

  it('inner $batch requests count one by one; the envelope is not a write; the throttled ones are inner 429s in a 200 envelope (learn.microsoft.com/graph/json-batching)', async () => {
    await s.admin('PUT', '/limits', { graph: { writesPerWindow: 2, windowMs: 60000 } });
    const requests = USERS.slice(0, 4).map((id, i) => ({
      id: String(i + 1), method: 'POST', url: `/groups/${GROUP}/members/$ref`,
      headers: { 'Content-Type': 'application/json' }, body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` },
    }));
    const res = await s.graph('POST', '/$batch', { body: { requests } });
    expect(res.status).toBe(200);
    const statuses = (res.json.responses as { status: number }[]).map((r) => r.status).sort();
    expect(statuses).toEqual([204, 204, 429, 429]);
    const throttled = (res.json.responses as { status: number; headers: Record<string, string>; body: { error: { code: string } } }[]).filter((r) => r.status === 429);
    for (const r of throttled) {
      expect(Number(r.headers['Retry-After'] ?? r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(r.body.error.code).toBe('TooManyRequests');
    }
    expect(s.sim.state.graph.groups.get(GROUP)!.members.size).toBe(2);
    const usage = (await s.admin('PUT', '/faults', {})).json.usage.graph;
    expect(usage).toMatchObject({ writesInWindow: 2, writes: 2, throttled: 2 });
  });

  it('"enabled": false switches the budget off', async () => {
    await s.admin('PUT', '/limits', { graph: { enabled: false, writesPerWindow: 1 } });
    for (let i = 0; i < 4; i++) expect((await patchUser(i)).status).toBe(204);
  });

  it('the window slides: a write is admitted again as soon as the oldest leaves the window', async () => {
    let now = 1_000_000;
    const gate = new PlatformGate({ now: () => now });
    gate.setLimits({ graph: { writesPerWindow: 3, windowMs: 10_000 } });
    const write = (inner = false): SimRequest => ({
      service: 'graph', method: 'PATCH', path: '/users/x', rawQuery: '', headers: {}, body: '', inner,
      claims: { aud: 'a', tid: 't', appid: 'app', roles: [], exp: 0 },
    });
    for (const t of [0, 1000, 2000]) {
      now = 1_000_000 + t;
      expect((await gate.enter('graph', write(true))).reject).toBeUndefined();
    }
    now = 1_005_000;
    const refused = (await gate.enter('graph', write())).reject!;
    expect(refused.status).toBe(429);
    expect(refused.headers!['Retry-After']).toBe('5');
    // A $batch envelope is not a write, even with the budget spent.
    expect((await gate.enter('graph', { ...write(), method: 'POST', path: '/$batch' })).reject).toBeUndefined();
    now = 1_010_001;
    expect((await gate.enter('graph', write())).reject).toBeUndefined();
  });
});

describe('Dataverse service protection per user (learn.microsoft.com/power-apps/developer/data-platform/api-limits)', () => {
  it('the request past the window limit gets 429 0x80072322 with the documented message and Retry-After', async () => {
    await s.admin('PUT', '/limits', { dataverse: { requestsPerWindow: 3, windowMs: 60000 } });
    for (let i = 0; i < 3; i++) expect((await s.dataverse('GET', 'contacts')).status).not.toBe(429);
    const res = await s.dataverse('GET', 'contacts');
    expect(res.status).toBe(429);
    expect(res.json).toEqual({ error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 3 over time window of 60 seconds.' } });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    // Stricter choice (docs/simulator.md): refused requests count too, so pressure lengthens the wait.
    const usage = (await s.admin('PUT', '/faults', {})).json.usage.dataverse;
    expect(usage).toMatchObject({ requestsInWindow: 4, requests: 4, throttledRequests: 1 });
  });

  it('the default message names 6000 requests over 300 seconds', async () => {
    let now = 0;
    const gate = new PlatformGate({ now: () => now });
    const req: SimRequest = { service: 'dataverse', method: 'GET', path: 'contacts', rawQuery: '', headers: {}, body: '', inner: false, claims: { aud: 'a', tid: 't', appid: 'app', roles: [], exp: 0 } };
    for (let i = 0; i < 6000; i++) {
      const d = await gate.enter('dataverse', req);
      expect(d.reject).toBeUndefined();
      d.release();
    }
    now = 120_000;
    const refused = (await gate.enter('dataverse', req)).reject!;
    expect(refused.body).toEqual({ error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } });
    expect(refused.headers!['Retry-After']).toBe('180');
  });

  it('concurrent requests above the limit get 429 0x80072326 at once; slots free when requests finish', async () => {
    await s.admin('PUT', '/limits', { dataverse: { concurrent: 2 } });
    await s.admin('PUT', '/faults', { dataverse: { latencyMs: 400 } });
    const started = Date.now();
    const results = await Promise.all([0, 1, 2].map(() => s.dataverse('GET', 'contacts').then((r) => ({ r, ms: Date.now() - started }))));
    const refused = results.filter(({ r }) => r.status === 429);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.r.json).toEqual({ error: { code: '0x80072326', message: 'Number of concurrent requests exceeded the limit of 2.' } });
    expect(refused[0]!.r.headers.get('retry-after')).toBe('1');
    expect(refused[0]!.ms).toBeLessThan(300); // immediately, not after the latency
    await s.admin('PUT', '/faults', { dataverse: { latencyMs: 0 } });
    expect((await s.dataverse('GET', 'contacts')).status).not.toBe(429);
    const usage = (await s.admin('PUT', '/faults', {})).json.usage.dataverse;
    expect(usage).toMatchObject({ inFlight: 0, peakInFlight: 2, throttledConcurrency: 1 });
  });

  it('a $batch counts once against the window, whatever it holds (learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api)', async () => {
    await s.admin('PUT', '/limits', { dataverse: { requestsPerWindow: 2, windowMs: 60000 } });
    const boundary = 'batch_limits';
    const part = `--${boundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET ${s.info.dataverseUrl}/api/data/v9.2/contacts HTTP/1.1\r\nAccept: application/json\r\n\r\n`;
    const body = `${part.repeat(5)}--${boundary}--\r\n`;
    const res = await s.dataverse('POST', '$batch', { body, headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` } });
    expect(res.status).not.toBe(429);
    expect(res.text).not.toContain('0x80072322');
    expect((await s.admin('PUT', '/faults', {})).json.usage.dataverse.requestsInWindow).toBe(1);
    expect((await s.dataverse('GET', 'contacts')).status).not.toBe(429);
    expect((await s.dataverse('GET', 'contacts')).status).toBe(429);
  });

  it('"enabled": false switches Dataverse limits off', async () => {
    await s.admin('PUT', '/limits', { dataverse: { enabled: false, requestsPerWindow: 1 } });
    for (let i = 0; i < 3; i++) expect((await s.dataverse('GET', 'contacts')).status).not.toBe(429);
  });
});
