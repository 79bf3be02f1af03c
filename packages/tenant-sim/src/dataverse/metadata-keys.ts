/**
 * Alternate keys (Learn "Define alternate keys for a table": EntityMetadata.Keys, "When an entity
 * has alternate keys defined, this property contains the definitions for those keys"; EntityKeyMetadata
 * SchemaName, LogicalName, DisplayName, KeyAttributes, EntityKeyIndexStatus; "Monitor index creation
 * for alternate keys": the index is built asynchronously, Pending, InProgress, then Active or Failed,
 * and a key is usable only once Active).
 *
 *   GET  EntityDefinitions(LogicalName='<table>')/Keys[?$select]
 *   POST EntityDefinitions(LogicalName='<table>')/Keys   {SchemaName, DisplayName, KeyAttributes}
 *
 * The keys the simulator's rows rely on are its schema's (SCHEMA_KEYS: the work order's key on the
 * product's o25fs_projecttask lookup, workorder-writes.ts). A fixture may leave one out
 * (missingKeys); a POST creates it again, Pending for keyIndexDelayMs, then Active. A key the schema
 * does not have → 501 (the rows would not honour it); one that exists → 412 DuplicateRecord (the
 * docs give no code for it: the stricter choice).
 */
import type { DataverseStore } from '../dataverse-store.js';
import type { SimResponse } from '../types.js';
import type { DvContext } from './context.js';
import { CODES, DataverseError, badRequest, jsonResponse, noContent, payloadError, propertyNotFound } from './errors.js';
import { label, metadataId } from './metadata-attributes.js';
import { metadataOf } from './metadata-state.js';
import type { EntityDef } from './schema.js';

interface SchemaKey {
  table: string;
  schemaName: string;
  displayName: string;
  /** One column per key here (the only key the simulator has is on one lookup). */
  column: string;
}

export const SCHEMA_KEYS: readonly SchemaKey[] = [{ table: 'msdyn_workorder', schemaName: 'o25fs_ProjectTaskKey', displayName: 'Project Task', column: 'o25fs_projecttask' }];

const KEY_PROPERTIES = ['MetadataId', 'LogicalName', 'SchemaName', 'DisplayName', 'EntityLogicalName', 'KeyAttributes', 'EntityKeyIndexStatus'];

/** The key over `column` as the environment has it, with its index status; null when it has none. */
function keyOf(store: DataverseStore, key: SchemaKey, now: number): { schemaName: string; displayName: string; status: string } | null {
  const meta = metadataOf(store);
  const name = `${key.table}.${key.column}`;
  const created = meta.createdKeys.get(name);
  if (created) return { schemaName: created.schemaName, displayName: created.displayName, status: now >= created.createdAt + meta.keyIndexDelayMs ? 'Active' : 'Pending' };
  return meta.missingKeys.has(name) ? null : { schemaName: key.schemaName, displayName: key.displayName, status: 'Active' };
}

/** Whether the key over `table.column` is usable (exists and its index is Active). */
export function keyActive(dx: DvContext, table: string, column: string): boolean {
  const key = SCHEMA_KEYS.find((k) => k.table === table && k.column === column);
  return key !== undefined && keyOf(dx.store, key, dx.sim.now())?.status === 'Active';
}

export function listKeys(entity: EntityDef, query: Map<string, string>, dx: DvContext): SimResponse {
  if (query.has('$filter') || query.has('$expand')) throw badRequest(CODES.notSupported, 'The simulator serves Keys with $select only.');
  const select = query.get('$select')?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
  for (const p of select ?? []) if (!KEY_PROPERTIES.includes(p)) throw propertyNotFound(p, 'EntityKeyMetadata');
  const value = [];
  for (const k of SCHEMA_KEYS.filter((s) => s.table === entity.logicalName)) {
    const found = keyOf(dx.store, k, dx.sim.now());
    if (!found) continue;
    const id = metadataId(`${k.table} key ${k.column}`);
    const full: Record<string, unknown> = {
      MetadataId: id, LogicalName: found.schemaName.toLowerCase(), SchemaName: found.schemaName, DisplayName: label(found.displayName, id),
      EntityLogicalName: k.table, KeyAttributes: [k.column], EntityKeyIndexStatus: found.status,
    };
    value.push(select === null ? full : Object.fromEntries(Object.entries(full).filter(([p]) => p === 'MetadataId' || select.includes(p))));
  }
  return jsonResponse(200, { '@odata.context': `${dx.root}$metadata#EntityDefinitions('${entity.logicalName}')/Keys`, value });
}

export function createKey(entity: EntityDef, rawBody: string, dx: DvContext): SimResponse {
  let body: { SchemaName?: unknown; DisplayName?: { LocalizedLabels?: { Label?: unknown }[] }; KeyAttributes?: unknown };
  try {
    body = JSON.parse(rawBody) as typeof body;
  } catch {
    throw payloadError('EntityDefinitions', 'Invalid JSON. A token was not recognized in the JSON content.');
  }
  const display = body.DisplayName?.LocalizedLabels?.[0]?.Label;
  if (typeof body.SchemaName !== 'string' || !/^[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+$/.test(body.SchemaName)) throw badRequest(CODES.invalidArgument, 'SchemaName is required and starts with the publisher\'s customization prefix.');
  if (typeof display !== 'string' || display.trim() === '') throw badRequest(CODES.invalidArgument, 'DisplayName is required (a Label with LocalizedLabels).');
  if (!Array.isArray(body.KeyAttributes) || body.KeyAttributes.length === 0 || !body.KeyAttributes.every((a) => typeof a === 'string')) {
    throw badRequest(CODES.invalidArgument, 'KeyAttributes is required: the logical names of the key\'s columns.');
  }
  const attributes = (body.KeyAttributes as string[]).map((a) => a.toLowerCase());
  const key = SCHEMA_KEYS.find((k) => k.table === entity.logicalName && attributes.length === 1 && attributes[0] === k.column);
  if (!key) throw new DataverseError(501, CODES.notSupported, `The simulator can only create the alternate keys its schema has (${SCHEMA_KEYS.map((k) => `${k.table}(${k.column})`).join(', ')}).`);
  if (keyOf(dx.store, key, dx.sim.now())) throw new DataverseError(412, CODES.duplicate, `The table '${entity.logicalName}' already has an alternate key on ${attributes.join(', ')}.`);
  metadataOf(dx.store).createdKeys.set(`${key.table}.${key.column}`, { schemaName: body.SchemaName, displayName: display, createdAt: dx.sim.now() });
  return noContent({ 'OData-EntityId': `${dx.root}EntityDefinitions(${metadataId(entity.logicalName)})/Keys(${metadataId(`${key.table} key ${key.column}`)})` });
}
