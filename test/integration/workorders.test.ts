/**
 * The project-work-orders family through the real engine and clients against the simulator (issue
 * 14, "Tests"), on one simulator (test/integration/workorders-fixture.ts), in the order: the
 * tasks planned; two made ready; their work orders upserted (a rerun adds none); task dates moved
 * before scheduling; bookings created and moved through the stages; the task and project columns
 * converged; one task no longer ready before booking (its work order Canceled) and one after (left,
 * reported). The crash during apply is in workorders-crash.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineTenant, type EngineTenant } from './engine-fixture.js';
import { CUSTOMER, PRICE_LIST, PROJECT, STAGE, SUMMARY, TASKS, WO, WO_TYPE, WORK_ORDER_SETTINGS, book, editTask, workOrderOf, workOrdersFixture } from './workorders-fixture.js';

const [T1, T2, T3] = TASKS;
let t: EngineTenant;
beforeAll(async () => {
  t = await startEngineTenant([], WORK_ORDER_SETTINGS);
  t.s.sim.reset(workOrdersFixture());
});
afterAll(() => t.stop());

const kinds = (run: { plan: { changes: { kind: string }[] } }): string[] => run.plan.changes.map((c) => c.kind).sort();
const task = (id: string): Record<string, unknown> => t.s.sim.state.dataverse.get('msdyn_projecttasks', id)!;
const requirementsOf = (woId: string): Record<string, unknown>[] => t.table('msdyn_resourcerequirements').filter((r) => r._msdyn_workorder_value === woId);

describe('a project through project-work-orders', () => {
  it('1) with every task Planned nothing is planned and no work order exists', async () => {
    const dry = await t.dryRun();
    expect(dry.outcome).toBe('succeeded');
    expect(dry.plan.changes).toEqual([]);
    expect(t.table('msdyn_workorders')).toEqual([]);
  });

  it('2-3) two tasks made Ready to Sync: the apply upserts one work order each by the task key, with the documented body', async () => {
    editTask(t, T1, { o25fs_taskstage: STAGE.ready });
    editTask(t, T2, { o25fs_taskstage: STAGE.ready });
    await t.clearLogs();
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    // The project's progress (0 of 2) is written in the same run; the new tasks have nothing to show yet.
    expect(kinds(run)).toEqual(['project.progress', 'workorder.upsert', 'workorder.upsert']);
    expect(t.s.sim.state.dataverse.get('msdyn_projects', PROJECT)).toMatchObject({ o25fs_taskscompleted: 0, o25fs_percentcomplete: 0 });
    const upsert = t.writes().find((w) => w.path === `msdyn_workorders(_o25fs_projecttask_value=${T1})`)!;
    expect(upsert.method).toBe('PATCH');
    expect(upsert.body).toEqual({
      'msdyn_serviceaccount@odata.bind': `/accounts(${CUSTOMER})`,
      'msdyn_workordertype@odata.bind': `/msdyn_workordertypes(${WO_TYPE})`,
      'msdyn_pricelist@odata.bind': `/pricelevels(${PRICE_LIST})`,
      msdyn_systemstatus: WO.unscheduled,
      msdyn_taxable: false,
      msdyn_timefrompromised: '2027-01-04T08:00:00Z',
      msdyn_timetopromised: '2027-01-04T16:00:00Z',
      msdyn_instructions: 'Install cabinet 1',
      'o25fs_Project@odata.bind': `/msdyn_projects(${PROJECT})`,
      'o25fs_ProjectTask@odata.bind': `/msdyn_projecttasks(${T1})`,
    });
    for (const id of [T1, T2]) {
      const wo = workOrderOf(t, id)!;
      expect(wo).toMatchObject({ msdyn_systemstatus: WO.unscheduled, _o25fs_project_value: PROJECT, _msdyn_serviceaccount_value: CUSTOMER });
      // Field Service created the requirement with the work order; the product made none.
      expect(requirementsOf(String(wo.msdyn_workorderid))).toHaveLength(1);
    }
    expect(t.writes().filter((w) => w.path.startsWith('msdyn_resourcerequirements') && w.method === 'POST')).toEqual([]);
    expect(workOrderOf(t, T3)).toBeUndefined();
    expect(workOrderOf(t, SUMMARY)).toBeUndefined();
    // The rerun adds no work order. It finds the requirements Field Service made (duration 0: no
    // incident type) and sets their duration from the tasks' effort (8 h → 480 min); then nothing.
    const wo1 = String(workOrderOf(t, T1)!.msdyn_workorderid);
    const req1 = requirementsOf(wo1)[0]!;
    expect(req1).toMatchObject({ msdyn_fromdate: '2027-01-04', msdyn_todate: '2027-01-04', msdyn_duration: 0 });
    await t.clearLogs();
    const again = await t.apply();
    expect(kinds(again)).toEqual(['requirement.update', 'requirement.update']);
    expect(t.writes().map((w) => [w.method, w.path, w.body])).toContainEqual(['PATCH', `msdyn_resourcerequirements(${String(req1.msdyn_resourcerequirementid)})`, { msdyn_duration: 480 }]);
    expect(t.writes().filter((w) => w.path.startsWith('msdyn_workorders'))).toEqual([]);
    expect(t.table('msdyn_workorders')).toHaveLength(2);
    expect(requirementsOf(wo1)).toHaveLength(1);
    expect(kinds(await t.apply())).toEqual([]);
  });

  it('4) task dates moved before scheduling flow to the work order and its requirement, one way', async () => {
    editTask(t, T1, { msdyn_start: '2027-01-11T09:00:00Z', msdyn_finish: '2027-01-11T15:00:00Z', msdyn_effort: 6 });
    await t.clearLogs();
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    expect(kinds(run)).toEqual(['requirement.update', 'workorder.update']);
    const wo = workOrderOf(t, T1)!;
    expect(t.writes().find((w) => w.path === `msdyn_workorders(${String(wo.msdyn_workorderid)})`)?.body).toEqual({ msdyn_timefrompromised: '2027-01-11T09:00:00Z', msdyn_timetopromised: '2027-01-11T15:00:00Z' });
    expect(requirementsOf(String(wo.msdyn_workorderid))[0]).toMatchObject({ msdyn_fromdate: '2027-01-11', msdyn_todate: '2027-01-11', msdyn_duration: 360 });
    // No write to any task's own columns (the schedule API's).
    expect(t.writes().filter((w) => w.path.startsWith('msdyn_projecttasks'))).toEqual([]);
    expect((await t.dryRun()).plan.changes).toEqual([]);
  });
});
