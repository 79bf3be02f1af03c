/**
 * Builders for the project-work-orders family's tests (reconcilers/project-work-orders/): project,
 * task, work order, requirement, booking and booking status rows, an Observation holding them,
 * settings with only this family on, and one task's desired and observed state as the family's plan
 * computes them. Ids are lower-case GUIDs, as Dataverse returns them.
 */
import type { Settings } from '../../src/config.js';
import type { ChangeKindSpec } from '../../src/engine/kind.js';
import { WORK_ORDER_KINDS } from '../../reconcilers/project-work-orders/index.js';
import type { Observation } from '../../src/model/observation.js';
import { taskStates } from '../../reconcilers/project-work-orders/family.js';
import { READY_TO_SYNC, WO_STATUS, type BookingRow, type BookingStatusRow, type ProjectRow, type RequirementRow, type TaskRow, type WorkOrderRow, type WorkOrderTypeRow } from '../../reconcilers/project-work-orders/rows.js';
import { DEFAULT_STAGE_STATUSES, type WorkOrderSettings } from '../../reconcilers/project-work-orders/settings.js';
import { FS_STATUS } from '../../src/model/field-service.js';
import type { DesiredTask, ObservedTask } from '../../reconcilers/project-work-orders/state.js';
import { observation } from './model.js';
import '../../reconcilers/project-work-orders/observation.js';

export const PROJECT = 'a0000000-0000-4000-8000-0000000000b1';
export const CUSTOMER = 'a0000000-0000-4000-8000-0000000000c1';
export const TYPE_PRICE_LIST = 'e0000000-0000-4000-8000-0000000000e1';
export const WO_TYPE = 'd0000000-0000-4000-8000-0000000000d1';
export const DATAVERSE_URL = 'https://contoso.crm.dynamics.com';
export const NOW = '2026-11-23T10:00:00.000Z';

