/**
 * The project-work-orders family (issue 14, seed 002: Project Operations tasks become Field Service
 * work orders, and the bookings' progress comes back to the tasks). Every ready task has exactly one
 * work order, kept in step with the task's dates while not yet in progress, and every task with a
 * work order shows what its bookings did; a task no longer ready has its unbooked work order
 * canceled (guarded) and its booked one reported as needing a person. src/engine/family.ts states
 * the contract; desired.ts, match.ts and the kinds (index.ts) do the work; status.ts writes the
 * task's o25fs_syncerror.
 */
import type { Family, FamilyPlan } from '../../src/engine/family.js';
import { cmp } from '../../src/engine/compare.js';
import { ConfigurationError, ContactError } from '../../src/model/errors.js';
import type { Observation } from '../../src/model/observation.js';
import type { Change, ErrorInfo, ProvisioningStatus, RunScope, SubjectDetail, SubjectPlan } from '../../src/model/plan.js';
import { projectSubject, taskSubject } from './common.js';
import { computeTaskDesired, workOrderPriceList } from './desired.js';
import { PROJECT_KINDS, TASK_KINDS, WORK_ORDER_KINDS } from './index.js';
import { indexWorkOrders, lc, observedTask, type WorkOrderIndex } from './match.js';
import { observeWorkOrders, workOrderIncremental } from './observe.js';
import { WO_STATUS, type WorkOrderRow } from './rows.js';
import { WORK_ORDERS, type WorkOrderSettings } from './settings.js';
import type { DesiredProject, DesiredTask, ObservedTask } from './state.js';
import { workOrderStatusWrites } from './status.js';
import { WORK_ORDER_TABLES } from './tables.js';
import { workOrderKind } from './work-order.js';
import { progressOf } from './task-progress.js';
import './change-kinds.js';
import './observation.js';

export function checkWorkOrderConfiguration(observation: Observation, settings: WorkOrderSettings): void {
  if ((observation.workOrderTypes ?? []).some((t) => lc(t.msdyn_workordertypeid) === settings.workOrderTypeId)) {
    workOrderPriceList(settings, indexWorkOrders(observation));
    return;
  }
  throw new ConfigurationError(
    'WORKORDER_TYPE_NOT_FOUND',
    `WORK_ORDER_TYPE_ID=${settings.workOrderTypeId} is not an active work order type (msdyn_workordertype) of this environment, so no work order can be created; the run stops.`,
    'Set WORK_ORDER_TYPE_ID to the id of an active work order type (Field Service, Settings, Work Order Types), or clear it to turn the project-work-orders family off.',
  );
}

const BOOKED = new Set<number>([WO_STATUS.scheduled, WO_STATUS.inProgress]);

const WO_STATUS_WORDS: Readonly<Record<number, string>> = { [WO_STATUS.unscheduled]: 'Unscheduled', [WO_STATUS.scheduled]: 'Scheduled', [WO_STATUS.inProgress]: 'In Progress', [WO_STATUS.completed]: 'Completed', [WO_STATUS.posted]: 'Posted', [WO_STATUS.canceled]: 'Canceled' };

/** The task's work order as observed, for the report's project section (SubjectPlan.detail). */
function workOrderDetail(wo: WorkOrderRow | null | undefined): { detail?: SubjectDetail } {
  if (!wo) return {};
  return { detail: { label: 'Work order', id: wo.msdyn_workorderid, name: wo.msdyn_name ?? null, status: WO_STATUS_WORDS[wo.msdyn_systemstatus] ?? String(wo.msdyn_systemstatus) } };
}

function inScope(taskId: string, projectId: string, scope: RunScope): boolean {
  if (scope.kind === 'tenant') return true;
  if (scope.family !== WORK_ORDERS) return false;
  if (scope.kind === 'group') return projectId === lc(scope.groupId);
  return scope.subjectIds.some((id) => lc(id) === taskId);
}

