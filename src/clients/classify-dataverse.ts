/**
 * Dataverse 4xx answers → errors. Sources:
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 * (status codes,
 * error body with the hex code),
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api
 * (If-Match), learn.microsoft.com/power-apps/developer/data-platform/api-limits; the error codes in
 * packages/tenant-sim/src/dataverse/errors.ts name their Learn pages.
 * The codes below are the product's own copy, not imported from the simulator: the deployed app
 * never loads tenant-sim (a dev dependency), and the integration tests catch the two disagreeing.
 */
import { ConfigurationError, ContactError, TransientError, type ReconcilerError } from '../model/errors.js';
import { causeOf, describeRequest } from './service-error.js';
import type { ServiceRequest, ServiceResponse } from './types.js';

const NOT_FOUND = '0x80040217';
const PROPERTY_NOT_FOUND = '0x80060888';
const PAYLOAD = '0x80048d19';

function header(request: ServiceRequest, name: string): string | undefined {
  const key = Object.keys(request.headers ?? {}).find((h) => h.toLowerCase() === name);
  return key === undefined ? undefined : request.headers?.[key];
}

/** The `Nav@odata.bind` of the body whose row the 404's message ("<entity> With Id = <id> Does Not Exist") names. */
function missingBindTarget(request: ServiceRequest, message: string): { nav: string; entity: string; id: string } | undefined {
  const named = /^(?:Entity ')?(\w+)'? With Id = ([0-9a-f-]{36}) Does Not Exist/i.exec(message);
  const body = request.body;
  if (!named || typeof body !== 'object' || body === null) return undefined;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (!key.endsWith('@odata.bind') || typeof value !== 'string') continue;
    if (value.toLowerCase().includes(`(${named[2]!.toLowerCase()})`)) return { nav: key.slice(0, -'@odata.bind'.length), entity: named[1]!, id: named[2]! };
  }
  return undefined;
}

export function classifyDataverse(request: ServiceRequest, response: ServiceResponse): ReconcilerError {
  const cause = causeOf(request, response);
  const { status, code, message } = cause;
  const what = describeRequest(request);

  if (status === 403) {
    return new ConfigurationError(
      'DATAVERSE_PRIVILEGE',
      `Dataverse refused ${what} for lack of a privilege (403 ${code ?? ''}: ${message}).`,
      "Give the app's application user a security role with create, read and write on contacts, systemusers, bookable resources and bookable resource characteristics (docs/operations.md), and run again.",
      { cause },
    );
  }
  if (status === 404 && code === NOT_FOUND) {
    const missing = missingBindTarget(request, message);
    if (missing) {
      // Not the addressed row: a lookup in the body names a row that does not exist (deleted, or a
      // stale id on the contact). Repeating cannot help until the data changes.
      return new ContactError(
        'LOOKUP_TARGET_MISSING',
        `${what} sets ${missing.nav} to ${missing.entity} ${missing.id}, which does not exist in Dataverse (deleted?): ${message}.`,
        `Pick an existing ${missing.entity} in the contact's matching column (or clear it); the next run retries after the contact changes.`,
        { cause },
      );
    }
    // The row was there when the run read it (a PATCH with If-Match: * only updates an existing row):
    // it was deleted since. The next run reads again and plans from what is there.
    const guarded = header(request, 'if-match') !== undefined;
    return new TransientError(
      'DATAVERSE_ROW_GONE',
      `The row of ${what} no longer exists${guarded ? ' (deleted after this run read it)' : ''}: ${message}.`,
      'Nothing to do: the next run reads the current rows and plans again.',
      { cause },
    );
  }
  if (status === 412) {
    return new TransientError(
      'DATAVERSE_CONCURRENT_EDIT',
      `Someone else changed or created the row of ${what} at the same time (412${code ? ` ${code}` : ''}: ${message}).`,
      'Nothing to do: the next run reads the current row and plans again.',
      { cause },
    );
  }
  if (status === 400 && (code === PROPERTY_NOT_FOUND || (code === PAYLOAD && /does not exist|could not find|undeclared/i.test(message)))) {
    return new ConfigurationError(
      'DATAVERSE_SCHEMA',
      `Dataverse does not know a column or relationship that ${what} uses (${message}).`,
      'Import the current vendor solution and add the columns listed in docs/dataverse-schema.md, then run again.',
      { cause },
    );
  }
  if (status === 400) {
    return new ContactError(
      'DATAVERSE_VALIDATION',
      `Dataverse refused ${what}: ${message || 'no message'}${code ? ` (${code})` : ''}.`,
      "Correct the contact's data as the message says; the next run retries after the contact changes.",
      { cause },
    );
  }
  return new ContactError(
    'DATAVERSE_REJECTED',
    `Dataverse refused ${what} (${status}${code ? ` ${code}` : ''}: ${message || 'no message'}).`,
    'Check the contact against the message; the next run retries after the contact changes.',
    { cause },
  );
}
