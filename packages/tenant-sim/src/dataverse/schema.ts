/**
 * Entity metadata the simulator enforces: columns with types and limits, required columns, lookups
 * with their navigation properties and delete behaviour, and the valid statecode/statuscode pairs.
 * The tables themselves are data (../../schemas/dataverse-entities.json, loaded by entities.ts); this
 * file holds the types and what every table gets besides its listed columns (defineEntity): the
 * primary key, createdon/modifiedon, createdby, the state columns and, on a UserOwned table, the owner columns.
 */

export type ColumnType =
  | 'String'
  | 'Memo'
  | 'Integer'
  | 'Boolean'
  | 'Money'
  | 'Decimal'
  | 'Double'
  | 'Picklist'
  | 'State'
  | 'Status'
  | 'DateTime'
  | 'Lookup'
  | 'Uniqueidentifier';

/** What happens to referencing rows when the referenced row is deleted (CascadeConfiguration.Delete). */
export type DeleteBehaviour = 'Cascade' | 'RemoveLink' | 'Restrict';

export interface Column {
  /** Logical name; for lookups the value property `_x_value`. */
  name: string;
  type: ColumnType;
  maxLength?: number;
  min?: number;
  max?: number;
  /** Money: decimal places kept (MoneyAttributeMetadata.Precision). */
  precision?: number;
  /** Picklist/State/Status/Boolean labels, value → label (booleans: 1/0). */
  options?: Record<number, string>;
  /** SystemRequired: must have a value on create and can't be set to null. */
  required?: boolean;
  /** Not valid for create or update (computed by the platform). */
  readOnly?: boolean;
  /** Value the platform sets on create when the request leaves the column out. */
  default?: unknown;
  /**
   * Lookups: navigation property name (case-sensitive) → target entity set, or the sets of a
   * polymorphic property (`ownerid` → systemusers or teams: the Web API's principal type).
   */
  navs?: Record<string, string | string[]>;
  /** Lookups: what deleting the referenced row does to this row. */
  onDelete?: DeleteBehaviour;
  /**
   * DateTime: DateTimeAttributeMetadata.Format. DateOnly columns are the Web API's Edm.Date: written
   * and read as 'YYYY-MM-DD', no time and no offset (adx_invitation.adx_expirydate).
   */
  format?: 'DateOnly';
}

export interface EntityDef {
  set: string;
  logicalName: string;
  primaryKey: string;
  /** Primary name column (formatted value of lookups pointing here). */
  primaryName: string;
  columns: Map<string, Column>;
  /** Navigation property → the lookup column it sets. */
  navs: Map<string, Column>;
  /** Valid statecode → statuscodes; the first statuscode is the state's default. Absent: no state. */
  states?: Map<number, number[]>;
  /** Create is refused (systemuser: users come from the Entra user sync). */
  createRefused?: string;
  /** EntityMetadata.ChangeTrackingEnabled: `Prefer: odata.track-changes` works (change-tracking.ts). */
  changeTracking?: boolean;
  /** EntityMetadata.OwnershipType UserOwned: the table has the owner columns (ownership.ts). */
  ownership?: 'UserOwned';
}

export interface EntitySpec {
  set: string;
  logicalName: string;
  primaryName: string;
  columns: Column[];
  /** statecode → [label, statuscode → label] */
  states?: Record<number, [string, Record<number, string>]>;
  createRefused?: string;
  changeTracking?: boolean;
  ownership?: 'UserOwned';
}

/** The sets a lookup's navigation property may point at. */
export function navTargets(column: Column, nav: string): string[] {
  const target = column.navs?.[nav];
  if (target === undefined) return [];
  return typeof target === 'string' ? [target] : target;
}

/** Every set a lookup may point at, over all its navigation properties. */
export function lookupSets(column: Column): string[] {
  return Object.keys(column.navs ?? {}).flatMap((nav) => navTargets(column, nav));
}

/**
 * The owner columns of a UserOwned table (bookableresource.md, contact.md: OwnerId, Type Owner, Targets
 * systemuser, team, SystemRequired; OwningUser → systemuser and OwningTeam → team, read-only; the Web
 * API's lookup properties `_ownerid_value`, `_owninguser_value`, `_owningteam_value`). Deleting an owner
 * that still owns rows is refused (Restrict): the references give no cascade for the owner, and a
 * record must always have one. OwnerIdType (EntityName) is not a property of the Web API's entity
 * types, and OwningBusinessUnit is left out with business units (docs/simulator-dataverse.md).
 */
export const OWNER_COLUMNS: readonly Column[] = [
  { name: '_ownerid_value', type: 'Lookup', navs: { ownerid: ['systemusers', 'teams'] }, onDelete: 'Restrict', required: true },
  { name: '_owninguser_value', type: 'Lookup', navs: { owninguser: 'systemusers' }, readOnly: true },
  { name: '_owningteam_value', type: 'Lookup', navs: { owningteam: 'teams' }, readOnly: true },
];

/**
 * CreatedBy (every table reference: Lookup → systemuser, read-only, set by the platform to the
 * calling user on create; the Web API's `_createdby_value`). Not a delete behaviour: systemusers are
 * never deleted (write.ts).
 */
export const CREATED_BY: Column = { name: '_createdby_value', type: 'Lookup', navs: { createdby: 'systemusers' }, readOnly: true };

export function defineEntity(spec: EntitySpec): EntityDef {
  const columns = new Map<string, Column>();
  const navs = new Map<string, Column>();
  const pk = `${spec.logicalName}id`;
  columns.set(pk, { name: pk, type: 'Uniqueidentifier' });
  columns.set('createdon', { name: 'createdon', type: 'DateTime', readOnly: true });
  columns.set('modifiedon', { name: 'modifiedon', type: 'DateTime', readOnly: true });
  columns.set(CREATED_BY.name, CREATED_BY);
  navs.set('createdby', CREATED_BY);
  for (const c of [...spec.columns, ...(spec.ownership === 'UserOwned' ? OWNER_COLUMNS : [])]) {
    columns.set(c.name, c);
    for (const nav of Object.keys(c.navs ?? {})) navs.set(nav, c);
  }
  let states: Map<number, number[]> | undefined;
  if (spec.states) {
    states = new Map();
    const stateOptions: Record<number, string> = {};
    const statusOptions: Record<number, string> = {};
    for (const [state, [label, statuses]] of Object.entries(spec.states)) {
      stateOptions[Number(state)] = label;
      Object.assign(statusOptions, statuses);
      states.set(Number(state), Object.keys(statuses).map(Number));
    }
    columns.set('statecode', { name: 'statecode', type: 'State', options: stateOptions, required: true, default: 0 });
    columns.set('statuscode', { name: 'statuscode', type: 'Status', options: statusOptions });
  }
  return {
    set: spec.set,
    logicalName: spec.logicalName,
    primaryKey: pk,
    primaryName: spec.primaryName,
    columns,
    navs,
    ...(states ? { states } : {}),
    ...(spec.createRefused ? { createRefused: spec.createRefused } : {}),
    ...(spec.changeTracking ? { changeTracking: true } : {}),
    ...(spec.ownership ? { ownership: spec.ownership } : {}),
  };
}
