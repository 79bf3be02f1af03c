/**
 * Delta queries: GET /users/delta and GET /groups/delta (delta-query-overview.md, user-delta.md,
 * group-delta.md, delta-query-groups.md; facts §6). docs/simulator-graph.md "Delta queries".
 *
 * How changes are known: a tracker beside the state (a WeakMap keyed by the SimState, so
 * /_sim/reset starts afresh) remembers each user's JSON and each group's member set as of its last
 * scan, with a version counter. Every delta round (an initial request, `$deltatoken=latest`, or a
 * deltaLink) first scans the state and gives every user that differs a new version (and notes which
 * properties changed), every user that vanished a removal version, and logs member additions and
 * removals. So every way of changing the state is seen (Graph writes, the platform, a test editing
 * `sim.state` directly) without touching the write paths. nextLink pages do not scan: a round's
 * window (versions after the token, up to the scan) stays fixed, and pages resume after a cursor
 * (version, id), so a change made while a client pages shows up in the next round, never skipped.
 *
 * Tokens are opaque (base64url JSON with a keyed fingerprint): an altered token → 400; a token of
 * another tracker (the simulator was reset) or older than the token lifetime (7 days, facts §6;
 * PUT /_sim/tracking moves the clock or shortens the lifetime) → 410 Gone `syncStateNotFound`
 * with a Location header for a new initial sync.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SimContext, SimRequest, SimResponse, SimState } from '../types.js';
import { GraphError, badRequest } from './errors.js';
import { requireRole } from './permissions.js';
import { decodeComponent } from './query.js';
import { DEFAULT_USER_PROPS, SELECTABLE_USER_PROPS } from './user-schema.js';

const DAY_MS = 86_400_000;
/** facts §6 "Tokens for directory objects last 7 days". */
export const DEFAULT_DELTA_TOKEN_LIFETIME_MS = 7 * DAY_MS;
const DEFAULT_PAGE = 100;
const MAX_PAGE = 999;
const MAX_FILTER_IDS = 50;
const SECRET = randomUUID();
const USER_TYPE = { '@odata.type': '#microsoft.graph.user' };
const GROUP_PROPS = ['id', 'displayName', 'description', 'members'];

interface UserTrack {
  json: string;
  version: number;
  /** Property → version of its last change (absent: never changed since the tracker started). */
  changedAt: Map<string, number>;
}

interface MemberEvent {
  v: number;
  id: string;
  removed: boolean;
}

interface Tracker {
  epoch: string;
  counter: number;
  users: Map<string, UserTrack>;
  removedUsers: Map<string, number>;
  groups: Map<string, { members: Set<string>; log: MemberEvent[] }>;
}

export interface DeltaOptions {
  /** Added to the simulator clock when tokens are issued and checked (tests age tokens with it). */
  clockOffsetMs: number;
  tokenLifetimeMs: number;
}

const trackers = new WeakMap<SimState, Tracker>();
const options = new WeakMap<SimState, DeltaOptions>();

export function deltaOptions(state: SimState): DeltaOptions {
  return options.get(state) ?? { clockOffsetMs: 0, tokenLifetimeMs: DEFAULT_DELTA_TOKEN_LIFETIME_MS };
}

