/**
 * What doctor and setup ask of a tenant comes from the sources the product already keeps: the grant
 * script's lists (docs/deploy/grant-permissions.sh, themselves derived by
 * test/integration/deploy-permissions.test.ts), the families' table declarations and option values.
 * These tests pin that wiring, so a table or role added to the script, or a table a family starts to
 * read, cannot be forgotten by doctor.
 */
import { describe, expect, it } from 'vitest';
import { allFamilies } from '../../../src/families.js';
import { grantLists, parseGrantLists } from '../../../src/setup/grant-lists.js';
import { FAMILY_TABLES, requirementsFor } from '../../../src/setup/requirements.js';
import { COLUMNS_BY_FAMILY } from '../../../src/setup/requirements-columns.js';
import { DEMO_SETTINGS, GUEST_SETTINGS } from '../../support/tenant.js';
import { loadSettings } from '../../../src/families.js';

const URLS = { GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0', DATAVERSE_URL: 'https://contoso.crm11.dynamics.com' };

describe('the grant script as the source of roles and privileges', () => {
  it('parses the script\'s arrays, across lines and without quotes', () => {
    const lists = parseGrantLists('GRAPH_ROLES=(A.Read B.Write)\nGRAPH_ROLES_SERVICE_ACCOUNTS=(C.Read)\nDATAVERSE_PRIVILEGES=(\n  "contact:Read,Write"\n  "account:Read"\n)\nDATAVERSE_MISC_PRIVILEGES=(prvX)\n');
    expect(lists.graphRoles).toEqual(['A.Read', 'B.Write']);
    expect([...lists.tablePrivileges]).toEqual([['contact', ['Read', 'Write']], ['account', ['Read']]]);
    expect(lists.miscPrivileges).toEqual(['prvX']);
  });

  it('FAMILY_TABLES covers exactly the script\'s tables', () => {
    const assigned = new Set(Object.values(FAMILY_TABLES).flat());
    expect([...assigned].sort()).toEqual([...grantLists().tablePrivileges.keys()].sort());
  });

  it('every Dataverse table a family reads is among that family\'s tables', () => {
    const logical = (set: string): string[] => [set.replace(/es$/, ''), set.replace(/s$/, '')];
    for (const family of allFamilies()) {
      const own = FAMILY_TABLES[family.name] ?? [];
      for (const t of family.tables.filter((x) => x.service === 'dataverse')) {
        expect(logical(t.path).some((n) => own.includes(n)), `${family.name} reads ${t.path}`).toBe(true);
      }
    }
  });
});

describe('requirementsFor', () => {
  it('the demo settings (every family, service accounts on) need every role, every table of the script and every column', () => {
    const req = requirementsFor(loadSettings({ ...DEMO_SETTINGS, ...URLS }));
    const lists = grantLists();
    expect(req.families.sort()).toEqual(['portal', 'project-work-orders', 'technicians']);
    expect(req.graphRoles).toEqual([...lists.graphRoles, ...lists.graphRolesServiceAccounts].sort());
    expect(req.privileges.map((p) => p.table).sort()).toEqual([...lists.tablePrivileges.keys()].sort());
    expect(req.miscPrivileges).toEqual(['prvWorkflowExecution']);
    expect(req.columns.length).toBe(Object.values(COLUMNS_BY_FAMILY).flat().length);
    expect(req.changeTracked).toContain('contacts');
    expect(req.licences.map((l) => l.setting)).toEqual(['LICENSE_SKU_ID', 'SERVICE_ACCOUNT_SKU_IDS']);
  });

  it('technicians alone, without service accounts: no Domain.Read.All, no portal or project tables, the technician columns only', () => {
    const req = requirementsFor(loadSettings({ ...GUEST_SETTINGS, ...URLS }));
    expect(req.families).toEqual(['technicians']);
    expect(req.graphRoles).toEqual([...grantLists().graphRoles].sort());
    expect(req.privileges.map((p) => p.table)).not.toContain('adx_website');
    expect(req.privileges.map((p) => p.table)).not.toContain('msdyn_project');
    expect(req.miscPrivileges).toEqual([]);
    expect(req.columns.map((c) => c.logicalName)).toEqual(['o25fs_entraobjectid', 'o25fs_provisioningstatus', 'o25fs_provisioningerror', 'o25fs_consecutivefailures', 'o25fs_nextattemptat', 'o25fs_accounttype']);
    expect(req.columns[1]!.options!.map((o) => o.value)).toEqual([808950000, 808950001, 808950002, 808950003, 808950004, 808950005, 808950006, 808950007, 808950008, 808950009]);
    expect(req.groupId).toBe(GUEST_SETTINGS.TECHNICIAN_GROUP_ID);
  });
});
