/**
 * POST /api/bookings/{id}/stage: sets a booking of the product's work orders to the booking status
 * its stage maps to (docs/mobility-routes.md). One conditional PATCH of the booking's status, with
 * the ETag it was read with (If-Match), so of two concurrent calls only one can write; Field
 * Service's own cascade then moves the work order
 * (https://learn.microsoft.com/dynamics365/field-service/work-order-status-booking-status).
 */
import { listError } from '../clients/classify.js';
import type { DataverseApi, ServiceRequest } from '../clients/types.js';
import { FS_STATUS_NAMES } from '../model/field-service.js';
import { moveVerdict, stageOfStatus, statusForStage, type BookingStatusRow } from './booking-rules.js';
import { readBooking, readStatuses, readWorkOrder } from './booking-reads.js';

/** What a booking route answers: the handler turns it into JSON (src/app/http-handlers.ts). */
export interface RouteAnswer {
  status: number;
  body: Record<string, unknown>;
}

interface StageState {
  stage: string | null;
  status: { id: string; name: string | null; msdyn_fieldservicestatus: number | null } | null;
}

const stateOf = (status: BookingStatusRow | null, stageStatuses: Readonly<Record<string, number>>): StageState => ({
  stage: status ? stageOfStatus(status, stageStatuses) : null,
  status: status ? { id: status.bookingstatusid, name: status.name, msdyn_fieldservicestatus: status.msdyn_fieldservicestatus } : null,
});

const fsName = (fs: number | null): string => (fs === null ? 'no field service status' : (FS_STATUS_NAMES[fs] ?? String(fs)));
const describe = (s: StageState): string =>
  s.status ? `${s.stage ?? 'no stage'} (booking status ${JSON.stringify(s.status.name ?? '')}, ${fsName(s.status.msdyn_fieldservicestatus)})` : 'no booking status';

export function bookingNotFound(id: string): RouteAnswer {
  return {
    status: 404,
    body: {
      error: `No booking ${id} of a work order this product created.`,
      code: 'BOOKING_NOT_FOUND',
      action: 'Use a booking id from GET /api/bookings; bookings of other work orders cannot be moved through this route.',
    },
  };
}

export async function setStage(dv: DataverseApi, id: string, stage: string, stageStatuses: Readonly<Record<string, number>>): Promise<RouteAnswer> {
  const target = stageStatuses[stage]!;
  const [booking, statuses] = await Promise.all([readBooking(dv, id), readStatuses(dv)]);
  if (!booking) return bookingNotFound(id);
  const woId = booking.row._msdyn_workorder_value;
  const wo = woId ? await readWorkOrder(dv, woId) : null;
  if (!wo || wo._o25fs_project_value === null) return bookingNotFound(id);

  const currentStatus = statuses.find((s) => s.bookingstatusid === booking.row._bookingstatus_value) ?? null;
  const previous = stateOf(currentStatus, stageStatuses);
  const verdict = moveVerdict(currentStatus?.msdyn_fieldservicestatus ?? null, target);
  if (verdict === 'unchanged') return { status: 200, body: { bookingId: id, stage, changed: false, previous, current: previous } };
  if (verdict !== 'forward') {
    const why = verdict === 'out-of-final' ? 'a booking that is Completed or Canceled is final' : 'a booking moves only forward (Scheduled, Traveling, In Progress, then Completed or Canceled)';
    return {
      status: 409,
      body: {
        error: `Booking ${id} is at stage ${describe(previous)}; the requested stage ${stage} (${fsName(target)}) would move it back: ${why}.`,
        code: 'STAGE_BACKWARDS',
        currentStage: previous.stage,
        requestedStage: stage,
        action: 'Refresh the booking from GET /api/bookings and show its current stage; a dispatcher changes a booking backwards on the schedule board if it really must.',
      },
    };
  }
  const chosen = statusForStage(stage, target, statuses);
  if (!chosen) {
    return {
      status: 500,
      body: {
        error: `No active booking status has the field service status ${fsName(target)} (${target}) that stage ${stage} maps to.`,
        code: 'STAGE_STATUS_MISSING',
        action: `Create (or activate) a booking status with Field Service Status ${fsName(target)} (Field Service, Settings, Booking Statuses), or map ${stage} to another value in WORK_ORDER_STAGE_STATUSES (docs/mobility-routes.md).`,
      },
    };
  }
  const request: ServiceRequest = {
    method: 'PATCH',
    url: `bookableresourcebookings(${id})`,
    // If-Match: only the version read above may be changed; any value also keeps the PATCH from
    // creating a booking (learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api).
    headers: { 'If-Match': booking.etag ?? '*' },
    body: { 'BookingStatus@odata.bind': `/bookingstatuses(${chosen.bookingstatusid})` },
  };
  const response = await dv.send(request);
  if (response.status === 404) return bookingNotFound(id);
  if (response.status === 412) {
    return {
      status: 409,
      body: {
        error: `Booking ${id} changed while its stage was being set to ${stage}; nothing was written.`,
        code: 'STAGE_CONFLICT',
        action: 'Read the booking again (GET /api/bookings), then send the stage again if it still applies.',
      },
    };
  }
  if (response.status >= 300) throw listError('dataverse', request, response);
  return { status: 200, body: { bookingId: id, stage, changed: true, previous, current: stateOf(chosen, stageStatuses) } };
}