/** PUT /_sim/tracking: `clockOffsetMs`, `graphTokenLifetimeMs` (both optional). */
export function setDeltaOptions(state: SimState, body: { clockOffsetMs?: unknown; graphTokenLifetimeMs?: unknown }): DeltaOptions {
  const cur = deltaOptions(state);
  const num = (v: unknown, name: string): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${name} must be a number of milliseconds`);
    return v;
  };
  const next = { clockOffsetMs: num(body.clockOffsetMs, 'clockOffsetMs') ?? cur.clockOffsetMs, tokenLifetimeMs: num(body.graphTokenLifetimeMs, 'graphTokenLifetimeMs') ?? cur.tokenLifetimeMs };
  options.set(state, next);
  return next;
}

function tracker(state: SimState): Tracker {
  let t = trackers.get(state);
  if (!t) {
    // The first scan is the baseline: what exists now has version 0 and no changed properties.
    t = { epoch: randomUUID(), counter: 0, users: new Map(), removedUsers: new Map(), groups: new Map() };
    for (const [id, u] of state.graph.users) t.users.set(id, { json: JSON.stringify(u), version: 0, changedAt: new Map() });
    for (const [id, g] of state.graph.groups) t.groups.set(id, { members: new Set(g.members), log: [] });
    trackers.set(state, t);
  }
  return t;
}

function scanUsers(state: SimState, t: Tracker): void {
  for (const [id, u] of state.graph.users) {
    const json = JSON.stringify(u);
    const known = t.users.get(id);
    if (known && known.json === json) continue;
    const v = ++t.counter;
    if (!known) {
      const changedAt = new Map<string, number>();
      for (const [p, value] of Object.entries(u)) if (value !== null && value !== undefined) changedAt.set(p, v);
      t.users.set(id, { json, version: v, changedAt });
      t.removedUsers.delete(id);
      continue;
    }
    const before = JSON.parse(known.json) as Record<string, unknown>;
    for (const p of new Set([...Object.keys(before), ...Object.keys(u)])) {
      if (JSON.stringify(before[p] ?? null) !== JSON.stringify(u[p] ?? null)) known.changedAt.set(p, v);
    }
    known.json = json;
    known.version = v;
  }
  for (const id of t.users.keys()) {
    if (state.graph.users.has(id)) continue;
    t.users.delete(id);
    t.removedUsers.set(id, ++t.counter);
  }
}

function scanGroups(state: SimState, t: Tracker): void {
  for (const [id, g] of state.graph.groups) {
    let known = t.groups.get(id);
    if (!known) t.groups.set(id, (known = { members: new Set(), log: [] }));
    for (const m of g.members) if (!known.members.has(m)) known.log.push({ v: ++t.counter, id: m, removed: false });
    for (const m of known.members) if (!g.members.has(m)) known.log.push({ v: ++t.counter, id: m, removed: true });
    known.members = new Set(g.members);
  }
}

// ---------------------------------------------------------------------------------------------
// Tokens

type Kind = 'users' | 'groups';

interface DeltaToken {
  k: Kind;
  e: string;
  /** Version the next round starts after. */
  v: number;
  /** Issued at (simulator clock, ms). */
  t: number;
  s: string[];
  f: string[] | null;
}

/** A page cursor: the round's window (from, upto], and where the previous page stopped. */
interface PageToken extends DeltaToken {
  from: number | null;
  /** Users: [version, id] of the last item; groups: index into the round's list. */
  c: [number, string] | number | null;
  m: boolean;
}

function seal(payload: object): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const h = createHash('sha256').update(`${SECRET}.${body}`).digest('base64url').slice(0, 16);
  return `${body}.${h}`;
}

function unseal<T>(token: string, what: string): T {
  const [body = '', h] = token.split('.');
  const expected = createHash('sha256').update(`${SECRET}.${body}`).digest('base64url').slice(0, 16);
  if (h !== expected) throw badRequest(`The ${what} is invalid. Follow @odata.nextLink or @odata.deltaLink exactly as returned.`, 'BadRequest');
  return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
}

function clock(ctx: SimContext): number {
  return ctx.now() + deltaOptions(ctx.state).clockOffsetMs;
}

function initialUrl(ctx: SimContext, tok: DeltaToken): string {
  const q = [`$select=${tok.s.join(',')}`];
  if (tok.f) q.push(`$filter=${encodeURIComponent(tok.f.map((id) => `id eq '${id}'`).join(' or '))}`);
  return `${ctx.graphBaseUrl}/${tok.k}/delta?${q.join('&')}`;
}

/** 410 when the token belongs to an earlier simulator state or is past its lifetime (facts §6). */
function checkAlive(ctx: SimContext, tok: DeltaToken, t: Tracker): void {
  const expired = clock(ctx) - tok.t > deltaOptions(ctx.state).tokenLifetimeMs;
  if (tok.e === t.epoch && !expired) return;
  throw new GraphError(410, 'syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.', {
    Location: initialUrl(ctx, tok),
  });
}

// ---------------------------------------------------------------------------------------------
// Requests

interface DeltaRequest {
  select: string[];
  filter: string[] | null;
  deltatoken: string | null;
  skiptoken: string | null;
  minimal: boolean;
  pageSize: number;
}

/** Query options of a delta request; anything but $select, $filter, $deltatoken and $skiptoken → 400. */
function parseDeltaRequest(req: SimRequest, kind: Kind): DeltaRequest {
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
    if (!allowed.includes(name)) throw badRequest(`Query option '${name}' is not supported with delta queries (facts §6: $expand, $top, $orderby and $search are not supported).`, 'Request_UnsupportedQuery');
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

/** facts §6: `$filter` supports only `id eq '…'`, up to 50 joined by `or`. */
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

/** Resolves the request to a round: its token, window start (null: initial sync) and cursor. */
function round(ctx: SimContext, req: DeltaRequest, kind: Kind, t: Tracker): { tok: PageToken; latest: boolean } {
  if (req.skiptoken !== null) {
    const tok = unseal<PageToken>(req.skiptoken, '$skiptoken');
    if (tok.k !== kind) throw badRequest('The $skiptoken belongs to another delta query.', 'BadRequest');
    checkAlive(ctx, tok, t);
    return { tok, latest: false };
  }
  const scan = (): void => (kind === 'users' ? scanUsers(ctx.state, t) : scanGroups(ctx.state, t));
  if (req.deltatoken !== null && req.deltatoken.toLowerCase() !== 'latest') {
    const prev = unseal<DeltaToken>(req.deltatoken, '$deltatoken');
    if (prev.k !== kind) throw badRequest('The $deltatoken belongs to another delta query.', 'BadRequest');
    checkAlive(ctx, prev, t);
    scan();
    return { tok: { ...prev, from: prev.v, v: t.counter, t: clock(ctx), c: null, m: req.minimal }, latest: false };
  }
  scan();
  const tok: PageToken = { k: kind, e: t.epoch, v: t.counter, t: clock(ctx), s: req.select, f: req.filter, from: null, c: null, m: req.minimal };
  return { tok, latest: req.deltatoken !== null };
}

function respond(ctx: SimContext, kind: Kind, tok: PageToken, value: Record<string, unknown>[], next: PageToken['c'] | undefined): SimResponse {
  const body: Record<string, unknown> = { '@odata.context': `${ctx.graphBaseUrl}/$metadata#${kind}(${tok.s.join(',')})` };
  if (next !== undefined) body['@odata.nextLink'] = `${ctx.graphBaseUrl}/${kind}/delta?$skiptoken=${seal({ ...tok, c: next })}`;
  else {
    const done: DeltaToken = { k: tok.k, e: tok.e, v: tok.v, t: tok.t, s: tok.s, f: tok.f };
    body['@odata.deltaLink'] = `${ctx.graphBaseUrl}/${kind}/delta?$deltatoken=${seal(done)}`;
  }
  body.value = value;
  return { status: 200, body };
}

