/**
 * The task's progress columns (o25fs_fieldservicestatus, _actualstart, _actualend, _actualeffort,
 * _effortvariance, _percentcomplete), computed from its work order's bookings (progress.ts). Only
 * custom columns: a task's own effort and progress columns belong to the schedule API, which an
 * application user cannot call
 * (https://learn.microsoft.com/dynamics365/project-operations/project-management/schedule-api-preview),
 * while custom task columns may be written directly
 * (https://learn.microsoft.com/dynamics365/project-operations/project-management/enterprise-task-custom-columns). A Canceled work order's task, and one about to be, is left as it is.
 */
import type { Change, Values } from '../../src/model/plan.js';
import { editRows, taskChange, type TaskKind } from './common.js';
import { sameInstant, taskProgress } from './progress.js';
import { WO_STATUS, type TaskRow } from './rows.js';
import type { DesiredTask, ObservedTask, TaskProgress } from './state.js';

const DATES = new Set(['o25fs_actualstart', 'o25fs_actualend']);

export function progressOf(desired: DesiredTask, observed: ObservedTask): TaskProgress | null {
  const wo = observed.workOrder;
  if (!observed.task) return null;
  // A ready task whose work order this run creates: no booking yet, so nothing to show, and the
  // project counts it from this run on.
  if (!wo) return desired.ready ? taskProgress([], desired.plannedEffort) : null;
  // A ready task's Canceled work order is reopened by this run (work-order.ts): it counts from now.
  if (wo.msdyn_systemstatus === WO_STATUS.canceled && !desired.ready) return null;
  // A task no longer ready whose work order is about to be canceled (work-order.ts) keeps its columns.
  if (!desired.ready && wo.msdyn_systemstatus === WO_STATUS.unscheduled) return null;
  return taskProgress(observed.bookings, desired.plannedEffort);
}

function diff(desired: DesiredTask, observed: ObservedTask): Change[] {
  const want = progressOf(desired, observed);
  const task = observed.task;
  if (!want || !task) return [];
  const changed = (Object.keys(want) as (keyof TaskProgress)[]).filter((k) => (DATES.has(k) ? !sameInstant(task[k] as string | null, want[k] as string | null) : (task[k] ?? null) !== want[k]));
  if (changed.length === 0) return [];
  const before: Values = Object.fromEntries(changed.map((k) => [k, task[k] ?? null]));
  const after: Values = Object.fromEntries(changed.map((k) => [k, want[k]]));
  return [taskChange(desired, 'task.progress', { service: 'dataverse', entity: 'msdyn_projecttask', id: desired.taskId }, before, after, "The task's progress columns follow what its work order's bookings did: the furthest status, first arrival, last completion, actual effort, variance and percent complete.")];
}

export const taskProgressKind: TaskKind = {
  name: 'task-progress',
  changes: [
    {
      kind: 'task.progress',
      label: 'Update task progress',
      runsAfter: [],
      removal: false,
      toRequest: (c) => ({ method: 'PATCH', url: `msdyn_projecttasks(${String(c.target.id)})`, headers: { 'If-Match': '*' }, body: { ...c.after } }),
      effect: (model, c) => ({ model: editRows(model, 'workOrderTasks', (rows: TaskRow[]) => rows.map((t) => (t.msdyn_projecttaskid === c.target.id ? { ...t, ...(c.after ?? {}) } : t))) }),
    },
  ],
  diff,
};
