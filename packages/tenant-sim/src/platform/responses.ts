/**
 * The throttling and "service unavailable" answers of each service, in the services' own shapes.
 *
 * Graph 429: learn.microsoft.com/graph/throttling (concepts/throttling.md), TooManyRequests with an
 * innerError. Graph 503: concepts/errors.md lists 503 "temporarily unavailable … the length of the
 * delay may be specified in a Retry-After header"; the code is serviceNotAvailable.
 * Graph throttle headers: Learn "Microsoft Graph service-specific throttling limits", identity and
 * access service limits, "Throttled responses requests" (x-ms-throttle-scope, x-ms-throttle-information).
 * Dataverse 429: learn.microsoft.com/power-apps/developer/data-platform/api-limits (Learn "Service
 * protection API limits"), hex codes 0x80072322 /
 * 0x80072321 / 0x80072326 with Retry-After.
 * Dataverse 503: the docs give no body; the simulator uses the Web API error shape with the generic
 * 0x80040216 code (docs/simulator.md, "stricter than the docs").
 */
import { randomUUID } from 'node:crypto';
import type { ServiceName, SimResponse } from '../types.js';

function graphInnerError(status: string, message: string): Record<string, string> {
  const requestId = randomUUID();
  return { code: status, date: new Date().toISOString().replace(/\.\d{3}Z$/, ''), message, 'request-id': requestId, 'client-request-id': requestId, status };
}

/** Graph's 429 (learn.microsoft.com/graph/throttling), with Retry-After in whole seconds and any throttle headers. */
export function graphTooManyRequests(retryAfterSeconds: number, headers: Record<string, string> = {}): SimResponse {
  return {
    status: 429,
    headers: { 'Retry-After': String(retryAfterSeconds), ...headers },
    body: { error: { code: 'TooManyRequests', message: 'Please retry again later.', innerError: graphInnerError('429', 'Please retry after') } },
  };
}

/** Graph's 503; Retry-After only when given (the docs say it "may be specified"). */
export function graphServiceUnavailable(retryAfterSeconds: number | null): SimResponse {
  return {
    status: 503,
    headers: retryAfterSeconds === null ? {} : { 'Retry-After': String(retryAfterSeconds) },
    body: {
      error: {
        code: 'serviceNotAvailable',
        message: 'The service is temporarily unavailable. Please retry later.',
        innerError: graphInnerError('503', 'Service unavailable'),
      },
    },
  };
}

/** Dataverse's "number of requests" 429 (learn.microsoft.com/power-apps/developer/data-platform/api-limits), with the configured numbers in the message. */
export function dataverseTooManyRequests(limit: number, windowMs: number, retryAfterSeconds: number): SimResponse {
  return {
    status: 429,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    body: {
      error: {
        code: '0x80072322',
        message: `Number of requests exceeded the limit of ${limit} over time window of ${Math.round(windowMs / 1000)} seconds.`,
      },
    },
  };
}

/**
 * x-ms-throttle-scope `<Scope>/<Limit>/<ApplicationId>/<TenantId>` and x-ms-throttle-information
 * (one of the page's examples: WriteLimitExceeded, ResourceUnitLimitExceeded).
 */
export function graphThrottleHeaders(
  scope: 'Tenant_Application' | 'Tenant' | 'Application',
  limit: 'Read' | 'Write' | 'ReadWrite',
  caller: { app: string; tenant: string },
  information: string,
): Record<string, string> {
  return { 'x-ms-throttle-scope': `${scope}/${limit}/${caller.app}/${caller.tenant}`, 'x-ms-throttle-information': information };
}

/** Dataverse's "execution time" 429 (learn.microsoft.com/power-apps/developer/data-platform/api-limits), with the configured numbers in the message. */
export function dataverseExecutionTimeExceeded(limitMs: number, windowMs: number, retryAfterSeconds: number): SimResponse {
  return {
    status: 429,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    body: {
      error: {
        code: '0x80072321',
        message: `Combined execution time of incoming requests exceeded limit of ${limitMs.toLocaleString('en-US')} milliseconds over time window of ${Math.round(windowMs / 1000)} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`,
      },
    },
  };
}

/** Dataverse's "concurrent requests" 429 (learn.microsoft.com/power-apps/developer/data-platform/api-limits): fails immediately. */
export function dataverseTooManyConcurrent(limit: number, retryAfterSeconds: number): SimResponse {
  return {
    status: 429,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    body: { error: { code: '0x80072326', message: `Number of concurrent requests exceeded the limit of ${limit}.` } },
  };
}

export function dataverseServiceUnavailable(retryAfterSeconds: number | null): SimResponse {
  return {
    status: 503,
    headers: retryAfterSeconds === null ? {} : { 'Retry-After': String(retryAfterSeconds) },
    body: { error: { code: '0x80040216', message: 'The service is temporarily unavailable. Please retry later.' } },
  };
}

export function serviceUnavailable(service: ServiceName, retryAfterSeconds: number | null): SimResponse {
  return service === 'graph' ? graphServiceUnavailable(retryAfterSeconds) : dataverseServiceUnavailable(retryAfterSeconds);
}
