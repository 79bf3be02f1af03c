/**
 * The project-work-orders family as the core calls it (reconcilers/project-work-orders/family.ts):
 * which tasks are ready, the errors on a task's row (a summary task marked ready, a project with no
 * customer, no price list), the configuration error of a missing work order type, the subjects'
 * statuses and warnings (a booked work order of a task no longer ready needs a person, a booking
 * status with no field service mapping), the o25fs_syncerror writes, and the settings.
 */
import { describe, expect, it } from 'vitest';
import { workOrdersFamily } from '../../../reconcilers/project-work-orders/family.js';
import { WO_STATUS } from '../../../reconcilers/project-work-orders/rows.js';
import { DEFAULT_STAGE_STATUSES, workOrderSettingsSpec } from '../../../reconcilers/project-work-orders/settings.js';
import { FS_STATUS } from '../../../src/model/field-service.js';
import { parseSettings } from '../../../src/config.js';
import { buildPlan } from '../../../src/engine/compose.js';
import { finalStatuses, type FinalStatus } from '../../../src/engine/status.js';
import { ConfigurationError } from '../../../src/model/errors.js';
import type { SubjectPlan } from '../../../src/model/plan.js';
import { bookingId, bookingRow, PROJECT, projectRow, requirementId, requirementRow, taskId, taskRow, UNMAPPED_STATUS, workOrderId, workOrderObservation, workOrderRow, workOrderSettings, workOrderTestSettings, WO_TYPE } from '../../support/workorders-model.js';

const TENANT = { kind: 'tenant' } as const;
const [T1, T2] = [taskId(1), taskId(2)];
const W = workOrderId(1);
const plan = (obs: ReturnType<typeof workOrderObservation>) => workOrdersFamily.plan(obs, workOrderSettings(), workOrderTestSettings(), TENANT);
const only = (subjects: SubjectPlan[], id: string): SubjectPlan => subjects.find((s) => s.subject.id === id)!;

describe('ready tasks and the errors on their rows', () => {
  const cases: { reason: string; obs: () => ReturnType<typeof workOrderObservation>; id: string; status: string; code?: string; changes: string[] }[] = [
    { reason: 'a ready leaf task of an active project: its work order is planned', obs: () => workOrderObservation({ tasks: [taskRow(T1)] }), id: T1, status: 'pending', changes: ['workorder.upsert'] },
    { reason: 'a summary task marked ready is an error on its row, and gets no work order', obs: () => workOrderObservation({ tasks: [taskRow(T1), taskRow(T2, { _msdyn_parenttask_value: T1, o25fs_taskstage: null })] }), id: T1, status: 'error', code: 'WORKORDER_SUMMARY_TASK', changes: [] },
    { reason: 'a ready task whose project has no customer is an error (no service account)', obs: () => workOrderObservation({ projects: [projectRow({ _msdyn_customer_value: null })], tasks: [taskRow(T1)] }), id: T1, status: 'error', code: 'WORKORDER_PROJECT_NO_CUSTOMER', changes: [] },
    { reason: 'a ready task of an inactive project is not ready: nothing planned, and no subject without a work order', obs: () => workOrderObservation({ projects: [projectRow({ statecode: 1 })], tasks: [taskRow(T1)] }), id: T1, status: 'absent', changes: [] },
    { reason: 'a task in another stage with no work order is no subject', obs: () => workOrderObservation({ tasks: [taskRow(T1, { o25fs_taskstage: 808950000 })] }), id: T1, status: 'absent', changes: [] },
    { reason: 'a task no longer ready whose work order is Unscheduled: canceled, deprovisioned', obs: () => workOrderObservation({ tasks: [taskRow(T1, { o25fs_taskstage: null })], workOrders: [workOrderRow(W, T1)] }), id: T1, status: 'deprovisioned', changes: ['workorder.cancel'] },
    { reason: 'a task that became a summary task (a child added) keeps its error, and its Unscheduled work order is canceled as a task no longer ready\'s (found by the properties)', obs: () => workOrderObservation({ tasks: [taskRow(T1), taskRow(T2, { _msdyn_parenttask_value: T1, o25fs_taskstage: null })], workOrders: [workOrderRow(W, T1)] }), id: T1, status: 'error', code: 'WORKORDER_SUMMARY_TASK', changes: ['workorder.cancel'] },
    { reason: 'a ready task whose work order was Canceled: reopened, and its requirement put in step in the same run (found by the properties)', obs: () => workOrderObservation({ tasks: [taskRow(T1)], workOrders: [workOrderRow(W, T1, { msdyn_systemstatus: WO_STATUS.canceled })], requirements: [requirementRow(requirementId(1), W, { msdyn_duration: 15 })] }), id: T1, status: 'pending', changes: ['workorder.update', 'requirement.update'] },
    { reason: 'a ready task whose key a work order made by hand holds (no project link): an error naming it, and no upsert the key would refuse every run', obs: () => workOrderObservation({ tasks: [taskRow(T1)], workOrders: [workOrderRow(W, T1, { _o25fs_project_value: null })] }), id: T1, status: 'error', code: 'WORKORDER_KEY_TAKEN', changes: [] },
    { reason: 'the same hand-made work order on a task that is not ready: no subject, nothing planned', obs: () => workOrderObservation({ tasks: [taskRow(T1, { o25fs_taskstage: 808950000 })], workOrders: [workOrderRow(W, T1, { _o25fs_project_value: null })] }), id: T1, status: 'absent', changes: [] },
    { reason: 'someone else\'s work order (no project link) that reached the observation is never planned, even on a task of ours', obs: () => workOrderObservation({ tasks: [taskRow(T1, { o25fs_taskstage: null })], workOrders: [workOrderRow(W, T1, { _o25fs_project_value: null })] }), id: T1, status: 'absent', changes: [] },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      const p = plan(c.obs());
      const s = only(p.subjects, c.id);
      if (c.status === 'absent') {
        expect(s).toBeUndefined();
        expect(p.changes.filter((ch) => ch.subject.id === c.id)).toEqual([]);
        return;
      }
      expect(s.status).toBe(c.status);
      expect(s.error?.code).toBe(c.code);
      expect(p.changes.filter((ch) => ch.subject.id === c.id).map((ch) => ch.kind)).toEqual(c.changes);
    });
  }
});

