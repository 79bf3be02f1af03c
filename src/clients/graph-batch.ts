/**
 * Microsoft Graph JSON $batch envelopes: building one from independent requests and reading its
 * answer back in request order. Source: learn.microsoft.com/graph/json-batching
 * (learn.microsoft.com/graph/json-batching).
 *
 * - At most 20 requests per envelope; ids unique within it (we use the request's input position).
 * - `url` relative to the version root; `headers` must carry Content-Type whenever there is a body;
 *   a header such as ConsistencyLevel goes inside the individual request.
 * - No dependsOn: the engine sends only independent requests in one call (a change's dependents go
 *   in a later wave), so execution order does not matter.
 * - Responses come back in any order: matched by id.
 *
 * We build the JSON ourselves instead of using the SDK's BatchRequestContent, whose dependsOn
 * validation rejects mixes it does not expect and whose response reader needs an exact header case
 * (it re-reads a JSON body only when the header is spelled `Content-Type`).
 */
import { lowerCaseHeaders } from './retry-after.js';
import type { ServiceRequest, ServiceResponse } from './types.js';

export const GRAPH_BATCH_MAX = 20;

export interface BatchRequestItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchEnvelope {
  requests: BatchRequestItem[];
}

interface BatchAnswerItem {
  id?: unknown;
  status?: unknown;
  headers?: Record<string, unknown>;
  body?: unknown;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase() === name.toLowerCase());
}

/** One envelope; `ids[k]` is the id of `requests[k]` and must be unique. */
export function buildEnvelope(requests: ServiceRequest[], ids: string[], extraHeaders: Record<string, string> = {}): BatchEnvelope {
  return {
    requests: requests.map((r, k) => {
      const headers: Record<string, string> = { ...extraHeaders, ...(r.headers ?? {}) };
      if (r.body !== undefined && !hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
      const item: BatchRequestItem = { id: ids[k]!, method: r.method, url: r.url.startsWith('/') ? r.url : `/${r.url}` };
      if (Object.keys(headers).length > 0) item.headers = headers;
      if (r.body !== undefined) item.body = r.body;
      return item;
    }),
  };
}

/**
 * The inner answers of a 200 envelope, in the order of `ids`. Throws when an id has no answer:
 * the batch answer is then unusable and the envelope-level error handling applies.
 */
export function readEnvelopeAnswer(body: unknown, ids: string[]): ServiceResponse[] {
  const items = (body as { responses?: unknown } | undefined)?.responses;
  if (!Array.isArray(items)) throw new Error('the $batch answer has no "responses" array');
  const byId = new Map<string, BatchAnswerItem>();
  for (const item of items as BatchAnswerItem[]) byId.set(String(item.id), item);
  return ids.map((id) => {
    const item = byId.get(id);
    if (!item || typeof item.status !== 'number') throw new Error(`the $batch answer has no response for request id ${id}`);
    return { status: item.status, headers: lowerCaseHeaders(item.headers), body: innerBody(item.body) };
  });
}

/** Graph returns JSON bodies as objects; a non-JSON body would be a base64 string we do not use. */
function innerBody(body: unknown): unknown {
  return body === null || body === undefined ? undefined : body;
}
