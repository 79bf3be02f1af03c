/**
 * Change tracking: `Prefer: odata.track-changes` on a collection GET, `@odata.deltaLink`, and GET of
 * the deltaLink (use-change-tracking-synchronize-data-external-systems.md).
 * docs/simulator-dataverse.md "Change tracking".
 *
 * - Only tables whose schema says `changeTracking` (EntityMetadata.ChangeTrackingEnabled) accept
 *   it; another table → 400 (the docs name no error; stricter: refuse rather than ignore).
 * - `$filter`, `$orderby`, `$expand` and `$top` → 400
 * (learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems:
 * "the request fails"), as do
 *   `$count` and `$skip` (not simulated).
 * - The initial read pages as a normal read (keyset cookie with `istracking="True"` and the
 *   watermark: the store's version when the first page was served); the last page carries
 *   `@odata.deltaLink` = `<set>?$select=…&$deltatoken=<watermark>!<MM/DD/YYYY HH:mm:ss>`, the
 *   documented shape.
 * - GET of the deltaLink (with the same Prefer header, as the page says; stricter: required)
 *   returns rows created or updated after the watermark (every selected column) ordered by version,
 *   then rows deleted after it as `$deletedEntity` entries. The window ends at the version current
 *   when the round started; pages resume after a (version, id) cursor, so a row written while a
 *   client pages appears in the next round, never skipped.
 * - Tokens older than the retention (ExpireChangeTrackingInDays, 7 days by default, measured on the
 *   simulator clock plus the offset PUT /_sim/tracking sets) → 410 Gone, and a watermark above the
 *   store's current version (a token from before /_sim/reset) → 410 too. Learn does not
 *   document the real error; 410 is what OData 4.0 §11.3 prescribes for a delta link that is no
 *   longer valid.
 */
import { changeTrackingOn } from './metadata-state.js';
import type { DataverseStore, Row } from '../dataverse-store.js';
import type { SimResponse, SimState } from '../types.js';
import type { DvContext } from './context.js';
import { CODES, DataverseError, badRequest, jsonResponse } from './errors.js';
import { annotationFilter, projectRow } from './format.js';
import { MAX_PAGE_SIZE, parsePrefer, parseQuery, parseSelect, type Target } from './options.js';
import { decodeCookie, encodeCookie, queryPage } from './paging.js';
import type { EntityDef } from './schema.js';

const DAY_MS = 86_400_000;
export const DEFAULT_RETENTION_MS = 7 * DAY_MS;

export interface ChangeTrackingOptions {
  clockOffsetMs: number;
  retentionMs: number;
}

const optionsByStore = new WeakMap<DataverseStore, ChangeTrackingOptions>();

export function changeTrackingOptions(store: DataverseStore): ChangeTrackingOptions {
  return optionsByStore.get(store) ?? { clockOffsetMs: 0, retentionMs: DEFAULT_RETENTION_MS };
}

/** PUT /_sim/tracking: `clockOffsetMs`, `dataverseRetentionMs` (both optional). */
export function setChangeTrackingOptions(state: SimState, body: { clockOffsetMs?: unknown; dataverseRetentionMs?: unknown }): ChangeTrackingOptions {
  const cur = changeTrackingOptions(state.dataverse);
  const num = (v: unknown, name: string): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${name} must be a number of milliseconds`);
    return v;
  };
  const next = {
    clockOffsetMs: num(body.clockOffsetMs, 'clockOffsetMs') ?? cur.clockOffsetMs,
    retentionMs: num(body.dataverseRetentionMs, 'dataverseRetentionMs') ?? cur.retentionMs,
  };
  optionsByStore.set(state.dataverse, next);
  return next;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The token's date part, as Dataverse writes it: `08/22/2017 08:10:44` (UTC). */
function tokenDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function parseToken(token: string): { version: number; issued: number } {
  const m = /^(\d+)!(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(token);
  if (!m) throw badRequest(CODES.invalidArgument, `The $deltatoken '${token}' is not a change tracking token this organization issued.`);
  const [, v, mo, d, y, h, mi, s] = m.map(Number) as number[];
  return { version: v!, issued: Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) };
}

function tracksChanges(headers: Record<string, string>): boolean {
  return /(^|,)\s*odata\.track-changes\s*(,|$)/i.test(headers.prefer ?? '');
}

function context(dx: DvContext, set: string, select: string[] | null, suffix: string): string {
  return `${dx.root}$metadata#${set}${select ? `(${select.join(',')})` : ''}${suffix}`;
}

function gone(message: string): DataverseError {
  return new DataverseError(410, CODES.invalidArgument, message);
}

/**
 * Called first by getCollection: answers a change-tracking request, or returns null for a normal
 * read (no `Prefer: odata.track-changes` and no `$deltatoken`).
 */
