/**
 * Bad input for the project-work-orders family (issue 14), each case on its own reset of one
 * simulator (test/integration/workorders-fixture.ts): a summary task marked Ready to Sync, a project
 * with no customer, a WORK_ORDER_TYPE_ID that names no work order type, and a booking status with no
 * field service mapping. Each bad row gets its error or warning on its own task (o25fs_syncerror)
 * while the other rows converge; a bad setting stops only this family.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixture } from 'tenant-sim';
import { startEngineTenant, type EngineTenant } from './engine-fixture.js';
import { CUSTOMER, PROJECT, STAGE, SUMMARY, TASKS, WO, WORK_ORDER_SETTINGS, book, setBookingStatus, workOrderOf, workOrdersFixture } from './workorders-fixture.js';
import { loadSettings } from '../../src/families.js';

const [T1, T2] = TASKS;
let t: EngineTenant;
beforeAll(async () => {
  t = await startEngineTenant([], WORK_ORDER_SETTINGS);
});
afterAll(() => t.stop());

const task = (id: string): Record<string, unknown> => t.s.sim.state.dataverse.get('msdyn_projecttasks', id)!;

/** The fixture with these tasks Ready to Sync, and `edit` applied to its Dataverse tables. */
function reset(ready: string[], edit: (dv: NonNullable<Fixture['dataverse']>) => void = () => undefined): void {
  const f = workOrdersFixture();
  const dv = f.dataverse!;
  dv.msdyn_projecttasks = dv.msdyn_projecttasks!.map((r) => (ready.includes(String(r.msdyn_projecttaskid)) ? { ...r, o25fs_taskstage: STAGE.ready } : r));
  edit(dv);
  t.s.sim.reset(f);
}

