/**
 * The Web API's table definitions (Learn "Query table definitions using the Web API", "Create and
 * update column definitions using the Web API"), as far as a client that checks or sets up a tenant
 * needs them, and the RetrieveUserPrivileges function (metadata-privileges.ts):
 *
 *   GET  EntityDefinitions[?$select&$filter]
 *   GET  EntityDefinitions(LogicalName='<table>')[?$select]
 *   GET  EntityDefinitions(LogicalName='<table>')/Attributes[?$select&$filter]
 *   GET  EntityDefinitions(LogicalName='<table>')/Attributes/Microsoft.Dynamics.CRM.<Type>[?$select&$filter&$expand=OptionSet]
 *   GET  EntityDefinitions(LogicalName='<table>')/Attributes(LogicalName='<column>')[/Microsoft.Dynamics.CRM.<Type>][?$select&$expand]
 *   POST EntityDefinitions(LogicalName='<table>')/Attributes (metadata-create.ts)
 *   GET, POST EntityDefinitions(LogicalName='<table>')/Keys (metadata-keys.ts)
 *   GET  systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()
 *   POST InsertOptionValue (metadata-create.ts)
 *
 * The page's query options are $select, $filter and $expand ("You'll use the same techniques ...
 * with a few variations"); the simulator refuses every other one (the stricter choice), and
 * evaluates $filter comparisons (eq, ne with and/or/not) on string, Boolean and null properties.
 * A table is keyed by LogicalName only; the MetadataId key is not served.
 */
import type { SimRequest, SimResponse } from '../types.js';
import type { DvContext } from './context.js';
import { allEntities } from './entities.js';
import { CODES, DataverseError, badRequest, jsonResponse, propertyNotFound } from './errors.js';
import { parseFilter, type FilterNode } from './filter-parse.js';
import { attributeDefinition, environmentColumns, metadataId, propertiesOf } from './metadata-attributes.js';
import { createAttribute, insertOptionValue } from './metadata-create.js';
import { createKey, listKeys } from './metadata-keys.js';
import { retrieveUserPrivileges, tablePrivileges } from './metadata-privileges.js';
import { changeTrackingOn } from './metadata-state.js';
import { parseQuery } from './options.js';
import type { EntityDef } from './schema.js';

const NS = 'Microsoft.Dynamics.CRM.';
const ENTITY = /^EntityDefinitions(?:\(LogicalName='([a-z0-9_]+)'\))?(?:\/Attributes(?:\(LogicalName='([a-z0-9_]+)'\))?(?:\/Microsoft\.Dynamics\.CRM\.([A-Za-z]+))?)?$/;
const ATTRIBUTES = /\/Attributes/;
const KEYS = /^EntityDefinitions\(LogicalName='([a-z0-9_]+)'\)\/Keys$/;
const PRIVILEGES = /^systemusers\(([0-9a-fA-F-]{36})\)\/Microsoft\.Dynamics\.CRM\.RetrieveUserPrivileges(?:\(\))?$/;
const ENTITY_PROPERTIES = ['MetadataId', 'LogicalName', 'SchemaName', 'EntitySetName', 'PrimaryIdAttribute', 'PrimaryNameAttribute', 'ChangeTrackingEnabled', 'OwnershipType', 'IsCustomEntity', 'Privileges'];

function entityDefinition(entity: EntityDef, dx: DvContext): Record<string, unknown> {
  return {
    MetadataId: metadataId(entity.logicalName),
    LogicalName: entity.logicalName,
    SchemaName: entity.logicalName,
    EntitySetName: entity.set,
    PrimaryIdAttribute: entity.primaryKey,
    PrimaryNameAttribute: entity.primaryName,
    ChangeTrackingEnabled: changeTrackingOn(dx.store, entity.logicalName, entity.changeTracking),
    OwnershipType: entity.ownership ?? 'OrganizationOwned',
    IsCustomEntity: entity.logicalName.includes('_'),
    Privileges: tablePrivileges(entity),
  };
}

