/**
 * fast-check arbitraries for the project-work-orders family (reconcilers/project-work-orders/):
 * tenants of up to three projects (active or not, with a customer or none), their tasks (Ready to
 * Sync, another stage or none; active or not; leaf or summary; dates in two spellings of one instant
 * or none; efforts; deleted under their work order), the product's work orders in every system
 * status (dates in step or moved; a requirement in step, drifted, missing or doubled), bookings in
 * every field service status and in an unmapped one (booking status names that lie about their
 * meaning), and foreign work orders a dispatcher made by hand (no o25fs_project link), with their
 * own requirements and bookings.
 *
 * The tenant holds every row; the model is what the product reads of it: each table's own filter
 * (reconcilers/project-work-orders/tables.ts, through the core's rowPredicate) and its columns, as
 * in a real read. Ground truth for the properties comes from the tenant, not from the product.
 */
import fc from 'fast-check';
import type { Settings } from '../../src/config.js';
import type { Observation } from '../../src/model/observation.js';
import { rowPredicate, type Table } from '../../src/engine/tables/table.js';
import { READY_TO_SYNC, WO_STATUS, type BookingRow, type BookingStatusRow, type ProjectRow, type RequirementRow, type TaskRow, type WorkOrderRow, type WorkOrderTypeRow } from '../../reconcilers/project-work-orders/rows.js';
import { FS_STATUS } from '../../src/model/field-service.js';
import { WO_BOOKINGS, WO_REQUIREMENTS, WO_TYPES, WO_WORK_ORDERS } from '../../reconcilers/project-work-orders/tables.js';
import { BOOKING_STATUSES, bookingId, CUSTOMER, NOW, PROJECT, requirementId, statusId, taskId, TYPE_PRICE_LIST, UNMAPPED_STATUS, WO_TYPE, workOrderId, workOrderObservation, workOrderTestSettings } from '../support/workorders-model.js';

export const PROJECTS = [PROJECT, 'a0000000-0000-4000-8000-0000000000b2', 'a0000000-0000-4000-8000-0000000000b3'] as const;
export const CUSTOMERS = [CUSTOMER, 'a0000000-0000-4000-8000-0000000000c2'] as const;
export const SETTINGS_PRICE_LIST = 'e0000000-0000-4000-8000-0000000000e2';
const INACTIVE_TYPE = 'd0000000-0000-4000-8000-0000000000d2';
/** A stage other than Ready to Sync (the choice's first value). */
const OTHER_STAGE = 808950000;

/** Task dates: one instant in two spellings (Dataverse drops the milliseconds), others, none. */
export const DATES = ['2026-12-01T08:00:00Z', '2026-12-01T08:00:00.000Z', '2026-12-01T16:00:00Z', '2026-12-03T08:00:00Z', null] as const;
/** Where a moved task's work order still points. */
const OLD_DATE = '2026-11-30T07:00:00Z';

/** Booking statuses: one per field service meaning, plus two whose names lie (status is never read by name). */
export const LYING_COMPLETED = '5a000000-0000-4000-8000-0000000000a1';
export const LYING_IN_PROGRESS = '5a000000-0000-4000-8000-0000000000a2';
export const TENANT_BOOKING_STATUSES: BookingStatusRow[] = [
  ...BOOKING_STATUSES,
  { bookingstatusid: LYING_COMPLETED, name: 'Completed', status: 2, msdyn_fieldservicestatus: FS_STATUS.traveling },
  { bookingstatusid: LYING_IN_PROGRESS, name: 'In Progress', status: 2, msdyn_fieldservicestatus: null },
  { bookingstatusid: UNMAPPED_STATUS, name: 'Waiting for parts', status: 2, msdyn_fieldservicestatus: null },
];
// Completed three times over: a task whose bookings are all completed needs several in a row.
const BOOKING_STATUS_IDS = [...Object.values(FS_STATUS).map(statusId), statusId(FS_STATUS.completed), statusId(FS_STATUS.completed), LYING_COMPLETED, LYING_IN_PROGRESS, UNMAPPED_STATUS];

const arbBooking = fc.record({
  status: fc.constantFrom(...BOOKING_STATUS_IDS),
  minutes: fc.constantFrom(60, 240, 330, 45, null),
  arrival: fc.constantFrom(...DATES),
  end: fc.constantFrom('2026-12-01T12:00:00Z', '2026-12-02T12:00:00.000Z', '2026-12-01T17:30:00Z', null),
});

