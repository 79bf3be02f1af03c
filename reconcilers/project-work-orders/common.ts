/**
 * What the project-work-orders kinds share: the kind types bound to the family's state, the
 * subject of a task, building a Change, and editing the in-memory model's rows (the kinds' effects).
 */
import type { ChangeKindSpec, Kind } from '../../src/engine/kind.js';
import type { Observation } from '../../src/model/observation.js';
import type { Change, ChangeKind, ChangeTarget, Subject, Values } from '../../src/model/plan.js';
import { WORK_ORDERS } from './settings.js';
import type { DesiredProject, DesiredTask, ObservedProject, ObservedTask } from './state.js';

/** The settings the family's requests read: none beyond the change (bodies name rows by entity set). */
export type WorkOrderRequestSettings = object;

export type TaskKind = Kind<DesiredTask, ObservedTask, WorkOrderRequestSettings, Observation>;
export type ProjectKind = Kind<DesiredProject, ObservedProject, WorkOrderRequestSettings, Observation>;
export type WorkOrderChangeSpec = ChangeKindSpec<WorkOrderRequestSettings, Observation>;

export function taskSubject(desired: DesiredTask): Subject {
  return { family: WORK_ORDERS, table: 'msdyn_projecttasks', id: desired.taskId, displayName: desired.displayName, group: desired.projectId ? { id: desired.projectId, name: desired.projectName } : null };
}

export function projectSubject(desired: DesiredProject): Subject {
  return { family: WORK_ORDERS, table: 'msdyn_projects', id: desired.projectId, displayName: desired.displayName, group: { id: desired.projectId, name: desired.displayName } };
}

export function taskChange(desired: DesiredTask, kind: ChangeKind, target: ChangeTarget, before: Values | null, after: Values | null, reason: string): Change {
  return { id: `${desired.taskId}/${kind}`, subject: taskSubject(desired), kind, target, before, after, reason, dependsOn: [] };
}

export const onWorkOrder = (id: string): ChangeTarget => ({ service: 'dataverse', entity: 'msdyn_workorder', id });

/** A copy of `model` with one of its row lists edited. */
export function editRows<K extends 'workOrders' | 'workOrderRequirements' | 'workOrderTasks' | 'workOrderProjects'>(model: Observation, field: K, edit: (rows: NonNullable<Observation[K]>) => NonNullable<Observation[K]>): Observation {
  return { ...model, [field]: edit((model[field] ?? []) as NonNullable<Observation[K]>) };
}
