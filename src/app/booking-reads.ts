/**
 * The Dataverse reads both mobility routes share (docs/mobility-routes.md): the booking statuses,
 * one booking with its ETag, one work order. Through the DataverseApi only (src/clients/); a 404
 * is an answer (null), any other refusal the client's classified error.
 */
import { listError } from '../clients/classify.js';
import type { DataverseApi, ServiceRequest } from '../clients/types.js';
import type { BookingStatusRow } from './booking-rules.js';

export interface WorkOrderRow {
  msdyn_workorderid: string;
  msdyn_name: string | null;
  msdyn_systemstatus: number | null;
  _o25fs_projecttask_value: string | null;
  /** Set on the product's work orders only (reconcilers/project-work-orders/ writes it). */
  _o25fs_project_value: string | null;
}

export const WORK_ORDER_SELECT = ['msdyn_workorderid', 'msdyn_name', 'msdyn_systemstatus', '_o25fs_projecttask_value', '_o25fs_project_value'];

export interface StageBookingRow {
  bookableresourcebookingid: string;
  name: string | null;
  _bookingstatus_value: string | null;
  _msdyn_workorder_value: string | null;
  '@odata.etag'?: string;
}

/** Every booking status, inactive ones too (a booking may still carry one). A small table. */
export function readStatuses(dv: DataverseApi): Promise<BookingStatusRow[]> {
  return dv.list<BookingStatusRow>('bookingstatuses', { select: ['bookingstatusid', 'name', 'msdyn_fieldservicestatus', 'statecode'] });
}

async function getOne<T>(dv: DataverseApi, url: string): Promise<{ row: T; etag: string | null } | null> {
  const request: ServiceRequest = { method: 'GET', url };
  const response = await dv.send(request);
  if (response.status === 404) return null;
  if (response.status !== 200) throw listError('dataverse', request, response);
  const row = response.body as T & { '@odata.etag'?: string };
  return { row, etag: response.headers.etag ?? row['@odata.etag'] ?? null };
}

/** The booking and its ETag (the stage write sends it as If-Match), or null when there is none. */
export function readBooking(dv: DataverseApi, id: string): Promise<{ row: StageBookingRow; etag: string | null } | null> {
  return getOne<StageBookingRow>(dv, `bookableresourcebookings(${id})?$select=bookableresourcebookingid,name,_bookingstatus_value,_msdyn_workorder_value`);
}

export async function readWorkOrder(dv: DataverseApi, id: string): Promise<WorkOrderRow | null> {
  return (await getOne<WorkOrderRow>(dv, `msdyn_workorders(${id})?$select=${WORK_ORDER_SELECT.join(',')}`))?.row ?? null;
}
