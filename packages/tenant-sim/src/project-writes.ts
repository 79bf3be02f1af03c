/**
 * The seed-002 behaviours around plain writes (issue 14), ahead of the generic handler
 * (dataverse/index.ts calls projectWrite first; null lets the generic handler answer):
 * - the WBS tables refuse plain Web API writes of non-custom columns (below);
 * - msdyn_workorders: the alternate key on o25fs_projecttask, the autonumber and the resource
 *   requirement Field Service creates (workorder-writes.ts);
 * - bookableresourcebookings: the booking → work order status cascade (booking-cascade.ts).
 * Change-set parts reach the handler one by one, so all of this holds inside $batch too, and the
 * extra writes go through the change set's journal.
 */
import type { SimRequest, SimResponse } from './types.js';
import type { DvContext } from './dataverse/context.js';
import { DataverseError } from './dataverse/errors.js';
import { entityBySet } from './dataverse/entities.js';
import { bookingWrite } from './booking-cascade.js';
import { workOrderWrite } from './workorder-writes.js';

const WBS_SETS = new Set(['msdyn_projects', 'msdyn_projecttasks']);

/**
 * The error the simulator gives for a plain write to a WBS table. The schedule API page says the
 * scheduling engine of Project for the web manages these entities and that they are created, updated
 * and deleted through the Project schedule APIs; custom columns on tasks may be written directly
 * (learn.microsoft.com/dynamics365/project-operations/project-management/schedule-api-preview,
 * learn.microsoft.com/dynamics365/project-operations/project-management/enterprise-task-custom-columns).
 * No page gives the exact error, so this is the stricter choice of docs/simulator-dataverse.md: 400
 * with the plug-in error code (ISV code aborted, 0x80040265), a create refused whatever its columns.
 */
export const SCHEDULE_API_CODE = '0x80040265';

/** A custom column of this product: o25fs_ (a column, `_o25fs_…_value`, or a navigation property). */
function isCustom(key: string): boolean {
  return key.startsWith('o25fs_') || key.startsWith('_o25fs_');
}

function parseJson(body: string): Record<string, unknown> | null {
  try {
    const value = body.trim() === '' ? {} : (JSON.parse(body) as unknown);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function refuseWbs(set: string, creating: boolean, body: Record<string, unknown>): void {
  const logical = entityBySet(set)?.logicalName ?? set;
  const primaryKey = `${logical}id`;
  const blocked = Object.keys(body).filter((key) => {
    if (key.startsWith('@')) return false;
    const name = key.endsWith('@odata.bind') ? key.slice(0, -'@odata.bind'.length) : key;
    if (name.includes('@')) return false;
    return name !== primaryKey && !isCustom(name);
  });
  if (!creating && blocked.length === 0) return;
  const what = creating ? `${logical} rows can't be created` : `the columns ${blocked.join(', ')} of ${logical} can't be updated`;
  throw new DataverseError(
    400,
    SCHEDULE_API_CODE,
    `${what} through the Web API: the Project scheduling service manages this table. Use the Project schedule APIs (msdyn_PssCreateV1, msdyn_PssUpdateV1 in an OperationSet); only custom columns can be written directly.`,
  );
}

export function projectWrite(request: SimRequest, dx: DvContext): SimResponse | null {
  if (request.method !== 'POST' && request.method !== 'PATCH') return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(request.path);
  } catch {
    return null;
  }
  const m = /^([A-Za-z0-9_]+)(?:\((.*)\))?$/.exec(decoded);
  if (!m) return null;
  const [, set, key] = m as unknown as [string, string, string | undefined];
  if (WBS_SETS.has(set)) {
    // PATCH of the collection: the generic handler's 405. A body that is not a JSON object: its
    // OData reader error.
    if (request.method === 'PATCH' && key === undefined) return null;
    const body = parseJson(request.body);
    if (!body) return null;
    const id = key?.replace(/^[a-z_]+id=/, '').toLowerCase();
    // An upsert (PATCH) of a row that does not exist is a create.
    refuseWbs(set, request.method === 'POST' || id === undefined || !dx.store.get(set, id), body);
    return null;
  }
  if (set === 'msdyn_workorders') return workOrderWrite(request, key ?? null, dx);
  if (set === 'bookableresourcebookings') return bookingWrite(request, dx);
  return null;
}
