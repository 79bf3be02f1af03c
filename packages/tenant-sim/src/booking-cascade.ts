/**
 * The booking → work order status cascade of Field Service (seed 002, issue 14), run after each
 * create or update of a bookableresourcebooking that succeeded. Source:
 * learn.microsoft.com/dynamics365/field-service/work-order-status-booking-status and
 * learn.microsoft.com/dynamics365/field-service/booking-requirement-status-relationship:
 * - a booking of the work order → Scheduled;
 * - a booking Traveling (or On Break, or In Progress) → In Progress;
 * - a booking In Progress sets its msdyn_actualarrivaltime and the work order's msdyn_firstarrivedon;
 * - every booking Completed or Canceled, at least one Completed with a status that completes the work
 *   order (msdyn_statuscompletesworkorder) → Completed, msdyn_completedon set;
 * - every booking Canceled → back to Unscheduled.
 * Statuses are resolved through bookingstatus.msdyn_fieldservicestatus, never by name; a status with
 * no mapping counts as Scheduled. A Posted or Canceled work order is left alone, and otherwise the
 * cascade never moves a work order back (docs/simulator-dataverse.md "Project and Field Service tables").
 */
import type { SimRequest, SimResponse } from './types.js';
import type { DvContext } from './dataverse/context.js';
import type { Row } from './dataverse-store.js';
import { entityBySet } from './dataverse/entities.js';
import { createRow, patchRow } from './dataverse/write.js';
import { FS } from './booking-tables.js';
import { WO_STATUS } from './workorder-tables.js';

const BOOKINGS = 'bookableresourcebookings';
const WORK_ORDERS = 'msdyn_workorders';
const RANK: Record<number, number> = { [WO_STATUS.unscheduled]: 0, [WO_STATUS.scheduled]: 1, [WO_STATUS.inProgress]: 2, [WO_STATUS.completed]: 3 };
const stamp = (at: number): string => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Seen {
  booking: Row;
  fs: number;
  completes: boolean;
}

function statusOf(dx: DvContext, booking: Row): Seen {
  const status = typeof booking._bookingstatus_value === 'string' ? dx.store.get('bookingstatuses', booking._bookingstatus_value) : undefined;
  const fs = typeof status?.msdyn_fieldservicestatus === 'number' ? status.msdyn_fieldservicestatus : FS.scheduled;
  return { booking, fs, completes: status?.msdyn_statuscompletesworkorder !== false };
}

function write(dx: DvContext, set: string, id: string, changes: Row): void {
  dx.scope?.journal.record(set, id);
  dx.store.update(set, id, { ...changes, modifiedon: stamp(dx.sim.now()) });
}

/** The status the work order's bookings give it, with the columns that go with it. */
function derived(dx: DvContext, bookings: Seen[], wo: Row): Row | null {
  const live = bookings.filter((b) => b.fs !== FS.canceled);
  if (live.length === 0) return bookings.length > 0 && wo.msdyn_systemstatus === WO_STATUS.scheduled ? { msdyn_systemstatus: WO_STATUS.unscheduled } : null;
  const now = stamp(dx.sim.now());
  const arrived = live.some((b) => b.fs === FS.inProgress || b.fs === FS.completed);
  const out: Row = {};
  if (arrived && (wo.msdyn_firstarrivedon === null || wo.msdyn_firstarrivedon === undefined)) out.msdyn_firstarrivedon = now;
  let status: number = WO_STATUS.scheduled;
  if (live.every((b) => b.fs === FS.completed) && live.some((b) => b.completes)) status = WO_STATUS.completed;
  else if (live.some((b) => b.fs !== FS.scheduled)) status = WO_STATUS.inProgress;
  const current = Number(wo.msdyn_systemstatus);
  if ((RANK[status] ?? 0) > (RANK[current] ?? 0)) {
    out.msdyn_systemstatus = status;
    if (status === WO_STATUS.completed) out.msdyn_completedon = now;
  }
  return Object.keys(out).length > 0 ? out : null;
}

export function cascadeWorkOrder(dx: DvContext, workOrderId: string): void {
  const wo = dx.store.get(WORK_ORDERS, workOrderId);
  if (!wo || wo.msdyn_systemstatus === WO_STATUS.posted || wo.msdyn_systemstatus === WO_STATUS.canceled) return;
  const bookings: Seen[] = [];
  for (const row of dx.store.table(BOOKINGS).values()) {
    if (row._msdyn_workorder_value === workOrderId && row.statecode === 0) bookings.push(statusOf(dx, row));
  }
  for (const b of bookings) {
    const id = String(b.booking.bookableresourcebookingid);
    if (b.fs === FS.inProgress && (b.booking.msdyn_actualarrivaltime === null || b.booking.msdyn_actualarrivaltime === undefined)) {
      write(dx, BOOKINGS, id, { msdyn_actualarrivaltime: stamp(dx.sim.now()) });
    }
  }
  const changes = derived(dx, bookings, wo);
  if (changes) write(dx, WORK_ORDERS, workOrderId, changes);
}

/** POST or PATCH of a booking through the generic handler, then the cascade for its work order(s). */
export function bookingWrite(request: SimRequest, dx: DvContext): SimResponse | null {
  const entity = entityBySet(BOOKINGS)!;
  const m = /\(([^)]*)\)$/.exec(decodeURIComponent(request.path));
  const key = m?.[1]?.replace(/^bookableresourcebookingid=/, '').toLowerCase() ?? null;
  if (request.method === 'PATCH' && key === null) return null;
  const before = key === null ? undefined : dx.store.get(BOOKINGS, key);
  const res = request.method === 'POST'
    ? createRow({ entity, id: null }, request.rawQuery, request.headers, request.body, request.inner, dx)
    : patchRow({ entity, id: key }, key!, request.rawQuery, request.headers, request.body, request.inner, dx);
  if (res.status >= 300) return res;
  const url = /\(([^)]+)\)$/.exec(res.headers?.['OData-EntityId'] ?? '')?.[1];
  const id = key ?? url ?? (res.body as Row | undefined)?.bookableresourcebookingid;
  const after = typeof id === 'string' ? dx.store.get(BOOKINGS, id) : undefined;
  const orders = new Set([before?._msdyn_workorder_value, after?._msdyn_workorder_value].filter((v): v is string => typeof v === 'string'));
  for (const wo of orders) cascadeWorkOrder(dx, wo);
  return res;
}
