/**
 * GET /api/bookings?changedSince=…: the mobility app's pull feed (docs/mobility-routes.md). The
 * bookings of the product's work orders (those with _o25fs_project_value set) whose modifiedon is at
 * or after changedSince, oldest first, at most FEED_LIMIT per answer.
 *
 * An answer never splits one modifiedon value across two answers when it can avoid it: a cut
 * answer ends before the first modifiedon it cannot hold whole and names that instant as
 * nextChangedSince, so paging with the inclusive bound repeats nothing. Only when more than
 * FEED_LIMIT bookings share the first modifiedon does the answer hold all of them (it must, or the
 * app could never get past that instant).
 */
import { listError } from '../clients/classify.js';
import type { DataverseApi, ServiceRequest } from '../clients/types.js';
import { cmp } from '../engine/compare.js';
import { FS_STATUS_NAMES } from '../model/field-service.js';
import { stageOfStatus, type BookingStatusRow } from './booking-rules.js';
import { readStatuses, WORK_ORDER_SELECT, type WorkOrderRow } from './booking-reads.js';

export const FEED_LIMIT = 500;
/** Work order ids per In(...) lookup: keeps the URL well under Dataverse's length limit. */
const LOOKUP_CHUNK = 50;

export interface FeedBookingRow {
  bookableresourcebookingid: string;
  name: string | null;
  starttime: string;
  endtime: string;
  modifiedon: string;
  _bookingstatus_value: string | null;
  _msdyn_workorder_value: string | null;
}

export const BOOKING_SELECT = ['bookableresourcebookingid', 'name', 'starttime', 'endtime', 'modifiedon', '_bookingstatus_value', '_msdyn_workorder_value'];

export interface FeedItem {
  id: string;
  name: string | null;
  start: string;
  end: string;
  modifiedon: string;
  status: { id: string; name: string | null; msdyn_fieldservicestatus: number | null; fieldServiceStatusName: string | null; stage: string | null } | null;
  workOrder: { id: string; name: string | null; msdyn_systemstatus: number | null; taskId: string | null; projectId: string };
}

export interface FeedAnswer {
  changedSince: string;
  nextChangedSince: string;
  more: boolean;
  count: number;
  bookings: FeedItem[];
}

const at = (iso: string): number => Date.parse(iso);
const byChange = (a: FeedBookingRow, b: FeedBookingRow): number => at(a.modifiedon) - at(b.modifiedon) || cmp(a.bookableresourcebookingid, b.bookableresourcebookingid);

/** The feed from `since` (the parsed changedSince; `given` is echoed as sent). */
export async function readFeed(dv: DataverseApi, given: string, since: Date, stageStatuses: Readonly<Record<string, number>>, limit = FEED_LIMIT): Promise<FeedAnswer> {
  const [kept, statuses] = await Promise.all([productBookings(dv, since, limit), readStatuses(dv)]);
  const { rows, orders } = kept;
  rows.sort(byChange);
  const page = cut(rows, limit);
  const statusById = new Map(statuses.map((s) => [s.bookingstatusid, s]));
  const bookings = page.rows.map((row) => itemOf(row, orders.get(row._msdyn_workorder_value!)!, statusById, stageStatuses));
  const last = bookings[bookings.length - 1];
  return {
    changedSince: given,
    nextChangedSince: page.next ?? last?.modifiedon ?? given,
    more: page.next !== null,
    count: bookings.length,
    bookings,
  };
}

/** The answer's rows and, when cut, the instant the next answer starts at. */
function cut(rows: FeedBookingRow[], limit: number): { rows: FeedBookingRow[]; next: string | null } {
  if (rows.length <= limit) return { rows, next: null };
  const boundary = rows[limit]!.modifiedon;
  const before = rows.filter((r) => at(r.modifiedon) < at(boundary));
  if (before.length > 0) return { rows: before, next: boundary };
  // More than `limit` bookings at the first instant: all of them, and the next instant after it.
  const whole = rows.filter((r) => at(r.modifiedon) === at(boundary));
  const after = rows.find((r) => at(r.modifiedon) > at(boundary));
  return { rows: whole, next: after?.modifiedon ?? null };
}

