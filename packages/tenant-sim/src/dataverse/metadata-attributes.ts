/**
 * AttributeMetadata as the Web API serves it (Learn "Query table definitions using the Web API",
 * "Retrieving attributes"; AttributeMetadata EntityType and its derived types), built from the
 * simulator's columns and the environment's differences (metadata-state.ts).
 *
 * - The logical name of a lookup is its column's name without `_…_value` (the Web API's lookup property).
 * - Every definition carries its derived type (`@odata.type`, e.g. #Microsoft.Dynamics.CRM.PicklistAttributeMetadata),
 *   AttributeType (AttributeTypeCode) and MetadataId (the page: "The MetadataId property value is always returned").
 * - The base collection selects only AttributeMetadata's own properties; a derived property (MaxLength,
 *   OptionSet) needs the type cast (`Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata`), as
 *   the page's examples do. The page does not say what the base type answers for them; the simulator
 *   refuses them (the stricter choice).
 */
import { createHash } from 'node:crypto';
import type { DataverseStore } from '../dataverse-store.js';
import type { SimResponse } from '../types.js';
import type { DvContext } from './context.js';
import { entityBySet } from './entities.js';
import { jsonResponse } from './errors.js';
import { metadataOf } from './metadata-state.js';
import type { FilterNode } from './filter-parse.js';
import type { Column, ColumnType, EntityDef } from './schema.js';

/** AttributeTypeCode → the derived metadata type (the Web API's AttributeMetadata derived types). */
export const METADATA_TYPE: Record<ColumnType, string> = {
  String: 'StringAttributeMetadata',
  Memo: 'MemoAttributeMetadata',
  Integer: 'IntegerAttributeMetadata',
  Boolean: 'BooleanAttributeMetadata',
  Money: 'MoneyAttributeMetadata',
  Decimal: 'DecimalAttributeMetadata',
  Double: 'DoubleAttributeMetadata',
  Picklist: 'PicklistAttributeMetadata',
  State: 'StateAttributeMetadata',
  Status: 'StatusAttributeMetadata',
  DateTime: 'DateTimeAttributeMetadata',
  Lookup: 'LookupAttributeMetadata',
  Uniqueidentifier: 'UniqueIdentifierAttributeMetadata',
};

/** The properties AttributeMetadata itself has (the base type's; every derived type has them too). */
export const BASE_PROPERTIES: readonly string[] = ['MetadataId', 'LogicalName', 'SchemaName', 'EntityLogicalName', 'AttributeType', 'AttributeTypeName', 'DisplayName', 'RequiredLevel', 'IsCustomAttribute'];

/** Properties of the derived types the simulator serves, per derived type. */
const DERIVED_PROPERTIES: Record<string, readonly string[]> = {
  StringAttributeMetadata: ['MaxLength'],
  MemoAttributeMetadata: ['MaxLength'],
  IntegerAttributeMetadata: ['MinValue', 'MaxValue'],
  MoneyAttributeMetadata: ['MinValue', 'MaxValue', 'Precision'],
  DoubleAttributeMetadata: ['MinValue', 'MaxValue'],
  DecimalAttributeMetadata: ['MinValue', 'MaxValue'],
  PicklistAttributeMetadata: ['OptionSet'],
  StateAttributeMetadata: ['OptionSet'],
  StatusAttributeMetadata: ['OptionSet'],
  DateTimeAttributeMetadata: ['Format'],
  LookupAttributeMetadata: ['Targets'],
};

export function propertiesOf(metadataType: string | null): readonly string[] {
  return metadataType === null ? BASE_PROPERTIES : [...BASE_PROPERTIES, ...(DERIVED_PROPERTIES[metadataType] ?? [])];
}

