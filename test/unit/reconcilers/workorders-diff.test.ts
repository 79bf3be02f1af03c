/**
 * The project-work-orders diffs (reconcilers/project-work-orders/work-order.ts, requirement.ts,
 * task-progress.ts) on one task: the exact changes every task kind plans, in declaration order, and
 * the exact requests they send. A ready task gets one work order by an upsert keyed on the task;
 * its dates flow to it while Unscheduled or Scheduled; a task no longer ready has its Unscheduled
 * work order canceled and its booked one left alone.
 */
import { describe, expect, it } from 'vitest';
import { TASK_KINDS } from '../../../reconcilers/project-work-orders/index.js';
import { WO_STATUS, type BookingRow, type ProjectRow, type RequirementRow, type TaskRow, type WorkOrderRow } from '../../../reconcilers/project-work-orders/rows.js';
import { type WorkOrderSettings } from '../../../reconcilers/project-work-orders/settings.js';
import { FS_STATUS } from '../../../src/model/field-service.js';
import type { Change, Values } from '../../../src/model/plan.js';
import { bookingId, bookingRow, CUSTOMER, PROJECT, TYPE_PRICE_LIST, requirementId, requirementRow, taskId, taskRow, WO_TYPE, workOrderId, projectRow, workOrderObservation, workOrderRow, workOrderSettings, workOrderSpec, workOrderStateOf } from '../../support/workorders-model.js';

const T = taskId(1);
const W = workOrderId(1);
const R = requirementId(1);
const subject = { family: 'project-work-orders', table: 'msdyn_projecttasks', id: T, displayName: 'Splice cabinet 12', group: { id: PROJECT, name: 'Fibre roll-out Elm Street' } };
const change = (kind: string, target: Change['target'], before: Values | null, after: Values | null, reason: string): Change => ({ id: `${T}/${kind}`, subject, kind: kind as Change['kind'], target, before, after, reason, dependsOn: [] });
const onWo = (id: string): Change['target'] => ({ service: 'dataverse', entity: 'msdyn_workorder', id });

const upsert = (priceList = TYPE_PRICE_LIST) =>
  change(
    'workorder.upsert',
    onWo(`_o25fs_projecttask_value=${T}`),
    null,
    { _o25fs_projecttask_value: T, _o25fs_project_value: PROJECT, _msdyn_serviceaccount_value: CUSTOMER, _msdyn_workordertype_value: WO_TYPE, _msdyn_pricelist_value: priceList, msdyn_systemstatus: WO_STATUS.unscheduled, msdyn_timefrompromised: '2026-12-01T08:00:00Z', msdyn_timetopromised: '2026-12-01T16:00:00Z', msdyn_instructions: 'Splice cabinet 12' },
    "The task is Ready to Sync and has no work order; one is created for it, Unscheduled, for the project's customer, promised for the task's dates.",
  );
const moved = { msdyn_start: '2026-12-03T08:00:00Z', msdyn_finish: '2026-12-04T12:00:00Z' };
const dates = () => change('workorder.update', onWo(W), { msdyn_timefrompromised: '2026-12-01T08:00:00Z', msdyn_timetopromised: '2026-12-01T16:00:00Z' }, { msdyn_timefrompromised: '2026-12-03T08:00:00Z', msdyn_timetopromised: '2026-12-04T12:00:00Z' }, "The task's dates moved while its work order is not yet in progress, so the promised window follows them (bookings are not touched).");
const requirement = (before: Values, after: Values) => change('requirement.update', { service: 'dataverse', entity: 'msdyn_resourcerequirement', id: R }, before, after, "The work order's resource requirement is kept in step with the task: its dates are the task's start and finish, its duration the task's planned effort.");
const cancel = (why: string) => change('workorder.cancel', onWo(W), { msdyn_systemstatus: WO_STATUS.unscheduled }, { msdyn_systemstatus: WO_STATUS.canceled }, `${why}, and its work order is not booked yet, so the work order is canceled.`);
const progress = (before: Values, after: Values) => change('task.progress', { service: 'dataverse', entity: 'msdyn_projecttask', id: T }, before, after, "The task's progress columns follow what its work order's bookings did: the furthest status, first arrival, last completion, actual effort, variance and percent complete.");
/** A task whose work order has no booking yet shows nothing: its progress columns stay blank. */
const synced: Partial<TaskRow> = {};
const shown = { o25fs_actualeffort: 4, o25fs_effortvariance: -4, o25fs_percentcomplete: 50 };

