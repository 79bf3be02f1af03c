/**
 * Ordering and paging of query results (webapi/query/page-results.md,
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results).
 *
 * Rows are ordered by $orderby and then by primary key (nulls first ascending, as SQL Server sorts).
 * The `$skiptoken` carries a paging cookie with the sort key of the last row returned, so the next
 * page resumes after it (keyset paging, like Dataverse's paging cookie). To keep paging a large table
 * linear, the sorted id list of a query is cached per store; while the table is unchanged
 * (DataverseStore.generation) the next page is a slice of it, otherwise the list is rebuilt and the
 * cookie's key is looked up by binary search.
 */
import { randomUUID } from 'node:crypto';
import type { DataverseStore, Row } from '../dataverse-store.js';
import { CODES, badRequest } from './errors.js';
import { comparable, type Predicate } from './filter-eval.js';
import type { OrderBy } from './options.js';
import type { EntityDef } from './schema.js';

type Key = (string | number | boolean | null)[];

interface CacheEntry {
  generation: number;
  ids: string[];
  keys: Key[];
}

export interface Cookie {
  /** Cache entry id. */
  c: string;
  /** Index of the next row in the cached list. */
  p: number;
  /** Sort key of the last row returned. */
  k: Key;
  /** Page number of the next page (informational, as Dataverse's pagenumber). */
  n: number;
}

const caches = new WeakMap<DataverseStore, Map<string, CacheEntry>>();
const MAX_CACHED = 32;

function cacheOf(store: DataverseStore): Map<string, CacheEntry> {
  let c = caches.get(store);
  if (!c) {
    c = new Map();
    caches.set(store, c);
  }
  return c;
}

export function compareKeys(a: Key, b: Key, desc: boolean[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    let r: number;
    if (x === null) r = -1;
    else if (y === null) r = 1;
    else r = x < y ? -1 : x > y ? 1 : 0;
    if (r !== 0) return desc[i] ? -r : r;
  }
  return 0;
}

function sortedResult(entity: EntityDef, store: DataverseStore, predicate: Predicate, orderBy: OrderBy[]): CacheEntry {
  const columns = orderBy.map((o) => entity.columns.get(o.column)!);
  const desc = [...orderBy.map((o) => o.desc), false];
  const pk = entity.primaryKey;
  const items: { id: string; key: Key }[] = [];
  for (const row of store.table(entity.set).values()) {
    if (!predicate(row)) continue;
    const id = String(row[pk]);
    items.push({ id, key: [...columns.map((c) => comparable(c, row[c.name])), id] });
  }
  items.sort((a, b) => compareKeys(a.key, b.key, desc));
  return { generation: store.generation(entity.set), ids: items.map((i) => i.id), keys: items.map((i) => i.key) };
}

export function encodeCookie(cookie: Cookie): string {
  const inner = Buffer.from(JSON.stringify(cookie)).toString('base64url');
  return `<cookie pagenumber="${cookie.n}" pagingcookie="${inner}" istracking="False" />`;
}

export function decodeCookie(skiptoken: string): Cookie {
  const m = /pagingcookie="([^"]*)"/.exec(skiptoken);
  try {
    if (!m) throw new Error('no paging cookie');
    const c = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as Cookie;
    if (typeof c.c !== 'string' || typeof c.p !== 'number' || !Array.isArray(c.k) || typeof c.n !== 'number') throw new Error('bad cookie');
    return c;
  } catch {
    throw badRequest(CODES.invalidArgument, `The $skiptoken '${skiptoken}' is not a paging cookie this service issued.`);
  }
}

export interface Page {
  rows: Row[];
  total: number;
  next: Cookie | null;
}

/**
 * One page of a query. `limit` is the page size (or $top, with `paged` false: no next page).
 * `after` is the cookie of the previous page.
 */
export function queryPage(
  entity: EntityDef,
  store: DataverseStore,
  predicate: Predicate,
  orderBy: OrderBy[],
  limit: number,
  paged: boolean,
  after: Cookie | null,
): Page {
  const cache = cacheOf(store);
  const desc = [...orderBy.map((o) => o.desc), false];
  let id = after?.c ?? randomUUID();
  let entry = after ? cache.get(after.c) : undefined;
  let start = 0;
  if (entry && after && entry.generation === store.generation(entity.set) && compareKeys(entry.keys[after.p - 1] ?? [], after.k, desc) === 0) {
    start = after.p;
  } else {
    entry = sortedResult(entity, store, predicate, orderBy);
    if (after) {
      let lo = 0;
      let hi = entry.keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareKeys(entry.keys[mid]!, after.k, desc) <= 0) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
      id = randomUUID();
    }
  }
  const table = store.table(entity.set);
  const rows: Row[] = [];
  let i = start;
  for (; i < entry.ids.length && rows.length < limit; i++) {
    const row = table.get(entry.ids[i]!);
    if (row) rows.push(row);
  }
  const more = paged && i < entry.ids.length;
  if (more) {
    cache.delete(id);
    cache.set(id, entry);
    while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  } else cache.delete(id);
  return {
    rows,
    total: entry.ids.length,
    next: more ? { c: id, p: i, k: entry.keys[i - 1]!, n: (after?.n ?? 1) + 1 } : null,
  };
}
