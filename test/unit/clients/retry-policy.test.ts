/**
 * The shared retry policy (src/clients/retry-policy.ts), with fake timers and a vi.fn `next`, in the
 * style of the Azure SDK's throttlingRetryPolicy tests (Azure/azure-sdk-for-js:
 * sdk/core/core-rest-pipeline/test/throttlingRetryPolicy.spec.ts).
 * Sources: learn.microsoft.com/graph/throttling (Graph: Retry-After seconds, else exponential
 * backoff) and
 * learn.microsoft.com/power-apps/developer/data-platform/api-limits (Dataverse 429 with Retry-After).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ThrottledError, TransientError } from '../../../src/model/errors.js';
import { retryPolicy, type RetryPolicyOptions } from '../../../src/clients/retry-policy.js';
import type { ServiceRequest, ServiceResponse } from '../../../src/clients/types.js';

const GET: ServiceRequest = { method: 'GET', url: '/users?$top=999' };
const POST: ServiceRequest = { method: 'POST', url: '/invitations', body: {} };
const ok: ServiceResponse = { status: 200, headers: {}, body: { value: [] } };
const res = (status: number, headers: Record<string, string> = {}, body?: unknown): ServiceResponse => ({ status, headers, body });

const NOW = Date.parse('2026-01-01T12:00:00Z');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

/** Runs the policy and returns the times (ms after start) at which `next` was called. */
async function run(answers: (ServiceResponse | Error)[], options: Partial<RetryPolicyOptions> = {}, request = GET) {
  const calls: number[] = [];
  const next = vi.fn(async () => {
    calls.push(Date.now() - NOW);
    const a = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    if (a instanceof Error) throw a;
    return a;
  });
  const policy = retryPolicy({ service: 'graph', random: () => 0.5, ...options });
  const outcome = policy.sendRequest(request, next).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.advanceTimersByTimeAsync(10 * 60_000);
  return { calls, next, ...(await outcome) } as { calls: number[]; next: typeof next; value?: ServiceResponse; error?: unknown };
}

describe('retry waits: what the service asked for, else backoff (learn.microsoft.com/graph/throttling, learn.microsoft.com/power-apps/developer/data-platform/api-limits)', () => {
  const cases: { reason: string; headers: Record<string, string>; status?: number; wait: number }[] = [
    { reason: 'Retry-After in seconds is honoured exactly', headers: { 'retry-after': '3' }, wait: 3000 },
    { reason: 'retry-after-ms takes precedence over Retry-After (it is more precise)', headers: { 'retry-after-ms': '250', 'retry-after': '9' }, wait: 250 },
    { reason: 'x-ms-retry-after-ms is read like retry-after-ms', headers: { 'x-ms-retry-after-ms': '1500' }, wait: 1500 },
    { reason: 'Retry-After as an HTTP date waits until that date', headers: { 'retry-after': new Date(NOW + 7000).toUTCString() }, wait: 7000 },
    { reason: 'an HTTP date in the past means retry at once', headers: { 'retry-after': new Date(NOW - 60_000).toUTCString() }, wait: 0 },
    { reason: 'a 503 with Retry-After is waited for like a 429', headers: { 'retry-after': '2' }, status: 503, wait: 2000 },
    { reason: 'without a usable header the first backoff step is base·2^0 with jitter 0.5 → 750 ms', headers: { 'retry-after': 'soon' }, wait: 750 },
  ];
  it.each(cases)('$reason', async ({ headers, status, wait }) => {
    const { calls, value } = await run([res(status ?? 429, headers), ok]);
    expect(value).toBe(ok);
    expect(calls).toEqual([0, wait]);
  });
});

describe('backoff bounds without a header', () => {
  it('attempt n waits between half and all of min(cap, base·2^(n-1))', async () => {
    for (const random of [0, 0.999999]) {
      const { calls } = await run([res(503), res(503), res(503), res(503), ok], { random: () => random, baseDelayMs: 1000, maxDelayMs: 5000 });
      const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
      const ceilings = [1000, 2000, 4000, 5000];
      gaps.forEach((gap, i) => {
        expect(gap).toBeGreaterThanOrEqual(ceilings[i]! / 2);
        expect(gap).toBeLessThanOrEqual(ceilings[i]!);
      });
    }
  });
});

