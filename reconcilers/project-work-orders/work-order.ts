/**
 * The task's work order (msdyn_workorder), one per ready task:
 *
 * - workorder.upsert: created by an upsert keyed on the task (the alternate key on o25fs_projecttask:
 *   PATCH msdyn_workorders(_o25fs_projecttask_value=<task>) (Learn: "Use an alternate key to reference a record": a key on a lookup is addressed by its lookup property):
 *   https://learn.microsoft.com/power-apps/developer/data-platform/use-upsert-insert-update-record),
 *   with If-None-Match: * so that it only ever creates ("Prevent update in upsert":
 *   https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api):
 *   a rerun after a crash gets 412 and knows it is done, and a work order a dispatcher has moved on
 *   is never reset;
 * - workorder.update: the task's start and finish flow to the promised window while the work order
 *   is Unscheduled or Scheduled, never the other way and never touching bookings, as Microsoft's own
 *   integration does (https://learn.microsoft.com/dynamics365/project-operations/field-service-integration/project-operations-integration-overview);
 *   a Canceled work order of a task ready again is reopened;
 * - workorder.cancel: a task no longer ready, or deleted, has its work order Canceled while it is
 *   still Unscheduled (a guarded removal). Once booked it is left alone (family.ts reports it).
 */
import { createHash } from 'node:crypto';
import type { Change, Values } from '../../src/model/plan.js';
import { editRows, onWorkOrder, taskChange, type TaskKind } from './common.js';
import { sameInstant } from './progress.js';
import { WO_STATUS, type RequirementRow, type WorkOrderRow } from './rows.js';
import type { DesiredTask, ObservedTask } from './state.js';

const ACTIVE_STATUSES = new Set<number>([WO_STATUS.unscheduled, WO_STATUS.scheduled]);

