/**
 * Query string handling for Graph: system query options, percent-decoding and $top/$select checks.
 *
 * Decoding follows the query-string form: '+' is a space and %2B a plus
 * (learn.microsoft.com/graph/aad-advanced-queries: "A literal '+'
 * in an email is otherwise decoded as a space"), so a client that forgets to encode '+' in an
 * email literal gets no match, as it would in Azure.
 */
import { badRequest } from './errors.js';

const SYSTEM_OPTIONS = new Set(['$select', '$filter', '$top', '$count', '$skiptoken', '$orderby', '$search', '$expand', '$skip', '$format']);

export interface GraphQuery {
  /** Decoded system query options, keyed by lower-cased name ('$filter'). */
  options: Map<string, string>;
  /** The raw query without $skiptoken, kept for nextLinks. */
  rawWithoutSkipToken: string;
}

export function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw badRequest(`Invalid percent-encoding in the query string: '${s}'.`, 'BadRequest');
  }
}

export function parseQuery(rawQuery: string): GraphQuery {
  const options = new Map<string, string>();
  const kept: string[] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const name = decodeComponent(rawName).trim();
    const value = eq < 0 ? '' : decodeComponent(part.slice(eq + 1));
    const key = name.toLowerCase();
    // query-parameters.md: on v1.0 the '$' prefix is optional only for a subset of APIs; the
    // simulator requires it (stricter) so a client never depends on the lenient form.
    if (!key.startsWith('$') && SYSTEM_OPTIONS.has(`$${key}`)) {
      throw badRequest(`Query option '${name}' must be written '$${key}' on v1.0.`, 'BadRequest');
    }
    const system = key.startsWith('$') ? key : null;
    if (system !== null) {
      if (!SYSTEM_OPTIONS.has(system)) throw badRequest(`Query option '${name}' is not supported.`, 'BadRequest');
      if (options.has(system)) throw badRequest(`Query option '${system}' was specified more than once, but it must be specified at most once.`, 'BadRequest');
      options.set(system, value);
      if (system === '$skiptoken') continue;
    }
    kept.push(part);
  }
  return { options, rawWithoutSkipToken: kept.join('&') };
}

/** $top: 1..999 for users and group members (learn.microsoft.com/graph/api/group-list-members, learn.microsoft.com/graph/paging). */
export function pageSize(q: GraphQuery, defaultSize = 100, max = 999): number {
  const raw = q.options.get('$top');
  if (raw === undefined) return defaultSize;
  if (!/^\s*-?\d+\s*$/.test(raw)) throw badRequest(`Invalid value '${raw}' for $top query option found.`, 'BadRequest');
  const n = Number(raw.trim());
  if (n < 1 || n > max) throw badRequest(`Invalid page size specified: '${n}'. Must be between 1 and ${max} inclusive.`, 'Request_UnsupportedQuery');
  return n;
}

/** $select list; unknown properties are refused with 400 (stricter than silently ignoring them). */
export function parseSelect(q: GraphQuery, known: ReadonlySet<string>, resource: string): string[] | null {
  const raw = q.options.get('$select');
  if (raw === undefined) return null;
  const props = raw.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (props.length === 0) throw badRequest('The $select query option must name at least one property.', 'BadRequest');
  const byLower = new Map([...known].map((k) => [k.toLowerCase(), k]));
  return props.map((p) => {
    const canonical = byLower.get(p.toLowerCase());
    if (!canonical) throw badRequest(`Could not find a property named '${p}' on type 'microsoft.graph.${resource}'.`, 'BadRequest');
    return canonical;
  });
}

/** Options an endpoint does not support: 400 rather than silently ignoring them. */
export function refuseOptions(q: GraphQuery, names: string[], why: string): void {
  for (const n of names) if (q.options.has(n)) throw badRequest(`Query option '${n}' is not supported ${why}.`, 'Request_UnsupportedQuery');
}

export function isAdvanced(headers: Record<string, string>, q: GraphQuery): { header: boolean; count: boolean } {
  const header = (headers['consistencylevel'] ?? '').trim().toLowerCase() === 'eventual';
  const countRaw = q.options.get('$count');
  if (countRaw !== undefined && !/^(true|false)$/i.test(countRaw.trim())) throw badRequest(`Invalid value '${countRaw}' for $count query option.`, 'BadRequest');
  return { header, count: countRaw !== undefined && countRaw.trim().toLowerCase() === 'true' };
}