/** What needs a person on this task: a booked work order it no longer wants, unmapped booking statuses. */
export function taskWarnings(desired: DesiredTask, observed: ObservedTask): ErrorInfo[] {
  const out: ErrorInfo[] = [];
  const wo = observed.workOrder;
  if (!desired.ready && wo && BOOKED.has(wo.msdyn_systemstatus)) {
    out.push(
      new ContactError(
        'WORKORDER_NEEDS_PERSON',
        `${desired.deleted ? 'The task was deleted' : 'The task is no longer Ready to Sync'}, but its work order ${wo.msdyn_name ?? wo.msdyn_workorderid} is already booked, so the product leaves it as it is.`,
        'A dispatcher decides: cancel the bookings and the work order, or set the task back to Ready to Sync.',
      ).toJSON(),
    );
  }
  const unmapped = observed.bookings.filter((b) => b.fieldServiceStatus === null);
  if (unmapped.length > 0) {
    out.push(
      new ContactError(
        'BOOKING_STATUS_UNMAPPED',
        `${unmapped.length} booking(s) of the task's work order have a booking status with no field service status (msdyn_fieldservicestatus), so they do not count towards its progress.`,
        'Set the Field Service Status on that booking status (Field Service, Settings, Booking Statuses).',
      ).toJSON(),
    );
  }
  return out;
}

function plannedStatus(desired: DesiredTask, observed: ObservedTask, changes: readonly Change[]): ProvisioningStatus {
  if (desired.ready) return changes.length > 0 ? 'pending' : 'active';
  const wo = observed.workOrder;
  if (!wo) return 'out_of_scope';
  if (wo.msdyn_systemstatus === WO_STATUS.unscheduled || wo.msdyn_systemstatus === WO_STATUS.canceled) return 'deprovisioned';
  return changes.length > 0 ? 'pending' : 'active';
}

function deletedTask(wo: WorkOrderRow): DesiredTask {
  const projectId = lc(wo._o25fs_project_value);
  return { taskId: lc(wo._o25fs_projecttask_value) || lc(wo.msdyn_workorderid), projectId, displayName: wo.msdyn_name ?? wo.msdyn_workorderid, projectName: null, ready: false, deleted: true, workOrder: null, plannedEffort: null };
}

/** Every task the plan diffs, with its desired and observed state (the kit uses it too). */
export function taskStates(observation: Observation, settings: WorkOrderSettings, index: WorkOrderIndex = indexWorkOrders(observation)): { desired: DesiredTask; observed: ObservedTask; stored: string | null }[] {
  const out: { desired: DesiredTask; observed: ObservedTask; stored: string | null }[] = [];
  for (const task of index.tasks.values()) {
    const outcome = computeTaskDesired(task, settings, index);
    if (!outcome.ok) continue;
    const wo = index.byTask.get(outcome.desired.taskId) ?? null;
    out.push({ desired: outcome.desired, observed: observedTask(task, wo, index), stored: task.o25fs_syncerror ?? null });
  }
  for (const wo of index.ofDeletedTasks) out.push({ desired: deletedTask(wo), observed: observedTask(null, wo, index), stored: null });
  return out.sort((a, b) => cmp(a.desired.taskId, b.desired.taskId));
}

/** Each project with a task whose work order is not Canceled: its tasks completed and percent complete. */
export function projectStates(observation: Observation, settings: WorkOrderSettings, index: WorkOrderIndex = indexWorkOrders(observation)): { desired: DesiredProject; observed: { project: NonNullable<Observation['workOrderProjects']>[number] } }[] {
  const tally = new Map<string, { tracked: number; completed: number }>();
  for (const { desired, observed } of taskStates(observation, settings, index)) {
    const progress = progressOf(desired, observed);
    if (!progress || desired.deleted) continue;
    const t = tally.get(desired.projectId) ?? { tracked: 0, completed: 0 };
    tally.set(desired.projectId, { tracked: t.tracked + 1, completed: t.completed + (progress.o25fs_percentcomplete === 100 ? 1 : 0) });
  }
  return [...tally.entries()].sort(([a], [b]) => cmp(a, b)).flatMap(([projectId, t]) => {
    const project = index.projects.get(projectId);
    if (!project) return [];
    return [{ desired: { projectId, displayName: project.msdyn_subject ?? projectId, tasksCompleted: t.completed, percentComplete: Math.round((100 * t.completed) / t.tracked) }, observed: { project } }];
  });
}

