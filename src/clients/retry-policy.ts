/**
 * The one throttling and retry policy of both clients (the Azure SDK's throttlingRetryPolicy shape:
 * a `sendRequest(request, next)` around the HTTP call, Azure/azure-sdk-for-js:
 * sdk/core/core-rest-pipeline/src/policies/throttlingRetryPolicy.ts).
 *
 * - 429 and 503: the service did not do the work. Retried for every request after the wait it asked
 *   for (retry-after-ms, x-ms-retry-after-ms, Retry-After in seconds or as an HTTP date), else after
 *   capped exponential backoff with jitter (learn.microsoft.com/graph/throttling,
 *   learn.microsoft.com/power-apps/developer/data-platform/api-limits both say: Retry-After, else
 *   backoff).
 * - 502, 504 and network errors: the answer was lost. Retried only when the request is idempotent
 *   (ServiceRequest.idempotent; POST is not by default), so an invitation is never sent twice.
 * - The run deadline bounds everything: a wait that would end past it is not started.
 *
 * When attempts run out: ThrottledError GRAPH_THROTTLED / DATAVERSE_THROTTLED (429, or 503 with a
 * Retry-After), else TransientError SERVICE_UNAVAILABLE or NETWORK_ERROR. Any other status is a final
 * answer and is returned as it is (the engine classifies it per change, classify.ts).
 */
import { ReconcilerError, ThrottledError, TransientError } from '../model/errors.js';
import { checkDeadline, sleepWithin, type RunDeadline } from './deadline.js';
import { backoffMs, retryAfterMs, retryReasonOf, type RetryReason } from './retry-after.js';
import { describeRequest, serviceErrorCode } from './service-error.js';
import type { ServiceRequest, ServiceResponse } from './types.js';

export type ServiceName = 'graph' | 'dataverse';
export type SendRequest = (request: ServiceRequest) => Promise<ServiceResponse>;

export interface RetryPolicyOptions extends RunDeadline {
  service: ServiceName;
  /** Attempts per request, the first included. Default 5. */
  maxAttempts?: number;
  /** First backoff step when the service gave no wait. Default 1 s. */
  baseDelayMs?: number;
  /** Largest backoff step. Default 30 s. A Retry-After is honoured even when longer. */
  maxDelayMs?: number;
  random?: () => number;
}

export interface RetryPolicy {
  name: string;
  sendRequest(request: ServiceRequest, next: SendRequest): Promise<ServiceResponse>;
}

export const retryPolicyName = 'retryPolicy';
export const DEFAULT_MAX_ATTEMPTS = 5;

export const SERVICE_LABEL: Record<ServiceName, string> = { graph: 'Microsoft Graph', dataverse: 'Dataverse' };
/** The throttled code of each service (src/model/error-codes.ts). */
export const THROTTLED_CODE = { graph: 'GRAPH_THROTTLED', dataverse: 'DATAVERSE_THROTTLED' } as const satisfies Record<ServiceName, string>;

export function isIdempotent(request: ServiceRequest): boolean {
  return request.idempotent ?? request.method !== 'POST';
}

export function retryPolicy(options: RetryPolicyOptions): RetryPolicy {
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const base = options.baseDelayMs ?? 1000;
  const cap = options.maxDelayMs ?? 30_000;
  return {
    name: retryPolicyName,
    async sendRequest(request, next) {
      const what = describeRequest(request);
      for (let attempt = 1; ; attempt++) {
        checkDeadline(options, `it could send ${what}`);
        let response: ServiceResponse | undefined;
        let reason: RetryReason | undefined;
        let failure: unknown;
        try {
          response = await next(request);
          reason = retryReasonOf(response.status);
        } catch (err) {
          if (err instanceof ReconcilerError) throw err;
          // An aborted run surfaces as a fetch AbortError: report the deadline, not a network fault.
          checkDeadline({ signal: options.signal }, `it got an answer to ${what}`);
          failure = err;
          reason = 'ambiguous';
        }
        if (reason === undefined && response) return response;
        const asked = response ? retryAfterMs(response.headers) : undefined;
        const retryable = reason !== 'ambiguous' || isIdempotent(request);
        if (!retryable || attempt >= maxAttempts) throw finalError(options.service, request, attempt, response, asked, failure, retryable);
        const wait = asked ?? backoffMs(attempt, base, cap, options.random);
        await sleepWithin(wait, options, `it could retry ${what} (${response ? `status ${response.status}` : 'network error'})`);
      }
    },
  };
}

export function finalError(
  service: ServiceName,
  request: ServiceRequest,
  attempts: number,
  response: ServiceResponse | undefined,
  asked: number | undefined,
  failure: unknown,
  retryable: boolean,
): ReconcilerError {
  const label = SERVICE_LABEL[service];
  const what = describeRequest(request);
  const tried = retryable ? `after ${attempts} attempt${attempts === 1 ? '' : 's'}` : 'and it was not repeated, because sending it twice could do it twice';
  const cause = response ? { status: response.status, code: serviceErrorCode(response.body) } : failure;
  if (response && (response.status === 429 || (response.status === 503 && asked !== undefined))) {
    return new ThrottledError(
      THROTTLED_CODE[service],
      `${label} kept throttling ${what} (${response.status}) ${tried}.`,
      'Nothing to do: the next run continues. If it happens every run, lower the concurrency or run less often.',
      asked,
      { cause },
    );
  }
  const lost = response ? `answered ${what} with ${response.status}` : `could not be reached for ${what} (${networkFailure(failure)})`;
  return new TransientError(
    response ? 'SERVICE_UNAVAILABLE' : 'NETWORK_ERROR',
    `${label} ${lost} ${tried}.`,
    retryable
      ? 'Nothing to do: the next run retries it. If it lasts, check the service health and the network path.'
      : 'Nothing to do: the next run checks whether it happened and repeats it only if not.',
    { cause },
  );
}

/**
 * What a failed fetch says, with the code of its cause: undici's "fetch failed" alone does not tell a
 * refused connection (ECONNREFUSED) from one the other side closed (UND_ERR_SOCKET) or a timeout.
 */
function networkFailure(failure: unknown): string {
  if (!(failure instanceof Error)) return String(failure);
  const cause = failure.cause as { code?: unknown } | undefined;
  const code = cause && typeof cause.code === 'string' && /^[A-Z_]{3,40}$/.test(cause.code) ? cause.code : undefined;
  return code ? `${failure.message}: ${code}` : failure.message;
}
