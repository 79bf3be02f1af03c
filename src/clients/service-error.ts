/**
 * Reading the services' error bodies. Both services use `{"error":{"code","message"}}`: Graph with
 * codes such as Request_BadRequest (learn.microsoft.com/graph/errors), Dataverse with the hex of
 * its error
 * number such as 0x80040217
 * (learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors).
 */
import type { ServiceRequest, ServiceResponse } from './types.js';

interface ErrorBody {
  error?: { code?: unknown; message?: unknown };
}

/** The service's own error code, when the body has one. */
export function serviceErrorCode(body: unknown): string | undefined {
  const code = (body as ErrorBody | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}

export function serviceErrorMessage(body: unknown): string {
  const message = (body as ErrorBody | undefined)?.error?.message;
  return typeof message === 'string' ? message : '';
}

/** `POST /users/{id}/assignLicense`, without the query (it may be long and carries no meaning here). */
export function describeRequest(request: ServiceRequest): string {
  return `${request.method} ${pathOf(request)}`;
}

export function pathOf(request: ServiceRequest): string {
  return request.url.split('?')[0]!;
}

export interface ServiceCause {
  status: number;
  code?: string;
  message: string;
  request: string;
}

/** What the service said, kept as the `cause` of every classified error. */
export function causeOf(request: ServiceRequest, response: ServiceResponse): ServiceCause {
  return { status: response.status, code: serviceErrorCode(response.body), message: serviceErrorMessage(response.body), request: describeRequest(request) };
}