function tableNamed(name: string): EntityDef {
  const entity = allEntities().find((e) => e.logicalName === name);
  if (!entity) throw new DataverseError(404, CODES.notFound, `Could not find an entity with the name '${name}'.`);
  return entity;
}

function selectOf(query: Map<string, string>, allowed: readonly string[], typeName: string): string[] | null {
  const raw = query.get('$select');
  if (raw === undefined) return null;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!allowed.includes(n)) throw propertyNotFound(n, typeName);
  return names;
}

function matches(node: FilterNode, row: Record<string, unknown>, allowed: readonly string[], typeName: string): boolean {
  switch (node.kind) {
    case 'and':
      return matches(node.left, row, allowed, typeName) && matches(node.right, row, allowed, typeName);
    case 'or':
      return matches(node.left, row, allowed, typeName) || matches(node.right, row, allowed, typeName);
    case 'not':
      return !matches(node.expr, row, allowed, typeName);
    case 'cmp': {
      if (!allowed.includes(node.prop)) throw propertyNotFound(node.prop, typeName);
      if (node.op !== 'eq' && node.op !== 'ne') throw badRequest(CODES.notSupported, `The simulator filters table definitions with eq and ne only, not '${node.op}'.`);
      const v = node.value;
      const expected = v.type === 'null' ? null : v.type === 'bool' ? v.value : v.type === 'string' || v.type === 'guid' ? v.value.toLowerCase() : undefined;
      if (expected === undefined) throw badRequest(CODES.notSupported, 'The simulator filters table definitions on strings, Booleans and null only.');
      const actual = row[node.prop];
      const have = typeof actual === 'string' ? actual.toLowerCase() : actual ?? null;
      return node.op === 'eq' ? have === expected : have !== expected;
    }
    default:
      throw badRequest(CODES.notSupported, 'The simulator filters table definitions with comparisons only.');
  }
}

function filtered(rows: Record<string, unknown>[], query: Map<string, string>, allowed: readonly string[], typeName: string): Record<string, unknown>[] {
  const raw = query.get('$filter');
  if (raw === undefined) return rows;
  const node = parseFilter(raw);
  return rows.filter((r) => matches(node, r, allowed, typeName));
}

function project(row: Record<string, unknown>, select: string[] | null, always: string[]): Record<string, unknown> {
  if (select === null) return row;
  return Object.fromEntries(Object.entries(row).filter(([k]) => always.includes(k) || select.includes(k)));
}

/** `$expand=OptionSet` or `$expand=OptionSet($select=Options)`: the only expansion served. */
function expandsOptionSet(query: Map<string, string>, metadataType: string | null): boolean {
  const raw = query.get('$expand');
  if (raw === undefined) return false;
  if (!/^OptionSet(\(\$select=Options\))?$/.test(raw.trim()) || !propertiesOf(metadataType).includes('OptionSet')) {
    throw badRequest(CODES.invalidArgument, `The simulator expands only OptionSet, on a Picklist, State or Status definition (cast the path to its type), not '${raw}'.`);
  }
  return true;
}

function attributes(entity: EntityDef, column: string | undefined, cast: string | undefined, query: Map<string, string>, dx: DvContext): SimResponse {
  if (cast !== undefined && !propertiesOf(cast).includes('MetadataId')) throw badRequest(CODES.invalidArgument, `Unknown type '${NS}${cast}'.`);
  const metadataType = cast ?? null;
  const typeName = cast ?? 'AttributeMetadata';
  const expand = expandsOptionSet(query, metadataType);
  const allowed = propertiesOf(metadataType).filter((p) => p !== 'OptionSet');
  const select = selectOf(query, allowed, typeName);
  const always = ['@odata.type', 'MetadataId', ...(expand ? ['OptionSet'] : [])];
  let rows = environmentColumns(dx.store, entity)
    .map((c) => attributeDefinition(dx.store, entity, c))
    .filter((a) => cast === undefined || a['@odata.type'] === `#${NS}${cast}`);
  const strip = (a: Record<string, unknown>): Record<string, unknown> => {
    const own = Object.fromEntries(Object.entries(a).filter(([k]) => k === '@odata.type' || propertiesOf(metadataType).includes(k)));
    if (!expand) delete own.OptionSet;
    return project(own, select, always);
  };
  const context = `${dx.root}$metadata#EntityDefinitions('${entity.logicalName}')/Attributes`;
  if (column !== undefined) {
    const one = rows.find((a) => a.LogicalName === column);
    if (!one) throw new DataverseError(404, CODES.notFound, `Could not find an attribute with the name '${column}' on the entity '${entity.logicalName}'.`);
    return jsonResponse(200, { '@odata.context': `${context}/$entity`, ...strip(one) });
  }
  rows = filtered(rows, query, allowed, typeName);
  return jsonResponse(200, { '@odata.context': context, value: rows.map(strip) });
}

