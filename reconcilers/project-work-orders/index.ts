/**
 * The project-work-orders family's kinds, in declaration order (the apply order follows from it and
 * their runsAfter, src/engine/kind-order.ts):
 * - work-order.ts: the task's work order (create by upsert, follow the task's dates, cancel);
 * - requirement.ts: the requirement Field Service created with it;
 * - task-progress.ts: the task's progress columns from the bookings;
 * - project-progress.ts: the project's tasks completed and percent complete.
 */
import type { FamilyKind } from '../../src/engine/family.js';
import type { ProjectKind, TaskKind } from './common.js';
import { projectProgressKind } from './project-progress.js';
import { requirementKind } from './requirement.js';
import { taskProgressKind } from './task-progress.js';
import { workOrderKind } from './work-order.js';

export const TASK_KINDS: readonly TaskKind[] = [workOrderKind, requirementKind, taskProgressKind];
export const PROJECT_KINDS: readonly ProjectKind[] = [projectProgressKind];

export const WORK_ORDER_KINDS: readonly FamilyKind[] = [...TASK_KINDS, ...PROJECT_KINDS] as readonly FamilyKind[];