function planWorkOrders(observation: Observation, settings: WorkOrderSettings, scope: RunScope): FamilyPlan {
  const index = indexWorkOrders(observation);
  const changes: Change[] = [];
  const subjects: SubjectPlan[] = [];
  const tasks = [...index.tasks.values()].sort((a, b) => cmp(lc(a.msdyn_projecttaskid), lc(b.msdyn_projecttaskid)));
  // Tasks whose data stops them: an error on their row, no change.
  for (const task of tasks) {
    const outcome = computeTaskDesired(task, settings, index);
    if (outcome.ok || !inScope(lc(task.msdyn_projecttaskid), outcome.projectId, scope)) continue;
    const project = index.projects.get(outcome.projectId);
    const subject = { family: WORK_ORDERS, table: 'msdyn_projecttasks', id: lc(task.msdyn_projecttaskid), displayName: outcome.displayName, group: outcome.projectId ? { id: outcome.projectId, name: project?.msdyn_subject ?? null } : null };
    // A summary task is not ready (not a leaf): its work order goes as a task no longer ready's does.
    const wo = index.byTask.get(lc(task.msdyn_projecttaskid)) ?? null;
    const notReady: DesiredTask = { taskId: subject.id, projectId: outcome.projectId, displayName: outcome.displayName, projectName: project?.msdyn_subject ?? null, ready: false, deleted: false, workOrder: null, plannedEffort: task.msdyn_effort ?? null };
    const observed = wo ? observedTask(task, wo, index) : null;
    const own = outcome.error.code === 'WORKORDER_SUMMARY_TASK' && observed ? workOrderKind.diff(notReady, observed) : [];
    const warnings = own.length === 0 && observed ? taskWarnings(notReady, observed) : [];
    changes.push(...own);
    subjects.push({ subject, intent: 'provision', status: 'error', storedStatus: null, storedError: task.o25fs_syncerror ?? null, error: outcome.error.toJSON(), changeIds: own.map((c) => c.id), ...(warnings.length > 0 ? { warnings } : {}), ...workOrderDetail(wo) });
  }
  for (const { desired, observed, stored } of taskStates(observation, settings, index)) {
    if (!inScope(desired.taskId, desired.projectId, scope)) continue;
    if (!desired.ready && !observed.workOrder && stored === null) continue;
    const own = TASK_KINDS.flatMap((k) => k.diff(desired, observed));
    const warnings = taskWarnings(desired, observed);
    changes.push(...own);
    subjects.push({
      subject: taskSubject(desired),
      intent: desired.ready ? 'provision' : observed.workOrder ? 'deprovision' : 'ignore',
      status: plannedStatus(desired, observed, own),
      storedStatus: null,
      storedError: stored,
      changeIds: own.map((c) => c.id).sort(cmp),
      ...(warnings.length > 0 ? { warnings } : {}),
      ...(desired.deleted ? { deleted: true as const } : {}),
      ...workOrderDetail(observed.workOrder),
    });
  }
  for (const { desired, observed } of projectStates(observation, settings, index)) {
    if (scope.kind !== 'tenant' && (scope.family !== WORK_ORDERS || (scope.kind === 'group' && lc(scope.groupId) !== desired.projectId) || scope.kind === 'subjects')) continue;
    const own = PROJECT_KINDS.flatMap((k) => k.diff(desired, observed));
    changes.push(...own);
    subjects.push({ subject: projectSubject(desired), intent: 'provision', status: own.length > 0 ? 'pending' : 'active', storedStatus: null, storedError: null, changeIds: own.map((c) => c.id) });
  }
  subjects.sort((a, b) => cmp(a.subject.id, b.subject.id));
  return { changes, subjects, orphans: [], licences: [] };
}

export const workOrdersFamily: Family<WorkOrderSettings> = {
  name: WORK_ORDERS,
  tables: WORK_ORDER_TABLES,
  kinds: WORK_ORDER_KINDS,
  settingsOf: (settings) => settings.families[WORK_ORDERS] ?? null,
  observe: (rows) => observeWorkOrders(rows),
  incremental: workOrderIncremental,
  checkConfiguration: (observation, settings) => checkWorkOrderConfiguration(observation, settings),
  plan: (observation, settings, _core, scope) => planWorkOrders(observation, settings, scope),
  statusWrites: (subjects, statuses) => workOrderStatusWrites(subjects, statuses),
  // The removal threshold's base: work orders of existing tasks that are not Canceled.
  withAccess: (observation) => [...indexWorkOrders(observation).byTask.values()].filter((w) => w.msdyn_systemstatus !== WO_STATUS.canceled).length,
  createdAt: (observation) => {
    const rows = new Map((observation.workOrderTasks ?? []).map((t) => [lc(t.msdyn_projecttaskid), t.createdon ?? null]));
    return (subjectId) => rows.get(lc(subjectId)) ?? null;
  },
};
