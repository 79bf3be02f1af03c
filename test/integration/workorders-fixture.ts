/**
 * A tenant for the project-work-orders integration tests (issue 14, seed 002): the engine fixture's
 * demo tenant (test/integration/engine-fixture.ts) with no technician and one Project Operations
 * project of a customer account: a summary task "Street cabinets" with three leaf tasks, all Planned;
 * a work order type with its price list; booking statuses mapped to each Field Service status the
 * mobility app's stages use; and one bookable resource the dispatcher books. The family is on
 * (WORK_ORDER_TYPE_ID) beside the technicians (GUEST_SETTINGS). Also the dispatcher's and the
 * coordinator's hands: book a work order, set a task's stage or dates.
 */
import { ClientSecretCredential } from '@azure/identity';
import { ContainerClient } from '@azure/storage-blob';
import { expect } from 'vitest';
import type { Fixture } from 'tenant-sim';
import { createHandlers } from '../../src/app/http-handlers.js';
import { createReconcilerApp } from '../../src/app/reconciler-app.js';
import { silentLogger, type AppResponse } from '../../src/app/types.js';
import { request } from './booking-fixture.js';
import { GUEST_SETTINGS } from '../support/tenant.js';
import { engineFixture, type EngineTenant } from './engine-fixture.js';

const g = (prefix: string, n: number): string => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const PROJECT = g('a1000000', 1);
export const CUSTOMER = g('a1000000', 2);
export const SUMMARY = g('a2000000', 1);
export const TASKS = [g('a2000000', 2), g('a2000000', 3), g('a2000000', 4)] as const;
export const WO_TYPE = g('a3000000', 1);
export const PRICE_LIST = g('a4000000', 1);
export const RESOURCE = g('a6000000', 1);
export const STATUS = {
  scheduled: g('a5000000', 1),
  traveling: g('a5000000', 2),
  inProgress: g('a5000000', 3),
  completed: g('a5000000', 4),
  canceled: g('a5000000', 5),
} as const;

/** o25fs_taskstage (docs/dataverse-schema.md). */
export const STAGE = { planned: 808950000, ready: 808950001 } as const;
/** msdyn_workorder.msdyn_systemstatus. */
export const WO = { unscheduled: 690970000, scheduled: 690970001, inProgress: 690970002, completed: 690970003, canceled: 690970005 } as const;

export const WORK_ORDER_SETTINGS: Record<string, string> = { ...GUEST_SETTINGS, WORK_ORDER_TYPE_ID: WO_TYPE };

const NAMES = ['Install cabinet 1', 'Install cabinet 2', 'Install cabinet 3'];

export function workOrdersFixture(): Fixture {
  const base = engineFixture([]);
  const dv = base.dataverse!;
  const task = (id: string, subject: string, parent: string | null, day: number, effort: number): Record<string, unknown> => ({
    msdyn_projecttaskid: id, msdyn_subject: subject, _msdyn_project_value: PROJECT, _msdyn_parenttask_value: parent,
    msdyn_start: `2027-01-0${day}T08:00:00Z`, msdyn_finish: `2027-01-0${day}T16:00:00Z`, msdyn_effort: effort, o25fs_taskstage: STAGE.planned, statecode: 0, statuscode: 1,
  });
  const status = (id: string, name: string, fs: number): Record<string, unknown> => ({ bookingstatusid: id, name, status: fs === 690970005 ? 3 : 2, msdyn_fieldservicestatus: fs, statecode: 0, statuscode: 1 });
  return {
    ...base,
    dataverse: {
      ...dv,
      accounts: [...(dv.accounts ?? []), { accountid: CUSTOMER, name: 'Northwind Telecom', statecode: 0, statuscode: 1 }],
      msdyn_projects: [{ msdyn_projectid: PROJECT, msdyn_subject: 'Fibre roll-out Elm Street', _msdyn_customer_value: CUSTOMER, statecode: 0, statuscode: 1 }],
      msdyn_projecttasks: [task(SUMMARY, 'Street cabinets', null, 4, 24), ...TASKS.map((id, i) => task(id, NAMES[i]!, SUMMARY, 4 + i, 8))],
      pricelevels: [{ pricelevelid: PRICE_LIST, name: 'Field services 2027', statecode: 0, statuscode: 100001 }],
      msdyn_workordertypes: [{ msdyn_workordertypeid: WO_TYPE, msdyn_name: 'Installation', _msdyn_pricelist_value: PRICE_LIST, statecode: 0, statuscode: 1 }],
      bookingstatuses: [
        status(STATUS.scheduled, 'Scheduled', 690970000),
        status(STATUS.traveling, 'Traveling', 690970001),
        status(STATUS.inProgress, 'In Progress', 690970003),
        status(STATUS.completed, 'Completed', 690970004),
        status(STATUS.canceled, 'Canceled', 690970005),
      ],
      bookableresources: [{ bookableresourceid: RESOURCE, name: 'Crew North', resourcetype: 1, timezone: 85, statecode: 0, statuscode: 1 }],
    },
  };
}

