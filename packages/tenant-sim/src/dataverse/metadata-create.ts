/**
 * `POST EntityDefinitions(LogicalName='<table>')/Attributes`: creates a column (Learn "Create and
 * update column definitions using the Web API": "If you want to add attributes to an entity that is
 * already created, you can send a POST request including the JSON definition of them to the entity
 * Attributes collection-valued navigation property"; the examples answer 204 No Content with the new
 * definition's URL in OData-EntityId). The `MSCRM.SolutionUniqueName` header adds it to that
 * solution (Learn "Create and update table definitions using the Web API", Tip); it is optional.
 *
 * The body needs `@odata.type` (which derived type), SchemaName and DisplayName, as every example
 * gives them; the LogicalName is the SchemaName in lower case. A Choice gives its options in
 * `OptionSet.Options` (Value and Label each).
 *
 * The simulator's rows carry the schema's columns, so it can only create a column its schema has and
 * the fixture left out (metadata-state.ts), with the schema's type: anything else is 501, and a
 * column that exists already is refused (Dataverse's "already exists" error; the docs give no code,
 * the simulator answers DuplicateRecord, 412).
 */
import type { SimResponse } from '../types.js';
import type { DvContext } from './context.js';
import { CODES, DataverseError, badRequest, noContent, payloadError } from './errors.js';
import { allEntities } from './entities.js';
import { METADATA_TYPE, environmentColumns, jsonResponseOf, logicalNameOf, metadataId, optionsOf } from './metadata-attributes.js';
import { metadataOf, type CreatedColumn } from './metadata-state.js';
import type { EntityDef } from './schema.js';

const NS = 'Microsoft.Dynamics.CRM.';

function labelText(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const labels = (value as { LocalizedLabels?: unknown }).LocalizedLabels;
  if (!Array.isArray(labels) || labels.length === 0) return null;
  const first = labels[0] as { Label?: unknown };
  return typeof first.Label === 'string' && first.Label.trim() !== '' ? first.Label : null;
}

function bodyOptions(body: Record<string, unknown>): Record<number, string> {
  const set = body.OptionSet as { Options?: unknown } | undefined;
  if (!set || !Array.isArray(set.Options) || set.Options.length === 0) throw badRequest(CODES.invalidArgument, 'A choice column needs OptionSet.Options with at least one option (Value and Label).');
  const out: Record<number, string> = {};
  for (const option of set.Options as { Value?: unknown; Label?: unknown }[]) {
    const text = labelText(option.Label);
    if (typeof option.Value !== 'number' || !Number.isInteger(option.Value) || text === null) throw badRequest(CODES.invalidArgument, 'Each option needs an integer Value and a Label with LocalizedLabels.');
    if (out[option.Value] !== undefined) throw badRequest(CODES.invalidArgument, `The option value ${option.Value} is given twice.`);
    out[option.Value] = text;
  }
  return out;
}

