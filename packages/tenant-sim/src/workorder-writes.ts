/**
 * Writes of msdyn_workorders (seed 002, issue 14), ahead of the generic create/update:
 * - the alternate key on the product's o25fs_projecttask lookup. A key on a lookup is addressed by
 *   its lookup property, `msdyn_workorders(_o25fs_projecttask_value=<task id>)`
 *   (learn.microsoft.com/power-apps/developer/data-platform/use-alternate-key-reference-record); a
 *   PATCH by that key is an upsert: it updates the row with that key or creates one holding it, and
 *   If-Match: * / If-None-Match: * turn it into an update-only / create-only call as for a primary key
 *   (learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api
 *   "Upsert a table row", learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api);
 * - a second row with a key value already held is refused: 412 DuplicateRecord (0x80040237, "Cannot
 *   insert duplicate key", learn.microsoft.com/troubleshoot/power-platform/power-apps/dataverse/client-errors);
 * - the Work Order Number (msdyn_name) autonumber on create;
 * - the resource requirement Field Service creates with each work order (workorder-requirement.ts).
 */
import { randomUUID } from 'node:crypto';
import type { SimRequest, SimResponse } from './types.js';
import type { DvContext } from './dataverse/context.js';
import { CODES, DataverseError, badRequest, notFound } from './dataverse/errors.js';
import { entityBySet } from './dataverse/entities.js';
import { isGuid } from './dataverse/options.js';
import { resolveReference } from './dataverse/validate.js';
import { keyActive } from './dataverse/metadata-keys.js';
import { createRow, patchRow } from './dataverse/write.js';
import { createRequirement } from './workorder-requirement.js';

const SET = 'msdyn_workorders';
const KEY = '_o25fs_projecttask_value';
const NAV = 'o25fs_ProjectTask';

function workOrders(dx: DvContext): Iterable<Record<string, unknown>> {
  return dx.store.table(SET).values();
}

/** The work order holding `taskId` in its key column, if any. */
export function workOrderByTask(dx: DvContext, taskId: string): string | undefined {
  for (const row of workOrders(dx)) if (row[KEY] === taskId) return String(row.msdyn_workorderid);
  return undefined;
}

function parseObject(body: string): Record<string, unknown> | null {
  try {
    const value = body.trim() === '' ? {} : (JSON.parse(body) as unknown);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The key value a payload binds (undefined: not in the payload, null: cleared). */
function boundTask(body: Record<string, unknown>, dx: DvContext): string | null | undefined {
  const value = body[`${NAV}@odata.bind`];
  if (value === undefined) return undefined;
  if (value === null) return null;
  const ref = typeof value === 'string' ? resolveReference(value, dx) : null;
  // An invalid reference: the generic validation answers it.
  return ref?.set === 'msdyn_projecttasks' ? ref.id : undefined;
}

function duplicate(): DataverseError {
  return new DataverseError(412, CODES.duplicate, `Cannot insert duplicate key: a msdyn_workorder with the same value of the alternate key (${KEY}) already exists.`);
}

/** Work Order Number: the autonumber the platform gives a create that leaves msdyn_name out. */
function nextNumber(dx: DvContext): string {
  let n = 0;
  for (const row of workOrders(dx)) {
    const m = typeof row.msdyn_name === 'string' ? /^WO-(\d+)$/.exec(row.msdyn_name) : null;
    if (m) n = Math.max(n, Number(m[1]));
  }
  return `WO-${String(n + 1).padStart(5, '0')}`;
}

/** Parses the key of the addressed row: the primary key or the alternate key. */
function addressed(key: string, dx: DvContext): { id: string; taskKey: string | null } {
  const alt = /^(_?o25fs_projecttask(?:_value)?)=(.*)$/.exec(key);
  if (!alt) return { id: key.replace(/^msdyn_workorderid=/, '').toLowerCase(), taskKey: null };
  if (alt[1] !== KEY) {
    // Learn: a key on a lookup column is named by its lookup property, _<nav>_value.
    throw badRequest(CODES.invalidArgument, `'${alt[1]!}' is not a key of msdyn_workorder: an alternate key on a lookup column is addressed by its lookup property '${KEY}'.`);
  }
  // The key exists and its index is Active (a fixture may leave it out: dataverse/metadata-keys.ts).
  if (!keyActive(dx, 'msdyn_workorder', 'o25fs_projecttask')) {
    throw badRequest(CODES.invalidArgument, `msdyn_workorder has no active alternate key on o25fs_projecttask: '${KEY}' cannot address a row.`);
  }
  const taskId = alt[2]!;
  if (!isGuid(taskId)) throw badRequest(CODES.invalidArgument, `Bad Request - Error in query syntax: '${taskId}' is not a valid value for the key ${KEY}.`);
  const task = taskId.toLowerCase();
  return { id: workOrderByTask(dx, task) ?? randomUUID(), taskKey: task };
}

export function workOrderWrite(request: SimRequest, key: string | null, dx: DvContext): SimResponse | null {
  const entity = entityBySet(SET)!;
  const body = parseObject(request.body);
  if (!body) return null;
  if (request.method === 'PATCH' && key === null) return null;
  const { id, taskKey } = key === null ? { id: null, taskKey: null } : addressed(key, dx);
  if (id !== null && !isGuid(id)) return null;
  const existing = id === null ? undefined : dx.store.get(SET, id);
  if (taskKey !== null) {
    const bound = boundTask(body, dx);
    if (bound !== undefined && bound !== taskKey) {
      throw badRequest(CODES.invalidArgument, `The payload's ${NAV} differs from the alternate key ${KEY}=${taskKey} of the addressed row.`);
    }
    if (!existing) {
      if (request.headers['if-match'] !== undefined) throw notFound(entity.logicalName, `${KEY}=${taskKey}`);
      if (!dx.store.get('msdyn_projecttasks', taskKey)) throw notFound('msdyn_projecttask', taskKey);
      body[`${NAV}@odata.bind`] = `/msdyn_projecttasks(${taskKey})`;
    }
  } else {
    const bound = boundTask(body, dx);
    const holder = typeof bound === 'string' ? workOrderByTask(dx, bound) : undefined;
    const self = id ?? (typeof body.msdyn_workorderid === 'string' ? body.msdyn_workorderid.toLowerCase() : undefined);
    // Only an active key refuses a second row with the same value.
    if (holder !== undefined && holder !== self && keyActive(dx, 'msdyn_workorder', 'o25fs_projecttask')) throw duplicate();
  }
  const creating = request.method === 'POST' || !existing;
  if (creating && body.msdyn_name === undefined) body.msdyn_name = nextNumber(dx);
  const payload = JSON.stringify(body);
  const target = { entity, id };
  const res = request.method === 'POST'
    ? createRow(target, request.rawQuery, request.headers, payload, request.inner, dx)
    : patchRow(target, id!, request.rawQuery, request.headers, payload, request.inner, dx);
  if (creating && res.status < 300) {
    const url = /\(([^)]+)\)$/.exec(res.headers?.['OData-EntityId'] ?? '')?.[1];
    const created = id ?? url ?? (res.body as Record<string, unknown> | undefined)?.msdyn_workorderid;
    if (typeof created === 'string') createRequirement(dx, created);
  }
  return res;
}
