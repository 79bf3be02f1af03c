/**
 * GET /users, GET /users/$count and GET /users/{id | userPrincipalName}
 * (user-list.md, user-get.md, aad-advanced-queries.md, paging.md).
 */
import { replicaView, type ReplicaView } from '../platform/replication.js';
import type { SimContext, SimRequest, SimResponse } from '../types.js';
import { badRequest, notFound } from './errors.js';
import { parseFilter, type FilterNode } from './filter.js';
import { candidates, matches } from './filter-eval.js';
import { advancedOperatorError, checkFilter, MAX_OR_CHILDREN_DEFAULT, tooManyOrChildren } from './filter-rules.js';
import { requireRole } from './permissions.js';
import { isAdvanced, pageSize, parseQuery, parseSelect, refuseOptions, type GraphQuery } from './query.js';
import { SELECTABLE_USER_PROPS } from './user-schema.js';
import { findUser, userIndex } from './user-store.js';
import { contextUrl, nextLink, pageStart, projectUser } from './view.js';

/**
 * $search needs ConsistencyLevel (documented 400); $orderby, $expand and $skip are not simulated
 * (Graph refuses $skip on directory objects) and are refused rather than ignored.
 */
function refuseUnsupported(q: GraphQuery, headers: Record<string, string>): void {
  if (q.options.has('$search') && (headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual') {
    throw badRequest("Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'", 'Request_UnsupportedQuery');
  }
  refuseOptions(q, ['$search', '$orderby', '$expand', '$skip', '$format'], 'on users by the simulator');
}

/** The checked filter, after enforcing the advanced-query rules (aad-advanced-queries.md "Error handling"). */
function userFilter(q: GraphQuery, advanced: boolean): FilterNode | null {
  const raw = q.options.get('$filter');
  if (raw === undefined) return null;
  const check = checkFilter(parseFilter(raw));
  if (!advanced) {
    if (check.advanced.length > 0) throw advancedOperatorError(check.advanced[0]!);
    if (check.maxOrChildren > MAX_OR_CHILDREN_DEFAULT) throw tooManyOrChildren(check.maxOrChildren);
  }
  return check.node;
}

/**
 * Matching user ids from `start` on (store order); stops after `limit` + 1 so the caller knows if more
 * exist. Users the read's replica has not received yet are left out (replication.ts).
 */
function scan(ctx: SimContext, view: ReplicaView, filter: FilterNode | null, start: number, limit: number): { ids: string[]; next: number | null } {
  const ix = userIndex(ctx.state);
  const users = ctx.state.graph.users;
  const cand = filter ? candidates(filter, ix) : null;
  const positions = cand ? [...cand].map((id) => ix.position.get(id)!).filter((p) => p >= start).sort((a, b) => a - b) : null;
  const ids: string[] = [];
  const total = positions ? positions.length : ix.order.length;
  for (let k = positions ? 0 : start; k < total; k++) {
    const pos = positions ? positions[k]! : k;
    const id = ix.order[pos]!;
    const u = users.get(id);
    if (!u || (filter && !matches(filter, u)) || !view.sees(id)) continue;
    if (ids.length === limit) return { ids, next: pos };
    ids.push(id);
  }
  return { ids, next: null };
}

function countMatches(ctx: SimContext, view: ReplicaView, filter: FilterNode | null): number {
  return scan(ctx, view, filter, 0, Number.MAX_SAFE_INTEGER).ids.length;
}

export function listUsers(req: SimRequest, ctx: SimContext): SimResponse {
  requireRole(req, 'readUsers');
  const q = parseQuery(req.rawQuery);
  refuseUnsupported(q, req.headers);
  const adv = isAdvanced(req.headers, q);
  const advanced = adv.header && adv.count;
  const filter = userFilter(q, advanced);
  const select = parseSelect(q, SELECTABLE_USER_PROPS, 'user');
  const top = pageSize(q);
  const start = pageStart(req.path, q);
  // With ConsistencyLevel: eventual the read is served by the advanced index, which lags longer
  // ("the response will be eventually consistent", aad-advanced-queries.md).
  const view = replicaView(req, ctx.state, ctx.now(), adv.header);
  const page = scan(ctx, view, filter, start, top);
  const body: Record<string, unknown> = { '@odata.context': contextUrl(ctx.graphBaseUrl, 'users', select) };
  // @odata.count only with both advanced parameters, and only on the first page (paging.md). Without the
  // header, $count=true is silently ignored (aad-advanced-queries.md "Error handling", GET /users?$count=true).
  if (advanced && start === 0) body['@odata.count'] = countMatches(ctx, view, filter);
  if (page.next !== null) body['@odata.nextLink'] = nextLink(ctx.graphBaseUrl, req.path, q, page.next);
  body.value = page.ids.map((id) => projectUser(ctx.state.graph.users.get(id)!, select));
  return { status: 200, body };
}

/** GET /users/$count: a plain-text number; needs ConsistencyLevel: eventual (aad-advanced-queries.md). */
export function countUsers(req: SimRequest, ctx: SimContext): SimResponse {
  requireRole(req, 'readUsers');
  const q = parseQuery(req.rawQuery);
  refuseUnsupported(q, req.headers);
  if ((req.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual') throw badRequest('$count is not currently supported.');
  const filter = userFilter(q, true);
  return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: String(countMatches(ctx, replicaView(req, ctx.state, ctx.now(), true), filter)) };
}

export function getUser(req: SimRequest, ctx: SimContext, key: string): SimResponse {
  requireRole(req, 'readUsers');
  const q = parseQuery(req.rawQuery);
  refuseOptions(q, ['$filter', '$top', '$skiptoken', '$count', '$search', '$orderby', '$expand', '$skip', '$format'], 'on a single user');
  const select = parseSelect(q, SELECTABLE_USER_PROPS, 'user');
  const u = findUser(ctx.state, key);
  // A user still replicating answers as one that does not exist: the replica cannot tell them apart.
  if (!u || !replicaView(req, ctx.state, ctx.now()).sees(String(u.id))) throw notFound(key);
  return { status: 200, body: projectUser(u, select, { '@odata.context': contextUrl(ctx.graphBaseUrl, 'users', select, true) }) };
}
