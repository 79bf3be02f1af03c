/**
 * What a response says about retrying it: which statuses are worth another attempt, and how long the
 * service asked us to wait.
 *
 * Sources: learn.microsoft.com/graph/throttling (Graph 429/503 with Retry-After in seconds),
 * learn.microsoft.com/power-apps/developer/data-platform/api-limits (Dataverse
 * 429 with Retry-After), and the Azure SDK's throttlingRetryStrategy (Azure/azure-sdk-for-js:
 * sdk/core/core-rest-pipeline/src/retryStrategies/throttlingRetryStrategy.ts),
 * which also reads `retry-after-ms` and `x-ms-retry-after-ms` and accepts an HTTP date.
 */

/**
 * - throttled: 429, the service refused the request to slow us down; it did not do the work.
 * - unavailable: 503, the service did not take the request; safe to repeat for any method.
 * - ambiguous: 502, 504 or a network error: the answer was lost, the work may have happened.
 */
export type RetryReason = 'throttled' | 'unavailable' | 'ambiguous';

export function retryReasonOf(status: number): RetryReason | undefined {
  if (status === 429) return 'throttled';
  if (status === 503) return 'unavailable';
  if (status === 502 || status === 504) return 'ambiguous';
  return undefined;
}

/** Millisecond headers first (they are more precise), then Retry-After. */
const MS_HEADERS = ['retry-after-ms', 'x-ms-retry-after-ms'] as const;

/**
 * The wait the service asked for, in ms, or undefined when it said nothing usable.
 * `headers` has lower-cased names. A date in the past means "now" (0).
 */
export function retryAfterMs(headers: Record<string, string>, now: number = Date.now()): number | undefined {
  for (const name of MS_HEADERS) {
    const value = headers[name];
    if (value === undefined) continue;
    const ms = Number(value.trim());
    if (value.trim() !== '' && Number.isFinite(ms) && ms >= 0) return ms;
  }
  const value = headers['retry-after']?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Lower-cases header names (Graph $batch inner responses spell them as the service does). */
export function lowerCaseHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined && value !== null) out[name.toLowerCase()] = String(value);
  }
  return out;
}

/**
 * Capped exponential backoff with "equal jitter": attempt n waits between half and all of
 * min(cap, base·2^(n-1)). The jitter spreads retries of many callers; the floor keeps a minimum pause.
 */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
