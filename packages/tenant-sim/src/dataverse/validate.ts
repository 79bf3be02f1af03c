/**
 * Checks a create/update payload against the table's metadata and turns it into the columns to
 * store. Sources: create-entity-web-api.md (supplied primary key, `Nav@odata.bind`),
 * update-delete-entities-using-web-api.md (clearing a lookup with `"Nav@odata.bind": null`, setting
 * statecode with statuscode), the table references (types, lengths, ranges, SystemRequired) and
 * learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookableresource
 * (bookableresource). Messages follow Dataverse's wording where it is known
 * (execute-batch-operations "Handling errors" for lengths; the OData reader's for unknown properties).
 */
import type { Row } from '../dataverse-store.js';
import type { DataverseError} from './errors.js';
import { CODES, badRequest, notFound, payloadError, validationError } from './errors.js';
import { entityBySet } from './entities.js';
import { isHidden } from './metadata-attributes.js';
import type { DvContext } from './context.js';
import { isGuid } from './options.js';
import { navTargets, type Column, type EntityDef } from './schema.js';

const EDM_NAME: Partial<Record<Column['type'], string>> = {
  String: 'Edm.String',
  Memo: 'Edm.String',
  Integer: 'Edm.Int32',
  Picklist: 'Edm.Int32',
  State: 'Edm.Int32',
  Status: 'Edm.Int32',
  Boolean: 'Edm.Boolean',
  Money: 'Edm.Decimal',
  Decimal: 'Edm.Decimal',
  Double: 'Edm.Double',
  DateTime: 'Edm.DateTimeOffset',
  Uniqueidentifier: 'Edm.Guid',
};

/** Resolves a bind value (`/set(id)`, `set(id)`, an absolute URL, or `$n` in a change set). */
export function resolveReference(value: string, dx: DvContext): { set: string; id: string } | null {
  let ref = value;
  if (ref.startsWith('$')) {
    const url = dx.scope?.contentIds.get(ref.slice(1));
    if (!url) throw badRequest(CODES.invalidArgument, `Content-ID Reference: '${ref}' does not exist in the batch context.`);
    ref = url;
  }
  if (/^https?:\/\//i.test(ref)) {
    if (!ref.toLowerCase().startsWith(dx.root.toLowerCase())) return null;
    ref = ref.slice(dx.root.length);
  }
  ref = ref.replace(/^\/(api\/data\/v9\.2\/)?/, '');
  const m = /^([A-Za-z0-9_]+)\(([^)]*)\)$/.exec(ref);
  if (!m || !isGuid(m[2]!)) return null;
  return { set: m[1]!, id: m[2]!.toLowerCase() };
}

function convert(entity: EntityDef, column: Column, value: unknown): unknown {
  const name = column.name;
  const logical = entity.logicalName;
  const edm = EDM_NAME[column.type] ?? 'Edm.String';
  const cannot = (): DataverseError => payloadError(entity.set, `Cannot convert the literal '${JSON.stringify(value)}' to the expected type '${edm}'.`);
  if (value === null) return null;
  switch (column.type) {
    case 'String':
    case 'Memo': {
      if (typeof value !== 'string') throw cannot();
      if (column.maxLength !== undefined && value.length > column.maxLength) {
        throw validationError(`The length of the '${name}' attribute of the '${logical}' entity exceeded the maximum allowed length of '${column.maxLength}'.`);
      }
      return value;
    }
    case 'Boolean':
      if (typeof value !== 'boolean') throw cannot();
      return value;
    case 'Uniqueidentifier':
      if (typeof value !== 'string' || !isGuid(value)) throw cannot();
      return value.toLowerCase();
    case 'DateTime': {
      if (column.format === 'DateOnly') {
        // Edm.Date: the date alone; a time or an offset is refused as the OData reader does.
        if (typeof value !== 'string' || !isDate(value)) throw payloadError(entity.set, `Cannot convert the literal '${typeof value === 'string' ? value : JSON.stringify(value)}' to the expected type 'Edm.Date'.`);
        return value;
      }
      const at = typeof value === 'string' ? dateTimeOffset(value) : null;
      // The OData reader names a string literal as it was sent ("Cannot convert the literal '01/02/2024' …").
      if (at === null) throw payloadError(entity.set, `Cannot convert the literal '${typeof value === 'string' ? value : JSON.stringify(value)}' to the expected type '${edm}'.`);
      return new Date(at).toISOString().replace('.000Z', 'Z');
    }
    case 'Money': {
      const amount = checkNumber(entity, column, value, cannot);
      return roundTo(amount, column.precision ?? 2);
    }
    case 'Integer':
    case 'Picklist':
    case 'State':
    case 'Status': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw cannot();
      if (column.options && !(value in column.options)) {
        throw validationError(`The value ${value} of '${name}' on record of type '${logical}' is outside the valid range.`);
      }
      if ((column.min !== undefined && value < column.min) || (column.max !== undefined && value > column.max)) {
        throw validationError(`The value ${value} of '${name}' on record of type '${logical}' is outside the valid range. Accepted Values: ${column.min} to ${column.max}`);
      }
      return value;
    }
    default:
      return checkNumber(entity, column, value, cannot);
  }
}