/** The work order's id in the in-memory model (Dataverse assigns the real one). */
export function modelId(prefix: string, taskId: string): string {
  const h = createHash('sha1').update(`${prefix}:${taskId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function diff(desired: DesiredTask, observed: ObservedTask): Change[] {
  const wo = observed.workOrder;
  const spec = desired.workOrder;
  if (desired.ready && spec) {
    if (!wo) {
      const after: Values = {
        _o25fs_projecttask_value: desired.taskId,
        _o25fs_project_value: desired.projectId,
        _msdyn_serviceaccount_value: spec.serviceAccountId,
        _msdyn_workordertype_value: spec.workOrderTypeId,
        _msdyn_pricelist_value: spec.priceListId,
        msdyn_systemstatus: WO_STATUS.unscheduled,
        msdyn_timefrompromised: spec.start,
        msdyn_timetopromised: spec.finish,
        msdyn_instructions: spec.instructions,
      };
      return [taskChange(desired, 'workorder.upsert', onWorkOrder(`_o25fs_projecttask_value=${desired.taskId}`), null, after, 'The task is Ready to Sync and has no work order; one is created for it, Unscheduled, for the project\'s customer, promised for the task\'s dates.')];
    }
    const reopen = wo.msdyn_systemstatus === WO_STATUS.canceled;
    if (!reopen && !ACTIVE_STATUSES.has(wo.msdyn_systemstatus)) return [];
    const datesMoved = !sameInstant(wo.msdyn_timefrompromised, spec.start) || !sameInstant(wo.msdyn_timetopromised, spec.finish);
    if (!reopen && !datesMoved) return [];
    const before: Values = { msdyn_timefrompromised: wo.msdyn_timefrompromised, msdyn_timetopromised: wo.msdyn_timetopromised, ...(reopen ? { msdyn_systemstatus: wo.msdyn_systemstatus } : {}) };
    const after: Values = { msdyn_timefrompromised: spec.start, msdyn_timetopromised: spec.finish, ...(reopen ? { msdyn_systemstatus: WO_STATUS.unscheduled } : {}) };
    const reason = reopen
      ? 'The task is Ready to Sync again, so its canceled work order is reopened (Unscheduled) with the task\'s dates.'
      : 'The task\'s dates moved while its work order is not yet in progress, so the promised window follows them (bookings are not touched).';
    return [taskChange(desired, 'workorder.update', onWorkOrder(wo.msdyn_workorderid), before, after, reason)];
  }
  if (wo && wo.msdyn_systemstatus === WO_STATUS.unscheduled) {
    const why = desired.deleted ? 'The task was deleted' : 'The task is no longer Ready to Sync (or no longer a leaf of an active project)';
    return [taskChange(desired, 'workorder.cancel', onWorkOrder(wo.msdyn_workorderid), { msdyn_systemstatus: WO_STATUS.unscheduled }, { msdyn_systemstatus: WO_STATUS.canceled }, `${why}, and its work order is not booked yet, so the work order is canceled.`)];
  }
  return [];
}

const setColumns = (id: string, values: Values) => (rows: WorkOrderRow[]): WorkOrderRow[] => rows.map((r) => (r.msdyn_workorderid === id ? { ...r, ...values } : r));

export const workOrderKind: TaskKind = {
  name: 'work-order',
  changes: [
    {
      kind: 'workorder.upsert',
      label: 'Create work order',
      runsAfter: [],
      removal: false,
      toRequest: (c) => {
        const a = c.after ?? {};
        return {
          method: 'PATCH',
          url: `msdyn_workorders(_o25fs_projecttask_value=${String(a._o25fs_projecttask_value)})`,
          headers: { 'If-None-Match': '*' },
          body: {
            'msdyn_serviceaccount@odata.bind': `/accounts(${String(a._msdyn_serviceaccount_value)})`,
            'msdyn_workordertype@odata.bind': `/msdyn_workordertypes(${String(a._msdyn_workordertype_value)})`,
            'msdyn_pricelist@odata.bind': `/pricelevels(${String(a._msdyn_pricelist_value)})`,
            msdyn_systemstatus: a.msdyn_systemstatus,
            msdyn_taxable: false,
            msdyn_timefrompromised: a.msdyn_timefrompromised,
            msdyn_timetopromised: a.msdyn_timetopromised,
            msdyn_instructions: a.msdyn_instructions,
            'o25fs_Project@odata.bind': `/msdyn_projects(${String(a._o25fs_project_value)})`,
            'o25fs_ProjectTask@odata.bind': `/msdyn_projecttasks(${String(a._o25fs_projecttask_value)})`,
          },
        };
      },
      // If-None-Match: * refuses with 412 when the key's row exists: an earlier attempt created it.
      alreadyDone: (_c, response) => response.status === 412,
      effect: (model, c) => {
        const a = c.after ?? {};
        const task = String(a._o25fs_projecttask_value);
        const row: WorkOrderRow = {
          msdyn_workorderid: modelId('workorder', task),
          msdyn_name: null,
          _o25fs_projecttask_value: task,
          _o25fs_project_value: String(a._o25fs_project_value),
          msdyn_systemstatus: WO_STATUS.unscheduled,
          _msdyn_serviceaccount_value: String(a._msdyn_serviceaccount_value),
          _msdyn_workordertype_value: String(a._msdyn_workordertype_value),
          _msdyn_pricelist_value: String(a._msdyn_pricelist_value),
          msdyn_timefrompromised: (a.msdyn_timefrompromised as string | null) ?? null,
          msdyn_timetopromised: (a.msdyn_timetopromised as string | null) ?? null,
          msdyn_instructions: String(a.msdyn_instructions),
        };
        if ((model.workOrders ?? []).some((w) => w._o25fs_projecttask_value === task)) throw new Error(`model: a second work order for task ${task}`);
        // Field Service creates the work order's resource requirement itself.
        const requirement: RequirementRow = { msdyn_resourcerequirementid: modelId('requirement', task), _msdyn_workorder_value: row.msdyn_workorderid, msdyn_fromdate: null, msdyn_todate: null, msdyn_duration: 0, createdon: model.observedAt };
        const withOrder = editRows(model, 'workOrders', (rows) => [...rows, row]);
        return { model: editRows(withOrder, 'workOrderRequirements', (rows) => [...rows, requirement]), createdId: row.msdyn_workorderid };
      },
    },
    {
      kind: 'workorder.update',
      label: 'Update work order dates',
      runsAfter: [],
      removal: false,
      toRequest: (c) => ({ method: 'PATCH', url: `msdyn_workorders(${String(c.target.id)})`, headers: { 'If-Match': '*' }, body: { ...c.after } }),
      effect: (model, c) => ({ model: editRows(model, 'workOrders', setColumns(String(c.target.id), c.after ?? {})) }),
    },
    {
      kind: 'workorder.cancel',
      label: 'Cancel work order',
      runsAfter: [],
      removal: true,
      access: { msdyn_systemstatus: WO_STATUS.unscheduled },
      toRequest: (c) => ({ method: 'PATCH', url: `msdyn_workorders(${String(c.target.id)})`, headers: { 'If-Match': '*' }, body: { msdyn_systemstatus: WO_STATUS.canceled } }),
      effect: (model, c) => ({ model: editRows(model, 'workOrders', setColumns(String(c.target.id), { msdyn_systemstatus: WO_STATUS.canceled })) }),
    },
  ],
  diff,
};