describe('needing a person', () => {
  it('a task no longer ready whose work order is booked: no change to it, a warning saying a person decides', () => {
    const p = plan(workOrderObservation({ tasks: [taskRow(T1, { o25fs_taskstage: null })], workOrders: [workOrderRow(W, T1, { msdyn_systemstatus: WO_STATUS.scheduled })] }));
    const s = only(p.subjects, T1);
    expect(p.changes.filter((c) => c.kind.startsWith('workorder.'))).toEqual([]);
    expect(s.warnings?.map((w) => w.code)).toEqual(['WORKORDER_NEEDS_PERSON']);
    expect(s.warnings?.[0]?.message).toBe('The task is no longer Ready to Sync, but its work order 00042 is already booked, so the product leaves it as it is.');
  });

  it('a deleted task whose work order is booked: a deleted subject with the same warning', () => {
    const p = plan(workOrderObservation({ tasks: [], workOrders: [workOrderRow(W, T1, { msdyn_systemstatus: WO_STATUS.inProgress })] }));
    const s = only(p.subjects, T1);
    expect(s.deleted).toBe(true);
    expect(s.warnings?.[0]?.message).toMatch(/^The task was deleted, but its work order 00042 is already booked/);
  });

  it('a booking whose status has no field service mapping is warned of', () => {
    const obs = workOrderObservation({ tasks: [taskRow(T1)], workOrders: [workOrderRow(W, T1)], bookings: [{ ...bookingRow(bookingId(1), W, FS_STATUS.scheduled), _bookingstatus_value: UNMAPPED_STATUS }] });
    expect(only(plan(obs).subjects, T1).warnings?.map((w) => w.code)).toEqual(['BOOKING_STATUS_UNMAPPED']);
  });
});

