/**
 * `runDoctor` against the simulator (issue 16 item 5): a ready tenant passes every check; a tenant
 * with missing columns, a wrong choice value, a missing Graph app role, a missing privilege, change
 * tracking off, a synced group and no free licence unit fails exactly those checks, each with what
 * to do; a credential that gives no token stops at the credential lines. Doctor never writes: the
 * simulator's request log holds only GETs.
 */
import type { TokenCredential } from '@azure/identity';
import { afterEach, describe, expect, it } from 'vitest';
import { createClients } from '../../src/clients/index.js';
import { loadSettings } from '../../src/families.js';
import { runDoctor } from '../../src/setup/doctor.js';
import { renderChecklist } from '../../src/setup/checklist.js';
import { DEMO_SETTINGS } from '../support/tenant.js';
import { allUnitsUsed, startSetupTenant, type SetupTenant } from './setup-fixture.js';

let t: SetupTenant | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe('doctor on a ready tenant', () => {
  it('passes every check and sends only GET requests', async () => {
    t = await startSetupTenant();
    const list = await runDoctor(t.settings, t.clients);
    expect(list.results.filter((r) => !r.ok)).toEqual([]);
    expect(list.ok).toBe(true);
    const names = list.results.map((r) => r.check);
    expect(names).toEqual(expect.arrayContaining([
      'Graph app role User.ReadWrite.All', 'Graph app role Domain.Read.All', 'Column contact.o25fs_provisioningstatus (Provisioning Status, Picklist)',
      'Change tracking on contacts', 'Privileges on bookableresource (Read, Create, Write, Append, AppendTo, Assign)', 'Privilege prvWorkflowExecution',
    ]));
    expect(renderChecklist(list)).toMatch(/^Ready: all \d+ checks passed\./);
    const requests = await t.serviceRequests();
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('doctor on a tenant that is not set up', () => {
  it('fails exactly the missing pieces, says what to fix, and still writes nothing', async () => {
    t = await startSetupTenant((f) => {
      allUnitsUsed(f);
      f.app!.roles = f.app!.roles!.filter((r) => r !== 'User.ReadWrite.All');
      f.graph!.groups!.find((g) => g.id === f.environment!.securityGroupId)!.onPremisesSyncEnabled = true;
      f.dataverseMetadata = {
        missingColumns: ['contact.o25fs_accounttype', 'contact.o25fs_provisioningerror'],
        choiceValues: { 'contact.o25fs_portalstatus': { 808950000: 'Invitation pending', 808950001: 'Invitation sent', 808950002: 'Active on the portal', 808950003: 'Access removed', 100000004: 'Error' } },
        changeTrackingOff: ['contact'],
        missingPrivileges: ['bookableresource:Assign', 'prvWorkflowExecution'],
      };
      return f;
    });
    const list = await runDoctor(t.settings, t.clients);
    const failed = Object.fromEntries(list.results.filter((r) => !r.ok).map((r) => [r.check, { fix: r.fix, detail: r.detail }]));
    expect(Object.keys(failed).sort()).toEqual([
      'Change tracking on contacts',
      'Column contact.o25fs_accounttype (Account Type, Picklist)',
      'Column contact.o25fs_portalstatus (Portal Status, Picklist)',
      'Column contact.o25fs_provisioningerror (Provisioning Error, Memo)',
      'Graph app role User.ReadWrite.All',
      `Licence ${DEMO_SETTINGS.LICENSE_SKU_ID} (LICENSE_SKU_ID)`,
      'Privilege prvWorkflowExecution',
      'Privileges on bookableresource (Read, Create, Write, Append, AppendTo, Assign)',
      `Technician group ${DEMO_SETTINGS.TECHNICIAN_GROUP_ID} (TECHNICIAN_GROUP_ID)`,
    ]);
    expect(failed['Column contact.o25fs_accounttype (Account Type, Picklist)']!.fix).toContain('vendor-reconciler setup');
    expect(failed['Column contact.o25fs_portalstatus (Portal Status, Picklist)']).toEqual({
      fix: 'Give the choice the option values 808950004 Error in the maker portal (the product stores these numbers; setup never renumbers an existing choice).',
      detail: 'has 100000004 Error, 808950000 Invitation pending, 808950001 Invitation sent, 808950002 Active on the portal, 808950003 Access removed',
    });
    expect(failed['Graph app role User.ReadWrite.All']!.fix).toContain('docs/deploy/grant-permissions.sh');
    expect(failed['Privileges on bookableresource (Read, Create, Write, Append, AppendTo, Assign)']!.detail).toBe('missing Assign');
    expect(failed['Change tracking on contacts']!.fix).toContain('Track changes');
    expect(failed[`Licence ${DEMO_SETTINGS.LICENSE_SKU_ID} (LICENSE_SKU_ID)`]!.detail).toBe('DYN365_FS_CONTRACTOR: 0 of 100 units free');
    expect(failed[`Technician group ${DEMO_SETTINGS.TECHNICIAN_GROUP_ID} (TECHNICIAN_GROUP_ID)`]!.fix).toContain('cloud-only security group');
    // The service accounts' second licence and the rest are in place.
    expect(list.results.find((r) => r.check.startsWith('Licence 7a551360'))!.ok).toBe(true);
    expect(list.ok).toBe(false);
    const text = renderChecklist(list);
    expect(text).toMatch(/^Not ready: 9 of \d+ checks failed\.\n\nTo fix:\n {2}✗ /);
    expect((await t.serviceRequests()).filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('doctor with LICENSE_MODE=group', () => {
  // Group mode gives every member the group's licences, so service accounts take no other SKU.
  const GROUP_MODE = Object.fromEntries(Object.entries({ ...DEMO_SETTINGS, LICENSE_MODE: 'group' }).filter(([k]) => k !== 'SERVICE_ACCOUNT_SKU_IDS'));
  it('checks that the technician group carries the licence, and passes once it does', async () => {
    const name = `The technician group carries the licence ${DEMO_SETTINGS.LICENSE_SKU_ID} (LICENSE_MODE=group)`;
    t = await startSetupTenant(undefined, GROUP_MODE);
    const without = (await runDoctor(t.settings, t.clients)).results.find((r) => r.check === name)!;
    expect([without.ok, without.detail]).toEqual([false, 'it carries no licence']);
    expect(without.fix).toContain('Assign the licence to the group');
    await t.stop();
    t = await startSetupTenant((f) => {
      f.graph!.groups!.find((g) => g.id === f.environment!.securityGroupId)!.assignedLicenses = [{ skuId: DEMO_SETTINGS.LICENSE_SKU_ID! }];
      return f;
    }, GROUP_MODE);
    const list = await runDoctor(t.settings, t.clients);
    expect(list.results.find((r) => r.check === name)!.ok).toBe(true);
    expect(list.results.filter((r) => !r.ok)).toEqual([]);
  });
});

describe('doctor without a credential', () => {
  it('reports both token failures with what to try, and checks nothing behind them', async () => {
    const settings = loadSettings({ ...DEMO_SETTINGS, GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0', DATAVERSE_URL: 'https://contoso.crm11.dynamics.com' });
    const credential: TokenCredential = { getToken: () => Promise.reject(new Error('AADSTS7000215: Invalid client secret provided.')) };
    const list = await runDoctor(settings, { ...createClients(settings, credential), credential });
    expect(list.results.map((r) => [r.check, r.ok])).toEqual([
      ['A token for Microsoft Graph (https://graph.microsoft.com/.default)', false],
      ['A token for Dataverse (https://contoso.crm11.dynamics.com/.default)', false],
    ]);
    expect(list.results[0]!.fix).toContain('az login');
    expect(list.results[0]!.detail).toContain('AADSTS7000215');
  });
});