export function createAttribute(entity: EntityDef, headers: Record<string, string>, rawBody: string, dx: DvContext): SimResponse {
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(rawBody);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    throw payloadError('EntityDefinitions', 'Invalid JSON. A token was not recognized in the JSON content.');
  }
  const odataType = String(body['@odata.type'] ?? '').replace(/^#/, '');
  if (!odataType.startsWith(NS)) throw badRequest(CODES.invalidArgument, "The column definition needs '@odata.type' naming its derived type, e.g. Microsoft.Dynamics.CRM.StringAttributeMetadata.");
  const metadataType = odataType.slice(NS.length);
  const schemaName = body.SchemaName;
  const displayName = labelText(body.DisplayName);
  if (typeof schemaName !== 'string' || !/^[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+$/.test(schemaName)) {
    throw badRequest(CODES.invalidArgument, 'SchemaName is required and starts with the publisher\'s customization prefix (prefix_Name).');
  }
  if (displayName === null) throw badRequest(CODES.invalidArgument, 'DisplayName is required (a Label with LocalizedLabels).');
  const logicalName = schemaName.toLowerCase();
  const key = `${entity.logicalName}.${logicalName}`;
  const meta = metadataOf(dx.store);
  const column = [...entity.columns.values()].find((c) => logicalNameOf(c) === logicalName);
  const exists = column !== undefined && (!meta.missingColumns.has(key) || meta.created.has(key));
  if (exists) throw new DataverseError(412, CODES.duplicate, `An attribute with the name '${logicalName}' already exists on the entity '${entity.logicalName}'.`);
  if (!column) throw new DataverseError(501, CODES.notSupported, `The simulator can only create columns its schema has (packages/tenant-sim/schemas/dataverse-entities.json); '${key}' is not one.`);
  if (METADATA_TYPE[column.type] !== metadataType) {
    throw new DataverseError(501, CODES.notSupported, `The simulator's '${key}' is a ${METADATA_TYPE[column.type]}; it cannot create it as a ${metadataType}.`);
  }
  const created: CreatedColumn = {
    metadataType,
    schemaName,
    displayName,
    solution: headers['mscrm.solutionuniquename'] ?? null,
    ...(typeof body.MaxLength === 'number' ? { maxLength: body.MaxLength } : {}),
    ...(metadataType === 'PicklistAttributeMetadata' ? { options: bodyOptions(body) } : {}),
  };
  meta.created.set(key, created);
  return noContent({ 'OData-EntityId': `${dx.root}EntityDefinitions(${metadataId(entity.logicalName)})/Attributes(${metadataId(key)})` });
}

/**
 * `POST InsertOptionValue` (Learn InsertOptionValue Action: EntityLogicalName and AttributeLogicalName
 * for a local choice, Value, Label, SolutionUniqueName; returns InsertOptionValueResponse with
 * NewOptionValue): adds one option to a choice column. A value the choice already has is refused
 * (the docs give no code: 412 DuplicateRecord, the stricter choice); a global choice (OptionSetName)
 * is not served.
 */
export function insertOptionValue(rawBody: string, dx: DvContext): SimResponse {
  let body: { EntityLogicalName?: unknown; AttributeLogicalName?: unknown; Value?: unknown; Label?: unknown; OptionSetName?: unknown };
  try {
    body = JSON.parse(rawBody) as typeof body;
  } catch {
    throw payloadError('InsertOptionValue', 'Invalid JSON. A token was not recognized in the JSON content.');
  }
  if (body.OptionSetName !== undefined) throw new DataverseError(501, CODES.notSupported, 'The simulator inserts options into local choices only (EntityLogicalName and AttributeLogicalName).');
  const entity = allEntities().find((e) => e.logicalName === body.EntityLogicalName);
  const column = entity ? environmentColumns(dx.store, entity).find((c) => c.logicalName === body.AttributeLogicalName) : undefined;
  if (!entity || !column) throw new DataverseError(404, CODES.notFound, `Could not find the attribute '${String(body.AttributeLogicalName)}' on the entity '${String(body.EntityLogicalName)}'.`);
  if (column.column.type !== 'Picklist') throw badRequest(CODES.invalidArgument, `The attribute '${column.logicalName}' is not a choice (Picklist).`);
  const text = labelText(body.Label);
  if (typeof body.Value !== 'number' || !Number.isInteger(body.Value) || text === null) throw badRequest(CODES.invalidArgument, 'InsertOptionValue needs an integer Value and a Label with LocalizedLabels.');
  const current = optionsOf(dx.store, entity, column);
  if (current[body.Value] !== undefined) throw new DataverseError(412, CODES.duplicate, `The choice '${column.logicalName}' already has an option with the value ${body.Value}.`);
  const key = `${entity.logicalName}.${column.logicalName}`;
  const meta = metadataOf(dx.store);
  const options = { ...current, [body.Value]: text };
  const created = meta.created.get(key);
  if (created?.options) created.options = options;
  else meta.choiceValues.set(key, options);
  return jsonResponseOf(dx, 'Microsoft.Dynamics.CRM.InsertOptionValueResponse', { NewOptionValue: body.Value });
}
