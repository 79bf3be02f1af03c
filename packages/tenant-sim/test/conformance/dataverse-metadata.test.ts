/**
 * Conformance: table definitions and the application user's privileges (src/dataverse/metadata*.ts).
 * Sources (Learn):
 * - "Query table definitions using the Web API" (power-apps/developer/data-platform/webapi/query-metadata-web-api):
 *   "Use the EntityDefinitions entity set path to retrieve information about the EntityMetadata
 *   EntityType", "The MetadataId property value is always returned", the example
 *   `EntityDefinitions(LogicalName='account')?$select=…`, and "Retrieving attributes" with the type
 *   cast `/Attributes(LogicalName='…')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet`.
 * - "Create and update column definitions using the Web API" (…/webapi/create-update-column-definitions-using-web-api):
 *   "send a POST request including the JSON definition of them to the entity Attributes
 *   collection-valued navigation property"; the examples answer 204 with OData-EntityId.
 * - "Create and update table definitions using the Web API", Tip: "associate them with a solution by
 *   using the MSCRM.SolutionUniqueName request header" (optional).
 * - EntityMetadata.ChangeTrackingEnabled; SecurityPrivilegeMetadata (PrivilegeId, Name, PrivilegeType).
 * - RetrieveUserPrivileges Function (bound to systemuser, no parameters) returning
 *   RetrieveUserPrivilegesResponse.RolePrivileges, RolePrivilege ComplexType: "BusinessUnitId",
 *   "Depth", "PrivilegeId", "PrivilegeName".
 * Where the docs are silent the simulator is stricter, and says so in the test's name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../../src/index.js';
import { startSim, type RunningSim } from '../support/sim.js';
import { contactId, dataverseFixture } from './dataverse-fixture.js';

let s: RunningSim | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});
const start = async (metadata?: Fixture['dataverseMetadata']): Promise<RunningSim> => {
  s = await startSim({ ...dataverseFixture(), ...(metadata ? { dataverseMetadata: metadata } : {}) });
  return s;
};
const CONTACT = "EntityDefinitions(LogicalName='contact')";
const PICKLISTS = `${CONTACT}/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)`;
const optionsOf = (attribute: any): Record<number, string> =>
  Object.fromEntries(attribute.OptionSet.Options.map((o: any) => [o.Value, o.Label.UserLocalizedLabel.Label]));

describe('EntityDefinitions', () => {
  it("answers one table's definition with the selected properties and MetadataId, which is always returned", async () => {
    const sim = await start();
    const res = await sim.dataverse('GET', `${CONTACT}?$select=LogicalName,EntitySetName,ChangeTrackingEnabled`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(['@odata.context', 'ChangeTrackingEnabled', 'EntitySetName', 'LogicalName', 'MetadataId']);
    expect(res.json).toMatchObject({ LogicalName: 'contact', EntitySetName: 'contacts', ChangeTrackingEnabled: true });
  });

  it('filters the collection on EntitySetName and reports change tracking off where the fixture turned it off', async () => {
    const sim = await start({ changeTrackingOff: ['contact'] });
    const res = await sim.dataverse('GET', "EntityDefinitions?$select=LogicalName,ChangeTrackingEnabled&$filter=EntitySetName eq 'contacts' or EntitySetName eq 'accounts'");
    expect(res.status).toBe(200);
    expect(res.json.value.map((e: any) => [e.LogicalName, e.ChangeTrackingEnabled]).sort()).toEqual([['account', true], ['contact', false]]);
    // A table whose change tracking is off refuses Prefer: odata.track-changes (as one the schema does not track).
    const tracked = await sim.dataverse('GET', 'contacts?$select=fullname', { headers: { Prefer: 'odata.track-changes' } });
    expect(tracked.status).toBe(400);
    expect(tracked.json.error.message).toContain('Change tracking is not enabled');
  });

  it('lists a table\'s privileges as SecurityPrivilegeMetadata, with Assign only on a user-owned table', async () => {
    const sim = await start();
    const contact = await sim.dataverse('GET', `${CONTACT}?$select=Privileges`);
    expect(contact.json.Privileges.map((p: any) => p.PrivilegeType).sort()).toEqual(['Append', 'AppendTo', 'Assign', 'Create', 'Delete', 'Read', 'Share', 'Write']);
    const characteristic = await sim.dataverse('GET', "EntityDefinitions(LogicalName='characteristic')?$select=Privileges");
    expect(characteristic.json.Privileges.map((p: any) => p.PrivilegeType)).not.toContain('Assign');
    expect(contact.json.Privileges[0]).toEqual(expect.objectContaining({ PrivilegeId: expect.stringMatching(/^[0-9a-f-]{36}$/), Name: expect.stringMatching(/^prv/) }));
  });

  it('refuses an unknown table (404), an unknown property (400) and query options other than $select, $filter and $expand (stricter: the page names only those)', async () => {
    const sim = await start();
    expect((await sim.dataverse('GET', "EntityDefinitions(LogicalName='nosuchtable')")).status).toBe(404);
    const unknown = await sim.dataverse('GET', `${CONTACT}?$select=NoSuchProperty`);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toBe("Could not find a property named 'NoSuchProperty' on type 'Microsoft.Dynamics.CRM.EntityMetadata'.");
    expect((await sim.dataverse('GET', 'EntityDefinitions?$top=1')).status).toBe(400);
  });
});

describe('Attributes', () => {
  it('lists the columns with their AttributeType and derived @odata.type; a lookup by its logical name', async () => {
    const sim = await start();
    const res = await sim.dataverse('GET', `${CONTACT}/Attributes?$select=LogicalName,AttributeType&$filter=LogicalName eq 'o25fs_provisioningerror' or LogicalName eq 'o25fs_bookableresourceid'`);
    expect(res.status).toBe(200);
    expect(res.json.value.map((a: any) => [a.LogicalName, a.AttributeType, a['@odata.type']]).sort()).toEqual([
      ['o25fs_bookableresourceid', 'Lookup', '#Microsoft.Dynamics.CRM.LookupAttributeMetadata'],
      ['o25fs_provisioningerror', 'Memo', '#Microsoft.Dynamics.CRM.MemoAttributeMetadata'],
    ]);
  });

  it('leaves out a column the fixture says is missing (404 by name)', async () => {
    const sim = await start({ missingColumns: ['contact.o25fs_accounttype'] });
    const all = await sim.dataverse('GET', `${CONTACT}/Attributes?$select=LogicalName`);
    expect(all.json.value.map((a: any) => a.LogicalName)).not.toContain('o25fs_accounttype');
    expect((await sim.dataverse('GET', `${CONTACT}/Attributes(LogicalName='o25fs_accounttype')`)).status).toBe(404);
  });

  it('serves a choice\'s options through the PicklistAttributeMetadata cast and $expand=OptionSet, with the fixture\'s wrong value', async () => {
    const sim = await start({ choiceValues: { 'contact.o25fs_accounttype': { '808950000': 'Guest', '100000001': 'Service account' } } });
    const one = await sim.dataverse('GET', `${CONTACT}/Attributes(LogicalName='o25fs_accounttype')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet`);
    expect(one.status).toBe(200);
    expect(optionsOf(one.json)).toEqual({ 808950000: 'Guest', 100000001: 'Service account' });
    const all = await sim.dataverse('GET', PICKLISTS);
    const status = all.json.value.find((a: any) => a.LogicalName === 'o25fs_provisioningstatus');
    expect(Object.keys(optionsOf(status)).map(Number)).toEqual([808950000, 808950001, 808950002, 808950003, 808950004, 808950005, 808950006, 808950007, 808950008, 808950009]);
    expect(all.json.value.every((a: any) => a['@odata.type'] === '#Microsoft.Dynamics.CRM.PicklistAttributeMetadata')).toBe(true);
  });

  it('refuses MaxLength or $expand=OptionSet on the base AttributeMetadata (stricter: derived properties need the cast)', async () => {
    const sim = await start();
    expect((await sim.dataverse('GET', `${CONTACT}/Attributes?$select=MaxLength`)).status).toBe(400);
    expect((await sim.dataverse('GET', `${CONTACT}/Attributes?$expand=OptionSet`)).status).toBe(400);
  });
});

describe('POST EntityDefinitions(LogicalName=…)/Attributes', () => {
  const label = (text: string) => ({ '@odata.type': 'Microsoft.Dynamics.CRM.Label', LocalizedLabels: [{ '@odata.type': 'Microsoft.Dynamics.CRM.LocalizedLabel', Label: text, LanguageCode: 1033 }] });
  const choice = {
    '@odata.type': 'Microsoft.Dynamics.CRM.PicklistAttributeMetadata',
    SchemaName: 'o25fs_AccountType',
    DisplayName: label('Account Type'),
    RequiredLevel: { Value: 'None' },
    OptionSet: { '@odata.type': 'Microsoft.Dynamics.CRM.OptionSetMetadata', IsGlobal: false, OptionSetType: 'Picklist', Options: [{ Value: 808950000, Label: label('Guest') }, { Value: 808950001, Label: label('Service account') }] },
  };

  it('creates a missing choice column (204, OData-EntityId), which the definitions then list with its options', async () => {
    const sim = await start({ missingColumns: ['contact.o25fs_accounttype'] });
    const res = await sim.dataverse('POST', `${CONTACT}/Attributes`, { body: choice, headers: { 'MSCRM.SolutionUniqueName': 'VendorReconciler' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('odata-entityid')).toMatch(/\/api\/data\/v9\.2\/EntityDefinitions\([0-9a-f-]{36}\)\/Attributes\([0-9a-f-]{36}\)$/);
    const one = await sim.dataverse('GET', `${CONTACT}/Attributes(LogicalName='o25fs_accounttype')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName,SchemaName,DisplayName&$expand=OptionSet`);
    expect(one.json.SchemaName).toBe('o25fs_AccountType');
    expect(one.json.DisplayName.UserLocalizedLabel.Label).toBe('Account Type');
    expect(optionsOf(one.json)).toEqual({ 808950000: 'Guest', 808950001: 'Service account' });
    // The state, written as a fixture, no longer lists the column as missing and keeps its options.
    const state = (await sim.admin('GET', '/state')).json;
    expect(state.dataverseMetadata).toEqual({ missingColumns: [], choiceValues: { 'contact.o25fs_accounttype': { 808950000: 'Guest', 808950001: 'Service account' } } });
  });

  it('creates a text column without the solution header (it is optional)', async () => {
    const sim = await start({ missingColumns: ['contact.o25fs_entraobjectid'] });
    const body = { '@odata.type': 'Microsoft.Dynamics.CRM.StringAttributeMetadata', SchemaName: 'o25fs_EntraObjectId', DisplayName: label('Entra Object Id'), RequiredLevel: { Value: 'None' }, MaxLength: 100, FormatName: { Value: 'Text' } };
    expect((await sim.dataverse('POST', `${CONTACT}/Attributes`, { body })).status).toBe(204);
    const one = await sim.dataverse('GET', `${CONTACT}/Attributes(LogicalName='o25fs_entraobjectid')/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=MaxLength`);
    expect(one.json.MaxLength).toBe(100);
  });

  it('refuses a column that exists (412 DuplicateRecord, stricter: the docs give no code), one without SchemaName or DisplayName, and another type than the schema\'s (501)', async () => {
    const sim = await start({ missingColumns: ['contact.o25fs_accounttype'] });
    const existing = { ...choice, SchemaName: 'o25fs_ProvisioningStatus' };
    expect((await sim.dataverse('POST', `${CONTACT}/Attributes`, { body: existing })).status).toBe(412);
    expect((await sim.dataverse('POST', `${CONTACT}/Attributes`, { body: { ...choice, DisplayName: undefined } })).status).toBe(400);
    expect((await sim.dataverse('POST', `${CONTACT}/Attributes`, { body: { ...choice, SchemaName: 'AccountType' } })).status).toBe(400);
    const asText = { '@odata.type': 'Microsoft.Dynamics.CRM.StringAttributeMetadata', SchemaName: 'o25fs_AccountType', DisplayName: label('Account Type'), MaxLength: 10 };
    expect((await sim.dataverse('POST', `${CONTACT}/Attributes`, { body: asText })).status).toBe(501);
    // Creating it twice: the second is a duplicate.
    expect((await sim.dataverse('POST', `${CONTACT}/Attributes`, { body: choice })).status).toBe(204);
    expect((await sim.dataverse('POST', `${CONTACT}/Attributes`, { body: choice })).status).toBe(412);
  });
});

describe('InsertOptionValue', () => {
  // Learn InsertOptionValue Action: "Inserts a new option value for a global or local option set";
  // parameters EntityLogicalName, AttributeLogicalName (local), Value, Label; InsertOptionValueResponse.NewOptionValue.
  const insert = (sim: RunningSim, value: number, text: string) =>
    sim.dataverse('POST', 'InsertOptionValue', { body: { EntityLogicalName: 'contact', AttributeLogicalName: 'o25fs_portalstatus', Value: value, Label: { LocalizedLabels: [{ Label: text, LanguageCode: 1033 }] } } });

  it('adds an option to a local choice; the definitions then list it', async () => {
    const sim = await start({ choiceValues: { 'contact.o25fs_portalstatus': { 808950000: 'Invitation pending' } } });
    const res = await insert(sim, 808950004, 'Error');
    expect(res.status).toBe(200);
    expect(res.json.NewOptionValue).toBe(808950004);
    const one = await sim.dataverse('GET', `${CONTACT}/Attributes(LogicalName='o25fs_portalstatus')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$expand=OptionSet`);
    expect(optionsOf(one.json)).toEqual({ 808950000: 'Invitation pending', 808950004: 'Error' });
  });

  it('refuses a value the choice has (412, stricter: no documented code), a column that is not a choice (400) and GET (405)', async () => {
    const sim = await start();
    expect((await insert(sim, 808950000, 'Again')).status).toBe(412);
    const notChoice = await sim.dataverse('POST', 'InsertOptionValue', { body: { EntityLogicalName: 'contact', AttributeLogicalName: 'o25fs_portalerror', Value: 1, Label: { LocalizedLabels: [{ Label: 'x', LanguageCode: 1033 }] } } });
    expect(notChoice.status).toBe(400);
    expect((await sim.dataverse('GET', 'InsertOptionValue')).status).toBe(405);
  });
});

describe('a column the environment lacks, in data requests', () => {
  // The rows keep the column (the simulator's schema), but the environment's entity type does not have
  // it: the Web API answers as for any property the type lacks (0x80060888 on $select and $filter, the
  // OData reader's error on a payload), until a POST to Attributes creates it.
  it('is refused in $select, $filter and a write, and accepted once created', async () => {
    const sim = await start({ missingColumns: ['contact.o25fs_provisioningerror'] });
    const select = await sim.dataverse('GET', 'contacts?$select=fullname,o25fs_provisioningerror');
    expect(select.status).toBe(400);
    expect(select.json.error).toEqual({ code: '0x80060888', message: "Could not find a property named 'o25fs_provisioningerror' on type 'Microsoft.Dynamics.CRM.contact'." });
    expect((await sim.dataverse('GET', "contacts?$select=fullname&$filter=o25fs_provisioningerror ne null")).status).toBe(400);
    const write = await sim.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { o25fs_provisioningerror: 'x' }, headers: { 'If-Match': '*' } });
    expect(write.status).toBe(400);
    expect(write.json.error.message).toContain("The property 'o25fs_provisioningerror' does not exist");
    const body = { '@odata.type': 'Microsoft.Dynamics.CRM.MemoAttributeMetadata', SchemaName: 'o25fs_ProvisioningError', DisplayName: { LocalizedLabels: [{ Label: 'Provisioning Error', LanguageCode: 1033 }] }, MaxLength: 4000 };
    expect((await sim.dataverse('POST', `${CONTACT}/Attributes`, { body })).status).toBe(204);
    expect((await sim.dataverse('GET', 'contacts?$select=fullname,o25fs_provisioningerror')).status).toBe(200);
    expect((await sim.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { o25fs_provisioningerror: 'x' }, headers: { 'If-Match': '*' } })).status).toBe(204);
  });
});

describe('RetrieveUserPrivileges', () => {
  it("gives the calling app's application user every table privilege at Global depth, less the fixture's missing ones, by the ids of EntityMetadata.Privileges", async () => {
    const sim = await start({ missingPrivileges: ['contact:Write', 'prvWorkflowExecution'] });
    const me = (await sim.dataverse('GET', 'WhoAmI')).json;
    const res = await sim.dataverse('GET', `systemusers(${me.UserId})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`);
    expect(res.status).toBe(200);
    const held = res.json.RolePrivileges as any[];
    expect(held.every((p) => p.Depth === 'Global' && p.BusinessUnitId === me.BusinessUnitId)).toBe(true);
    const contact = (await sim.dataverse('GET', `${CONTACT}?$select=Privileges`)).json.Privileges as any[];
    const ids = new Set(held.map((p) => p.PrivilegeId));
    const byType = Object.fromEntries(contact.map((p) => [p.PrivilegeType, ids.has(p.PrivilegeId)]));
    expect(byType).toEqual({ Create: true, Read: true, Write: false, Delete: true, Assign: true, Share: true, Append: true, AppendTo: true });
    expect(held.map((p) => p.PrivilegeName)).not.toContain('prvWorkflowExecution');
    expect((await sim.dataverse('POST', `systemusers(${me.UserId})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges`)).status).toBe(405);
  });

  it('holds prvWorkflowExecution when nothing is missing', async () => {
    const sim = await start();
    const me = (await sim.dataverse('GET', 'WhoAmI')).json;
    const res = await sim.dataverse('GET', `systemusers(${me.UserId})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`);
    expect(res.json.RolePrivileges.map((p: any) => p.PrivilegeName)).toContain('prvWorkflowExecution');
  });
});
