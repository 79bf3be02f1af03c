/**
 * Request parsing shared by reads and writes: the system query options of the URL, the Prefer
 * header (compose-http-requests-handle-errors.md "Prefer headers"), and the resource path
 * (`set`, `set(<guid>)`).
 */
import { CODES, DataverseError, badRequest, propertyNotFound } from './errors.js';
import type { DataverseStore } from '../dataverse-store.js';
import { entityBySet } from './entities.js';
import { isHidden } from './metadata-attributes.js';
import type { EntityDef } from './schema.js';

export const MAX_PAGE_SIZE = 5000;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(s: string): boolean {
  return GUID.test(s);
}

/** Query-string decoding as URLSearchParams does it ('+' is a space, then percent-decoding). */
export function decodeQueryValue(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw badRequest(CODES.invalidArgument, `The query string '${s}' is not correctly percent-encoded.`);
  }
}

export function parseQuery(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!rawQuery) return out;
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decodeQueryValue(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryValue(part.slice(eq + 1));
    if (out.has(key)) throw badRequest(CODES.invalidArgument, `Query option '${key}' was specified more than once, but it must be specified at most once.`);
    out.set(key, value);
  }
  return out;
}

export interface Prefer {
  maxPageSize: number | null;
  annotations: string[] | null;
  returnRepresentation: boolean;
  continueOnError: boolean;
}

/** Splits a header on commas that are not inside double quotes. */
function splitHeader(value: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export function parsePrefer(header: string | undefined): Prefer {
  const prefer: Prefer = { maxPageSize: null, annotations: null, returnRepresentation: false, continueOnError: false };
  if (!header) return prefer;
  for (const part of splitHeader(header)) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim().replace(/^"|"$/g, '');
    if (name === 'odata.maxpagesize') {
      const n = Number(value);
      if (Number.isInteger(n) && n > 0) prefer.maxPageSize = n;
    } else if (name === 'odata.include-annotations') {
      prefer.annotations = value.split(',').map((s) => s.trim()).filter(Boolean);
    } else if (name === 'return' && value === 'representation') {
      prefer.returnRepresentation = true;
    } else if (name === 'odata.continue-on-error') {
      prefer.continueOnError = value === '' || value === 'true';
    }
  }
  return prefer;
}

export interface Target {
  entity: EntityDef;
  /** Lower-cased key when the path addresses one row. */
  id: string | null;
}

export function resourceNotFound(segment: string): DataverseError {
  return new DataverseError(404, CODES.propertyNotFound, `Resource not found for the segment '${segment}'.`);
}

/** `contacts` or `contacts(<guid>)`; anything deeper is not simulated. */
export function parsePath(path: string): Target {
  const decoded = decodeURIComponent(path);
  const m = /^([A-Za-z0-9_]+)(?:\((.*)\))?$/.exec(decoded);
  const segment = decoded.split('/')[0] ?? decoded;
  if (!m) {
    const base = /^([A-Za-z0-9_]+)/.exec(decoded)?.[1];
    if (base && entityBySet(base)) {
      throw new DataverseError(501, CODES.notSupported, `The simulator does not serve '${decoded}': only entity sets and rows addressed by their primary key.`);
    }
    throw resourceNotFound(segment);
  }
  const entity = entityBySet(m[1]!);
  if (!entity) throw resourceNotFound(m[1]!);
  if (m[2] === undefined) return { entity, id: null };
  let key = m[2];
  const named = new RegExp(`^${entity.primaryKey}=(.*)$`).exec(key);
  if (named) key = named[1]!;
  if (!isGuid(key)) throw badRequest(CODES.invalidArgument, `Bad Request - Error in query syntax: '${key}' is not a valid key for ${entity.set}.`);
  return { entity, id: key.toLowerCase() };
}

/** `store`: the environment, whose table definitions may lack a schema column (metadata-attributes.ts isHidden). */
export function parseSelect(entity: EntityDef, value: string | undefined, store?: DataverseStore): string[] | null {
  if (value === undefined) return null;
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!entity.columns.has(n) || (store && isHidden(store, entity, n))) throw propertyNotFound(n, entity.logicalName);
  return names;
}

export interface OrderBy {
  column: string;
  desc: boolean;
}

export function parseOrderBy(entity: EntityDef, value: string | undefined): OrderBy[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const [column = '', dir, ...rest] = item.split(/\s+/);
      if (rest.length > 0 || (dir !== undefined && dir !== 'asc' && dir !== 'desc')) {
        throw badRequest(CODES.propertyNotFound, `Syntax error at position ${item.length} in '${value}'.`);
      }
      if (!entity.columns.has(column)) throw propertyNotFound(column, entity.logicalName);
      return { column, desc: dir === 'desc' };
    });
}