const guid = (prefix: string, n: number): string => `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
/** A task id `70000000-…-<n>`, a work order id `80000000-…-<n>`, and so on. */
export const taskId = (n: number): string => guid('70000000', n);
export const workOrderId = (n: number): string => guid('80000000', n);
export const requirementId = (n: number): string => guid('90000000', n);
export const bookingId = (n: number): string => guid('b0000000', n);

/** One booking status per field service status, under the status's own number as its last digits. */
export const statusId = (fs: number): string => guid('5a000000', fs - 690970000);
export const BOOKING_STATUSES: BookingStatusRow[] = Object.entries(FS_STATUS).map(([name, fs]) => ({ bookingstatusid: statusId(fs), name, status: fs === FS_STATUS.canceled ? 3 : 2, msdyn_fieldservicestatus: fs }));
export const UNMAPPED_STATUS = guid('5a000000', 99);

export function workOrderSettings(overrides: Partial<WorkOrderSettings> = {}): WorkOrderSettings {
  return { workOrderTypeId: WO_TYPE, priceListId: null, stageStatuses: DEFAULT_STAGE_STATUSES, ...overrides };
}

/** Core settings with only this family on. */
export function workOrderTestSettings(overrides: Partial<WorkOrderSettings> = {}): Settings {
  return { dataverseUrl: DATAVERSE_URL, graphBaseUrl: 'https://graph.microsoft.com/v1.0', families: { 'project-work-orders': workOrderSettings(overrides) } };
}

export function projectRow(overrides: Partial<ProjectRow> = {}): ProjectRow {
  return { msdyn_projectid: PROJECT, msdyn_subject: 'Fibre roll-out Elm Street', statecode: 0, _msdyn_customer_value: CUSTOMER, o25fs_taskscompleted: null, o25fs_percentcomplete: null, ...overrides };
}

/** A leaf task of PROJECT, Ready to Sync, 8 hours planned on 1 December, never synced. */
export function taskRow(id: string, overrides: Partial<TaskRow> = {}): TaskRow {
  return {
    msdyn_projecttaskid: id,
    msdyn_subject: 'Splice cabinet 12',
    _msdyn_project_value: PROJECT,
    _msdyn_parenttask_value: null,
    msdyn_start: '2026-12-01T08:00:00Z',
    msdyn_finish: '2026-12-01T16:00:00Z',
    msdyn_effort: 8,
    statecode: 0,
    createdon: '2026-11-01T08:00:00Z',
    o25fs_taskstage: READY_TO_SYNC,
    o25fs_fieldservicestatus: null,
    o25fs_actualstart: null,
    o25fs_actualend: null,
    o25fs_actualeffort: null,
    o25fs_effortvariance: null,
    o25fs_percentcomplete: null,
    o25fs_syncerror: null,
    ...overrides,
  };
}

/** The work order the product made for `task`, Unscheduled, with the task's dates. */
export function workOrderRow(id: string, task: string | null, overrides: Partial<WorkOrderRow> = {}): WorkOrderRow {
  return {
    msdyn_workorderid: id,
    msdyn_name: '00042',
    _o25fs_projecttask_value: task,
    _o25fs_project_value: PROJECT,
    msdyn_systemstatus: WO_STATUS.unscheduled,
    _msdyn_serviceaccount_value: CUSTOMER,
    _msdyn_workordertype_value: WO_TYPE,
    _msdyn_pricelist_value: TYPE_PRICE_LIST,
    msdyn_timefrompromised: '2026-12-01T08:00:00Z',
    msdyn_timetopromised: '2026-12-01T16:00:00Z',
    msdyn_instructions: 'Splice cabinet 12',
    ...overrides,
  };
}

/** The requirement Field Service made with work order `wo`, in step with the default task. */
export function requirementRow(id: string, wo: string, overrides: Partial<RequirementRow> = {}): RequirementRow {
  return { msdyn_resourcerequirementid: id, _msdyn_workorder_value: wo, msdyn_fromdate: '2026-12-01', msdyn_todate: '2026-12-01', msdyn_duration: 480, createdon: '2026-11-20T08:00:00Z', ...overrides };
}

/** A booking of `wo` in the booking status of field service status `fs`. */
export function bookingRow(id: string, wo: string, fs: number, overrides: Partial<BookingRow> = {}): BookingRow {
  return { bookableresourcebookingid: id, _msdyn_workorder_value: wo, _bookingstatus_value: statusId(fs), starttime: '2026-12-01T08:00:00Z', endtime: '2026-12-01T12:00:00Z', duration: 240, msdyn_actualarrivaltime: null, ...overrides };
}

export interface WorkOrderTenant {
  projects?: ProjectRow[];
  tasks?: TaskRow[];
  workOrders?: WorkOrderRow[];
  requirements?: RequirementRow[];
  bookings?: BookingRow[];
  bookingStatuses?: BookingStatusRow[];
  types?: WorkOrderTypeRow[];
}

/** An observation of a tenant with this family's rows (a valid configuration: WO_TYPE exists). */
export function workOrderObservation(t: WorkOrderTenant = {}): Observation {
  return observation({
    observedAt: NOW,
    workOrderProjects: t.projects ?? [projectRow()],
    workOrderTasks: t.tasks ?? [],
    workOrders: t.workOrders ?? [],
    workOrderRequirements: t.requirements ?? [],
    workOrderBookings: t.bookings ?? [],
    bookingStatuses: t.bookingStatuses ?? BOOKING_STATUSES,
    workOrderTypes: t.types ?? [{ msdyn_workordertypeid: WO_TYPE, msdyn_name: 'Installation', _msdyn_pricelist_value: TYPE_PRICE_LIST }],
  });
}

/** The desired and observed state of task (or deleted task) `id`, as the plan computes them. */
export function workOrderStateOf(obs: Observation, id: string, settings: WorkOrderSettings = workOrderSettings()): { desired: DesiredTask; observed: ObservedTask } {
  const state = taskStates(obs, settings).find((s) => s.desired.taskId === id);
  if (!state) throw new Error(`no task ${id} (or it has an error)`);
  return { desired: state.desired, observed: state.observed };
}

/** The declaration of one of this family's change kinds (src/kinds.ts knows them once the family is registered). */
export function workOrderSpec(kind: string): ChangeKindSpec<object, Observation> {
  const spec = WORK_ORDER_KINDS.flatMap((k) => k.changes).find((s) => s.kind === kind);
  if (!spec) throw new Error(`no change kind ${kind}`);
  return spec as ChangeKindSpec<object, Observation>;
}