interface Case {
  reason: string;
  task?: Partial<TaskRow>;
  project?: Partial<ProjectRow>;
  workOrder?: Partial<WorkOrderRow> | null;
  requirement?: Partial<RequirementRow> | null;
  bookings?: BookingRow[];
  settings?: Partial<WorkOrderSettings>;
  want: Change[];
}

const cases: Case[] = [
  { reason: 'a ready task with no work order gets one, by an upsert keyed on the task', workOrder: null, requirement: null, want: [upsert()] },
  { reason: 'WORK_ORDER_PRICE_LIST_ID wins over the work order type\'s price list', workOrder: null, requirement: null, settings: { priceListId: 'e0000000-0000-4000-8000-0000000000e2' }, want: [upsert('e0000000-0000-4000-8000-0000000000e2')] },
  { reason: 'a ready task with its work order, requirement and progress in step: converged, nothing', task: synced, want: [] },
  { reason: 'the same instant written another way is no change', task: { ...synced, msdyn_start: '2026-12-01T08:00:00.000Z' }, want: [] },
  { reason: 'the bookings deleted by hand: the progress columns they filled are blanked again', task: shown, want: [progress(shown, { o25fs_actualeffort: null, o25fs_effortvariance: null, o25fs_percentcomplete: null })] },
  { reason: 'task dates moved while Unscheduled: the promised window and the requirement follow', task: { ...synced, ...moved }, want: [dates(), requirement({ msdyn_fromdate: '2026-12-01', msdyn_todate: '2026-12-01' }, { msdyn_fromdate: '2026-12-03', msdyn_todate: '2026-12-04' })] },
  { reason: 'task dates moved while Scheduled: they still follow', task: { ...synced, ...moved }, workOrder: { msdyn_systemstatus: WO_STATUS.scheduled }, want: [dates(), requirement({ msdyn_fromdate: '2026-12-01', msdyn_todate: '2026-12-01' }, { msdyn_fromdate: '2026-12-03', msdyn_todate: '2026-12-04' })] },
  { reason: 'task dates moved once In Progress: the work order and requirement are left alone', task: { ...synced, ...moved }, workOrder: { msdyn_systemstatus: WO_STATUS.inProgress }, want: [] },
  { reason: 'planned effort changed: the requirement\'s duration follows (hours × 60); with no booking there is no variance to write', task: { ...synced, msdyn_effort: 6.5 }, want: [requirement({ msdyn_duration: 480 }, { msdyn_duration: 390 })] },
  { reason: 'no requirement yet (Field Service makes it): none is created', task: synced, requirement: null, want: [] },
  {
    reason: 'a ready task whose work order was canceled is reopened with its dates',
    task: synced,
    workOrder: { msdyn_systemstatus: WO_STATUS.canceled, msdyn_timefrompromised: '2026-12-03T08:00:00Z', msdyn_timetopromised: '2026-12-04T12:00:00Z' },
    want: [change('workorder.update', onWo(W), { msdyn_timefrompromised: '2026-12-03T08:00:00Z', msdyn_timetopromised: '2026-12-04T12:00:00Z', msdyn_systemstatus: WO_STATUS.canceled }, { msdyn_timefrompromised: '2026-12-01T08:00:00Z', msdyn_timetopromised: '2026-12-01T16:00:00Z', msdyn_systemstatus: WO_STATUS.unscheduled }, "The task is Ready to Sync again, so its canceled work order is reopened (Unscheduled) with the task's dates.")],
  },
  { reason: 'a task set back to another stage before booking: its work order is canceled (a removal)', task: { ...synced, o25fs_taskstage: 808950000 }, want: [cancel('The task is no longer Ready to Sync (or no longer a leaf of an active project)')] },
  { reason: 'a task of a deactivated project: the same as not ready, its Unscheduled work order is canceled', task: synced, project: { statecode: 1 }, want: [cancel('The task is no longer Ready to Sync (or no longer a leaf of an active project)')] },
  { reason: 'a task no longer ready whose work order is booked: no change to the work order (a person decides), progress still kept', task: { ...synced, o25fs_taskstage: 808950000 }, workOrder: { msdyn_systemstatus: WO_STATUS.scheduled }, bookings: [bookingRow(bookingId(1), W, FS_STATUS.scheduled)], want: [progress({ o25fs_fieldservicestatus: null, o25fs_actualeffort: null, o25fs_effortvariance: null, o25fs_percentcomplete: null }, { o25fs_fieldservicestatus: FS_STATUS.scheduled, o25fs_actualeffort: 0, o25fs_effortvariance: -8, o25fs_percentcomplete: 0 })] },
  { reason: 'a task no longer ready whose work order is already canceled: nothing', task: { ...synced, o25fs_taskstage: 808950000 }, workOrder: { msdyn_systemstatus: WO_STATUS.canceled }, want: [] },
];