function checkNumber(entity: EntityDef, column: Column, value: unknown, cannot: () => DataverseError): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw cannot();
  if ((column.min !== undefined && value < column.min) || (column.max !== undefined && value > column.max)) {
    throw validationError(`The value ${value} of '${column.name}' on record of type '${entity.logicalName}' is outside the valid range. Accepted Values: ${column.min} to ${column.max}`);
  }
  return value;
}

/**
 * An Edm.DateTimeOffset literal as OData's ABNF defines it (dateTimeOffsetValue, OData 4.0 Part 2 /
 * ABNF: year "-" month "-" day "T" hour ":" minute [ ":" second [ "." fractionalSeconds ] ]
 * ( "Z" / sign hour ":" minute )): the offset is required. Returns the instant in ms, or null.
 */
export function dateTimeOffset(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?(Z|[+-](\d{2}):(\d{2}))$/.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return null;
  if (m[8] !== 'Z' && (Number(m[9]) > 23 || Number(m[10]) > 59)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : at;
}

/** An Edm.Date literal (OData ABNF dateValue: year "-" month "-" day) that names a real day. */
export function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A money value at its column's precision (the table references give Precision 2 for the hourly
 * rates, PrecisionSource Organization.PricingDecimalPrecision). The docs do not say whether more
 * decimals are refused or rounded; the simulator stores the value rounded half away from zero, as
 * a currency value shown at that precision is (docs/simulator-dataverse.md).
 */
export function roundTo(value: number, precision: number): number {
  const f = 10 ** precision;
  const rounded = Math.round(Math.abs(value) * f * (1 + Number.EPSILON)) / f;
  return value < 0 ? -rounded : rounded;
}

/**
 * Validates `body` for a create (`existing` undefined) or an update, and returns the columns to
 * write. Throws DataverseError on the first problem.
 */
export function columnsFromPayload(entity: EntityDef, body: unknown, id: string, existing: Row | undefined, dx: DvContext): Row {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw payloadError(entity.set, 'The request body must be a JSON object that represents an entity.');
  }
  const out: Row = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key.startsWith('@')) continue; // instance annotations such as @odata.type
    if (key.endsWith('@odata.bind')) {
      const nav = key.slice(0, -'@odata.bind'.length);
      const column = entity.navs.get(nav);
      if (!column || isHidden(dx.store, entity, column.name)) {
        throw payloadError(
          entity.set,
          `An undeclared property '${nav}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
        );
      }
      if (column.readOnly) {
        // owninguser/owningteam follow ownerid (ownership.ts); the references list them as read-only.
        throw badRequest(CODES.invalidArgument, `The '${nav}' attribute of the '${entity.logicalName}' entity is not valid for ${existing ? 'update' : 'create'}.`);
      }
      if (value === null) {
        out[column.name] = null;
        continue;
      }
      const targets = navTargets(column, nav);
      const ref = typeof value === 'string' ? resolveReference(value, dx) : null;
      if (!ref) throw payloadError(entity.set, `The value '${JSON.stringify(value)}' of '${key}' is not a valid entity reference: expected '${targets.map((t) => `/${t}(<guid>)`).join("' or '")}'.`);
      if (!targets.includes(ref.set)) {
        throw payloadError(entity.set, `The navigation property '${nav}' expects an entity of set '${targets.join("' or '")}', but the reference points at '${ref.set}'.`);
      }
      const targetDef = entityBySet(ref.set);
      if (!dx.store.get(ref.set, ref.id)) throw notFound(targetDef?.logicalName ?? ref.set, ref.id);
      out[column.name] = ref.id;
      continue;
    }
    if (key.includes('@')) continue; // property annotations other than bind
    const column = entity.columns.get(key);
    if (!column || isHidden(dx.store, entity, key)) {
      if (column === undefined && entity.navs.has(key)) throw payloadError(entity.set, `Deep insert and update through the navigation property '${key}' is not supported by the simulator; use '${key}@odata.bind'.`);
      throw payloadError(entity.set, `The property '${key}' does not exist on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
    }
    if (column.type === 'Lookup') {
      throw badRequest(CODES.payload, 'CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.');
    }
    if (key === entity.primaryKey) {
      if (typeof value !== 'string' || value.toLowerCase() !== id) {
        throw badRequest(CODES.invalidArgument, `The primary key '${key}' in the payload does not match the key of the addressed row.`);
      }
      continue;
    }
    if (column.readOnly) {
      throw badRequest(CODES.invalidArgument, `The '${key}' attribute of the '${entity.logicalName}' entity is not valid for ${existing ? 'update' : 'create'}.`);
    }
    out[key] = convert(entity, column, value);
  }
  return out;
}
