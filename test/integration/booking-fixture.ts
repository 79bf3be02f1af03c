/**
 * A tenant for the mobility routes' tests (docs/mobility-routes.md): the engine fixture's demo
 * tenant with a project, a leaf task, a work order type with its price list, a generic bookable
 * resource and booking statuses for each field service status (two carry Completed: "Complete" and
 * "Incomplete", which does not complete the work order; one is inactive), as
 * packages/tenant-sim/docs/simulator-dataverse.md "Project and Field Service tables" describes them.
 * The project-work-orders family is on (WORK_ORDER_TYPE_ID). Every request to the simulator is
 * recorded with its headers and parsed body (`wire`), to assert exact PATCH bodies and that an
 * unchanged stage writes nothing.
 */
import { ClientSecretCredential } from '@azure/identity';
import { ContainerClient } from '@azure/storage-blob';
import type { Fixture } from 'tenant-sim';
import { createHandlers, type Handlers } from '../../src/app/http-handlers.js';
import { createReconcilerApp, type ReconcilerApp } from '../../src/app/reconciler-app.js';
import type { Settings } from '../../src/config.js';
import { silentLogger, type AppRequest } from '../../src/app/types.js';
import { GUEST_SETTINGS, startTenant, type Tenant } from '../support/tenant.js';
import { REF, engineFixture } from './engine-fixture.js';

const id = (prefix: string, n: number): string => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const PROJECT = id('a1000000', 1);
export const TASK = id('a2000000', 1);
export const WO_TYPE = id('a3000000', 1);
export const PRICE_LIST = id('a4000000', 1);
export const RESOURCE = id('a6000000', 1);
export const STATUS = {
  scheduled: id('a5000000', 1),
  traveling: id('a5000000', 2),
  inProgress: id('a5000000', 3),
  completed: id('a5000000', 4),
  canceled: id('a5000000', 5),
  incomplete: id('a5000000', 6),
  inactiveTravel: id('a5000000', 7),
  onBreak: id('a5000000', 8),
};
export const BOOKINGS_SETTINGS: Record<string, string> = { ...GUEST_SETTINGS, WORK_ORDER_TYPE_ID: WO_TYPE };

const status = (bookingstatusid: string, name: string, fs: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  bookingstatusid, name, status: fs === 690970005 ? 3 : 2, msdyn_fieldservicestatus: fs, msdyn_statuscompletesworkorder: true, statecode: 0, statuscode: 1, ...extra,
});

export function bookingFixture(extra: Record<string, Record<string, unknown>[]> = {}): Fixture {
  const base = engineFixture([]);
  const dv = base.dataverse!;
  return {
    ...base,
    dataverse: {
      ...dv,
      msdyn_projects: [{ msdyn_projectid: PROJECT, msdyn_subject: 'Fibre rollout', _msdyn_customer_value: REF.vendors.fabrikam, statecode: 0, statuscode: 1 }],
      msdyn_projecttasks: [{ msdyn_projecttaskid: TASK, msdyn_subject: 'Install cabinet 1', _msdyn_project_value: PROJECT, _msdyn_parenttask_value: null, msdyn_start: '2027-01-04T08:00:00Z', msdyn_finish: '2027-01-06T17:00:00Z', msdyn_effort: 16, o25fs_taskstage: 808950001, statecode: 0, statuscode: 1 }],
      pricelevels: [{ pricelevelid: PRICE_LIST, name: 'Field services 2027', statecode: 0, statuscode: 100001 }],
      msdyn_workordertypes: [{ msdyn_workordertypeid: WO_TYPE, msdyn_name: 'Installation', _msdyn_pricelist_value: PRICE_LIST, statecode: 0, statuscode: 1 }],
      bookableresources: [{ bookableresourceid: RESOURCE, name: 'Crew A', resourcetype: 1, timezone: 85, statecode: 0, statuscode: 1 }],
      bookingstatuses: [
        status(STATUS.scheduled, 'Scheduled', 690970000),
        status(STATUS.traveling, 'Traveling', 690970001),
        status(STATUS.inactiveTravel, 'Travel', 690970001, { statecode: 1, statuscode: 2 }),
        status(STATUS.onBreak, 'On Break', 690970002),
        status(STATUS.inProgress, 'In Progress', 690970003),
        status(STATUS.completed, 'Complete', 690970004),
        status(STATUS.incomplete, 'Incomplete', 690970004, { msdyn_statuscompletesworkorder: false }),
        status(STATUS.canceled, 'Canceled', 690970005),
      ],
      ...extra,
    },
  };
}

