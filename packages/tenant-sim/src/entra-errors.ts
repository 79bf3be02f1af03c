/**
 * Error answers of the simulator's token endpoint, in the shape of Microsoft Entra's v2.0 endpoint
 * (Learn, "Microsoft Entra authentication and authorization error codes", "Handling error codes in
 * your application": error, error_description with the trace and correlation ids and the
 * timestamp, error_codes, timestamp, trace_id, correlation_id, error_uri).
 */
import { randomUUID } from 'node:crypto';
import type { SimResponse } from './types.js';

/** Entra writes its timestamps as `2016-01-09 02:02:12Z` (the sample error response). */
function entraTimestamp(now: Date): string {
  return `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/**
 * `code` is the AADSTS number, `error` the OAuth 2.0 error string clients are told to react to,
 * `description` the text after "AADSTSnnn: ".
 */
export function entraError(status: number, error: string, code: number, description: string, now = new Date()): SimResponse {
  const timestamp = entraTimestamp(now);
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store, no-cache' },
    body: {
      error,
      error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}
