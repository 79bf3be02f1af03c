/**
 * Dataverse's error shape and the error codes the simulator answers with.
 *
 * Shape: `{"error":{"code":"0x…","message":"…"}}` (webapi/compose-http-requests-handle-errors.md,
 * "Parse errors from the response"); every response carries `OData-Version: 4.0`.
 * Status per error kind: same page, "Identify status codes" (412 for ConcurrencyVersionMismatch and
 * DuplicateRecord, 405 for CannotDeleteDueToAssociation, 403 for PrivilegeDenied).
 */
import type { SimResponse } from '../types.js';

export const CODES = {
  /** ObjectDoesNotExist: "<entity> With Id = <id> Does Not Exist" (learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors error body). */
  notFound: '0x80040217',
  /** Could not find a property named '…' on type '…' ($select/$filter/$orderby). */
  propertyNotFound: '0x80060888',
  /** Payload errors reported by the OData reader (unknown property, undeclared navigation property, bad JSON). */
  payload: '0x80048d19',
  /** Validation errors: length, range (execute-batch-operations "Handling errors" example). */
  validation: '0x80044331',
  /** DuplicateRecord: -2147220937 ("Cannot insert duplicate key", Dataverse client errors). */
  duplicate: '0x80040237',
  /** ConcurrencyVersionMismatch. */
  concurrency: '0x80060882',
  /** Invalid statecode/statuscode pair. */
  stateStatus: '0x80048408',
  /** InvalidArgument: generic bad argument (bad URL, bad query option, batch format). */
  invalidArgument: '0x80040203',
  /** CannotDeleteDueToAssociation: -2147220953. */
  restrictDelete: '0x80040227',
  /** PrivilegeDenied: -2147220960 ("Principal user is missing privilege", Dataverse client errors). */
  privilegeDenied: '0x80040220',
  /** Request not supported by the simulator or the service (e.g. $skip). */
  notSupported: '0x8006088a',
} as const;

export const ODATA_HEADERS: Record<string, string> = { 'OData-Version': '4.0' };
export const JSON_CONTENT_TYPE = 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';

/** Thrown anywhere in the Dataverse handler; turned into a Dataverse error response. */
export class DataverseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function errorResponse(err: DataverseError): SimResponse {
  return {
    status: err.status,
    headers: { ...ODATA_HEADERS, 'Content-Type': 'application/json; odata.metadata=minimal; charset=utf-8' },
    body: { error: { code: err.code, message: err.message } },
  };
}

export function badRequest(code: string, message: string): DataverseError {
  return new DataverseError(400, code, message);
}

export function notFound(logicalName: string, id: string): DataverseError {
  return new DataverseError(404, CODES.notFound, `${logicalName} With Id = ${id} Does Not Exist`);
}

export function propertyNotFound(name: string, logicalName: string): DataverseError {
  return badRequest(CODES.propertyNotFound, `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${logicalName}'.`);
}

/** The OData reader's wrapper for payload errors, as Dataverse returns it. */
export function payloadError(entitySet: string, inner: string): DataverseError {
  return badRequest(
    CODES.payload,
    `Error identified in Payload provided by the user for Entity :'${entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : Microsoft.OData.ODataException: ${inner}`,
  );
}

export function validationError(message: string): DataverseError {
  return badRequest(CODES.validation, `A validation error occurred.  ${message}`);
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { ...ODATA_HEADERS, 'Content-Type': JSON_CONTENT_TYPE, ...headers }, body };
}

export function noContent(headers: Record<string, string> = {}): SimResponse {
  return { status: 204, headers: { ...ODATA_HEADERS, ...headers } };
}
