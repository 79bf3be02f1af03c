/**
 * Doctor's Dataverse checks, read-only: the columns and choice values the configured families need,
 * change tracking where incremental runs read changes, and the application user's privileges.
 * Each requirement becomes one checklist line with what to do when it is missing.
 */
import type { DataverseApi } from '../clients/types.js';
import { fail, pass, type CheckResult } from './checklist.js';
import { keyOver, readChangeTracking, readColumns, readKeys, readOwnPrivileges, readTablePrivileges, ReadFailed, type FoundColumn, type FoundKey } from './metadata-reads.js';
import type { Requirements } from './requirements.js';
import type { ChoiceOption, ColumnRequirement, KeyRequirement } from './requirements-columns.js';

const SETUP = 'Run `vendor-reconciler setup` to create it (docs/setup.md), or add it by hand as docs/dataverse-schema.md describes.';
const GRANT = 'Run docs/deploy/grant-permissions.sh (it adds what is missing to the vendor-reconciler security role), or add them at Organization level to the application user\'s role (docs/deploy.md §4).';

const byTable = (columns: readonly ColumnRequirement[]): Map<string, ColumnRequirement[]> => {
  const out = new Map<string, ColumnRequirement[]>();
  for (const c of columns) out.set(c.table, [...(out.get(c.table) ?? []), c]);
  return out;
};

/** The columns each table has, or the read's failure (a table the environment lacks is a 404). */
export async function readRequiredColumns(dataverse: DataverseApi, columns: readonly ColumnRequirement[]): Promise<Map<string, Map<string, FoundColumn> | ReadFailed>> {
  const out = new Map<string, Map<string, FoundColumn> | ReadFailed>();
  for (const [table, list] of byTable(columns)) {
    try {
      out.set(table, await readColumns(dataverse, table, list));
    } catch (err) {
      if (!(err instanceof ReadFailed)) throw err;
      out.set(table, err);
    }
  }
  return out;
}

/** The options a choice lacks (by value), described for the fix. */
export function missingOptions(required: ColumnRequirement, found: FoundColumn): string[] {
  return (required.options ?? []).filter((o) => !found.options?.has(o.value)).map((o) => `${o.value} ${o.label}`);
}

/**
 * What setup may do about a choice's missing values: add those no other option already stands for
 * (InsertOptionValue). An option that has the label under another value means the choice was made
 * with other numbers: renumbering is the operator's call (the numbers are stored on rows), so none
 * of that choice's values is added.
 */
export function insertableOptions(required: ColumnRequirement, found: FoundColumn): { insert: ChoiceOption[]; renumber: string[] } {
  const missing = (required.options ?? []).filter((o) => !found.options?.has(o.value));
  const labels = new Map([...(found.options ?? new Map<number, string>())].map(([v, l]) => [l.trim().toLowerCase(), v]));
  const renumber = missing.filter((o) => labels.has(o.label.toLowerCase())).map((o) => `${o.label} is ${labels.get(o.label.toLowerCase())}, needs ${o.value}`);
  return renumber.length > 0 ? { insert: [], renumber } : { insert: missing, renumber: [] };
}

export function columnResult(c: ColumnRequirement, found: Map<string, FoundColumn> | ReadFailed): CheckResult {
  const name = `Column ${c.table}.${c.logicalName} (${c.displayName}, ${c.type})`;
  if (found instanceof ReadFailed) {
    return fail(name, found.status === 404 ? `The table ${c.table} is not in this environment: install the solution that brings it (docs/dataverse-schema.md).` : `Could not read the table's columns (${found.message}).`);
  }
  const column = found.get(c.logicalName);
  if (!column) return fail(name, c.manual ? `Missing: ${c.manual}.` : `Missing. ${SETUP}`);
  if (column.type !== c.type) return fail(name, `It is a ${column.type} column; the product needs ${c.type}. Delete it and run \`vendor-reconciler setup\`, or recreate it by hand (docs/dataverse-schema.md).`, `found ${column.type}`);
  if (c.type !== 'Picklist') return pass(name);
  const missing = missingOptions(c, column);
  if (missing.length === 0) return pass(name, `${c.options?.length ?? 0} option values`);
  const have = [...(column.options ?? new Map<number, string>())].map(([v, l]) => `${v} ${l}`).join(', ');
  const { renumber } = insertableOptions(c, column);
  return fail(
    name,
    renumber.length === 0
      ? `The choice lacks the option values ${missing.join(', ')}: run \`vendor-reconciler setup\` to add them (docs/setup.md).`
      : `Give the choice the option values ${missing.join(', ')} in the maker portal (the product stores these numbers; setup never renumbers an existing choice).`,
    `has ${have || 'no options'}`,
  );
}