const arbWorkOrder = fc.record({
  status: fc.constantFrom(...Object.values(WO_STATUS)),
  moved: fc.boolean(),
  requirement: fc.constantFrom('in-step', 'in-step', 'drifted', 'none', 'two'),
  bookings: fc.array(arbBooking, { maxLength: 3 }),
});

const arbTask = fc.record({
  project: fc.nat({ max: PROJECTS.length - 1 }),
  stage: fc.constantFrom<number | null>(READY_TO_SYNC, READY_TO_SYNC, READY_TO_SYNC, OTHER_STAGE, null),
  active: fc.constantFrom(true, true, true, true, false),
  parent: fc.option(fc.nat({ max: 5 }), { nil: null, freq: 2 }),
  start: fc.constantFrom(...DATES),
  finish: fc.constantFrom(...DATES),
  effort: fc.constantFrom(8, 6.5, 2.25, 0, null),
  deleted: fc.constantFrom(false, false, false, false, true),
  workOrder: fc.option(arbWorkOrder, { nil: null }),
  written: fc.boolean(),
});

const arbProject = fc.record({ active: fc.constantFrom(true, true, true, false), customer: fc.constantFrom<number | null>(0, 0, 1, null), written: fc.boolean() });

const arbForeign = fc.record({ status: fc.constantFrom(...Object.values(WO_STATUS)), task: fc.option(fc.nat({ max: 5 }), { nil: null }), bookings: fc.array(arbBooking, { maxLength: 2 }) });

export type TaskSpec = typeof arbTask extends fc.Arbitrary<infer T> ? T : never;

export interface WorkOrderTenantRows {
  projects: ProjectRow[];
  tasks: TaskRow[];
  workOrders: WorkOrderRow[];
  requirements: RequirementRow[];
  bookings: BookingRow[];
  bookingStatuses: BookingStatusRow[];
  types: (WorkOrderTypeRow & { statecode: number })[];
}

export interface WorkOrderCase {
  /** What the product observes of the tenant. */
  model: Observation;
  settings: Settings;
  /** Every row of the tenant, whatever the product reads. */
  tenant: WorkOrderTenantRows;
  /** Ids of the work orders a person made, with no o25fs_project link: never the product's. */
  foreignWorkOrderIds: ReadonlySet<string>;
  /** The price list a new work order must get (WORK_ORDER_PRICE_LIST_ID, else the type's). */
  priceList: string;
}

/** The row as the table's read returns it: its declared columns only, and only if its filter keeps it. */
function read<Row extends object>(table: Table<Row>, rows: readonly Row[]): Row[] {
  const keep = rowPredicate<Row>(table.filter);
  const columns = table.columns;
  return rows.filter(keep).map((r) => (columns ? (Object.fromEntries(Object.entries(r).filter(([k]) => columns.includes(k))) as Row) : r));
}