/**
 * Reads bookings changed since `since` page by page (modifiedon order) and keeps those of the
 * product's work orders, until the kept ones decide the answer: more than `limit`, and past the
 * first instant (see cut()).
 */
async function productBookings(dv: DataverseApi, since: Date, limit: number): Promise<{ rows: FeedBookingRow[]; orders: Map<string, WorkOrderRow> }> {
  const filter = `modifiedon ge ${since.toISOString()} and _msdyn_workorder_value ne null`;
  let next: string | undefined = `bookableresourcebookings?$select=${BOOKING_SELECT.join(',')}&$filter=${encodeURIComponent(filter)}&$orderby=${encodeURIComponent('modifiedon asc,bookableresourcebookingid asc')}`;
  const orders = new Map<string, WorkOrderRow | null>();
  const rows: FeedBookingRow[] = [];
  while (next !== undefined) {
    const request: ServiceRequest = { method: 'GET', url: next, headers: { Prefer: `odata.maxpagesize=${limit + 1}` } };
    const response = await dv.send(request);
    if (response.status !== 200) throw listError('dataverse', request, response);
    const body = response.body as { value?: FeedBookingRow[]; '@odata.nextLink'?: string } | undefined;
    const pageRows = body?.value ?? [];
    await lookUpWorkOrders(dv, pageRows.map((r) => r._msdyn_workorder_value!).filter((id) => !orders.has(id)), orders);
    rows.push(...pageRows.filter((r) => orders.get(r._msdyn_workorder_value!)));
    next = body?.['@odata.nextLink'];
    const first = rows[0];
    const lastRow = rows[rows.length - 1];
    if (rows.length > limit && first && lastRow && at(lastRow.modifiedon) > at(first.modifiedon)) break;
  }
  const known = new Map<string, WorkOrderRow>();
  for (const [id, wo] of orders) if (wo) known.set(id, wo);
  return { rows, orders: known };
}

/** The product's work orders among `ids` (others are remembered as null, never returned). */
async function lookUpWorkOrders(dv: DataverseApi, ids: string[], into: Map<string, WorkOrderRow | null>): Promise<void> {
  const unique = [...new Set(ids)];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) chunks.push(unique.slice(i, i + LOOKUP_CHUNK));
  const found = await Promise.all(chunks.map((chunk) => dv.list<WorkOrderRow>('msdyn_workorders', {
    select: WORK_ORDER_SELECT,
    filter: `_o25fs_project_value ne null and Microsoft.Dynamics.CRM.In(PropertyName='msdyn_workorderid',PropertyValues=[${chunk.map((id) => `'${id}'`).join(',')}])`,
  })));
  for (const id of unique) into.set(id, null);
  for (const wo of found.flat()) into.set(wo.msdyn_workorderid, wo);
}

function itemOf(row: FeedBookingRow, wo: WorkOrderRow, statuses: Map<string, BookingStatusRow>, stageStatuses: Readonly<Record<string, number>>): FeedItem {
  const status = row._bookingstatus_value ? statuses.get(row._bookingstatus_value) : undefined;
  return {
    id: row.bookableresourcebookingid,
    name: row.name,
    start: row.starttime,
    end: row.endtime,
    modifiedon: row.modifiedon,
    status: status
      ? {
          id: status.bookingstatusid,
          name: status.name,
          msdyn_fieldservicestatus: status.msdyn_fieldservicestatus,
          fieldServiceStatusName: status.msdyn_fieldservicestatus === null ? null : (FS_STATUS_NAMES[status.msdyn_fieldservicestatus] ?? null),
          stage: stageOfStatus(status, stageStatuses),
        }
      : null,
    workOrder: {
      id: wo.msdyn_workorderid,
      name: wo.msdyn_name,
      msdyn_systemstatus: wo.msdyn_systemstatus,
      taskId: wo._o25fs_projecttask_value,
      projectId: wo._o25fs_project_value!,
    },
  };
}
