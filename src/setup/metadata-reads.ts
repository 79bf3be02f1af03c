/**
 * The read-only Dataverse Web API requests doctor and setup make: the table definitions of the
 * required columns and their choices, the change tracking of tables, their privileges, and the
 * application user's privileges (Learn "Query table definitions using the Web API";
 * RetrieveUserPrivileges Function). One request per table, or one for all tables, never one per column.
 */
import type { DataverseApi, ServiceResponse } from '../clients/types.js';
import type { ColumnRequirement } from './requirements-columns.js';

/** What the environment has of one column. */
export interface FoundColumn {
  type: string;
  /** Picklist: value → label. */
  options?: Map<number, string>;
}

/** A read the environment refused: its status and message, for the checklist. */
export class ReadFailed extends Error {
  constructor(readonly what: string, readonly status: number, detail: string) {
    super(`${what}: HTTP ${status}${detail ? ` ${detail}` : ''}`);
  }
}

const q = (value: string): string => encodeURIComponent(value);
const anyOf = (property: string, values: readonly string[]): string => values.map((v) => `${property} eq '${v}'`).join(' or ');

function errorText(res: ServiceResponse): string {
  const body = res.body as { error?: { message?: unknown } } | undefined;
  return typeof body?.error?.message === 'string' ? body.error.message : '';
}

async function get<T>(dataverse: DataverseApi, url: string, what: string): Promise<T> {
  const res = await dataverse.send({ method: 'GET', url });
  if (res.status !== 200) throw new ReadFailed(what, res.status, errorText(res));
  return res.body as T;
}

const labelOf = (l: { UserLocalizedLabel?: { Label?: string } | null } | undefined): string => l?.UserLocalizedLabel?.Label ?? '';

/**
 * The required columns of one table the environment has, by logical name. A table the environment
 * does not have throws ReadFailed with status 404.
 */
export async function readColumns(dataverse: DataverseApi, table: string, columns: readonly ColumnRequirement[]): Promise<Map<string, FoundColumn>> {
  const names = columns.map((c) => c.logicalName);
  const base = `EntityDefinitions(LogicalName='${table}')/Attributes`;
  const all = await get<{ value: { LogicalName: string; AttributeType: string }[] }>(
    dataverse, `${base}?$select=LogicalName,AttributeType&$filter=${q(anyOf('LogicalName', names))}`, `the columns of ${table}`,
  );
  const found = new Map(all.value.map((a) => [a.LogicalName, { type: a.AttributeType } as FoundColumn]));
  const choices = columns.filter((c) => c.type === 'Picklist' && found.get(c.logicalName)?.type === 'Picklist').map((c) => c.logicalName);
  if (choices.length > 0) {
    const picklists = await get<{ value: { LogicalName: string; OptionSet?: { Options?: { Value: number; Label?: { UserLocalizedLabel?: { Label?: string } | null } }[] } }[] }>(
      dataverse, `${base}/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$filter=${q(anyOf('LogicalName', choices))}&$expand=OptionSet($select=Options)`, `the choices of ${table}`,
    );
    for (const p of picklists.value) {
      const column = found.get(p.LogicalName);
      if (column) column.options = new Map((p.OptionSet?.Options ?? []).map((o) => [o.Value, labelOf(o.Label)]));
    }
  }
  return found;
}

/** Entity set → ChangeTrackingEnabled, for the sets the environment has. */
export async function readChangeTracking(dataverse: DataverseApi, entitySets: readonly string[]): Promise<Map<string, boolean>> {
  if (entitySets.length === 0) return new Map();
  const res = await get<{ value: { EntitySetName: string; ChangeTrackingEnabled: boolean }[] }>(
    dataverse, `EntityDefinitions?$select=EntitySetName,ChangeTrackingEnabled&$filter=${q(anyOf('EntitySetName', entitySets))}`, 'the change tracking of tables',
  );
  return new Map(res.value.map((e) => [e.EntitySetName, e.ChangeTrackingEnabled]));
}

export interface TablePrivilege {
  PrivilegeId: string;
  PrivilegeType: string;
}

/** Table logical name → its privileges (EntityMetadata.Privileges), for the tables the environment has. */
export async function readTablePrivileges(dataverse: DataverseApi, tables: readonly string[]): Promise<Map<string, TablePrivilege[]>> {
  if (tables.length === 0) return new Map();
  const res = await get<{ value: { LogicalName: string; Privileges: TablePrivilege[] }[] }>(
    dataverse, `EntityDefinitions?$select=LogicalName,Privileges&$filter=${q(anyOf('LogicalName', tables))}`, 'the privileges of tables',
  );
  return new Map(res.value.map((e) => [e.LogicalName, e.Privileges]));
}

export interface HeldPrivilege {
  PrivilegeId: string;
  PrivilegeName: string;
  Depth: string;
}

/** The calling application user's id (WhoAmI) and the privileges its roles give (RetrieveUserPrivileges). */
export async function readOwnPrivileges(dataverse: DataverseApi): Promise<{ userId: string; held: HeldPrivilege[] }> {
  const me = await get<{ UserId: string }>(dataverse, 'WhoAmI', 'WhoAmI (the application user)');
  const res = await get<{ RolePrivileges: HeldPrivilege[] }>(dataverse, `systemusers(${me.UserId})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`, "the application user's privileges");
  return { userId: me.UserId, held: res.RolePrivileges };
}

export interface FoundKey {
  SchemaName: string;
  KeyAttributes: string[];
  /** Pending, InProgress, Active or Failed (EntityKeyMetadata.EntityKeyIndexStatus). */
  EntityKeyIndexStatus: string;
}

/** The alternate keys of a table (EntityMetadata.Keys). */
export async function readKeys(dataverse: DataverseApi, table: string): Promise<FoundKey[]> {
  const res = await get<{ value: FoundKey[] }>(dataverse, `EntityDefinitions(LogicalName='${table}')/Keys?$select=SchemaName,KeyAttributes,EntityKeyIndexStatus`, `the alternate keys of ${table}`);
  return res.value;
}

/** The key over exactly these columns, whatever its name. */
export const keyOver = (keys: readonly FoundKey[], attributes: readonly string[]): FoundKey | undefined =>
  keys.find((k) => k.KeyAttributes.length === attributes.length && attributes.every((a) => k.KeyAttributes.includes(a)));
