/**
 * What the observation holds for each project task: its project, whether it has child tasks, its
 * work order (by the o25fs_projecttask link the alternate key keeps unique), the requirement Field
 * Service created with it and its bookings, each with its status's msdyn_fieldservicestatus.
 * Work orders linked to a project but to no task that still exists belong to deleted tasks.
 */
import type { Observation } from '../../src/model/observation.js';
import type { BookingRow, BookingStatusRow, ProjectRow, RequirementRow, TaskRow, WorkOrderRow, WorkOrderTypeRow } from './rows.js';
import type { BookingView, ObservedTask } from './state.js';

export const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

export interface WorkOrderIndex {
  tasks: ReadonlyMap<string, TaskRow>;
  projects: ReadonlyMap<string, ProjectRow>;
  /** Tasks that are some task's parent (summary tasks). */
  parents: ReadonlySet<string>;
  byTask: ReadonlyMap<string, WorkOrderRow>;
  /** Work orders whose task row is gone (the link cleared or pointing at no task). */
  ofDeletedTasks: readonly WorkOrderRow[];
  /** Work orders not linked to a project that name a task (o25fs_projecttask): not the product's. */
  keyHolders: ReadonlyMap<string, WorkOrderRow>;
  requirements: ReadonlyMap<string, RequirementRow[]>;
  bookings: ReadonlyMap<string, BookingRow[]>;
  statuses: ReadonlyMap<string, BookingStatusRow>;
  /** Active work order types, by id. */
  types: ReadonlyMap<string, WorkOrderTypeRow>;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k !== '') out.set(k, [...(out.get(k) ?? []), row]);
  }
  return out;
}

export function indexWorkOrders(observation: Observation): WorkOrderIndex {
  const tasks = new Map((observation.workOrderTasks ?? []).map((t) => [lc(t.msdyn_projecttaskid), t]));
  const byTask = new Map<string, WorkOrderRow>();
  const ofDeletedTasks: WorkOrderRow[] = [];
  const keyHolders = new Map<string, WorkOrderRow>();
  const workOrders = [...(observation.workOrders ?? [])].sort((a, b) => lc(a.msdyn_workorderid).localeCompare(lc(b.msdyn_workorderid)));
  for (const wo of workOrders) {
    // Only the product's work orders (linked to a project): the table's filter says so, and the
    // index says it again so no other read path can bring someone else's work order into the plan.
    const task = lc(wo._o25fs_projecttask_value);
    if (lc(wo._o25fs_project_value) === '') {
      // Someone else's work order that holds a task's key: kept apart, only to explain the task's error.
      if (task !== '' && !keyHolders.has(task)) keyHolders.set(task, wo);
      continue;
    }
    if (task !== '' && tasks.has(task)) {
      if (!byTask.has(task)) byTask.set(task, wo);
    } else ofDeletedTasks.push(wo);
  }
  return {
    tasks,
    projects: new Map((observation.workOrderProjects ?? []).map((p) => [lc(p.msdyn_projectid), p])),
    parents: new Set((observation.workOrderTasks ?? []).filter((t) => t.statecode === 0).map((t) => lc(t._msdyn_parenttask_value)).filter((id) => id !== '')),
    byTask,
    ofDeletedTasks,
    keyHolders,
    requirements: groupBy(observation.workOrderRequirements ?? [], (r) => lc(r._msdyn_workorder_value)),
    bookings: groupBy(observation.workOrderBookings ?? [], (b) => lc(b._msdyn_workorder_value)),
    statuses: new Map((observation.bookingStatuses ?? []).map((s) => [lc(s.bookingstatusid), s])),
    types: new Map((observation.workOrderTypes ?? []).map((t) => [lc(t.msdyn_workordertypeid), t])),
  };
}

/** The observed state of a task (null: a deleted task) and its work order. */
export function observedTask(task: TaskRow | null, workOrder: WorkOrderRow | null, index: WorkOrderIndex): ObservedTask {
  const woId = lc(workOrder?.msdyn_workorderid);
  const requirement = [...(index.requirements.get(woId) ?? [])].sort((a, b) => String(a.createdon ?? '').localeCompare(String(b.createdon ?? '')) || lc(a.msdyn_resourcerequirementid).localeCompare(lc(b.msdyn_resourcerequirementid)))[0] ?? null;
  const bookings: BookingView[] = [...(index.bookings.get(woId) ?? [])]
    .sort((a, b) => lc(a.bookableresourcebookingid).localeCompare(lc(b.bookableresourcebookingid)))
    .map((row) => ({ row, fieldServiceStatus: index.statuses.get(lc(row._bookingstatus_value))?.msdyn_fieldservicestatus ?? null }));
  return { task, workOrder, requirement, bookings };
}
