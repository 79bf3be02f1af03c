/**
 * Conformance: the seed-002 tables, their columns, choices and validation, and the WBS write rule.
 * Sources:
 * - msdyn_workorder table reference (learn.microsoft.com/dynamics365/field-service/developer/reference/entities/msdyn_workorder):
 *   msdyn_serviceaccount, msdyn_workordertype, msdyn_pricelist, msdyn_systemstatus ApplicationRequired;
 *   system status 690970000 Unscheduled … 690970005 Canceled; the documented create of
 *   learn.microsoft.com/dynamics365/field-service/developer/create-work-order-api-example (204, OData-EntityId);
 * - bookingstatus / bookableresourcebooking references (msdyn_fieldservicestatus, msdyn_bookingsystemstatus);
 * - Use Project schedule APIs (learn.microsoft.com/dynamics365/project-operations/project-management/schedule-api-preview):
 *   the WBS tables are managed by the scheduling engine; custom task columns are writable directly
 *   (learn.microsoft.com/dynamics365/project-operations/project-management/enterprise-task-custom-columns).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allEntities, entityBySet } from '../../src/dataverse/entities.js';
import { lookupSets } from '../../src/dataverse/schema.js';
import { startSim, type RunningSim } from '../support/sim.js';
import { PROJECT, TASK_1, TASK_2, bookingBody, g, projectFixture, workOrderBody } from './dataverse-project-fixture.js';

let s: RunningSim;
beforeEach(async () => {
  s = await startSim(projectFixture());
});
afterEach(() => s.stop());

describe('msdyn_workorders: the documented create (create-work-order-api-example)', () => {
  it('creates with 204 and OData-EntityId, autonumbers msdyn_name, stores the lookups', async () => {
    const res = await s.dataverse('POST', 'msdyn_workorders', { body: workOrderBody(TASK_1) });
    expect(res.status).toBe(204);
    const id = /msdyn_workorders\(([^)]+)\)$/.exec(res.headers.get('odata-entityid') ?? '')?.[1];
    expect(s.sim.state.dataverse.get('msdyn_workorders', id!)).toMatchObject({
      msdyn_name: 'WO-00001', msdyn_systemstatus: 690970000, msdyn_taxable: false, _o25fs_projecttask_value: TASK_1, _o25fs_project_value: PROJECT, statecode: 0, statuscode: 1,
    });
    const read = await s.dataverse('GET', `msdyn_workorders(${id!})?$select=msdyn_systemstatus`, { headers: { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' } });
    expect(read.json['msdyn_systemstatus@OData.Community.Display.V1.FormattedValue']).toBe('Unscheduled');
  });

  it.each([
    { reason: 'the service account is ApplicationRequired', drop: 'msdyn_serviceaccount@odata.bind', change: {}, message: "The '_msdyn_serviceaccount_value' attribute of the 'msdyn_workorder' entity is required" },
    { reason: 'the work order type is ApplicationRequired', drop: 'msdyn_workordertype@odata.bind', change: {}, message: "The '_msdyn_workordertype_value' attribute of the 'msdyn_workorder' entity is required" },
    { reason: 'the price list is ApplicationRequired', drop: 'msdyn_pricelist@odata.bind', change: {}, message: "The '_msdyn_pricelist_value' attribute of the 'msdyn_workorder' entity is required" },
    { reason: 'the system status has six documented values', drop: null, change: { msdyn_systemstatus: 690970006 }, message: "The value 690970006 of 'msdyn_systemstatus' on record of type 'msdyn_workorder' is outside the valid range." },
    { reason: 'an unknown column is refused as on every table', drop: null, change: { msdyn_colour: 'red' }, message: "The property 'msdyn_colour' does not exist on type 'Microsoft.Dynamics.CRM.msdyn_workorder'" },
    { reason: 'a bare GUID for a lookup is refused (0x80060888 family: use the navigation property)', drop: null, change: { _msdyn_pricelist_value: g(1, 'a4a4a4a4') }, message: 'Use Navigation properties instead' },
    { reason: 'the price list binds pricelevels only', drop: null, change: { 'msdyn_pricelist@odata.bind': `/accounts(${g(1, 'aaaaaaaa')})` }, message: "expects an entity of set 'pricelevels'" },
    { reason: 'first arrival is set by the platform, not the caller', drop: null, change: { msdyn_firstarrivedon: '2027-01-04T08:00:00Z' }, message: "'msdyn_firstarrivedon' attribute of the 'msdyn_workorder' entity is not valid for create" },
  ])('refuses a create where $reason', async ({ drop, change, message }) => {
    const body: Record<string, unknown> = { ...workOrderBody(TASK_1), ...change };
    if (drop) delete body[drop];
    const res = await s.dataverse('POST', 'msdyn_workorders', { body });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain(message);
    expect(s.sim.state.dataverse.table('msdyn_workorders').size).toBe(0);
  });
});

describe('bookings and booking statuses (bookingstatus, bookableresourcebooking references)', () => {
  it.each([
    { reason: 'msdyn_fieldservicestatus is the msdyn_bookingsystemstatus choice', set: 'bookingstatuses', body: { name: 'X', status: 2, msdyn_fieldservicestatus: 690970006 }, message: "The value 690970006 of 'msdyn_fieldservicestatus'" },
    { reason: 'a booking status needs its status (SystemRequired)', set: 'bookingstatuses', body: { name: 'X', status: null }, message: "The 'status' attribute of the 'bookingstatus' entity is required" },
    { reason: 'a booking needs a booking status (SystemRequired)', set: 'bookableresourcebookings', body: { name: 'X', starttime: '2027-01-04T08:00:00Z', endtime: '2027-01-04T09:00:00Z', duration: 60, 'Resource@odata.bind': `/bookableresources(${g(1, 'cccccccc')})` }, message: "The '_bookingstatus_value' attribute of the 'bookableresourcebooking' entity is required" },
  ])('refuses a create where $reason', async ({ set, body, message }) => {
    const res = await s.dataverse('POST', set, { body });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain(message);
  });
});

describe('the WBS tables refuse plain Web API writes (Use Project schedule APIs, schedule-api-preview)', () => {
  it.each([
    { reason: 'a task create goes through msdyn_PssCreateV1', method: 'POST', path: 'msdyn_projecttasks', body: { msdyn_subject: 'New', 'msdyn_project@odata.bind': `/msdyn_projects(${PROJECT})` }, message: "msdyn_projecttask rows can't be created" },
    { reason: 'a create is refused even with custom columns only', method: 'POST', path: 'msdyn_projecttasks', body: { o25fs_taskstage: 808950001 }, message: "msdyn_projecttask rows can't be created" },
    { reason: 'an upsert of a missing task is a create', method: 'PATCH', path: `msdyn_projecttasks(${g(9, 'a2a2a2a2')})`, body: { o25fs_taskstage: 808950001 }, message: "msdyn_projecttask rows can't be created" },
    { reason: 'the task effort belongs to the schedule API', method: 'PATCH', path: `msdyn_projecttasks(${TASK_1})`, body: { msdyn_effort: 20, o25fs_actualeffort: 4 }, message: 'the columns msdyn_effort of msdyn_projecttask' },
    { reason: 'progress is set by msdyn_PssUpdateV1 only', method: 'PATCH', path: `msdyn_projecttasks(${TASK_1})`, body: { msdyn_progress: 0.5 }, message: 'the columns msdyn_progress' },
    { reason: 'the parent task link is part of the WBS', method: 'PATCH', path: `msdyn_projecttasks(${TASK_2})`, body: { 'msdyn_parenttask@odata.bind': null }, message: 'the columns msdyn_parenttask' },
    { reason: 'a project create goes through msdyn_CreateProjectV1 (stricter choice)', method: 'POST', path: 'msdyn_projects', body: { msdyn_subject: 'P2' }, message: "msdyn_project rows can't be created" },
    { reason: 'the project finish is a scheduled column', method: 'PATCH', path: `msdyn_projects(${PROJECT})`, body: { msdyn_finish: '2027-02-01T00:00:00Z' }, message: 'the columns msdyn_finish of msdyn_project' },
  ])('refuses with 400 0x80040265 where $reason', async ({ method, path, body, message }) => {
    const before = JSON.stringify(s.sim.state.dataverse.toJSON());
    const res = await s.dataverse(method, path, { body });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('0x80040265');
    expect(res.json.error.message).toContain(message);
    expect(res.json.error.message).toContain('Project schedule APIs');
    expect(JSON.stringify(s.sim.state.dataverse.toJSON())).toBe(before);
  });

  it('writes the custom (o25fs_) task and project columns directly (enterprise-task-custom-columns)', async () => {
    const task = await s.dataverse('PATCH', `msdyn_projecttasks(${TASK_1})`, {
      body: { o25fs_fieldservicestatus: 690970003, o25fs_actualstart: '2027-01-04T08:10:00Z', o25fs_actualeffort: 4, o25fs_effortvariance: -12, o25fs_percentcomplete: 25, o25fs_syncerror: null, o25fs_taskstage: 808950002 },
      headers: { 'If-Match': '*' },
    });
    expect(task.status).toBe(204);
    expect(s.sim.state.dataverse.get('msdyn_projecttasks', TASK_1)).toMatchObject({ o25fs_fieldservicestatus: 690970003, o25fs_actualeffort: 4, o25fs_effortvariance: -12, o25fs_percentcomplete: 25, o25fs_taskstage: 808950002, msdyn_effort: 16 });
    const project = await s.dataverse('PATCH', `msdyn_projects(${PROJECT})`, { body: { o25fs_taskscompleted: 1, o25fs_percentcomplete: 50 } });
    expect(project.status).toBe(204);
    expect(s.sim.state.dataverse.get('msdyn_projects', PROJECT)).toMatchObject({ o25fs_taskscompleted: 1, o25fs_percentcomplete: 50 });
  });

  it.each([
    { reason: 'o25fs_taskstage has the documented options only', body: { o25fs_taskstage: 808950009 }, message: "The value 808950009 of 'o25fs_taskstage'" },
    { reason: 'percent complete is 0 to 100', body: { o25fs_percentcomplete: 101 }, message: 'Accepted Values: 0 to 100' },
    { reason: 'an unknown custom column is refused', body: { o25fs_nosuch: 1 }, message: "The property 'o25fs_nosuch' does not exist on type 'Microsoft.Dynamics.CRM.msdyn_projecttask'" },
  ])('validates custom task columns: $reason', async ({ body, message }) => {
    const res = await s.dataverse('PATCH', `msdyn_projecttasks(${TASK_1})`, { body });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain(message);
  });

  it('reads tasks with the parent-task link, so a client can tell leaf from summary tasks', async () => {
    const res = await s.dataverse('GET', `msdyn_projecttasks?$select=msdyn_subject,_msdyn_parenttask_value,o25fs_taskstage&$filter=_msdyn_project_value eq ${PROJECT}&$orderby=msdyn_subject`);
    expect(res.status).toBe(200);
    expect(res.json.value.map((r: Record<string, unknown>) => [r.msdyn_subject, r._msdyn_parenttask_value, r.o25fs_taskstage])).toEqual([
      ['Install cabinet 1', g(1, 'a2a2a2a2'), 808950001],
      ['Install cabinet 2', g(1, 'a2a2a2a2'), 808950000],
      ['Street cabinets', null, 808950000],
    ]);
  });

  it('a booking on a missing work order is a 404 (a sanity check of the booking binds)', async () => {
    const res = await s.dataverse('POST', 'bookableresourcebookings', { body: bookingBody(g(9, 'a6a6a6a6'), g(1, 'a5a5a5a5')) });
    expect(res.status).toBe(404);
  });
});

describe('the seed-002 table declarations (project-tables.ts, workorder-tables.ts, booking-tables.ts)', () => {
  it('are served after the file\'s tables, with every lookup pointing at a served set and every delete behaviour known', () => {
    const seed = ['msdyn_projects', 'msdyn_projecttasks', 'pricelevels', 'msdyn_workordertypes', 'msdyn_workorders', 'msdyn_resourcerequirements', 'bookingstatuses', 'bookableresourcebookings'];
    const sets = allEntities().map((e) => e.set);
    expect(sets.slice(-seed.length)).toEqual(seed);
    for (const set of seed) {
      const entity = entityBySet(set)!;
      expect(entity.primaryKey, set).toBe(`${entity.logicalName}id`);
      for (const column of entity.columns.values()) {
        if (column.type !== 'Lookup' || column.readOnly) continue;
        for (const target of lookupSets(column)) expect(sets, `${set}.${column.name}`).toContain(target);
        expect(['Cascade', 'RemoveLink', 'Restrict'], `${set}.${column.name}`).toContain(column.onDelete);
      }
    }
  });
});
