/**
 * Entity metadata the simulator enforces: columns with types and limits, required columns, lookups
 * with their navigation properties and delete behaviour, and the valid statecode/statuscode pairs.
 * The tables themselves are data (../../schemas/dataverse-entities.json, loaded by entities.ts); this
 * file holds the types and what every table gets besides its listed columns (defineEntity).
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
  /** Lookups: navigation property name (case-sensitive) → target entity set. */
  navs?: Record<string, string>;
  /** Lookups: what deleting the referenced row does to this row. */
  onDelete?: DeleteBehaviour;
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
}

export function defineEntity(spec: EntitySpec): EntityDef {
  const columns = new Map<string, Column>();
  const navs = new Map<string, Column>();
  const pk = `${spec.logicalName}id`;
  columns.set(pk, { name: pk, type: 'Uniqueidentifier' });
  columns.set('createdon', { name: 'createdon', type: 'DateTime', readOnly: true });
  columns.set('modifiedon', { name: 'modifiedon', type: 'DateTime', readOnly: true });
  for (const c of spec.columns) {
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
  };
}
