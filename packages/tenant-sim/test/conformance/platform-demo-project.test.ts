/**
 * The demo fixture's project (src/demo-project.ts; the product's issue 14): every case of
 * PROJECT_CASES in the state it says, the standard booking statuses with each Field Service status
 * of the global choice msdyn_bookingsystemstatus once
 * (https://learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookingstatus),
 * and a completed work order whose rows point at rows the fixture has. The simulator answers the
 * rows as the fixture holds them (its schema: src/project-tables.ts, workorder-tables.ts,
 * booking-tables.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoFixture, demoGuestSettings, demoSettings } from '../../src/demo-fixture.js';
import { PROJECT_CASES, PROJECT_ID, PROJECT_TASKS, WORK_ORDER_TYPE_ID, projectTaskId, type ProjectCase } from '../../src/demo-project.js';
import { BOOKING_SYSTEM_STATUS, FS } from '../../src/booking-tables.js';
import { TASK_READY_TO_SYNC } from '../../src/project-tables.js';
import { WO_STATUS } from '../../src/workorder-tables.js';
import { startSim, type RunningSim } from '../support/sim.js';

type Row = Record<string, unknown>;
const fixture = buildDemoFixture();
const dv = fixture.dataverse as Record<string, Row[]>;
const byId = (table: string, key: string, id: unknown): Row | undefined => dv[table]!.find((r) => r[key] === id);
const tasksOf = (c: ProjectCase): Row[] => PROJECT_TASKS.filter((t) => t.case === c).map((t) => byId('msdyn_projecttasks', 'msdyn_projecttaskid', projectTaskId(t.key))!);

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(fixture);
});
afterAll(() => s.stop());

describe("the demo fixture's project", () => {
  it("is turned on by WORK_ORDER_TYPE_ID, an active type whose price list exists; the guests-only settings leave it off", () => {
    expect(demoSettings().WORK_ORDER_TYPE_ID).toBe(WORK_ORDER_TYPE_ID);
    expect(Object.keys(demoGuestSettings()).filter((k) => k.startsWith('WORK_ORDER_'))).toEqual([]);
    const type = byId('msdyn_workordertypes', 'msdyn_workordertypeid', WORK_ORDER_TYPE_ID)!;
    expect(type.statecode).toBe(0);
    expect(byId('pricelevels', 'pricelevelid', type._msdyn_pricelist_value)).toMatchObject({ statecode: 0 });
  });

  it('has every case, the summary task over every leaf task, for an active project of a customer account', () => {
    for (const c of Object.keys(PROJECT_CASES) as ProjectCase[]) expect(tasksOf(c).length, c).toBeGreaterThanOrEqual(1);
    const project = byId('msdyn_projects', 'msdyn_projectid', PROJECT_ID)!;
    expect(project.statecode).toBe(0);
    expect(byId('accounts', 'accountid', project._msdyn_customer_value)?.name).toBe('Coho Winery');
    const [summary] = tasksOf('project-summary-ready');
    const leaves = dv.msdyn_projecttasks!.filter((t) => t !== summary);
    expect(leaves.map((t) => t._msdyn_parenttask_value)).toEqual(leaves.map(() => summary!.msdyn_projecttaskid));
    for (const t of dv.msdyn_projecttasks!) expect(t._msdyn_project_value).toBe(PROJECT_ID);
    expect(summary!.o25fs_taskstage).toBe(TASK_READY_TO_SYNC);
    for (const t of tasksOf('project-ready')) expect(t.o25fs_taskstage).toBe(TASK_READY_TO_SYNC);
    for (const t of tasksOf('project-planned')) expect(t.o25fs_taskstage).not.toBe(TASK_READY_TO_SYNC);
  });

  it('has one booking status per Field Service status, Committed except Canceled', () => {
    const statuses = dv.bookingstatuses!;
    expect(statuses.map((b) => b.msdyn_fieldservicestatus).sort()).toEqual(Object.keys(BOOKING_SYSTEM_STATUS).map(Number).sort());
    for (const b of statuses) expect([b.name, b.status]).toEqual([BOOKING_SYSTEM_STATUS[Number(b.msdyn_fieldservicestatus)], b.msdyn_fieldservicestatus === FS.canceled ? 3 : 2]);
  });

  it("gives only the completed task a work order: Completed, the product's links, one Completed booking on an active resource, progress columns still blank", async () => {
    const [done] = tasksOf('project-completed');
    const orders = dv.msdyn_workorders!;
    expect(orders.map((w) => w._o25fs_projecttask_value)).toEqual([done!.msdyn_projecttaskid]);
    const [wo] = orders;
    expect(wo).toMatchObject({ msdyn_systemstatus: WO_STATUS.completed, _o25fs_project_value: PROJECT_ID, _msdyn_workordertype_value: WORK_ORDER_TYPE_ID });
    const bookings = dv.bookableresourcebookings!.filter((b) => b._msdyn_workorder_value === wo!.msdyn_workorderid);
    expect(bookings.map((b) => byId('bookingstatuses', 'bookingstatusid', b._bookingstatus_value)?.msdyn_fieldservicestatus)).toEqual([FS.completed]);
    expect(byId('bookableresources', 'bookableresourceid', bookings[0]!._resource_value)).toMatchObject({ statecode: 0 });
    expect(byId('msdyn_resourcerequirements', 'msdyn_resourcerequirementid', bookings[0]!._msdyn_resourcerequirement_value)?._msdyn_workorder_value).toBe(wo!.msdyn_workorderid);
    expect(done!.o25fs_percentcomplete).toBeNull();
    // The simulator serves the rows: the task with its lookups, the work order by the product's key column.
    const res = await s.dataverse('GET', `msdyn_workorders?$filter=_o25fs_projecttask_value eq ${String(done!.msdyn_projecttaskid)}&$select=msdyn_name,msdyn_systemstatus`);
    expect(res.status).toBe(200);
    expect((res.json.value as Row[]).map((w) => [w.msdyn_name, w.msdyn_systemstatus])).toEqual([['WO-00001', WO_STATUS.completed]]);
  });
});