/** A work order's create body; `ours` sets the product's project lookup (the mark of its work orders). */
export function workOrderBody(ours: boolean): Record<string, unknown> {
  return {
    msdyn_name: ours ? 'WO-PROJECT' : 'WO-OTHER',
    'msdyn_serviceaccount@odata.bind': `/accounts(${REF.vendors.fabrikam})`,
    'msdyn_workordertype@odata.bind': `/msdyn_workordertypes(${WO_TYPE})`,
    'msdyn_pricelist@odata.bind': `/pricelevels(${PRICE_LIST})`,
    msdyn_systemstatus: 690970000,
    ...(ours ? { 'o25fs_Project@odata.bind': `/msdyn_projects(${PROJECT})`, 'o25fs_ProjectTask@odata.bind': `/msdyn_projecttasks(${TASK})` } : {}),
  };
}

export function bookingBody(workOrder: string, statusId: string): Record<string, unknown> {
  return {
    name: 'Cabinet 1 visit',
    'BookingStatus@odata.bind': `/bookingstatuses(${statusId})`,
    'Resource@odata.bind': `/bookableresources(${RESOURCE})`,
    'msdyn_workorder@odata.bind': `/msdyn_workorders(${workOrder})`,
    starttime: '2027-01-04T08:00:00Z',
    endtime: '2027-01-04T12:00:00Z',
    duration: 240,
  };
}

export interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface BookingTenant extends Tenant {
  wire: Sent[];
  app: ReconcilerApp;
  handlers: Handlers;
  /** A POST through the simulator's Web API; the new row's id. */
  create(set: string, body: Record<string, unknown>): Promise<string>;
  row(set: string, rowId: string): Record<string, unknown>;
}

type Dispatch = (request: { service: string; method: string; path: string; headers: Record<string, string>; body: string }, innerLog: unknown, inner: boolean) => Promise<unknown>;

export async function startBookingTenant(fixture: Fixture = bookingFixture(), settingsEnv: Record<string, string> = BOOKINGS_SETTINGS, settings?: (s: Settings) => Settings): Promise<BookingTenant> {
  const t = await startTenant(fixture, settingsEnv);
  const wire: Sent[] = [];
  // Private in TypeScript, reachable at run time: the one place every request passes (as engine-fixture.ts does).
  const sim = t.s.sim as unknown as { dispatch: Dispatch };
  const dispatch = sim.dispatch.bind(t.s.sim) as Dispatch;
  sim.dispatch = (request, innerLog, inner) => {
    if (request.service === 'dataverse') wire.push({ method: request.method, path: request.path.replace(/^\//, ''), headers: request.headers, body: request.body.trim() === '' ? undefined : JSON.parse(request.body) as unknown });
    return dispatch(request, innerLog, inner);
  };
  const { info } = t.s;
  const credential = new ClientSecretCredential(info.tenantId, info.clientId, info.clientSecret, { authorityHost: info.authorityHost, disableInstanceDiscovery: true });
  // The booking routes never touch the run lock or history: a container nobody serves proves it.
  const container = new ContainerClient('http://127.0.0.1:9/devstoreaccount1/unused');
  const app = createReconcilerApp({ settings: settings ? settings(t.settings) : t.settings, credential, container, runDeadlineMs: 60_000, httpWaitMs: 30_000, log: silentLogger });
  return {
    ...t,
    wire,
    app,
    handlers: createHandlers(() => app),
    create: async (set, body) => {
      const res = await t.s.dataverse('POST', set, { body });
      if (res.status !== 204) throw new Error(`POST ${set}: ${res.status} ${JSON.stringify(res.json)}`);
      return /\(([^)]+)\)$/.exec(res.headers.get('odata-entityid')!)![1]!;
    },
    row: (set, rowId) => t.s.sim.state.dataverse.get(set, rowId)!,
  };
}

/** A request as the Functions adapter builds it. */
export function request(method: string, path: string, init: { body?: string; contentType?: string } = {}): AppRequest {
  const url = new URL(path, 'https://vendor-reconciler.azurewebsites.net');
  const m = /^\/api\/bookings\/([^/]+)\/stage$/.exec(url.pathname);
  return {
    method,
    url: url.toString(),
    query: url.searchParams,
    params: m?.[1] ? { id: decodeURIComponent(m[1]) } : {},
    text: () => Promise.resolve(init.body ?? ''),
    ...(init.contentType !== undefined ? { contentType: init.contentType } : {}),
    log: silentLogger,
  };
}
