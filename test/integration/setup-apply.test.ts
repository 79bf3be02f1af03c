/**
 * `runSetup` against the simulator (issue 16 item 5): it plans the missing columns first (read-only),
 * applies the plan through POST EntityDefinitions(LogicalName=…)/Attributes with the exact
 * definitions of docs/dataverse-schema.md, plans nothing on a second run, and leaves to the operator
 * what it must not change (a choice whose values differ). Doctor passes afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/setup/doctor.js';
import { renderSetup, runSetup } from '../../src/setup/setup.js';
import { startSetupTenant, type SetupTenant } from './setup-fixture.js';

let t: SetupTenant | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const MISSING = ['contact.o25fs_accounttype', 'contact.o25fs_provisioningerror', 'contact.o25fs_portalaccess', 'msdyn_projecttask.o25fs_taskstage', 'msdyn_project.o25fs_percentcomplete'];
const label = (text: string) => ({ '@odata.type': 'Microsoft.Dynamics.CRM.Label', LocalizedLabels: [{ '@odata.type': 'Microsoft.Dynamics.CRM.LocalizedLabel', Label: text, LanguageCode: 1033 }] });
const COMMON = (schemaName: string, displayName: string) => ({
  SchemaName: schemaName,
  DisplayName: label(displayName),
  Description: label('Added by vendor-reconciler setup (docs/dataverse-schema.md).'),
  RequiredLevel: { Value: 'None', CanBeChanged: true, ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings' },
});
const posts = (t: SetupTenant) => t.sent.filter((r) => r.method === 'POST');

describe('setup', () => {
  it('plans the missing columns without writing, creates them with the documented definitions, then plans nothing; doctor passes', async () => {
    t = await startSetupTenant((f) => ({ ...f, dataverseMetadata: { missingColumns: MISSING } }));
    // Without the columns the product's own reads are refused, as Dataverse refuses a property the table lacks.
    const before = await t.dryRun();
    expect([before.outcome, before.error?.code]).toEqual(['failed', 'DATAVERSE_SCHEMA']);
    const planned = await runSetup(t.settings, t.clients);
    // In the requirements' order: the technicians' columns, then the portal's, then the project's.
    expect(planned.plan.create.map((c) => `${c.table}.${c.logicalName}`)).toEqual([
      'contact.o25fs_provisioningerror', 'contact.o25fs_accounttype', 'contact.o25fs_portalaccess', 'msdyn_projecttask.o25fs_taskstage', 'msdyn_project.o25fs_percentcomplete',
    ]);
    expect(planned.plan.manual).toEqual([]);
    expect(planned.applied).toEqual([]);
    expect(posts(t)).toEqual([]);
    expect(renderSetup(planned, false)).toContain('Would create 5 items:\n  + contact.o25fs_provisioningerror (Provisioning Error, Memo)');

    const applied = await runSetup(t.settings, t.clients, { apply: true, solution: 'VendorReconciler' });
    expect(applied.applied.map((r) => [r.what, r.ok])).toEqual(planned.plan.create.map((c) => [`${c.table}.${c.logicalName}`, true]));
    const sent = posts(t);
    expect(sent.map((r) => r.url)).toEqual([
      "EntityDefinitions(LogicalName='contact')/Attributes",
      "EntityDefinitions(LogicalName='contact')/Attributes",
      "EntityDefinitions(LogicalName='contact')/Attributes",
      "EntityDefinitions(LogicalName='msdyn_projecttask')/Attributes",
      "EntityDefinitions(LogicalName='msdyn_project')/Attributes",
    ]);
    expect(sent.every((r) => r.headers?.['MSCRM.SolutionUniqueName'] === 'VendorReconciler')).toBe(true);
    expect(sent[0]!.body).toEqual({ '@odata.type': 'Microsoft.Dynamics.CRM.MemoAttributeMetadata', ...COMMON('o25fs_ProvisioningError', 'Provisioning Error'), MaxLength: 4000, Format: 'TextArea' });
    expect(sent[1]!.body).toEqual({
      '@odata.type': 'Microsoft.Dynamics.CRM.PicklistAttributeMetadata',
      ...COMMON('o25fs_AccountType', 'Account Type'),
      OptionSet: { '@odata.type': 'Microsoft.Dynamics.CRM.OptionSetMetadata', IsGlobal: false, OptionSetType: 'Picklist', Options: [{ Value: 808950000, Label: label('Guest') }, { Value: 808950001, Label: label('Service account') }] },
    });
    expect(sent[2]!.body).toMatchObject({ '@odata.type': 'Microsoft.Dynamics.CRM.BooleanAttributeMetadata', SchemaName: 'o25fs_PortalAccess', DefaultValue: false });
    const log = (await t.serviceRequests()).filter((r) => r.method === 'POST');
    expect(log.map((r) => r.status)).toEqual([204, 204, 204, 204, 204]);

    const again = await runSetup(t.settings, t.clients, { apply: true, solution: 'VendorReconciler' });
    expect(again.plan).toEqual({ create: [], addOptions: [], createKeys: [], manual: [] });
    expect(posts(t)).toHaveLength(5);
    expect(renderSetup(again, true)).toBe('Nothing to create: every column and key the configured families need exists.\n');

    const doctor = await runDoctor(t.settings, t.clients);
    expect(doctor.results.filter((r) => !r.ok)).toEqual([]);
    expect((await t.dryRun()).outcome).toBe('succeeded');
  });

  it('leaves a choice with other values, a missing lookup and the key that needs it to the operator, and still creates the rest', async () => {
    t = await startSetupTenant((f) => ({
      ...f,
      dataverseMetadata: {
        missingColumns: ['contact.o25fs_entraobjectid', 'msdyn_workorder.o25fs_projecttask'],
        missingKeys: ['msdyn_workorder.o25fs_projecttask'],
        choiceValues: { 'contact.o25fs_accounttype': { 808950000: 'Guest', 100000001: 'Service account' } },
      },
    }));
    const outcome = await runSetup(t.settings, t.clients, { apply: true });
    expect(outcome.plan.create.map((c) => c.logicalName)).toEqual(['o25fs_entraobjectid']);
    expect(outcome.plan.manual.map((m) => [m.what, m.reason])).toEqual([
      ['contact.o25fs_accounttype', 'the choice has other option values (Service account is 100000001, needs 808950001); renumber them in the maker portal'],
      ['msdyn_workorder.o25fs_projecttask', expect.stringContaining('setup then adds its alternate key')],
      ['msdyn_workorder(o25fs_projecttask)', 'the key needs the column o25fs_projecttask first; run setup again once it exists'],
    ]);
    expect(posts(t).map((r) => (r.body as { SchemaName: string }).SchemaName)).toEqual(['o25fs_EntraObjectId']);
    expect(posts(t)[0]!.headers).toEqual({});
    const text = renderSetup(outcome, true);
    expect(text).toContain('  ✓ contact.o25fs_entraobjectid (Entra Object Id, String)');
    expect(text).toContain('Needs you (setup does not change these):\n  ! contact.o25fs_accounttype: the choice has other option values (Service account is 100000001, needs 808950001)');
    const doctor = await runDoctor(t.settings, t.clients);
    expect(doctor.results.filter((r) => !r.ok).map((r) => r.check)).toEqual([
      'Column contact.o25fs_accounttype (Account Type, Picklist)',
      'Column msdyn_workorder.o25fs_projecttask (Project Task, Lookup)',
      'Alternate key on msdyn_workorder (o25fs_projecttask)',
    ]);
  });

  it('adds the work order\'s missing alternate key; doctor waits for its index, and a second setup plans nothing', async () => {
    t = await startSetupTenant((f) => ({ ...f, dataverseMetadata: { missingKeys: ['msdyn_workorder.o25fs_projecttask'], keyIndexDelayMs: 3_600_000 } }));
    const name = 'Alternate key on msdyn_workorder (o25fs_projecttask)';
    const before = await runDoctor(t.settings, t.clients);
    expect(before.results.filter((r) => !r.ok).map((r) => [r.check, r.fix])).toEqual([[name, expect.stringContaining('Run `vendor-reconciler setup`')]]);

    const outcome = await runSetup(t.settings, t.clients, { apply: true });
    expect(outcome.plan.create).toEqual([]);
    expect(outcome.plan.createKeys.map((k) => k.schemaName)).toEqual(['o25fs_ProjectTaskKey']);
    expect(posts(t).map((r) => [r.url, r.body])).toEqual([[
      "EntityDefinitions(LogicalName='msdyn_workorder')/Keys",
      { '@odata.type': 'Microsoft.Dynamics.CRM.EntityKeyMetadata', SchemaName: 'o25fs_ProjectTaskKey', DisplayName: label('Project Task'), KeyAttributes: ['o25fs_projecttask'] },
    ]]);
    expect(renderSetup(outcome, true)).toContain('  ✓ alternate key o25fs_ProjectTaskKey on msdyn_workorder(o25fs_projecttask)');

    const building = await runDoctor(t.settings, t.clients);
    const key = building.results.find((r) => r.check === name)!;
    expect([key.ok, key.detail, key.fix]).toEqual([false, 'o25fs_ProjectTaskKey, Pending', expect.stringContaining('still building')]);
    expect((await runSetup(t.settings, t.clients, { apply: true })).plan.createKeys).toEqual([]);
    expect(posts(t)).toHaveLength(1);
  });

  it('adds the values a choice lacks when no other option stands for them (InsertOptionValue), then plans nothing', async () => {
    t = await startSetupTenant((f) => ({ ...f, dataverseMetadata: { choiceValues: { 'contact.o25fs_portalstatus': { 808950000: 'Invitation pending', 808950001: 'Invitation sent', 808950002: 'Active on the portal' } } } }));
    const before = await runDoctor(t.settings, t.clients);
    expect(before.results.filter((r) => !r.ok).map((r) => r.fix)).toEqual([
      'The choice lacks the option values 808950003 Access removed, 808950004 Error: run `vendor-reconciler setup` to add them (docs/setup.md).',
    ]);
    const outcome = await runSetup(t.settings, t.clients, { apply: true, solution: 'VendorReconciler' });
    expect(outcome.applied.map((r) => [r.what, r.ok])).toEqual([['contact.o25fs_portalstatus option 808950003', true], ['contact.o25fs_portalstatus option 808950004', true]]);
    expect(posts(t).map((r) => [r.url, r.body])).toEqual([
      ['InsertOptionValue', { EntityLogicalName: 'contact', AttributeLogicalName: 'o25fs_portalstatus', Value: 808950003, Label: label('Access removed'), SolutionUniqueName: 'VendorReconciler' }],
      ['InsertOptionValue', { EntityLogicalName: 'contact', AttributeLogicalName: 'o25fs_portalstatus', Value: 808950004, Label: label('Error'), SolutionUniqueName: 'VendorReconciler' }],
    ]);
    expect(renderSetup(outcome, true)).toContain('  ✓ option 808950004 Error on contact.o25fs_portalstatus');
    expect((await runSetup(t.settings, t.clients)).plan.addOptions).toEqual([]);
    expect((await runDoctor(t.settings, t.clients)).ok).toBe(true);
  });
});
