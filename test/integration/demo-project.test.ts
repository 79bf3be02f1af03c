/**
 * The demo tenant's project (issue 14, "The demo tenant holds a small project"; tenant-sim's
 * src/demo-project.ts) through the two applies `npm start` makes (src/cli/demo.ts: apply, the user
 * sync, apply): each of the two ready tasks gets one work order for the project's customer with the
 * demo's work order type and that type's price list (WORK_ORDER_PRICE_LIST_ID is not set), and the
 * second apply gives its resource requirement the task's effort (Field Service made it with 0); the
 * Planned task gets nothing; the summary task marked ready gets WORKORDER_SUMMARY_TASK in the report
 * and in its o25fs_syncerror; the survey task's completed booking comes back as its progress, and
 * the project counts it. The plan after the two applies has nothing for the family.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ID, PROJECT_TASKS, projectTaskId, type ProjectCase } from 'tenant-sim/demo-fixture';
import { FS_STATUS } from '../../src/model/field-service.js';
import { READY_TO_SYNC, WO_STATUS } from '../../reconcilers/project-work-orders/rows.js';
import type { RunRecord } from '../../src/model/run.js';
import { renderReport } from '../../src/report/index.js';
import { DEMO_FIXTURE, DEMO_SETTINGS, startTenant, type Tenant } from '../support/tenant.js';

type Row = Record<string, unknown>;
const FAMILY = 'project-work-orders';
const idsOf = (c: ProjectCase): string[] => PROJECT_TASKS.filter((p) => p.case === c).map((p) => projectTaskId(p.key));
const fixtureRow = (table: string, key: string, id: string): Row => DEMO_FIXTURE.dataverse![table]!.find((r) => r[key] === id)!;

let t: Tenant;
let first: RunRecord;
let second: RunRecord;
let appUser: string;
beforeAll(async () => {
  t = await startTenant();
  appUser = String((await t.s.dataverse('GET', 'WhoAmI')).json.UserId);
  first = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
  t.s.sim.userSync.runNow(t.s.sim.state);
  second = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
}, 120_000);
afterAll(() => t.stop());

const rows = (table: string): Row[] => [...t.s.sim.state.dataverse.table(table).values()];
const task = (id: string): Row => t.s.sim.state.dataverse.get('msdyn_projecttasks', id)!;
const workOrdersOf = (taskId: string): Row[] => rows('msdyn_workorders').filter((w) => w._o25fs_projecttask_value === taskId);
const familyKinds = (run: RunRecord): string[] => run.plan.changes.filter((c) => c.subject.family === FAMILY).map((c) => c.kind).sort();

describe("the demo's project after npm start's two applies", () => {
  it('plans the project in the first run and fixes the requirements in the second; both runs succeed', () => {
    expect([first.outcome, second.outcome]).toEqual(['succeeded', 'succeeded']);
    // Two work orders, the survey task's progress, the project's 1 of 3; then the two new requirements' duration.
    expect(familyKinds(first)).toEqual(['project.progress', 'task.progress', 'workorder.upsert', 'workorder.upsert']);
    expect(familyKinds(second)).toEqual(['requirement.update', 'requirement.update']);
    expect(first.plan.stoppedFamilies ?? []).toEqual([]);
  });

  it("each ready task has exactly one Unscheduled work order for Coho Winery, the demo's type and the type's price list, promised for the task's dates", () => {
    const type = fixtureRow('msdyn_workordertypes', 'msdyn_workordertypeid', DEMO_SETTINGS.WORK_ORDER_TYPE_ID!);
    const project = fixtureRow('msdyn_projects', 'msdyn_projectid', PROJECT_ID);
    expect(t.s.sim.state.dataverse.get('accounts', String(project._msdyn_customer_value))?.name).toBe('Coho Winery');
    const ready = idsOf('project-ready');
    expect(ready).toHaveLength(2);
    for (const id of ready) {
      const [wo, ...more] = workOrdersOf(id);
      expect(more).toEqual([]);
      const row = task(id);
      expect(row.o25fs_taskstage).toBe(READY_TO_SYNC);
      expect(wo).toMatchObject({
        _o25fs_project_value: PROJECT_ID,
        _msdyn_serviceaccount_value: project._msdyn_customer_value,
        _msdyn_workordertype_value: type.msdyn_workordertypeid,
        _msdyn_pricelist_value: type._msdyn_pricelist_value,
        msdyn_systemstatus: WO_STATUS.unscheduled,
        msdyn_instructions: row.msdyn_subject,
        _createdby_value: appUser,
      });
      expect(Date.parse(String(wo!.msdyn_timefrompromised))).toBe(Date.parse(String(row.msdyn_start)));
      expect(Date.parse(String(wo!.msdyn_timetopromised))).toBe(Date.parse(String(row.msdyn_finish)));
      // Field Service's requirement, kept to the task by the second apply: its days and its effort in minutes.
      const requirements = rows('msdyn_resourcerequirements').filter((r) => r._msdyn_workorder_value === wo!.msdyn_workorderid);
      expect(requirements.map((r) => [r.msdyn_fromdate, r.msdyn_todate, r.msdyn_duration])).toEqual([[String(row.msdyn_start).slice(0, 10), String(row.msdyn_finish).slice(0, 10), Number(row.msdyn_effort) * 60]]);
      // Nothing booked yet: the new task's progress columns stay blank.
      expect([row.o25fs_fieldservicestatus, row.o25fs_percentcomplete, row.o25fs_syncerror]).toEqual([null, null, null]);
    }
  });

  it('the Planned task has no work order and nothing written; the summary task marked ready has none and its error in the report and on its row', () => {
    for (const id of idsOf('project-planned')) {
      expect(workOrdersOf(id)).toEqual([]);
      expect(task(id)).toEqual({ ...fixtureRow('msdyn_projecttasks', 'msdyn_projecttaskid', id), modifiedon: task(id).modifiedon });
    }
    const [summary, ...others] = idsOf('project-summary-ready');
    expect(others).toEqual([]);
    expect(workOrdersOf(summary!)).toEqual([]);
    expect(rows('msdyn_projecttasks').some((r) => r._msdyn_parenttask_value === summary)).toBe(true);
    const subject = first.plan.subjects.find((s) => s.subject.family === FAMILY && s.subject.id === summary);
    expect(subject?.error?.code).toBe('WORKORDER_SUMMARY_TASK');
    // The text report the demo prints names the error, the task and what to do.
    const report = renderReport('text', { plan: first.plan });
    expect(report).toContain('Error WORKORDER_SUMMARY_TASK: The task "Estate fibre network" is marked Ready to Sync but is a summary task');
    expect(report).toContain('Mark its child tasks Ready to Sync instead');
    const error = String(task(summary!).o25fs_syncerror);
    expect(error).toContain('is a summary task');
    expect(error).toContain('Mark its child tasks Ready to Sync instead');
  });

  it("the survey task's completed booking is written back to its progress columns, and the project counts 1 of its 3 tasks with a work order", () => {
    const [survey] = idsOf('project-completed');
    const [wo, ...more] = workOrdersOf(survey!);
    expect(more).toEqual([]);
    expect(wo!.msdyn_systemstatus).toBe(WO_STATUS.completed);
    const row = task(survey!);
    // One booking, Completed: arrived 08:30, ended 17:00, 540 minutes for 8 planned hours.
    expect(row).toMatchObject({ o25fs_fieldservicestatus: FS_STATUS.completed, o25fs_actualeffort: 9, o25fs_effortvariance: 1, o25fs_percentcomplete: 100, o25fs_syncerror: null });
    expect(Date.parse(String(row.o25fs_actualstart))).toBe(Date.parse('2025-03-03T08:30:00Z'));
    expect(Date.parse(String(row.o25fs_actualend))).toBe(Date.parse('2025-03-03T17:00:00Z'));
    expect(t.s.sim.state.dataverse.get('msdyn_projects', PROJECT_ID)).toMatchObject({ o25fs_taskscompleted: 1, o25fs_percentcomplete: 33 });
  });

  it('the next plan has no change for the family and no sync error to write', async () => {
    const { plan } = await t.engine().plan({ kind: 'tenant' });
    expect(plan.changes.filter((c) => c.subject.family === FAMILY)).toEqual([]);
    const subjects = plan.subjects.filter((s) => s.subject.family === FAMILY);
    expect(subjects.map((s) => [s.subject.displayName, s.status]).sort()).toEqual([
      ['Estate fibre network', 'error'],
      ['Fibre roll-out, Coho Winery estate', 'active'],
      ['Install street cabinet', 'active'],
      ['Splice fibre to the cellar door', 'active'],
      ['Survey duct routes', 'active'],
    ]);
    for (const s of subjects.filter((x) => x.subject.table === 'msdyn_projecttasks')) expect(s.storedError).toBe(s.status === 'error' ? String(task(s.subject.id).o25fs_syncerror) : null);
  });
});