export function changeTrackingRead(target: Target, rawQuery: string, headers: Record<string, string>, dx: DvContext): SimResponse | null {
  const query = parseQuery(rawQuery);
  const tracked = tracksChanges(headers);
  if (!tracked && !query.has('$deltatoken')) return null;
  const { entity } = target;
  if (!changeTrackingOn(dx.store, entity.logicalName, entity.changeTracking)) {
    throw badRequest(CODES.notSupported, `Change tracking is not enabled for the entity '${entity.logicalName}'. Turn on Track changes (EntityMetadata.ChangeTrackingEnabled) for the table.`);
  }
  for (const key of query.keys()) {
    if (key === '$select' || key === '$skiptoken' || key === '$deltatoken') continue;
    throw badRequest(CODES.notSupported, `The query option '${key}' is not supported with change tracking (Prefer: odata.track-changes); filter on the client.`);
  }
  if (!tracked) throw badRequest(CODES.invalidArgument, 'A $deltatoken request must send the same Prefer: odata.track-changes header as the initial request.');
  const select = parseSelect(entity, query.get('$select'), dx.store);
  const prefer = parsePrefer(headers.prefer);
  const limit = Math.min(prefer.maxPageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const applied = ['odata.track-changes', ...(prefer.maxPageSize !== null ? [`odata.maxpagesize=${limit}`] : [])];
  const options = changeTrackingOptions(dx.store);
  const now = Date.now() + options.clockOffsetMs;
  const base = `${dx.root}${entity.set}?${select ? `$select=${select.join(',')}&` : ''}`;
  const deltaLink = (version: number): string => `${base}$deltatoken=${encodeURIComponent(`${version}!${tokenDate(now)}`)}`;
  const annotations = annotationFilter(prefer.annotations);
  const project = (row: Row): Record<string, unknown> => projectRow(entity, row, dx.store, { select, annotations });
  const headersOut = { 'Preference-Applied': applied.join(',') };

  const deltatoken = query.get('$deltatoken');
  const skiptoken = query.get('$skiptoken');
  if (deltatoken === undefined) {
    // Initial read (or one of its pages): every row, keyset-paged; the watermark rides in the cookie.
    const cookie = skiptoken === undefined ? null : decodeCookie(skiptoken);
    const watermark = skiptoken === undefined ? dx.store.currentVersion() : Number(/watermark="(\d+)"/.exec(skiptoken)?.[1] ?? NaN);
    if (!Number.isInteger(watermark)) throw badRequest(CODES.invalidArgument, `The $skiptoken '${skiptoken}' is not a change tracking paging cookie.`);
    const page = queryPage(entity, dx.store, () => true, [], limit, true, cookie);
    const body: Record<string, unknown> = { '@odata.context': context(dx, entity.set, select, ''), value: page.rows.map(project) };
    if (page.next) {
      const token = encodeCookie(page.next).replace('istracking="False"', `istracking="True" watermark="${watermark}"`);
      body['@odata.nextLink'] = `${base}$skiptoken=${encodeURIComponent(token)}`;
    } else body['@odata.deltaLink'] = deltaLink(watermark);
    return jsonResponse(200, body, headersOut);
  }

  // A delta round: changes after the token's watermark, up to the version when the round started.
  const token = parseToken(deltatoken);
  if (token.version > dx.store.currentVersion()) throw gone(`The $deltatoken '${deltatoken}' does not belong to this organization's change tracking state; read the table again with Prefer: odata.track-changes.`);
  if (now - token.issued > options.retentionMs) {
    throw gone(`The $deltatoken '${deltatoken}' has expired: changes are kept for ${Math.round(options.retentionMs / DAY_MS)} days (ExpireChangeTrackingInDays). Read the table again with Prefer: odata.track-changes.`);
  }
  const cursor = skiptoken === undefined ? null : decodeDeltaCursor(skiptoken);
  const upto = cursor?.upto ?? dx.store.currentVersion();
  const items = changes(entity, dx.store, token.version, upto, cursor);
  const page = items.slice(0, limit);
  const value = page.map((it) =>
    it.deleted
      ? { '@odata.context': `${dx.root}$metadata#${entity.set}/$deletedEntity`, id: it.id, reason: 'deleted' }
      : project(dx.store.get(entity.set, it.id)!),
  );
  const body: Record<string, unknown> = { '@odata.context': context(dx, entity.set, select, '/$delta'), value };
  const last = page[page.length - 1];
  if (items.length > limit && last) {
    const next = Buffer.from(JSON.stringify({ upto, d: last.deleted, v: last.v, id: last.id })).toString('base64url');
    body['@odata.nextLink'] = `${base}$deltatoken=${encodeURIComponent(deltatoken)}&$skiptoken=${next}`;
  } else body['@odata.deltaLink'] = deltaLink(upto);
  return jsonResponse(200, body, headersOut);
}

interface DeltaCursor {
  upto: number;
  d: boolean;
  v: number;
  id: string;
}

function decodeDeltaCursor(skiptoken: string): DeltaCursor {
  try {
    const c = JSON.parse(Buffer.from(skiptoken, 'base64url').toString('utf8')) as DeltaCursor;
    if (typeof c.upto === 'number' && typeof c.d === 'boolean' && typeof c.v === 'number' && typeof c.id === 'string') return c;
  } catch {
    // fall through
  }
  throw badRequest(CODES.invalidArgument, `The $skiptoken '${skiptoken}' is not a paging cookie this service issued.`);
}

interface Change {
  deleted: boolean;
  v: number;
  id: string;
}

/** Rows written in (from, upto] by version, then deletions in the window, after the cursor. */
function changes(entity: EntityDef, store: DataverseStore, from: number, upto: number, cursor: DeltaCursor | null): Change[] {
  const after = (c: Change): boolean => {
    if (!cursor) return true;
    if (c.deleted !== cursor.d) return c.deleted;
    return c.v > cursor.v || (c.v === cursor.v && c.id > cursor.id);
  };
  const byVersion = (a: Change, b: Change): number => a.v - b.v || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const written: Change[] = [];
  for (const id of store.table(entity.set).keys()) {
    const v = store.version(entity.set, id);
    const c = { deleted: false, v, id };
    if (v > from && v <= upto && after(c)) written.push(c);
  }
  const deleted: Change[] = [];
  for (const [id, v] of store.deletedRows(entity.set)) {
    const c = { deleted: true, v, id };
    if (v > from && v <= upto && after(c)) deleted.push(c);
  }
  return [...written.sort(byVersion), ...deleted.sort(byVersion)];
}
