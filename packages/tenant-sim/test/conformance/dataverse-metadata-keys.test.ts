/**
 * Conformance: alternate keys as table definitions (src/dataverse/metadata-keys.ts). Sources (Learn):
 * "Define alternate keys for a table" (power-apps/developer/data-platform/define-alternate-keys-entity):
 * EntityMetadata.Keys "When an entity has alternate keys defined, this property contains the
 * definitions for those keys"; EntityKeyMetadata (SchemaName, DisplayName, KeyAttributes,
 * EntityKeyIndexStatus); "Monitor index creation for alternate keys": the index is created by a
 * system job, Pending then Active (or Failed), and the key can be used only once it is Active.
 * Creating a key through the Keys collection of the table definition, as columns are through
 * Attributes ("Create and update column definitions using the Web API"). A second key on the same
 * columns has no documented code: 412 DuplicateRecord, the stricter choice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../../src/index.js';
import { startSim, type RunningSim } from '../support/sim.js';
import { TASK_1, projectFixture, workOrderBody } from './dataverse-project-fixture.js';

let s: RunningSim | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});
const start = async (metadata?: Fixture['dataverseMetadata']): Promise<RunningSim> => {
  s = await startSim({ ...projectFixture(), ...(metadata ? { dataverseMetadata: metadata } : {}) });
  return s;
};
const KEYS = "EntityDefinitions(LogicalName='msdyn_workorder')/Keys";
const label = (text: string) => ({ LocalizedLabels: [{ Label: text, LanguageCode: 1033 }] });
const KEY_BODY = { SchemaName: 'o25fs_ProjectTaskKey', DisplayName: label('Project Task'), KeyAttributes: ['o25fs_projecttask'] };
const upsert = (sim: RunningSim) => sim.dataverse('PATCH', `msdyn_workorders(_o25fs_projecttask_value=${TASK_1})`, { body: workOrderBody(null) });

describe('EntityDefinitions(LogicalName=…)/Keys', () => {
  it('lists the work order\'s key on o25fs_projecttask, Active', async () => {
    const sim = await start();
    const res = await sim.dataverse('GET', `${KEYS}?$select=SchemaName,KeyAttributes,EntityKeyIndexStatus`);
    expect(res.status).toBe(200);
    expect(res.json.value).toEqual([{ MetadataId: expect.any(String), SchemaName: 'o25fs_ProjectTaskKey', KeyAttributes: ['o25fs_projecttask'], EntityKeyIndexStatus: 'Active' }]);
  });

  it('without the key (fixture), lists none, refuses to address a row by it and lets two rows hold the same task', async () => {
    const sim = await start({ missingKeys: ['msdyn_workorder.o25fs_projecttask'] });
    expect((await sim.dataverse('GET', KEYS)).json.value).toEqual([]);
    const res = await upsert(sim);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('no active alternate key');
    // Nor does anything keep a second work order off the same task.
    expect((await sim.dataverse('POST', 'msdyn_workorders', { body: workOrderBody(TASK_1) })).status).toBe(204);
    expect((await sim.dataverse('POST', 'msdyn_workorders', { body: workOrderBody(TASK_1) })).status).toBe(204);
  });

  it('creates the key (204); its index is Pending for the fixture\'s delay, unusable until Active', async () => {
    const sim = await start({ missingKeys: ['msdyn_workorder.o25fs_projecttask'], keyIndexDelayMs: 60_000 });
    const created = await sim.dataverse('POST', KEYS, { body: KEY_BODY });
    expect(created.status).toBe(204);
    expect(created.headers.get('odata-entityid')).toMatch(/EntityDefinitions\([0-9a-f-]{36}\)\/Keys\([0-9a-f-]{36}\)$/);
    expect((await sim.dataverse('GET', `${KEYS}?$select=EntityKeyIndexStatus`)).json.value.map((k: { EntityKeyIndexStatus: string }) => k.EntityKeyIndexStatus)).toEqual(['Pending']);
    expect((await upsert(sim)).status).toBe(400);
  });

  it('a created key with no delay is Active at once and makes the upsert work; a second one is refused (412), another key 501', async () => {
    const sim = await start({ missingKeys: ['msdyn_workorder.o25fs_projecttask'] });
    expect((await sim.dataverse('POST', KEYS, { body: KEY_BODY })).status).toBe(204);
    expect((await upsert(sim)).status).toBeLessThan(300);
    expect((await sim.dataverse('POST', KEYS, { body: KEY_BODY })).status).toBe(412);
    expect((await sim.dataverse('POST', KEYS, { body: { ...KEY_BODY, KeyAttributes: ['msdyn_name'] } })).status).toBe(501);
    expect((await sim.dataverse('POST', KEYS, { body: { ...KEY_BODY, KeyAttributes: [] } })).status).toBe(400);
  });
});