// ---------------------------------------------------------------------------------------------
// Users

/** Selected properties; null ones never set (no recorded change) are left out (user-delta.md). */
function userBody(u: Record<string, unknown>, track: UserTrack | undefined, select: string[], from: number | null, minimal: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: u.id };
  for (const p of select) {
    if (p === 'id') continue;
    const changed = track?.changedAt.get(p);
    if (minimal && from !== null && (changed === undefined || changed <= from)) continue;
    const value = u[p] ?? null;
    if (value === null && changed === undefined) continue;
    out[p] = structuredClone(value);
  }
  return out;
}

export function usersDelta(req: SimRequest, ctx: SimContext): SimResponse {
  requireRole(req, 'readUsers');
  const t = tracker(ctx.state);
  const parsed = parseDeltaRequest(req, 'users');
  const { tok, latest } = round(ctx, parsed, 'users', t);
  if (latest) return respond(ctx, 'users', tok, [], undefined);
  const size = parsed.pageSize;
  const inScope = (id: string): boolean => tok.f === null || tok.f.includes(id);
  const cursor = Array.isArray(tok.c) ? tok.c : null;
  const after = (v: number, id: string): boolean => cursor === null || v > cursor[0] || (v === cursor[0] && id > cursor[1]);
  type Item = { v: number; id: string; removed: boolean };
  const items: Item[] = [];
  if (tok.from === null) {
    // Initial sync: every user as it is now, by id (version 0 as the sort key).
    for (const id of ctx.state.graph.users.keys()) if (inScope(id) && after(0, id)) items.push({ v: 0, id, removed: false });
  } else {
    for (const [id, tr] of t.users) if (tr.version > tok.from && tr.version <= tok.v && inScope(id) && after(tr.version, id)) items.push({ v: tr.version, id, removed: false });
    for (const [id, v] of t.removedUsers) if (v > tok.from && v <= tok.v && inScope(id) && after(v, id)) items.push({ v, id, removed: true });
  }
  items.sort((a, b) => a.v - b.v || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const page = items.slice(0, size);
  const value = page.map((it) => {
    // facts §6: "changed" = soft-deleted (restorable). A user gone from the simulator is reported so.
    if (it.removed) return { id: it.id, '@removed': { reason: 'changed' } };
    return userBody(ctx.state.graph.users.get(it.id)!, t.users.get(it.id), tok.s, tok.from, tok.m);
  });
  const last = page[page.length - 1];
  return respond(ctx, 'users', tok, value, items.length > size && last ? [last.v, last.id] : undefined);
}

// ---------------------------------------------------------------------------------------------
// Groups

export function groupsDelta(req: SimRequest, ctx: SimContext): SimResponse {
  requireRole(req, 'readMembers');
  const t = tracker(ctx.state);
  const parsed = parseDeltaRequest(req, 'groups');
  const { tok, latest } = round(ctx, parsed, 'groups', t);
  if (latest) return respond(ctx, 'groups', tok, [], undefined);
  const withMembers = tok.s.includes('members');
  // One entry per group and member: the group object repeats when its members span pages (facts §6).
  type Entry = { group: string; member: string | null; removed: boolean };
  const entries: Entry[] = [];
  const groupIds = [...ctx.state.graph.groups.keys()].filter((id) => tok.f === null || tok.f.includes(id)).sort();
  for (const gid of groupIds) {
    if (tok.from === null) {
      entries.push({ group: gid, member: null, removed: false });
      if (withMembers) for (const m of [...(t.groups.get(gid)?.members ?? [])].sort()) entries.push({ group: gid, member: m, removed: false });
      continue;
    }
    if (!withMembers) continue;
    // Net change per member in the window: its last event wins.
    const last = new Map<string, MemberEvent>();
    for (const e of t.groups.get(gid)?.log ?? []) if (e.v > tok.from && e.v <= tok.v) last.set(e.id, e);
    for (const e of [...last.values()].sort((a, b) => a.v - b.v)) entries.push({ group: gid, member: e.id, removed: e.removed });
  }
  const start = typeof tok.c === 'number' ? tok.c : 0;
  const slice = entries.slice(start, start + parsed.pageSize);
  const value: Record<string, unknown>[] = [];
  for (const e of slice) {
    let obj = value[value.length - 1];
    if (!obj || obj.id !== e.group) {
      const g = ctx.state.graph.groups.get(e.group)!;
      obj = { id: g.id };
      if (tok.from === null) for (const p of tok.s) if (p === 'displayName' || p === 'description') obj[p] = p === 'displayName' ? g.displayName : null;
      if (withMembers) obj['members@delta'] = [];
      value.push(obj);
    }
    if (e.member !== null) (obj['members@delta'] as unknown[]).push({ ...USER_TYPE, id: e.member, ...(e.removed ? { '@removed': { reason: 'deleted' } } : {}) });
  }
  const end = start + slice.length;
  return respond(ctx, 'groups', tok, value, end < entries.length ? end : undefined);
}