describe('project-work-orders bad input', () => {
  it('a summary task marked Ready to Sync: an error on that task, no work order for it; its ready child still gets one', async () => {
    reset([SUMMARY, T1]);
    const run = await t.apply();
    // A row's bad data is that row's status, not a failed call: the run itself succeeded.
    expect(run.outcome).toBe('succeeded');
    const subject = run.plan.subjects.find((s) => s.subject.id === SUMMARY)!;
    expect(subject).toMatchObject({ status: 'error', error: { code: 'WORKORDER_SUMMARY_TASK' } });
    expect(String(task(SUMMARY).o25fs_syncerror)).toMatch(/^The task "Street cabinets" is marked Ready to Sync but is a summary task .* What to do: Mark its child tasks Ready to Sync instead/);
    expect(workOrderOf(t, SUMMARY)).toBeUndefined();
    expect(workOrderOf(t, T1)).toMatchObject({ msdyn_systemstatus: WO.unscheduled });
    // Fixed: the error is cleared by the next run.
    t.s.sim.state.dataverse.update('msdyn_projecttasks', SUMMARY, { o25fs_taskstage: STAGE.planned });
    await t.apply();
    expect(task(SUMMARY).o25fs_syncerror).toBeNull();
  });

  it('a work order made by hand that holds a ready task\'s key without the project link: an error on that task naming it, the work order untouched, the other task converges', async () => {
    reset([T1, T2]);
    const handMade = '7e0f0a8c-2b4d-4c1e-9a55-000000000999';
    t.s.sim.state.dataverse.insert('msdyn_workorders', { msdyn_workorderid: handMade, msdyn_name: '00999', _o25fs_projecttask_value: T1, _o25fs_project_value: null, msdyn_systemstatus: WO.unscheduled, statecode: 0 });
    const before = { ...t.s.sim.state.dataverse.get('msdyn_workorders', handMade)! };
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    expect(run.plan.subjects.find((s) => s.subject.id === T1)).toMatchObject({ status: 'error', error: { code: 'WORKORDER_KEY_TAKEN' } });
    expect(run.plan.changes.filter((c) => c.subject.id === T1)).toEqual([]);
    expect(String(task(T1).o25fs_syncerror)).toMatch(/^The task ".*" is Ready to Sync, but work order 00999 already names it \(o25fs_projecttask\) without being linked to a project\..* What to do: Link that work order to the task's project/);
    expect(t.s.sim.state.dataverse.get('msdyn_workorders', handMade)).toEqual(before);
    expect(workOrderOf(t, T2)).toMatchObject({ msdyn_systemstatus: WO.unscheduled, _o25fs_project_value: PROJECT });
    // The key freed (its o25fs_projecttask cleared by hand): the next run creates the task's own.
    t.s.sim.state.dataverse.update('msdyn_workorders', handMade, { _o25fs_projecttask_value: null });
    expect((await t.apply()).outcome).toBe('succeeded');
    expect(t.table('msdyn_workorders').filter((w) => w._o25fs_projecttask_value === T1.toLowerCase() && w._o25fs_project_value === PROJECT)).toHaveLength(1);
    expect(task(T1).o25fs_syncerror).toBeNull();
  });

  it('a project with no customer: its ready tasks get an error and no work order; set the customer and the next run creates them', async () => {
    reset([T1, T2], (dv) => {
      dv.msdyn_projects = dv.msdyn_projects!.map((p) => ({ ...p, _msdyn_customer_value: null }));
    });
    const run = await t.apply();
    expect(run.plan.subjects.filter((s) => s.error?.code === 'WORKORDER_PROJECT_NO_CUSTOMER').map((s) => s.subject.id).sort()).toEqual([T1, T2].sort());
    expect(t.table('msdyn_workorders')).toEqual([]);
    expect(String(task(T1).o25fs_syncerror)).toContain('has no customer, so its work order would have no service account. What to do: Set the customer on the project');
    t.s.sim.state.dataverse.update('msdyn_projects', PROJECT, { _msdyn_customer_value: CUSTOMER });
    expect((await t.apply()).outcome).toBe('succeeded');
    expect(t.table('msdyn_workorders')).toHaveLength(2);
    expect(task(T1).o25fs_syncerror).toBeNull();
  });

  it('a WORK_ORDER_TYPE_ID that names no work order type: the family stops with what to do and writes nothing; the technicians still run', async () => {
    reset([T1]);
    const settings = loadSettings({ ...WORK_ORDER_SETTINGS, WORK_ORDER_TYPE_ID: 'a3000000-0000-4000-8000-0000000000ff', GRAPH_BASE_URL: t.s.info.graphBaseUrl, DATAVERSE_URL: t.s.info.dataverseUrl });
    await t.clearLogs();
    const run = await t.engineWith(settings).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
    expect(run.outcome).toBe('partial');
    expect(run.plan.stoppedFamilies).toEqual([{ family: 'project-work-orders', error: expect.objectContaining({ code: 'WORKORDER_TYPE_NOT_FOUND', action: expect.stringContaining('Set WORK_ORDER_TYPE_ID to the id of an active work order type') }) }]);
    expect(t.writes().filter((w) => w.path.startsWith('msdyn_'))).toEqual([]);
  });

  it('a booking status with no field service mapping: the booking counts for nothing and the task is warned; the mapped bookings still count', async () => {
    const UNMAPPED = 'a5000000-0000-4000-8000-000000000099';
    reset([T1], (dv) => {
      dv.bookingstatuses = [...dv.bookingstatuses!, { bookingstatusid: UNMAPPED, name: 'Waiting for parts', status: 2, msdyn_fieldservicestatus: null, statecode: 0, statuscode: 1 }];
    });
    await t.apply();
    const wo = String(workOrderOf(t, T1)!.msdyn_workorderid);
    const done = await book(t, wo, '2027-01-04T08:00:00Z', 180);
    await setBookingStatus(t, done, 'a5000000-0000-4000-8000-000000000004');
    const odd = await book(t, wo, '2027-01-05T08:00:00Z', 120);
    await setBookingStatus(t, odd, UNMAPPED);
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    expect(run.plan.subjects.find((s) => s.subject.id === T1)?.warnings?.map((w) => w.code)).toEqual(['BOOKING_STATUS_UNMAPPED']);
    expect(task(T1)).toMatchObject({ o25fs_fieldservicestatus: 690970004, o25fs_actualeffort: 3, o25fs_percentcomplete: 100 });
    expect(String(task(T1).o25fs_syncerror)).toContain('Warning: 1 booking(s) of the task\'s work order have a booking status with no field service status');
  });
});
