/**
 * Graph's error shape (concepts/errors.md, learn.microsoft.com/graph/errors):
 * {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.
 * Handlers throw GraphError; index.ts turns it into a response with the request-id headers.
 */
import { randomUUID } from 'node:crypto';
import type { SimRequest, SimResponse } from '../types.js';

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code = 'Request_BadRequest'): GraphError => new GraphError(400, code, message);

export const unsupportedQuery = (message: string): GraphError => new GraphError(400, 'Request_UnsupportedQuery', message);

/** The message Graph uses for a missing directory object (learn.microsoft.com/graph/api/group-post-members, group-delete-members). */
export const notFound = (id: string): GraphError =>
  new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

export const forbidden = (): GraphError => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

/** Ids of this request: the client's client-request-id is echoed, the request-id is ours. */
export interface RequestIds {
  requestId: string;
  clientRequestId: string;
}

export function requestIds(req: SimRequest): RequestIds {
  const requestId = randomUUID();
  return { requestId, clientRequestId: req.headers['client-request-id'] ?? requestId };
}

export function idHeaders(ids: RequestIds): Record<string, string> {
  return { 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId };
}

export function errorResponse(err: GraphError, ids: RequestIds): SimResponse {
  return {
    status: err.status,
    headers: { ...idHeaders(ids), ...err.headers },
    body: {
      error: {
        code: err.code,
        message: err.message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
          'request-id': ids.requestId,
          'client-request-id': ids.clientRequestId,
        },
      },
    },
  };
}