/** A stable MetadataId for a name (the simulator's definitions are fixed, so are their ids). */
export function metadataId(name: string): string {
  const h = createHash('sha1').update(`tenant-sim metadata ${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A Label ComplexType with one 1033 label, or the empty label of a definition without one. */
export function label(text: string | null, id: string): Record<string, unknown> {
  if (text === null) return { LocalizedLabels: [], UserLocalizedLabel: null };
  const localized = { Label: text, LanguageCode: 1033, IsManaged: false, MetadataId: metadataId(`${id} label`), HasChanged: null };
  return { LocalizedLabels: [localized], UserLocalizedLabel: localized };
}

export const logicalNameOf = (column: Column): string => (column.type === 'Lookup' ? column.name.replace(/^_/, '').replace(/_value$/, '') : column.name);

/** One column the environment has: its schema column and its logical name. */
export interface EnvironmentColumn {
  logicalName: string;
  column: Column;
}

/** The columns of a table the environment has: the schema's, less those the fixture left out and POST has not created. */
export function environmentColumns(store: DataverseStore, entity: EntityDef): EnvironmentColumn[] {
  const meta = metadataOf(store);
  const out: EnvironmentColumn[] = [];
  for (const column of entity.columns.values()) {
    const logicalName = logicalNameOf(column);
    const key = `${entity.logicalName}.${logicalName}`;
    if (meta.missingColumns.has(key) && !meta.created.has(key)) continue;
    out.push({ logicalName, column });
  }
  return out;
}

/**
 * Whether the environment lacks this column (the fixture left it out and no POST created it): its
 * rows still hold it, but $select, $filter and writes refuse it as a property the type does not have.
 */
export function isHidden(store: DataverseStore, entity: EntityDef, columnName: string): boolean {
  const meta = metadataOf(store);
  if (meta.missingColumns.size === 0) return false;
  const column = entity.columns.get(columnName);
  if (!column) return false;
  const key = `${entity.logicalName}.${logicalNameOf(column)}`;
  return meta.missingColumns.has(key) && !meta.created.has(key);
}

/** The properties a $filter names. */
export function filterProperties(node: FilterNode): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return [...filterProperties(node.left), ...filterProperties(node.right)];
    case 'not':
      return filterProperties(node.expr);
    default:
      return [node.prop];
  }
}

/** The column's options as the environment has them: created by POST, else the fixture's, else the schema's. */
export function optionsOf(store: DataverseStore, entity: EntityDef, c: EnvironmentColumn): Record<number, string> {
  const key = `${entity.logicalName}.${c.logicalName}`;
  const meta = metadataOf(store);
  return meta.created.get(key)?.options ?? meta.choiceValues.get(key) ?? c.column.options ?? {};
}

/** The full definition of one column (every property its derived type has in the simulator). */
export function attributeDefinition(store: DataverseStore, entity: EntityDef, c: EnvironmentColumn): Record<string, unknown> {
  const key = `${entity.logicalName}.${c.logicalName}`;
  const created = metadataOf(store).created.get(key);
  const type = c.column.type;
  const id = metadataId(key);
  const out: Record<string, unknown> = {
    '@odata.type': `#Microsoft.Dynamics.CRM.${METADATA_TYPE[type]}`,
    MetadataId: id,
    LogicalName: c.logicalName,
    SchemaName: created?.schemaName ?? c.logicalName,
    EntityLogicalName: entity.logicalName,
    AttributeType: type,
    AttributeTypeName: { Value: `${type}Type` },
    DisplayName: label(created?.displayName ?? null, id),
    RequiredLevel: { Value: c.column.required ? 'SystemRequired' : 'None', CanBeChanged: !c.column.required, ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings' },
    IsCustomAttribute: c.logicalName.includes('_') && !c.logicalName.startsWith('address1_'),
  };
  if (type === 'String' || type === 'Memo') out.MaxLength = created?.maxLength ?? c.column.maxLength ?? null;
  if (type === 'Integer' || type === 'Money' || type === 'Double' || type === 'Decimal') {
    out.MinValue = c.column.min ?? null;
    out.MaxValue = c.column.max ?? null;
  }
  if (type === 'Money') out.Precision = c.column.precision ?? 2;
  if (type === 'DateTime') out.Format = c.column.format ?? 'DateAndTime';
  if (type === 'Lookup') out.Targets = Object.values(c.column.navs ?? {}).flat().map((set) => entityBySet(set)?.logicalName ?? set);
  if (type === 'Picklist' || type === 'State' || type === 'Status') {
    const options = optionsOf(store, entity, c);
    out.OptionSet = {
      MetadataId: metadataId(`${key} optionset`),
      Name: `${entity.logicalName}_${c.logicalName}`,
      IsGlobal: false,
      OptionSetType: type,
      Options: Object.entries(options).map(([value, text]) => ({ Value: Number(value), Label: label(text, `${key} ${value}`) })),
    };
  }
  return out;
}

/** A function's or action's response: its complex type, named in the context URL. */
export function jsonResponseOf(dx: DvContext, type: string, body: Record<string, unknown>): SimResponse {
  return jsonResponse(200, { '@odata.context': `${dx.root}$metadata#${type}`, ...body });
}