const foreignId = (n: number): string => `f0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const dayOf = (instant: string | null): string | null => (instant === null ? null : new Date(Date.parse(instant)).toISOString().slice(0, 10));

export function buildWorkOrderCase(projectSpecs: (typeof arbProject extends fc.Arbitrary<infer T> ? T : never)[], specs: TaskSpec[], foreign: (typeof arbForeign extends fc.Arbitrary<infer T> ? T : never)[], settingsPriceList: boolean): WorkOrderCase {
  const priceList = settingsPriceList ? SETTINGS_PRICE_LIST : TYPE_PRICE_LIST;
  const projects: ProjectRow[] = projectSpecs.map((p, i) => ({
    msdyn_projectid: PROJECTS[i]!,
    msdyn_subject: `Project ${i + 1}`,
    statecode: p.active ? 0 : 1,
    _msdyn_customer_value: p.customer === null ? null : CUSTOMERS[p.customer]!,
    o25fs_taskscompleted: p.written ? 1 : null,
    o25fs_percentcomplete: p.written ? 50 : null,
  }));
  const tasks: TaskRow[] = [];
  const workOrders: WorkOrderRow[] = [];
  const requirements: RequirementRow[] = [];
  const bookings: BookingRow[] = [];
  const addBookings = (wo: string, list: (typeof arbBooking extends fc.Arbitrary<infer T> ? T : never)[]): void => {
    for (const b of list) {
      bookings.push({ bookableresourcebookingid: bookingId(bookings.length + 1), _msdyn_workorder_value: wo, _bookingstatus_value: b.status, starttime: '2026-12-01T08:00:00Z', endtime: b.end, duration: b.minutes, msdyn_actualarrivaltime: b.arrival });
    }
  };
  specs.forEach((t, i) => {
    const id = taskId(i + 1);
    const project = PROJECTS[t.project % projects.length]!;
    // A parent is an earlier task of the same project: a WBS is a tree within one project.
    const parent = t.parent !== null && t.parent < i && PROJECTS[specs[t.parent]!.project % projects.length] === project ? taskId(t.parent + 1) : null;
    const name = `Splice cabinet ${i + 1}`;
    if (!t.deleted) {
      tasks.push({
        msdyn_projecttaskid: id, msdyn_subject: name, _msdyn_project_value: project, _msdyn_parenttask_value: parent,
        msdyn_start: t.start, msdyn_finish: t.finish, msdyn_effort: t.effort, statecode: t.active ? 0 : 1, createdon: `2026-11-0${(i % 9) + 1}T08:00:00Z`,
        o25fs_taskstage: t.stage,
        o25fs_fieldservicestatus: t.written ? FS_STATUS.scheduled : null, o25fs_actualstart: t.written ? '2026-11-20T08:00:00Z' : null, o25fs_actualend: null,
        o25fs_actualeffort: t.written ? 0 : null, o25fs_effortvariance: t.written ? -8 : null, o25fs_percentcomplete: t.written ? 0 : null, o25fs_syncerror: null,
      });
    }
    if (!t.workOrder) return;
    const wo = workOrderId(i + 1);
    const owner = projects.find((p) => p.msdyn_projectid === project)!;
    // As the product made it: the project's customer then, the settings' type and price list, the task's name.
    workOrders.push({
      msdyn_workorderid: wo, msdyn_name: `0004${i}`, _o25fs_projecttask_value: id, _o25fs_project_value: project, msdyn_systemstatus: t.workOrder.status,
      _msdyn_serviceaccount_value: owner._msdyn_customer_value ?? CUSTOMER, _msdyn_workordertype_value: WO_TYPE, _msdyn_pricelist_value: priceList,
      msdyn_timefrompromised: t.workOrder.moved ? OLD_DATE : t.start, msdyn_timetopromised: t.workOrder.moved ? OLD_DATE : t.finish, msdyn_instructions: name,
    });
    const inStep = { msdyn_fromdate: dayOf(t.start), msdyn_todate: dayOf(t.finish), msdyn_duration: Math.round((t.effort ?? 0) * 60) };
    const drifted = { msdyn_fromdate: dayOf(OLD_DATE), msdyn_todate: dayOf(OLD_DATE), msdyn_duration: 15 };
    const req = (n: number, values: typeof inStep, createdon: string): RequirementRow => ({ msdyn_resourcerequirementid: requirementId(n), _msdyn_workorder_value: wo, ...values, createdon });
    const kind = t.workOrder.requirement;
    if (kind !== 'none') requirements.push(req(10 * (i + 1), kind === 'in-step' ? inStep : drifted, '2026-11-20T08:00:00Z'));
    // A second requirement, made later by a dispatcher: the product keeps the oldest in step.
    if (kind === 'two') requirements.push(req(10 * (i + 1) + 1, drifted, '2026-11-21T08:00:00Z'));
    addBookings(wo, t.workOrder.bookings);
  });
  const foreignWorkOrderIds = new Set<string>();
  foreign.forEach((f, k) => {
    const id = foreignId(k + 1);
    foreignWorkOrderIds.add(id);
    // The alternate key allows one work order per task: a hand-made one names only a task that has
    // none of the product's (a ready one of those gets WORKORDER_KEY_TAKEN).
    const named = f.task !== null && f.task < specs.length ? taskId(f.task + 1) : null;
    const task = named !== null && !workOrders.some((w) => w._o25fs_projecttask_value === named) ? named : null;
    workOrders.push({ msdyn_workorderid: id, msdyn_name: `HAND-${k}`, _o25fs_projecttask_value: task, _o25fs_project_value: null, msdyn_systemstatus: f.status, _msdyn_serviceaccount_value: CUSTOMERS[1], _msdyn_workordertype_value: WO_TYPE, _msdyn_pricelist_value: TYPE_PRICE_LIST, msdyn_timefrompromised: OLD_DATE, msdyn_timetopromised: OLD_DATE, msdyn_instructions: 'By hand' });
    requirements.push({ msdyn_resourcerequirementid: foreignId(0x100 + k), _msdyn_workorder_value: id, msdyn_fromdate: null, msdyn_todate: null, msdyn_duration: 1, createdon: '2026-11-20T08:00:00Z' });
    addBookings(id, f.bookings);
  });
  const types = [
    { msdyn_workordertypeid: WO_TYPE, msdyn_name: 'Installation', _msdyn_pricelist_value: TYPE_PRICE_LIST, statecode: 0 },
    { msdyn_workordertypeid: INACTIVE_TYPE, msdyn_name: 'Retired', _msdyn_pricelist_value: SETTINGS_PRICE_LIST, statecode: 1 },
  ];
  const tenant: WorkOrderTenantRows = { projects, tasks, workOrders, requirements, bookings, bookingStatuses: TENANT_BOOKING_STATUSES, types };
  const model = workOrderObservation({
    projects,
    tasks,
    workOrders: read(WO_WORK_ORDERS, workOrders),
    requirements: read(WO_REQUIREMENTS, requirements),
    bookings: read(WO_BOOKINGS, bookings),
    bookingStatuses: TENANT_BOOKING_STATUSES,
    types: read(WO_TYPES as Table<WorkOrderTypeRow & { statecode: number }>, types),
  });
  return { model: { ...model, observedAt: NOW }, settings: workOrderTestSettings(settingsPriceList ? { priceListId: SETTINGS_PRICE_LIST } : {}), tenant, foreignWorkOrderIds, priceList };
}

export const arbWorkOrderCase: fc.Arbitrary<WorkOrderCase> = fc
  .record({
    projects: fc.array(arbProject, { minLength: 1, maxLength: PROJECTS.length }),
    tasks: fc.array(arbTask, { maxLength: 6 }),
    foreign: fc.array(arbForeign, { maxLength: 2 }),
    settingsPriceList: fc.boolean(),
  })
  .map((c) => buildWorkOrderCase(c.projects, c.tasks, c.foreign, c.settingsPriceList));

// Ground truth from the tenant, by the rules (never by the product's code).

const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

/**
 * The "ready": Ready to Sync, a leaf (no active child task), its project active. An inactive
 * task is read as not there, as "no active child task" reads its children: it is never ready.
 */
export function readyIn(tasks: readonly TaskRow[], projects: Observation['workOrderProjects'], task: TaskRow): boolean {
  const project = (projects ?? []).find((p) => lc(p.msdyn_projectid) === lc(task._msdyn_project_value));
  const leaf = !tasks.some((c) => c.statecode === 0 && lc(c._msdyn_parenttask_value) === lc(task.msdyn_projecttaskid));
  return task.o25fs_taskstage === READY_TO_SYNC && task.statecode === 0 && leaf && project?.statecode === 0;
}
/** A summary task marked Ready to Sync: a row error (finding reported to the lead: its Unscheduled work order is never canceled). */
export function summaryMarked(c: WorkOrderCase, task: string): boolean {
  const t = c.tenant.tasks.find((x) => x.msdyn_projecttaskid === task);
  return !!t && t.o25fs_taskstage === READY_TO_SYNC && t.statecode === 0 && c.tenant.tasks.some((k) => k.statecode === 0 && k._msdyn_parenttask_value === task);
}
export const readyTasks = (c: WorkOrderCase): TaskRow[] => c.tenant.tasks.filter((t) => readyIn(c.tenant.tasks, c.tenant.projects, t));
export const customerOf = (c: WorkOrderCase, task: TaskRow): string | null => c.tenant.projects.find((p) => p.msdyn_projectid === task._msdyn_project_value)?._msdyn_customer_value ?? null;

const round2 = (n: number): number => Math.round(n * 100) / 100;
const RANK: readonly number[] = [FS_STATUS.scheduled, FS_STATUS.traveling, FS_STATUS.onBreak, FS_STATUS.inProgress, FS_STATUS.completed];

/**
 * The progress rules, from the tenant's rows: each booking's meaning is its status's
 * msdyn_fieldservicestatus (never the name); canceled bookings count for nothing unless all are;
 * with no booking of a mapped status every column is blank. Percent complete: 100 once every
 * counted booking is completed, else the completed share of the planned effort below 100, else 0
 * (the rule stated in reconcilers/project-work-orders/progress.ts, which the issue leaves open).
 */
export function expectedProgress(c: WorkOrderCase, bookings: readonly BookingRow[], planned: number | null): Record<string, number | string | null> {
  const meaning = (b: BookingRow): number | null => c.tenant.bookingStatuses.find((s) => s.bookingstatusid === b._bookingstatus_value)?.msdyn_fieldservicestatus ?? null;
  const mapped = bookings.filter((b) => meaning(b) !== null);
  if (mapped.length === 0) return { o25fs_fieldservicestatus: null, o25fs_actualstart: null, o25fs_actualend: null, o25fs_actualeffort: null, o25fs_effortvariance: null, o25fs_percentcomplete: null };
  const counted = mapped.filter((b) => meaning(b) !== FS_STATUS.canceled);
  const completed = counted.filter((b) => meaning(b) === FS_STATUS.completed);
  const furthest = counted.length === 0 ? FS_STATUS.canceled : RANK[Math.max(...counted.map((b) => RANK.indexOf(meaning(b)!)))]!;
  const allDone = counted.length > 0 && completed.length === counted.length;
  const instants = (xs: (string | null)[]): number[] => xs.filter((x): x is string => x !== null).map((x) => Date.parse(x));
  const arrivals = instants(mapped.map((b) => b.msdyn_actualarrivaltime));
  const ends = instants(completed.map((b) => b.endtime));
  let minutes = 0;
  for (const b of completed) minutes += b.duration ?? 0;
  const actual = round2(minutes / 60);
  return {
    o25fs_fieldservicestatus: furthest,
    o25fs_actualstart: arrivals.length ? new Date(Math.min(...arrivals)).toISOString() : null,
    o25fs_actualend: allDone && ends.length ? new Date(Math.max(...ends)).toISOString() : null,
    o25fs_actualeffort: actual,
    o25fs_effortvariance: planned === null ? null : round2(actual - planned),
    o25fs_percentcomplete: allDone ? 100 : planned !== null && planned > 0 ? Math.min(99, Math.round((100 * actual) / planned)) : 0,
  };
}

/** The task's progress columns, dates as instants (Dataverse may spell one instant two ways). */
export const progressColumns = (t: TaskRow): Record<string, number | string | null> => ({
  o25fs_fieldservicestatus: t.o25fs_fieldservicestatus,
  o25fs_actualstart: t.o25fs_actualstart === null ? null : new Date(Date.parse(t.o25fs_actualstart)).toISOString(),
  o25fs_actualend: t.o25fs_actualend === null ? null : new Date(Date.parse(t.o25fs_actualend)).toISOString(),
  o25fs_actualeffort: t.o25fs_actualeffort,
  o25fs_effortvariance: t.o25fs_effortvariance,
  o25fs_percentcomplete: t.o25fs_percentcomplete,
});

/** A ready task whose alternate key a hand-made work order (no project link) holds, with none of the product's. */
export const keyTaken = (c: WorkOrderCase, t: TaskRow): boolean =>
  readyIn(c.tenant.tasks, c.tenant.projects, t) &&
  c.tenant.workOrders.some((w) => w._o25fs_projecttask_value === t.msdyn_projecttaskid && w._o25fs_project_value === null) &&
  !c.tenant.workOrders.some((w) => w._o25fs_projecttask_value === t.msdyn_projecttaskid && w._o25fs_project_value !== null);

/** A row error: a summary task marked ready, a ready task of a project with no customer, or one whose key is taken. */
export const rowError = (c: WorkOrderCase, t: TaskRow): boolean =>
  summaryMarked(c, t.msdyn_projecttaskid) || (readyIn(c.tenant.tasks, c.tenant.projects, t) && customerOf(c, t) === null) || keyTaken(c, t);
