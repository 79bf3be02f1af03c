/**
 * Conformance: the work order's alternate key on o25fs_projecttask and the resource requirement
 * Field Service creates with each work order. Sources:
 * - Learn "Use an alternate key to reference a record"
 *   (learn.microsoft.com/power-apps/developer/data-platform/use-alternate-key-reference-record): a key on a
 *   lookup column is addressed by its lookup property, `_<nav>_value`;
 * - Learn "Upsert a table row" (learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api)
 *   and "Perform conditional operations" (…/webapi/perform-conditional-operations-using-web-api): PATCH
 *   creates or updates; If-Match: * prevents the create (404), If-None-Match: * prevents the update (412);
 * - Learn "Troubleshoot Dataverse client errors" (learn.microsoft.com/troubleshoot/power-platform/power-apps/dataverse/client-errors):
 *   "Cannot insert duplicate key", -2147220937 (0x80040237); 412 for DuplicateRecord
 *   (…/webapi/compose-http-requests-handle-errors);
 * - msdyn_resourcerequirement reference (…/field-service/developer/reference/entities/msdyn_resourcerequirement):
 *   msdyn_workorder (navigation msdyn_WorkOrder), msdyn_fromdate/msdyn_todate, msdyn_duration.
 *   That Field Service creates one requirement with each work order is how its work-order pages
 *   describe scheduling a work order (the requirement is what the schedule board books); no page
 *   found states the creation or its values outright, so the values copied here (promised window as
 *   dates, estimated duration, allocation None) are the simulator's own choice, written down in
 *   docs/simulator-dataverse.md "Project and Field Service tables".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';
import { batchBody } from './dataverse-fixture.js';
import { PROJECT, TASK_1, TASK_2, g, projectFixture, workOrderBody } from './dataverse-project-fixture.js';

let s: RunningSim;
beforeEach(async () => {
  s = await startSim(projectFixture());
});
afterEach(() => s.stop());

const rows = (set: string): Record<string, unknown>[] => [...s.sim.state.dataverse.table(set).values()];
const keyPath = (task: string): string => `msdyn_workorders(_o25fs_projecttask_value=${task})`;
const { 'o25fs_ProjectTask@odata.bind': _bind, ...byKeyBody } = workOrderBody(TASK_1);

describe('PATCH msdyn_workorders(_o25fs_projecttask_value=<task>): upsert by alternate key', () => {
  it('creates the work order holding the key, then a rerun updates the same row: one work order per task', async () => {
    const first = await s.dataverse('PATCH', keyPath(TASK_1), { body: byKeyBody });
    expect(first.status).toBe(204);
    expect(rows('msdyn_workorders')).toHaveLength(1);
    const id = String(rows('msdyn_workorders')[0]!.msdyn_workorderid);
    expect(first.headers.get('odata-entityid')).toBe(`${s.info.dataverseUrl}/api/data/v9.2/msdyn_workorders(${id})`);
    expect(rows('msdyn_workorders')[0]).toMatchObject({ _o25fs_projecttask_value: TASK_1, _o25fs_project_value: PROJECT, msdyn_instructions: 'Install cabinet 1' });
    const again = await s.dataverse('PATCH', keyPath(TASK_1), { body: { ...byKeyBody, msdyn_instructions: 'Install cabinet 1 (moved)' } });
    expect(again.status).toBe(204);
    expect(rows('msdyn_workorders')).toHaveLength(1);
    expect(s.sim.state.dataverse.get('msdyn_workorders', id)).toMatchObject({ msdyn_instructions: 'Install cabinet 1 (moved)', msdyn_name: 'WO-00001' });
    expect(rows('msdyn_resourcerequirements')).toHaveLength(1);
  });

  it('a client finds the work order of a task with a $filter on the key column', async () => {
    await s.dataverse('PATCH', keyPath(TASK_1), { body: byKeyBody });
    const res = await s.dataverse('GET', `msdyn_workorders?$filter=_o25fs_projecttask_value eq ${TASK_1}&$select=msdyn_name`);
    expect(res.json.value.map((r: Record<string, unknown>) => r.msdyn_name)).toEqual(['WO-00001']);
  });

  it.each([
    { reason: 'If-Match: * makes it update-only: no row with the key → 404', headers: { 'If-Match': '*' }, before: false, status: 404, count: 0 },
    { reason: 'If-None-Match: * makes it create-only: a row with the key → 412 DuplicateRecord', headers: { 'If-None-Match': '*' }, before: true, status: 412, count: 1 },
    { reason: 'If-None-Match: * creates when no row has the key', headers: { 'If-None-Match': '*' }, before: false, status: 204, count: 1 },
    { reason: 'If-Match: * updates a row with the key', headers: { 'If-Match': '*' }, before: true, status: 204, count: 1 },
  ] as { reason: string; headers: Record<string, string>; before: boolean; status: number; count: number }[])('$reason', async ({ headers, before, status, count }) => {
    if (before) expect((await s.dataverse('PATCH', keyPath(TASK_1), { body: byKeyBody })).status).toBe(204);
    const res = await s.dataverse('PATCH', keyPath(TASK_1), { body: { ...byKeyBody, msdyn_instructions: 'second' }, headers });
    expect(res.status).toBe(status);
    expect(rows('msdyn_workorders')).toHaveLength(count);
    if (status === 412) expect(res.json.error.code).toBe('0x80040237');
    if (status === 412) expect(rows('msdyn_workorders')[0]!.msdyn_instructions).toBe('Install cabinet 1');
  });

  it.each([
    { reason: 'the key of a lookup is named by its lookup property (Learn), not the navigation property', path: `msdyn_workorders(o25fs_projecttask=${TASK_1})`, status: 400, message: "addressed by its lookup property '_o25fs_projecttask_value'" },
    { reason: 'the key value must be a GUID', path: 'msdyn_workorders(_o25fs_projecttask_value=abc)', status: 400, message: "'abc' is not a valid value" },
    { reason: 'the key must name an existing task (the lookup it sets)', path: keyPath(g(9, 'a2a2a2a2')), status: 404, message: 'msdyn_projecttask With Id' },
  ])('refuses where $reason', async ({ path, status, message }) => {
    const res = await s.dataverse('PATCH', path, { body: byKeyBody });
    expect(res.status).toBe(status);
    expect(res.json.error.message).toContain(message);
    expect(rows('msdyn_workorders')).toHaveLength(0);
  });

  it('refuses a payload whose task bind differs from the key', async () => {
    const res = await s.dataverse('PATCH', keyPath(TASK_1), { body: { ...byKeyBody, 'o25fs_ProjectTask@odata.bind': `/msdyn_projecttasks(${TASK_2})` } });
    expect(res.status).toBe(400);
    expect(rows('msdyn_workorders')).toHaveLength(0);
  });
});

describe('the alternate key is unique (Cannot insert duplicate key, 0x80040237)', () => {
  it('refuses a POST of a second work order for the same task with 412, and moving another one onto it', async () => {
    expect((await s.dataverse('POST', 'msdyn_workorders', { body: workOrderBody(TASK_1) })).status).toBe(204);
    const dup = await s.dataverse('POST', 'msdyn_workorders', { body: workOrderBody(TASK_1) });
    expect(dup.status).toBe(412);
    expect(dup.json.error.code).toBe('0x80040237');
    expect(dup.json.error.message).toContain('Cannot insert duplicate key');
    const other = await s.dataverse('POST', 'msdyn_workorders', { body: workOrderBody(TASK_2) });
    const otherId = /\(([^)]+)\)$/.exec(other.headers.get('odata-entityid')!)![1]!;
    const move = await s.dataverse('PATCH', `msdyn_workorders(${otherId})`, { body: { 'o25fs_ProjectTask@odata.bind': `/msdyn_projecttasks(${TASK_1})` } });
    expect(move.status).toBe(412);
    expect(rows('msdyn_workorders').map((r) => r._o25fs_projecttask_value).sort()).toEqual([TASK_1, TASK_2].sort());
    // Work orders without a task are not constrained (a key column that is null).
    expect((await s.dataverse('POST', 'msdyn_workorders', { body: workOrderBody(null) })).status).toBe(204);
    expect((await s.dataverse('POST', 'msdyn_workorders', { body: workOrderBody(null) })).status).toBe(204);
  });

  it('a change set that upserts by key and then fails rolls back the work order and its requirement', async () => {
    const boundary = 'batch_x';
    const body = batchBody(boundary, [[
      { method: 'PATCH', url: keyPath(TASK_1), body: byKeyBody, contentId: '1' },
      { method: 'PATCH', url: `msdyn_projecttasks(${TASK_1})`, body: { msdyn_effort: 3 }, contentId: '2' },
    ]]);
    const res = await s.dataverse('POST', '$batch', { body, headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` } });
    expect(res.text).toContain('0x80040265');
    expect(rows('msdyn_workorders')).toHaveLength(0);
    expect(rows('msdyn_resourcerequirements')).toHaveLength(0);
  });
});

describe('the resource requirement created with each work order (msdyn_resourcerequirement)', () => {
  it('creates one requirement linked to the work order, with its promised window as dates and its estimated duration', async () => {
    const res = await s.dataverse('POST', 'msdyn_workorders', { body: { ...workOrderBody(TASK_1), msdyn_totalestimatedduration: 480 } });
    const id = /\(([^)]+)\)$/.exec(res.headers.get('odata-entityid')!)![1]!;
    const read = await s.dataverse('GET', `msdyn_resourcerequirements?$filter=_msdyn_workorder_value eq ${id}&$select=msdyn_name,msdyn_fromdate,msdyn_todate,msdyn_duration,msdyn_timefrompromised,msdyn_timetopromised,msdyn_allocationmethod`);
    expect(read.json.value).toEqual([{
      '@odata.etag': expect.any(String), msdyn_resourcerequirementid: expect.any(String), msdyn_name: 'WO-00001', msdyn_fromdate: '2027-01-04', msdyn_todate: '2027-01-06',
      msdyn_duration: 480, msdyn_timefrompromised: '2027-01-04T08:00:00Z', msdyn_timetopromised: '2027-01-06T17:00:00Z', msdyn_allocationmethod: 192350000,
    }]);
  });

  it('lets the client keep the requirement in step (PATCH dates and duration), and an update of the work order creates no other', async () => {
    const res = await s.dataverse('POST', 'msdyn_workorders', { body: workOrderBody(TASK_1) });
    const id = /\(([^)]+)\)$/.exec(res.headers.get('odata-entityid')!)![1]!;
    const req = rows('msdyn_resourcerequirements')[0]!;
    expect(req.msdyn_duration).toBe(0);
    const patch = await s.dataverse('PATCH', `msdyn_resourcerequirements(${String(req.msdyn_resourcerequirementid)})`, { body: { msdyn_fromdate: '2027-01-05', msdyn_todate: '2027-01-07', msdyn_duration: 960 } });
    expect(patch.status).toBe(204);
    await s.dataverse('PATCH', `msdyn_workorders(${id})`, { body: { msdyn_timefrompromised: '2027-01-05T08:00:00Z' } });
    expect(rows('msdyn_resourcerequirements')).toEqual([expect.objectContaining({ _msdyn_workorder_value: id, msdyn_fromdate: '2027-01-05', msdyn_todate: '2027-01-07', msdyn_duration: 960 })]);
  });

  it('a failed create leaves no requirement', async () => {
    const { 'msdyn_pricelist@odata.bind': _p, ...noPrice } = workOrderBody(TASK_1);
    expect((await s.dataverse('POST', 'msdyn_workorders', { body: noPrice })).status).toBe(400);
    expect(rows('msdyn_resourcerequirements')).toHaveLength(0);
  });
});
