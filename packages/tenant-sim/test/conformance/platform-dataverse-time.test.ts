/**
 * Conformance: Dataverse's execution-time limit and the rate-limit headers.
 * Source: Learn "Service protection API limits" (power-apps/developer/data-platform/api-limits;
 * learn.microsoft.com/power-apps/developer/data-platform/api-limits): "Execution time: the combined
 * execution time of all requests made by the user,
 * 20 minutes (1200 seconds) within the 5 minute sliding window", error 0x80072321 "Combined
 * execution time of incoming requests exceeded limit of 1,200,000 milliseconds over time window of
 * 300 seconds. …"; a batch "will avoid the number of requests limit. However, you will need to be
 * prepared for the execution time limit"; the HTTP response headers
 * x-ms-ratelimit-burst-remaining-xrm-requests and x-ms-ratelimit-time-remaining-xrm-requests.
 * The time per operation is the simulator's setting (serverMsPerOperation, docs/simulator.md).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlatformGate } from '../../src/index.js';
import type { SimRequest } from '../../src/types.js';
import { startSim, type RunningSim } from '../support/sim.js';
import { batchBody, contactId, dataverseFixture } from './dataverse-fixture.js';

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(dataverseFixture());
});
afterAll(() => s.stop());
beforeEach(async () => {
  await s.admin('PUT', '/limits', { dataverse: { enabled: true, requestsPerWindow: 6000, windowMs: 300000, concurrent: 52, executionMsPerWindow: 1200000, serverMsPerOperation: 20 } });
});

const usage = async () => (await s.admin('PUT', '/limits', {})).json.usage.dataverse;
const batchOf = (n: number) => {
  const boundary = 'batch_time';
  const items = Array.from({ length: n }, () => ({ method: 'GET', url: `contacts(${contactId(1)})?$select=lastname` }));
  return s.dataverse('POST', '$batch', { body: batchBody(boundary, items), headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` } });
};

describe('x-ms-ratelimit headers (api-limits.md, "HTTP Response headers")', () => {
  it('every answer carries the requests left in the window and the execution time left, in the format the service uses', async () => {
    const first = await s.dataverse('GET', 'contacts?$select=lastname');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')).toBe('5999');
    // 1,200 s less this request's 20 ms, written with a group separator and two decimals.
    expect(first.headers.get('x-ms-ratelimit-time-remaining-xrm-requests')).toBe('1,199.98');
    const second = await s.dataverse('GET', `contacts(${contactId(999)})`);
    expect(second.status).toBe(404); // errors carry them too
    expect(second.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')).toBe('5998');
    expect(second.headers.get('x-ms-ratelimit-time-remaining-xrm-requests')).toBe('1,199.96');
  });

  it('a $batch counts once against the requests but each of its parts uses execution time', async () => {
    const res = await batchOf(5);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')).toBe('5999');
    expect(res.headers.get('x-ms-ratelimit-time-remaining-xrm-requests')).toBe('1,199.90');
    expect(await usage()).toMatchObject({ requestsInWindow: 1, executionMsInWindow: 100 });
  });

  it('with the limits off there are no rate-limit headers', async () => {
    await s.admin('PUT', '/limits', { dataverse: { enabled: false } });
    const res = await s.dataverse('GET', 'contacts?$select=lastname');
    expect(res.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')).toBeNull();
  });
});

describe('execution time per user (api-limits.md, "Execution time")', () => {
  it('once the combined time is spent, requests get 429 0x80072321 with the documented message (configured numbers) and Retry-After', async () => {
    await s.admin('PUT', '/limits', { dataverse: { executionMsPerWindow: 100, serverMsPerOperation: 40, windowMs: 60000 } });
    // Enforced after it is exceeded: 0, 40 and 80 ms used are below 100; the batch takes it to 200.
    for (let i = 0; i < 2; i++) expect((await s.dataverse('GET', 'contacts?$select=lastname')).status).toBe(200);
    expect((await batchOf(3)).status).toBe(200);
    const refused = await s.dataverse('GET', 'contacts?$select=lastname');
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({
      error: {
        code: '0x80072321',
        message: 'Combined execution time of incoming requests exceeded limit of 100 milliseconds over time window of 60 seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.',
      },
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect(refused.headers.get('x-ms-ratelimit-time-remaining-xrm-requests')).toBe('0.00');
    expect(await usage()).toMatchObject({ throttledExecutionTime: 1, executionMsInWindow: 200 });
  });

  it('the default message names 1,200,000 milliseconds over 300 seconds, and time frees as operations leave the window (a gate on a test clock)', async () => {
    let now = 0;
    const gate = new PlatformGate({ now: () => now });
    gate.setLimits({ dataverse: { serverMsPerOperation: 400_000 } });
    const req = (): SimRequest => ({ service: 'dataverse', method: 'GET', path: 'contacts', rawQuery: '', headers: {}, body: '', inner: false, claims: { aud: 'a', tid: 't', appid: 'app', roles: [], exp: 0 } });
    const ok = { status: 200 };
    for (const t of [0, 10_000, 20_000]) {
      now = t;
      const r = req();
      const d = await gate.enter('dataverse', r);
      expect(d.reject).toBeUndefined();
      d.release();
      gate.leave(r, ok);
    }
    now = 30_000;
    const refused = (await gate.enter('dataverse', req())).reject!;
    expect(refused.body).toEqual({
      error: {
        code: '0x80072321',
        message: 'Combined execution time of incoming requests exceeded limit of 1,200,000 milliseconds over time window of 300 seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.',
      },
    });
    // The first 400,000 ms leave the window at 300 s: 270 s from now.
    expect(refused.headers!['Retry-After']).toBe('270');
    now = 300_001;
    expect((await gate.enter('dataverse', req())).reject).toBeUndefined();
  });

  it('serverMsPerOperation 0 uses no execution time; a refused request uses none either', async () => {
    await s.admin('PUT', '/limits', { dataverse: { serverMsPerOperation: 0 } });
    await s.dataverse('GET', 'contacts?$select=lastname');
    expect((await usage()).executionMsInWindow).toBe(0);
    await s.admin('PUT', '/limits', { dataverse: { serverMsPerOperation: 20, requestsPerWindow: 1 } });
    await s.dataverse('GET', 'contacts?$select=lastname');
    expect((await s.dataverse('GET', 'contacts?$select=lastname')).status).toBe(429);
    expect(await usage()).toMatchObject({ executionMsInWindow: 20, throttledRequests: 1 });
  });

  it('a malformed setting is refused: serverMsPerOperation may be 0, executionMsPerWindow must be at least 1', async () => {
    expect((await s.admin('PUT', '/limits', { dataverse: { serverMsPerOperation: -1 } })).status).toBe(400);
    expect((await s.admin('PUT', '/limits', { dataverse: { executionMsPerWindow: 0 } })).status).toBe(400);
  });
});
