/**
 * The work order's resource requirement (msdyn_resourcerequirement). Field Service creates one with
 * every work order (https://learn.microsoft.com/dynamics365/field-service/booking-requirement-status-relationship),
 * so the product finds it (_msdyn_workorder_value) and never creates another; it
 * keeps its dates (DateOnly: the task's start and finish days) and its duration (minutes: the
 * task's planned effort in hours × 60) in step with the task while the work order is Unscheduled or
 * Scheduled, as the promised window is (work-order.ts). No requirement yet: nothing to do until
 * Field Service has made it.
 */
import type { Change, Values } from '../../src/model/plan.js';
import { editRows, taskChange, type TaskKind } from './common.js';
import { WO_STATUS, type RequirementRow } from './rows.js';
import type { DesiredTask, ObservedTask } from './state.js';

const day = (instant: string | null): string | null => (instant === null ? null : new Date(Date.parse(instant)).toISOString().slice(0, 10));

export function requirementValues(desired: DesiredTask): Values {
  return {
    msdyn_fromdate: day(desired.workOrder?.start ?? null),
    msdyn_todate: day(desired.workOrder?.finish ?? null),
    msdyn_duration: Math.round((desired.plannedEffort ?? 0) * 60),
  };
}

function diff(desired: DesiredTask, observed: ObservedTask): Change[] {
  const wo = observed.workOrder;
  const req = observed.requirement;
  if (!desired.ready || !wo || !req) return [];
  // A Canceled work order of a ready task is reopened (Unscheduled) by this run's workorder.update.
  if (wo.msdyn_systemstatus !== WO_STATUS.unscheduled && wo.msdyn_systemstatus !== WO_STATUS.scheduled && wo.msdyn_systemstatus !== WO_STATUS.canceled) return [];
  const want = requirementValues(desired);
  const have: Values = { msdyn_fromdate: req.msdyn_fromdate, msdyn_todate: req.msdyn_todate, msdyn_duration: req.msdyn_duration };
  const changed = Object.keys(want).filter((k) => (want[k] ?? null) !== (have[k] ?? null));
  if (changed.length === 0) return [];
  const pick = (v: Values): Values => Object.fromEntries(changed.map((k) => [k, v[k] ?? null]));
  return [
    taskChange(desired, 'requirement.update', { service: 'dataverse', entity: 'msdyn_resourcerequirement', id: req.msdyn_resourcerequirementid }, pick(have), pick(want), "The work order's resource requirement is kept in step with the task: its dates are the task's start and finish, its duration the task's planned effort."),
  ];
}

export const requirementKind: TaskKind = {
  name: 'requirement',
  changes: [
    {
      kind: 'requirement.update',
      label: 'Update resource requirement',
      runsAfter: ['workorder.update'],
      removal: false,
      toRequest: (c) => ({ method: 'PATCH', url: `msdyn_resourcerequirements(${String(c.target.id)})`, headers: { 'If-Match': '*' }, body: { ...c.after } }),
      effect: (model, c) => ({
        model: editRows(model, 'workOrderRequirements', (rows: RequirementRow[]) => rows.map((r) => (r.msdyn_resourcerequirementid === c.target.id ? { ...r, ...(c.after ?? {}) } : r))),
      }),
    },
  ],
  diff,
};