describe('configuration', () => {
  it('a WORK_ORDER_TYPE_ID that is no active work order type stops the run', () => {
    const obs = { ...workOrderObservation(), workOrderTypes: [] };
    expect(() => workOrdersFamily.checkConfiguration(obs, workOrderSettings(), workOrderTestSettings())).toThrow(ConfigurationError);
    expect(() => workOrdersFamily.checkConfiguration(obs, workOrderSettings(), workOrderTestSettings())).toThrow(/WORK_ORDER_TYPE_ID=d0000000-0000-4000-8000-0000000000d1 is not an active work order type/);
    expect(() => workOrdersFamily.checkConfiguration(workOrderObservation(), workOrderSettings(), workOrderTestSettings())).not.toThrow();
  });

  it('no WORK_ORDER_PRICE_LIST_ID and a work order type without a price list stops the family; the setting alone is enough', () => {
    const obs = workOrderObservation({ types: [{ msdyn_workordertypeid: WO_TYPE, msdyn_name: 'Installation', _msdyn_pricelist_value: null }] });
    const run = (s = workOrderSettings()) => () => workOrdersFamily.checkConfiguration(obs, s, workOrderTestSettings());
    expect(run()).toThrow(expect.objectContaining({ code: 'WORKORDER_NO_PRICE_LIST' }) as Error);
    expect(run()).toThrow(/names no price list/);
    expect(run(workOrderSettings({ priceListId: 'e0000000-0000-4000-8000-0000000000e2' }))).not.toThrow();
  });

  const env = { DATAVERSE_URL: 'https://contoso.crm.dynamics.com' };
  const settingsCases: { reason: string; env: Record<string, string>; want: unknown }[] = [
    { reason: 'the family is off while WORK_ORDER_TYPE_ID is unset', env: {}, want: undefined },
    { reason: 'the type alone: the type\'s price list, the default stage mapping', env: { WORK_ORDER_TYPE_ID: WO_TYPE.toUpperCase() }, want: { workOrderTypeId: WO_TYPE, priceListId: null, stageStatuses: DEFAULT_STAGE_STATUSES } },
    { reason: 'a price list and a stage override', env: { WORK_ORDER_TYPE_ID: WO_TYPE, WORK_ORDER_PRICE_LIST_ID: 'e0000000-0000-4000-8000-0000000000e2', WORK_ORDER_STAGE_STATUSES: 'incomplete=690970004' }, want: { workOrderTypeId: WO_TYPE, priceListId: 'e0000000-0000-4000-8000-0000000000e2', stageStatuses: { ...DEFAULT_STAGE_STATUSES, Incomplete: 690970004 } } },
  ];
  for (const c of settingsCases) {
    it(c.reason, () => {
      const run = () => parseSettings({ ...env, ...c.env }, [workOrderSettingsSpec]);
      if (c.want === undefined) expect(run).toThrow(/No family is configured/);
      else expect(run().families['project-work-orders']).toEqual(c.want);
    });
  }

  it('refuses an unknown stage and a value that is no field service status, together', () => {
    expect(() => parseSettings({ ...env, WORK_ORDER_TYPE_ID: WO_TYPE, WORK_ORDER_STAGE_STATUSES: 'Lunch=690970000;Travel=5' }, [workOrderSettingsSpec])).toThrow(/unknown stage "Lunch"[\s\S]*maps Travel to "5"/);
  });
});

describe('o25fs_syncerror writes', () => {
  const final = (status: FinalStatus['status'], error: string | null = null): FinalStatus => ({ status, error });

  it('writes the error on the task, clears a stored one once converged, and writes nothing when unchanged', () => {
    const p = plan(workOrderObservation({ tasks: [taskRow(T1, { o25fs_syncerror: 'old problem' }), taskRow(T2, { _msdyn_project_value: PROJECT })], workOrders: [workOrderRow(W, T2)] }));
    const statuses = new Map([
      [`project-work-orders/${T1}`, final('pending')],
      [`project-work-orders/${T2}`, final('error', 'The request was refused.')],
    ]);
    expect(workOrdersFamily.statusWrites(p.subjects, statuses)).toEqual([
      { method: 'PATCH', url: `msdyn_projecttasks(${T1})`, headers: { 'If-Match': '*' }, body: { o25fs_syncerror: null } },
      { method: 'PATCH', url: `msdyn_projecttasks(${T2})`, headers: { 'If-Match': '*' }, body: { o25fs_syncerror: 'The request was refused.' } },
    ]);
    const same = new Map([[`project-work-orders/${T2}`, final('active')]]);
    expect(workOrdersFamily.statusWrites(p.subjects.filter((s) => s.subject.id === T2), same)).toEqual([]);
  });

  it('writes the needs-a-person warning once, as the engine words it, and never writes on a project or a deleted task', () => {
    const p = buildPlan(workOrderObservation({ tasks: [taskRow(T1, { o25fs_taskstage: null })], workOrders: [workOrderRow(W, T1, { msdyn_systemstatus: WO_STATUS.scheduled }), workOrderRow(workOrderId(2), T2, { msdyn_systemstatus: WO_STATUS.scheduled })] }), workOrderTestSettings(), TENANT);
    // The statuses an apply with no failure gives (src/engine/status.ts folds the warnings in).
    const statuses = finalStatuses(p, []);
    expect(workOrdersFamily.statusWrites(p.subjects, statuses)).toEqual([
      { method: 'PATCH', url: `msdyn_projecttasks(${T1})`, headers: { 'If-Match': '*' }, body: { o25fs_syncerror: 'Warning: The task is no longer Ready to Sync, but its work order 00042 is already booked, so the product leaves it as it is. What to do: A dispatcher decides: cancel the bookings and the work order, or set the task back to Ready to Sync.' } },
    ]);
  });
});
