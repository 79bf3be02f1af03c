/**
 * Desired and observed state per project task (desired.ts, match.ts) and per project (the progress
 * the product keeps on it). A task's subject is its row; a deleted task's is its work order's link.
 */
import type { BookingRow, ProjectRow, RequirementRow, TaskRow, WorkOrderRow } from './rows.js';

/** The work order a ready task should have (issue 14: the upsert's body). */
export interface WorkOrderSpec {
  serviceAccountId: string;
  workOrderTypeId: string;
  priceListId: string;
  /** The promised window: the task's start and finish. */
  start: string | null;
  finish: string | null;
  instructions: string;
}

/** The task's progress columns, from its work order's bookings (progress.ts). */
export interface TaskProgress {
  o25fs_fieldservicestatus: number | null;
  o25fs_actualstart: string | null;
  o25fs_actualend: string | null;
  o25fs_actualeffort: number | null;
  o25fs_effortvariance: number | null;
  o25fs_percentcomplete: number | null;
}

export interface DesiredTask {
  taskId: string;
  projectId: string;
  displayName: string;
  projectName: string | null;
  /** Ready to Sync, a leaf, in an active project. */
  ready: boolean;
  /** The task row is gone; its work order remains. */
  deleted: boolean;
  /** What its work order should be; null when the task is not ready. */
  workOrder: WorkOrderSpec | null;
  /** Planned effort, hours (the requirement's duration). */
  plannedEffort: number | null;
}

export interface BookingView {
  row: BookingRow;
  /** The booking status's msdyn_fieldservicestatus; null when unmapped (ignored, and warned of). */
  fieldServiceStatus: number | null;
}

export interface ObservedTask {
  task: TaskRow | null;
  /** The task's work order (the alternate key allows one), whatever its status. */
  workOrder: WorkOrderRow | null;
  /** The requirement Field Service created with it (the oldest, when there are several). */
  requirement: RequirementRow | null;
  bookings: BookingView[];
}

export interface DesiredProject {
  projectId: string;
  displayName: string;
  tasksCompleted: number;
  percentComplete: number;
}

export interface ObservedProject {
  project: ProjectRow;
}