/** The coordinator edits a task in Project Operations (a custom column, or dates through the schedule: here straight into the simulator's store). */
export function editTask(t: EngineTenant, taskId: string, changes: Record<string, unknown>): void {
  const row = t.s.sim.state.dataverse.get('msdyn_projecttasks', taskId);
  if (!row) throw new Error(`no task ${taskId}`);
  t.s.sim.state.dataverse.update('msdyn_projecttasks', taskId, changes);
}

/** The work order linked to the task (the product's alternate key), or undefined. */
export function workOrderOf(t: EngineTenant, taskId: string): Record<string, unknown> | undefined {
  const rows = t.table('msdyn_workorders').filter((w) => w._o25fs_projecttask_value === taskId.toLowerCase());
  expect(rows.length).toBeLessThanOrEqual(1);
  return rows[0];
}

/** The dispatcher books the work order on the schedule board: a booking in Scheduled; its id. */
export async function book(t: EngineTenant, workOrderId: string, start: string, minutes: number): Promise<string> {
  const end = new Date(Date.parse(start) + minutes * 60_000).toISOString();
  const res = await t.s.dataverse('POST', 'bookableresourcebookings', {
    body: {
      name: 'Cabinet visit',
      'BookingStatus@odata.bind': `/bookingstatuses(${STATUS.scheduled})`,
      'Resource@odata.bind': `/bookableresources(${RESOURCE})`,
      'msdyn_workorder@odata.bind': `/msdyn_workorders(${workOrderId})`,
      starttime: start,
      endtime: end,
      duration: minutes,
    },
    headers: { Prefer: 'return=representation' },
  });
  expect(res.status).toBe(201);
  return String((res.json as Record<string, unknown>).bookableresourcebookingid);
}

/** The mobility app (or a technician on the board) moves a booking to a status: a plain PATCH of its status lookup. */
export async function setBookingStatus(t: EngineTenant, bookingId: string, statusId: string): Promise<void> {
  const res = await t.s.dataverse('PATCH', `bookableresourcebookings(${bookingId})`, { body: { 'BookingStatus@odata.bind': `/bookingstatuses(${statusId})` }, headers: { 'If-Match': '*' } });
  expect(res.status).toBe(204);
}

/**
 * The mobility app's two routes (docs/mobility-routes.md) on this tenant, through the same handlers
 * the Functions app registers, with the tenant's settings and credential (the routes touch no
 * storage: the container is never served).
 */
export function mobilityApp(t: EngineTenant): { stage(bookingId: string, stage: string): Promise<AppResponse>; feed(since: string): Promise<AppResponse> } {
  const { info } = t.s;
  const credential = new ClientSecretCredential(info.tenantId, info.clientId, info.clientSecret, { authorityHost: info.authorityHost, disableInstanceDiscovery: true });
  const app = createReconcilerApp({ settings: t.settings, credential, container: new ContainerClient('http://127.0.0.1:9/devstoreaccount1/unused'), runDeadlineMs: 60_000, httpWaitMs: 30_000, log: silentLogger });
  const handlers = createHandlers(() => app);
  return {
    stage: (bookingId, stage) => handlers.bookingStage(request('POST', `/api/bookings/${bookingId}/stage`, { body: JSON.stringify({ stage }), contentType: 'application/json' })),
    feed: (since) => handlers.bookings(request('GET', `/api/bookings?changedSince=${encodeURIComponent(since)}`)),
  };
}
