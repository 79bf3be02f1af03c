/**
 * Query options and Prefer headers of a Graph delta request (delta-query-overview.md).
 * Kept apart from tokens and the tracker: parsing reads only the request, never the state.
 */
import type { SimRequest } from '../types.js';
import { badRequest } from './errors.js';
import { decodeComponent } from './query.js';
import { DEFAULT_USER_PROPS, SELECTABLE_USER_PROPS } from './user-schema.js';

export type Kind = 'users' | 'groups';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 999;
const MAX_FILTER_IDS = 50;
const GROUP_PROPS = ['id', 'displayName', 'description', 'members'];

export interface DeltaRequest {
  select: string[];
  filter: string[] | null;
  deltatoken: string | null;
  skiptoken: string | null;
  minimal: boolean;
  pageSize: number;
}

/** Query options of a delta request; anything but $select, $filter, $deltatoken and $skiptoken → 400. */
export function parseDeltaRequest(req: SimRequest, kind: Kind): DeltaRequest {
  const found = new Map<string, string>();
  for (const part of req.rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeComponent(eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : decodeComponent(part.slice(eq + 1));
    if (found.has(name)) throw badRequest(`Query option '${name}' was specified more than once, but it must be specified at most once.`, 'BadRequest');
    found.set(name, value);
  }
  const allowed = kind === 'groups' ? ['$select', '$filter', '$deltatoken', '$skiptoken', '$expand'] : ['$select', '$filter', '$deltatoken', '$skiptoken'];
  for (const name of found.keys()) {
    if (!allowed.includes(name)) throw badRequest(`Query option '${name}' is not supported with delta queries (learn.microsoft.com/graph/delta-query-overview: $expand, $top, $orderby and $search are not supported).`, 'Request_UnsupportedQuery');
  }
  const deltatoken = found.get('$deltatoken') ?? null;
  const skiptoken = found.get('$skiptoken') ?? null;
  if (deltatoken !== null && skiptoken !== null) throw badRequest('$deltatoken and $skiptoken cannot be combined.', 'BadRequest');
  // A nextLink or deltaLink already encodes the query; adding options to it is refused (stricter).
  if ((skiptoken !== null || (deltatoken !== null && deltatoken.toLowerCase() !== 'latest')) && found.size > 1) {
    throw badRequest('A nextLink or deltaLink already carries the query: call it exactly as returned, with no other query options.', 'BadRequest');
  }
  const known = kind === 'users' ? SELECTABLE_USER_PROPS : new Set(GROUP_PROPS);
  let select: string[] = kind === 'users' ? [...DEFAULT_USER_PROPS] : ['id', 'displayName', 'description'];
  const rawSelect = found.get('$select');
  if (rawSelect !== undefined) {
    const byLower = new Map([...known].map((k) => [k.toLowerCase(), k]));
    select = rawSelect.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
      const c = byLower.get(p.toLowerCase());
      if (!c) throw badRequest(`Could not find a property named '${p}' on type 'microsoft.graph.${kind === 'users' ? 'user' : 'group'}'.`, 'BadRequest');
      return c;
    });
  }
  const expand = found.get('$expand');
  if (expand !== undefined) {
    if (expand.trim().toLowerCase() !== 'members') throw badRequest(`$expand=${expand} is not supported on group delta; only $expand=members.`, 'Request_UnsupportedQuery');
    if (!select.includes('members')) select.push('members');
  }
  if (!select.includes('id')) select.unshift('id');
  return { select, filter: parseIdFilter(found.get('$filter')), deltatoken, skiptoken, ...preferences(req) };
}

/** learn.microsoft.com/graph/delta-query-overview: `$filter` supports only `id eq '…'`, up to 50 joined by `or`. */
function parseIdFilter(raw: string | undefined): string[] | null {
  if (raw === undefined) return null;
  const parts = raw.split(/\s+or\s+/i);
  const ids = parts.map((p) => /^\s*\(?\s*id\s+eq\s+'([0-9a-fA-F-]{36})'\s*\)?\s*$/i.exec(p)?.[1]?.toLowerCase());
  if (ids.some((id) => id === undefined)) throw badRequest("Delta queries support only $filter=id eq '<id>' (joined by 'or').", 'Request_UnsupportedQuery');
  if (ids.length > MAX_FILTER_IDS) throw badRequest(`At most ${MAX_FILTER_IDS} ids can be tracked in one delta query.`, 'Request_UnsupportedQuery');
  return ids as string[];
}

function preferences(req: SimRequest): { minimal: boolean; pageSize: number } {
  const prefer = (req.headers['prefer'] ?? '').toLowerCase();
  const size = /odata\.maxpagesize\s*=\s*(\d+)/.exec(prefer)?.[1];
  return { minimal: /return\s*=\s*minimal/.test(prefer), pageSize: Math.min(MAX_PAGE, Math.max(1, size ? Number(size) : DEFAULT_PAGE)) };
}
