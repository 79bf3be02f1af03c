/**
 * What the configured families need in the tenant, from the validated settings: the columns,
 * choice values and alternate keys (requirements-columns.ts), the Dataverse tables whose change tracking the
 * incremental runs use (each family's table declarations, mode `change-tracked`), the Graph app
 * roles and the Dataverse privileges (grant-lists.ts: the grant script's lists), the licences and
 * the technician group.
 *
 * The grant script grants every table's privileges at once; doctor asks only for the tables of the
 * families that are on (FAMILY_TABLES), so a tenant without the portal solution is not asked for
 * privileges on tables it does not have. test/unit/setup/requirements.test.ts checks that
 * FAMILY_TABLES covers exactly the script's tables and every table a family reads.
 */
import type { Settings } from '../config.js';
import { configuredFamilies, type Family } from '../engine/family.js';
import { allFamilies } from '../families.js';
import { grantLists, type GrantLists } from './grant-lists.js';
import { COLUMNS_BY_FAMILY, KEYS_BY_FAMILY, type ColumnRequirement, type KeyRequirement } from './requirements-columns.js';

/** The tables each family needs privileges on (the script's names); the privileges are the script's. */
export const FAMILY_TABLES: Readonly<Record<string, readonly string[]>> = {
  technicians: ['contact', 'account', 'o25fs_vendorcharacteristic', 'characteristic', 'ratingvalue', 'systemuser', 'bookableresource', 'bookableresourcecharacteristic', 'msdyn_organizationalunit', 'msdyn_warehouse'],
  portal: ['contact', 'account', 'adx_website', 'adx_webrole', 'adx_invitation', 'workflow'],
  'project-work-orders': ['account', 'msdyn_project', 'msdyn_projecttask', 'msdyn_workorder', 'msdyn_resourcerequirement', 'bookableresourcebooking', 'bookingstatus', 'msdyn_workordertype', 'pricelevel'],
};

/** Privileges that belong to no table, by the family that needs them (the portal's Send Invitation workflow). */
export const FAMILY_MISC_PRIVILEGES: Readonly<Record<string, readonly string[]>> = { portal: ['prvWorkflowExecution'] };

export interface PrivilegeRequirement {
  table: string;
  types: string[];
}

export interface LicenceRequirement {
  skuId: string;
  /** Which setting names it, for the fix text. */
  setting: string;
}

export interface Requirements {
  families: string[];
  columns: ColumnRequirement[];
  keys: KeyRequirement[];
  /** Entity sets (contacts, …) that must have change tracking on. */
  changeTracked: string[];
  graphRoles: string[];
  privileges: PrivilegeRequirement[];
  miscPrivileges: string[];
  licences: LicenceRequirement[];
  /** TECHNICIAN_GROUP_ID; null when the technicians family is off. */
  groupId: string | null;
  /** LICENSE_MODE=group: the skuId the technician group must carry (its members inherit it); else null. */
  groupLicence: string | null;
}

export function requirementsFor(settings: Settings, families: readonly Family[] = allFamilies(), lists: GrantLists = grantLists()): Requirements {
  const on = configuredFamilies(settings, families).map((f) => f.family);
  const names = on.map((f) => f.name);
  const technicians = settings.families.technicians;
  const changeTracked = new Set<string>();
  for (const family of on) for (const t of family.tables) if (t.service === 'dataverse' && t.mode === 'change-tracked') changeTracked.add(t.path);
  const tables = new Set(names.flatMap((n) => FAMILY_TABLES[n] ?? []));
  const licences: LicenceRequirement[] = [];
  if (technicians) {
    licences.push({ skuId: technicians.licenseSkuId, setting: 'LICENSE_SKU_ID' });
    for (const skuId of technicians.serviceAccounts?.domain ? technicians.serviceAccounts.skuIds : []) {
      if (!licences.some((l) => l.skuId === skuId)) licences.push({ skuId, setting: 'SERVICE_ACCOUNT_SKU_IDS' });
    }
  }
  return {
    families: names,
    columns: names.flatMap((n) => COLUMNS_BY_FAMILY[n] ?? []).filter((c, i, all) => all.findIndex((o) => o.table === c.table && o.logicalName === c.logicalName) === i),
    keys: names.flatMap((n) => KEYS_BY_FAMILY[n] ?? []),
    changeTracked: [...changeTracked].sort(),
    graphRoles: technicians ? [...lists.graphRoles, ...(technicians.serviceAccounts?.domain ? lists.graphRolesServiceAccounts : [])].sort() : [],
    privileges: [...lists.tablePrivileges].filter(([table]) => tables.has(table)).map(([table, types]) => ({ table, types: [...types] })),
    miscPrivileges: lists.miscPrivileges.filter((p) => names.some((n) => FAMILY_MISC_PRIVILEGES[n]?.includes(p))),
    licences,
    groupId: technicians?.technicianGroupId ?? null,
    groupLicence: technicians?.licenseMode === 'group' ? technicians.licenseSkuId : null,
  };
}
