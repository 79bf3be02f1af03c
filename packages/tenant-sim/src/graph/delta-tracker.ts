/**
 * The change tracker behind Graph delta queries (docs/simulator-graph.md "Delta queries").
 *
 * It lives beside the state rather than in the write paths: a WeakMap keyed by the SimState (so
 * /_sim/reset starts afresh) remembers each user's JSON and each group's member set as of its last
 * scan, with a version counter. A scan compares the state with that memory, so every way of
 * changing the state is seen (Graph writes, the platform, a test editing `sim.state` directly).
 */
import { randomUUID } from 'node:crypto';
import type { GroupRecord, SimState } from '../types.js';

export interface UserTrack {
  json: string;
  version: number;
  /** Property → version of its last change (absent: never changed since the tracker started). */
  changedAt: Map<string, number>;
}

export interface MemberEvent {
  v: number;
  id: string;
  removed: boolean;
}

export interface Tracker {
  epoch: string;
  counter: number;
  users: Map<string, UserTrack>;
  removedUsers: Map<string, number>;
  groups: Map<string, { members: Set<string>; log: MemberEvent[] }>;
}

const trackers = new WeakMap<SimState, Tracker>();

export function tracker(state: SimState, membersOf: (g: GroupRecord) => Iterable<string> = (g) => g.members): Tracker {
  let t = trackers.get(state);
  if (!t) {
    // The first scan is the baseline: what exists now has version 0 and no changed properties.
    t = { epoch: randomUUID(), counter: 0, users: new Map(), removedUsers: new Map(), groups: new Map() };
    for (const [id, u] of state.graph.users) t.users.set(id, { json: JSON.stringify(u), version: 0, changedAt: new Map() });
    for (const [id, g] of state.graph.groups) t.groups.set(id, { members: new Set(membersOf(g)), log: [] });
    trackers.set(state, t);
  }
  return t;
}

/** Gives every user that differs a new version (noting which properties changed), every vanished user a removal version. */
export function scanUsers(state: SimState, t: Tracker): void {
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

/**
 * Logs member additions and removals since the last scan, one version each. `membersOf` is what the
 * scanning read sees: a membership change still replicating is picked up by a later scan.
 */
export function scanGroups(state: SimState, t: Tracker, membersOf: (g: GroupRecord) => Iterable<string> = (g) => g.members): void {
  for (const [id, g] of state.graph.groups) {
    let known = t.groups.get(id);
    if (!known) t.groups.set(id, (known = { members: new Set(), log: [] }));
    const now = new Set(membersOf(g));
    for (const m of now) if (!known.members.has(m)) known.log.push({ v: ++t.counter, id: m, removed: false });
    for (const m of known.members) if (!now.has(m)) known.log.push({ v: ++t.counter, id: m, removed: true });
    known.members = now;
  }
}