describe('project-work-orders diffs on one task', () => {
  for (const c of cases) {
    it(c.reason, () => {
      const wo = c.workOrder === null ? [] : [workOrderRow(W, T, c.workOrder)];
      const req = c.requirement === null || c.workOrder === null ? [] : [requirementRow(R, W, c.requirement)];
      const obs = workOrderObservation({ projects: [projectRow(c.project)], tasks: [taskRow(T, c.task)], workOrders: wo, requirements: req, bookings: c.bookings ?? [] });
      const { desired, observed } = workOrderStateOf(obs, T, workOrderSettings(c.settings));
      expect(TASK_KINDS.flatMap((k) => k.diff(desired, observed))).toEqual(c.want);
    });
  }

  it('a deleted task (its work order\'s link points at no task) has its Unscheduled work order canceled', () => {
    const obs = workOrderObservation({ tasks: [], workOrders: [workOrderRow(W, T)] });
    const { desired, observed } = workOrderStateOf(obs, T);
    expect(desired.deleted).toBe(true);
    expect(TASK_KINDS.flatMap((k) => k.diff(desired, observed))).toEqual([{ ...cancel('The task was deleted'), subject: { ...subject, displayName: '00042', group: { id: PROJECT, name: null } } }]);
  });
});

describe('project-work-orders requests', () => {
  const settings = {};
  it('workorder.upsert: PATCH by the alternate key, create-only, with the documented binds', () => {
    expect(workOrderSpec('workorder.upsert').toRequest(upsert(), () => undefined, settings)).toEqual({
      method: 'PATCH',
      url: `msdyn_workorders(_o25fs_projecttask_value=${T})`,
      headers: { 'If-None-Match': '*' },
      body: {
        'msdyn_serviceaccount@odata.bind': `/accounts(${CUSTOMER})`,
        'msdyn_workordertype@odata.bind': `/msdyn_workordertypes(${WO_TYPE})`,
        'msdyn_pricelist@odata.bind': `/pricelevels(${TYPE_PRICE_LIST})`,
        msdyn_systemstatus: 690970000,
        msdyn_taxable: false,
        msdyn_timefrompromised: '2026-12-01T08:00:00Z',
        msdyn_timetopromised: '2026-12-01T16:00:00Z',
        msdyn_instructions: 'Splice cabinet 12',
        'o25fs_Project@odata.bind': `/msdyn_projects(${PROJECT})`,
        'o25fs_ProjectTask@odata.bind': `/msdyn_projecttasks(${T})`,
      },
    });
  });

  it('workorder.upsert: 412 (the key\'s row exists) means an earlier attempt created it', () => {
    const spec = workOrderSpec('workorder.upsert');
    expect(spec.alreadyDone?.(upsert(), { status: 412, headers: {}, body: undefined })).toBe(true);
    expect(spec.alreadyDone?.(upsert(), { status: 400, headers: {}, body: undefined })).toBe(false);
  });

  const rows: { reason: string; change: Change; want: unknown }[] = [
    { reason: 'workorder.cancel sets the system status Canceled', change: cancel('x'), want: { method: 'PATCH', url: `msdyn_workorders(${W})`, headers: { 'If-Match': '*' }, body: { msdyn_systemstatus: 690970005 } } },
    { reason: 'workorder.update sends the promised window only', change: dates(), want: { method: 'PATCH', url: `msdyn_workorders(${W})`, headers: { 'If-Match': '*' }, body: { msdyn_timefrompromised: '2026-12-03T08:00:00Z', msdyn_timetopromised: '2026-12-04T12:00:00Z' } } },
    { reason: 'requirement.update sends the changed columns', change: requirement({ msdyn_duration: 480 }, { msdyn_duration: 390 }), want: { method: 'PATCH', url: `msdyn_resourcerequirements(${R})`, headers: { 'If-Match': '*' }, body: { msdyn_duration: 390 } } },
    { reason: 'task.progress writes custom task columns only', change: progress({}, shown), want: { method: 'PATCH', url: `msdyn_projecttasks(${T})`, headers: { 'If-Match': '*' }, body: shown } },
  ];
  for (const r of rows) {
    it(r.reason, () => {
      const request = workOrderSpec(r.change.kind).toRequest(r.change, () => undefined, settings);
      expect(request).toEqual(r.want);
      if (r.change.kind === 'task.progress') for (const k of Object.keys((request.body ?? {}) as object)) expect(k).toMatch(/^o25fs_/);
    });
  }
});
