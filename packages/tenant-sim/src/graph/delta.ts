/**
 * Delta queries: GET /users/delta and GET /groups/delta (delta-query-overview.md, user-delta.md,
 * group-delta.md, delta-query-groups.md; learn.microsoft.com/graph/delta-query-overview).
 * docs/simulator-graph.md "Delta queries".
 *
 * Every delta round (an initial request, `$deltatoken=latest`, or a deltaLink) first scans the
 * state for changes (delta-tracker.ts), then pages through the round's fixed window of versions
 * (delta-token.ts). This file turns a window into the bodies Graph returns for each kind.
 * The tracking options are re-exported so callers keep importing them from here.
 */
import { replicaView } from '../platform/replication.js';
import type { SimContext, SimRequest, SimResponse } from '../types.js';
import { parseDeltaRequest } from './delta-request.js';
import { respond, round } from './delta-token.js';
import { tracker, type MemberEvent, type UserTrack } from './delta-tracker.js';
import { requireRole } from './permissions.js';

export { DEFAULT_DELTA_TOKEN_LIFETIME_MS, deltaOptions, setDeltaOptions, type DeltaOptions } from './delta-token.js';

const USER_TYPE = { '@odata.type': '#microsoft.graph.user' };

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
    // learn.microsoft.com/graph/delta-query-overview: "changed" = soft-deleted (restorable). A user
    // gone from the simulator is reported so.
    if (it.removed) return { id: it.id, '@removed': { reason: 'changed' } };
    return userBody(ctx.state.graph.users.get(it.id)!, t.users.get(it.id), tok.s, tok.from, tok.m);
  });
  const last = page[page.length - 1];
  return respond(ctx, 'users', tok, value, items.length > size && last ? [last.v, last.id] : undefined);
}

export function groupsDelta(req: SimRequest, ctx: SimContext): SimResponse {
  requireRole(req, 'readGroupDelta');
  // Membership changes reach the delta feed only once replicated (replication.ts); users delta is
  // not held back: it is observed to report a new guest that PATCH still cannot find
  // (microsoft-graph-docs issue #15839).
  const view = replicaView(req, ctx.state, ctx.now());
  const t = tracker(ctx.state, view.members);
  const parsed = parseDeltaRequest(req, 'groups');
  const { tok, latest } = round(ctx, parsed, 'groups', t, view);
  if (latest) return respond(ctx, 'groups', tok, [], undefined);
  const withMembers = tok.s.includes('members');
  // One entry per group and member: the group object repeats when its members span pages
  // (learn.microsoft.com/graph/delta-query-overview).
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