export async function columnChecks(dataverse: DataverseApi, req: Requirements): Promise<CheckResult[]> {
  const found = await readRequiredColumns(dataverse, req.columns);
  return req.columns.map((c) => columnResult(c, found.get(c.table)!));
}

/** Each table's alternate keys, or the read's failure. */
export async function readRequiredKeys(dataverse: DataverseApi, keys: readonly KeyRequirement[]): Promise<Map<string, FoundKey[] | ReadFailed>> {
  const out = new Map<string, FoundKey[] | ReadFailed>();
  for (const table of new Set(keys.map((k) => k.table))) {
    try {
      out.set(table, await readKeys(dataverse, table));
    } catch (err) {
      if (!(err instanceof ReadFailed)) throw err;
      out.set(table, err);
    }
  }
  return out;
}

export function keyResult(k: KeyRequirement, found: FoundKey[] | ReadFailed): CheckResult {
  const name = `Alternate key on ${k.table} (${k.attributes.join(', ')})`;
  if (found instanceof ReadFailed) return fail(name, found.status === 404 ? `The table ${k.table} is not in this environment: install the solution that brings it.` : `Could not read the table's keys (${found.message}).`);
  const key = keyOver(found, k.attributes);
  if (!key) return fail(name, `Missing: ${k.why}. Run \`vendor-reconciler setup\` to add it (docs/setup.md).`);
  const detail = `${key.SchemaName}, ${key.EntityKeyIndexStatus}`;
  if (key.EntityKeyIndexStatus === 'Active') return pass(name, detail);
  if (key.EntityKeyIndexStatus === 'Failed') return fail(name, 'Dataverse could not build the key\'s index (often rows that share a value): fix the duplicates, then reactivate the key in the maker portal (table → Keys).', detail);
  return fail(name, 'Dataverse is still building the key\'s index: wait a few minutes and run doctor again.', detail);
}

export async function keyChecks(dataverse: DataverseApi, req: Requirements): Promise<CheckResult[]> {
  const found = await readRequiredKeys(dataverse, req.keys);
  return req.keys.map((k) => keyResult(k, found.get(k.table)!));
}

export async function changeTrackingChecks(dataverse: DataverseApi, req: Requirements): Promise<CheckResult[]> {
  if (req.changeTracked.length === 0) return [];
  let tracking: Map<string, boolean>;
  try {
    tracking = await readChangeTracking(dataverse, req.changeTracked);
  } catch (err) {
    if (!(err instanceof ReadFailed)) throw err;
    return [fail('Change tracking of the tables incremental runs read', `Could not read the table definitions (${err.message}).`)];
  }
  return req.changeTracked.map((set) => {
    const name = `Change tracking on ${set}`;
    const on = tracking.get(set);
    if (on === undefined) return fail(name, `The table ${set} is not in this environment: install the solution that brings it.`);
    return on ? pass(name) : fail(name, `Turn on Track changes for the table (maker portal: table → Properties → Advanced options → Track changes); hourly runs read only its changes (docs/incremental.md).`);
  });
}

export async function privilegeChecks(dataverse: DataverseApi, req: Requirements): Promise<CheckResult[]> {
  let held: Awaited<ReturnType<typeof readOwnPrivileges>>['held'];
  let tables: Awaited<ReturnType<typeof readTablePrivileges>>;
  try {
    held = (await readOwnPrivileges(dataverse)).held;
    tables = await readTablePrivileges(dataverse, req.privileges.map((p) => p.table));
  } catch (err) {
    if (!(err instanceof ReadFailed)) throw err;
    return [fail("The application user's privileges", `Could not read them (${err.message}). The app needs an application user with a security role in this environment (docs/deploy.md §4).`)];
  }
  const global = new Set(held.filter((p) => p.Depth === 'Global').map((p) => p.PrivilegeId));
  const any = new Set(held.map((p) => p.PrivilegeId));
  const out: CheckResult[] = [];
  for (const { table, types } of req.privileges) {
    const name = `Privileges on ${table} (${types.join(', ')})`;
    const privileges = tables.get(table);
    if (!privileges) {
      out.push(fail(name, `The table ${table} is not in this environment: install the solution that brings it.`));
      continue;
    }
    const missing = types.filter((t) => !privileges.some((p) => p.PrivilegeType === t && global.has(p.PrivilegeId)));
    const shallow = missing.filter((t) => privileges.some((p) => p.PrivilegeType === t && any.has(p.PrivilegeId)));
    out.push(missing.length === 0 ? pass(name) : fail(name, GRANT, `missing ${missing.join(', ')}${shallow.length > 0 ? ` (${shallow.join(', ')} held below Organization level)` : ''}`));
  }
  for (const name of req.miscPrivileges) {
    const has = held.some((p) => p.PrivilegeName === name && p.Depth === 'Global');
    out.push(has ? pass(`Privilege ${name}`) : fail(`Privilege ${name}`, GRANT));
  }
  return out;
}
