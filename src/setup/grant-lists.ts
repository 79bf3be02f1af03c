/**
 * The permissions the product's identity needs, read from the one script that grants them
 * (docs/deploy/grant-permissions.sh): its Graph app roles and its Dataverse privileges per table.
 * The script's lists are the ones test/integration/deploy-permissions.test.ts derives from a full run
 * against the simulator, so doctor checks exactly what the script grants, never a copy that could
 * drift from it.
 */
import { readFileSync } from 'node:fs';

export interface GrantLists {
  /** GRAPH_ROLES: always granted. */
  graphRoles: string[];
  /** GRAPH_ROLES_SERVICE_ACCOUNTS: only with service accounts (SERVICE_ACCOUNT_DOMAIN). */
  graphRolesServiceAccounts: string[];
  /** DATAVERSE_PRIVILEGES: table logical name → its privilege types (SecurityPrivilegeMetadata.PrivilegeType). */
  tablePrivileges: Map<string, string[]>;
  /** DATAVERSE_MISC_PRIVILEGES: privilege names that belong to no table. */
  miscPrivileges: string[];
}

export const GRANT_SCRIPT = new URL('../../docs/deploy/grant-permissions.sh', import.meta.url);

/** A bash array's words: `NAME=(a b "c")`, over one or more lines. */
function array(script: string, name: string): string[] {
  const m = new RegExp(`^${name}=\\(([^)]*)\\)`, 'm').exec(script);
  if (!m) throw new Error(`${GRANT_SCRIPT.pathname} has no ${name}=( … ) list`);
  return m[1]!.split('\n').map((line) => line.replace(/#.*$/, '')).join(' ').split(/\s+/).filter(Boolean).map((w) => w.replace(/"/g, ''));
}

export function parseGrantLists(script: string): GrantLists {
  const tablePrivileges = new Map<string, string[]>();
  for (const entry of array(script, 'DATAVERSE_PRIVILEGES')) {
    const [table, types] = entry.split(':') as [string, string | undefined];
    tablePrivileges.set(table, (types ?? '').split(',').filter(Boolean));
  }
  return {
    graphRoles: array(script, 'GRAPH_ROLES'),
    graphRolesServiceAccounts: array(script, 'GRAPH_ROLES_SERVICE_ACCOUNTS'),
    tablePrivileges,
    miscPrivileges: array(script, 'DATAVERSE_MISC_PRIVILEGES'),
  };
}

let cached: GrantLists | undefined;

/** The lists of the script shipped with this package (read once). */
export function grantLists(): GrantLists {
  cached ??= parseGrantLists(readFileSync(GRANT_SCRIPT, 'utf8'));
  return cached;
}