function refuseOtherOptions(query: Map<string, string>): void {
  for (const key of query.keys()) {
    if (key !== '$select' && key !== '$filter' && key !== '$expand') throw badRequest(CODES.notSupported, `The query option '${key}' is not supported on table definitions (use $select, $filter and $expand).`);
  }
}

/** Answers a metadata or RetrieveUserPrivileges request; null for any other path. */
export function metadataRequest(request: SimRequest, dx: DvContext): SimResponse | null {
  let path: string;
  try {
    path = decodeURIComponent(request.path);
  } catch {
    return null;
  }
  const privileges = PRIVILEGES.exec(path);
  if (privileges) {
    if (request.method !== 'GET') throw new DataverseError(405, CODES.notSupported, 'RetrieveUserPrivileges is a function: call it with GET.');
    return retrieveUserPrivileges(privileges[1]!, dx);
  }
  if (path === 'InsertOptionValue') {
    if (request.method !== 'POST') throw new DataverseError(405, CODES.notSupported, 'InsertOptionValue is an action: call it with POST.');
    return insertOptionValue(request.body, dx);
  }
  if (!path.startsWith('EntityDefinitions')) return null;
  const keys = KEYS.exec(path);
  if (keys) {
    const entity = tableNamed(keys[1]!);
    if (request.method === 'POST') return createKey(entity, request.body, dx);
    if (request.method !== 'GET') throw new DataverseError(405, CODES.notSupported, `${request.method} is not supported on '${path}'.`);
    return listKeys(entity, parseQuery(request.rawQuery), dx);
  }
  const m = ENTITY.exec(path);
  if (!m) throw new DataverseError(404, CODES.notFound, `The simulator does not serve the table definition path '${path}'.`);
  const [, table, column, cast] = m as unknown as [string, string | undefined, string | undefined, string | undefined];
  const query = parseQuery(request.rawQuery);
  refuseOtherOptions(query);
  if (ATTRIBUTES.test(path)) {
    const entity = tableNamed(table ?? '');
    if (request.method === 'POST' && column === undefined && cast === undefined) return createAttribute(entity, request.headers, request.body, dx);
    if (request.method !== 'GET') throw new DataverseError(405, CODES.notSupported, `${request.method} is not supported on '${path}'.`);
    return attributes(entity, column, cast, query, dx);
  }
  if (request.method !== 'GET') throw new DataverseError(405, CODES.notSupported, `The simulator does not create or change table definitions (${request.method} ${path}).`);
  if (query.has('$expand')) throw badRequest(CODES.notSupported, 'The simulator does not expand table definitions.');
  const typeName = 'EntityMetadata';
  const select = selectOf(query, ENTITY_PROPERTIES, typeName);
  if (table !== undefined) {
    if (query.has('$filter')) throw badRequest(CODES.invalidArgument, '$filter applies to a collection, not to one table definition.');
    return jsonResponse(200, { '@odata.context': `${dx.root}$metadata#EntityDefinitions/$entity`, ...project(entityDefinition(tableNamed(table), dx), select, ['MetadataId']) });
  }
  const rows = filtered(allEntities().map((e) => entityDefinition(e, dx)), query, ENTITY_PROPERTIES, typeName);
  return jsonResponse(200, { '@odata.context': `${dx.root}$metadata#EntityDefinitions`, value: rows.map((r) => project(r, select, ['MetadataId'])) });
}