describe('what is retried and what is final', () => {
  const cases: { reason: string; answers: (ServiceResponse | Error)[]; request?: ServiceRequest; attempts: number; status?: number; error?: { class: unknown; code: string } }[] = [
    { reason: 'a 4xx other than 429 is a final answer, returned as data', answers: [res(404)], attempts: 1, status: 404 },
    { reason: 'a 500 is a final answer (classified by the engine)', answers: [res(500)], attempts: 1, status: 500 },
    { reason: '502 on a GET is retried (the answer was lost, GET is idempotent)', answers: [res(502), ok], attempts: 2, status: 200 },
    { reason: 'a network error on a GET is retried', answers: [new TypeError('fetch failed'), ok], attempts: 2, status: 200 },
    { reason: '429 on a POST is retried: the service did not do the work', answers: [res(429, { 'retry-after': '1' }), ok], request: POST, attempts: 2, status: 200 },
    { reason: '504 on POST /invitations is not repeated: it could invite twice', answers: [res(504), ok], request: POST, attempts: 1, error: { class: TransientError, code: 'SERVICE_UNAVAILABLE' } },
    { reason: 'a network error on a POST is not repeated', answers: [new TypeError('socket hang up'), ok], request: POST, attempts: 1, error: { class: TransientError, code: 'NETWORK_ERROR' } },
    { reason: 'a POST marked idempotent is repeated after a 502', answers: [res(502), ok], request: { ...POST, idempotent: true }, attempts: 2, status: 200 },
    { reason: 'max attempts: five 429s end in ThrottledError GRAPH_THROTTLED', answers: [res(429, { 'retry-after': '1' })], attempts: 5, error: { class: ThrottledError, code: 'GRAPH_THROTTLED' } },
    { reason: 'max attempts: 503 without Retry-After ends in TransientError SERVICE_UNAVAILABLE', answers: [res(503)], attempts: 5, error: { class: TransientError, code: 'SERVICE_UNAVAILABLE' } },
    { reason: 'max attempts: repeated network errors end in NETWORK_ERROR', answers: [new TypeError('ECONNRESET')], attempts: 5, error: { class: TransientError, code: 'NETWORK_ERROR' } },
  ];
  it.each(cases)('$reason', async ({ answers, request, attempts, status, error }) => {
    const out = await run(answers, {}, request ?? GET);
    expect(out.next).toHaveBeenCalledTimes(attempts);
    if (error) {
      expect(out.error).toBeInstanceOf(error.class);
      expect((out.error as TransientError).code).toBe(error.code);
    } else expect(out.value?.status).toBe(status);
  });

  it.each([
    { reason: "names the cause's code, which undici's message alone does not give", failure: new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }), says: '(fetch failed: UND_ERR_SOCKET)' },
    { reason: 'says the message alone when the cause has no code', failure: new TypeError('fetch failed', { cause: new Error('x') }), says: '(fetch failed)' },
    { reason: 'leaves out a cause code that is not a plain code', failure: new TypeError('fetch failed', { cause: { code: 'see https://evil.example/x' } }), says: '(fetch failed)' },
  ])('a lost POST $reason', async ({ failure, says }) => {
    const out = await run([failure], {}, POST);
    expect((out.error as Error).message).toContain(`could not be reached for POST /invitations ${says} and it was not repeated`);
  });

  it('maxAttempts is configurable, and the throttled error carries the last Retry-After', async () => {
    const out = await run([res(429, { 'retry-after': '4' }, { error: { code: '0x80072322', message: 'Number of requests exceeded' } })], { maxAttempts: 2, service: 'dataverse' });
    expect(out.next).toHaveBeenCalledTimes(2);
    expect(out.error).toBeInstanceOf(ThrottledError);
    expect(out.error).toMatchObject({ code: 'DATAVERSE_THROTTLED', retryAfterMs: 4000, cause: { status: 429, code: '0x80072322' } });
  });
});

describe('the run deadline (issue 5: a run stops cleanly)', () => {
  it('never sleeps past the deadline: a Retry-After beyond it rejects at once with RUN_DEADLINE', async () => {
    const out = await run([res(429, { 'retry-after': '30' }), ok], { deadline: NOW + 10_000 });
    expect(out.calls).toEqual([0]);
    expect(out.error).toBeInstanceOf(TransientError);
    expect((out.error as TransientError).code).toBe('RUN_DEADLINE');
    expect((out.error as Error).message).toMatch(/^The run reached its deadline before it could retry GET \/users .*; the next run continues\.$/);
  });

  it('retries that fit before the deadline still happen', async () => {
    const out = await run([res(429, { 'retry-after': '2' }), ok], { deadline: NOW + 10_000 });
    expect(out.calls).toEqual([0, 2000]);
    expect(out.value).toBe(ok);
  });

  it('no request starts once the deadline has passed', async () => {
    const out = await run([ok], { deadline: NOW - 1 });
    expect(out.next).not.toHaveBeenCalled();
    expect((out.error as TransientError).code).toBe('RUN_DEADLINE');
  });

  it('an AbortSignal fired during a wait ends it with RUN_DEADLINE', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1000);
    const out = await run([res(429, { 'retry-after': '60' }), ok], { signal: controller.signal });
    expect(out.calls).toEqual([0]);
    expect((out.error as TransientError).code).toBe('RUN_DEADLINE');
  });
});
