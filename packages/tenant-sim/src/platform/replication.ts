/**
 * Eventual consistency of the simulated directory (docs/simulator-graph.md "Replication lag"):
 * Entra accepts a write first and replicates it to the replicas that serve reads afterwards, so a
 * new object can be "Not Found" and a membership change missing from reads for a while (Learn,
 * group-post-members "replication delays"; aad-advanced-queries: the advanced-query index is a
 * separate store and eventually consistent).
 *
 * Off unless PUT /_sim/faults sets `graph.replicationLagMs` (or `--replication-lag-ms`). The gate
 * binds the setting and a seeded draw to every Graph request it admits (`bindReplication`); the
 * Graph handlers note their writes here and ask, per request, what a read may see. Each write gets
 * its own lag, drawn from the seeded PRNG: between half and all of `replicationLagMs` (the docs give
 * no figure, only "a short time"). The advanced index (ConsistencyLevel: eventual) lags twice as
 * long. Once an object is visible it stays visible. Writes themselves (and the invitation manager's
 * look-up of an existing guest) see every object at once: they are the write path.
 *
 * Write times live beside the state (a WeakMap keyed by SimState, like the delta tracker), so
 * POST /_sim/reset starts with every fixture object visible.
 */
import type { GroupRecord, SimRequest, SimState } from '../types.js';

export interface ReplicationBinding {
  /** graph.replicationLagMs in force when the request arrived; 0: lag off. */
  lagMs: number;
  /** Seeded draw in [0, 1) for the lag of a write this request makes. */
  draw(): number;
}

/** The advanced-query index lags this many times an object's replication lag (docs silent; simulator choice). */
export const ADVANCED_LAG_FACTOR = 2;

interface Young {
  visibleAt: number;
  advancedAt: number;
}

interface Pending extends Young {
  /** Whether the user was a member before the first change still replicating. */
  before: boolean;
}

interface Log {
  users: Map<string, Young>;
  members: Map<string, Map<string, Pending>>;
  prunedAt: number;
}

const bindings = new WeakMap<SimRequest, ReplicationBinding>();
const logs = new WeakMap<SimState, Log>();

/** Called by the gate for each Graph request it lets through. */
export function bindReplication(request: SimRequest, binding: ReplicationBinding): void {
  bindings.set(request, binding);
}

function logOf(state: SimState): Log {
  let log = logs.get(state);
  if (!log) logs.set(state, (log = { users: new Map(), members: new Map(), prunedAt: 0 }));
  return log;
}

/** Drops entries every read sees already, at most once a second, so the log stays small at scale. */
function prune(log: Log, now: number): void {
  if (now - log.prunedAt < 1000) return;
  log.prunedAt = now;
  for (const [id, y] of log.users) if (y.advancedAt <= now) log.users.delete(id);
  for (const [group, pending] of log.members) {
    for (const [id, p] of pending) if (p.advancedAt <= now) pending.delete(id);
    if (pending.size === 0) log.members.delete(group);
  }
}

function lagOf(binding: ReplicationBinding, now: number): Young {
  const lag = binding.lagMs * (0.5 + 0.5 * binding.draw());
  return { visibleAt: now + lag, advancedAt: now + ADVANCED_LAG_FACTOR * lag };
}

/** An invitation created this user: it replicates from now on. */
export function noteUserCreated(req: SimRequest, state: SimState, id: string, now: number): void {
  const binding = bindings.get(req);
  if (!binding || binding.lagMs <= 0) return;
  const log = logOf(state);
  prune(log, now);
  log.users.set(id.toLowerCase(), lagOf(binding, now));
}

/** A membership write: reads keep showing the state before it until it has replicated. */
export function noteMembershipChange(req: SimRequest, state: SimState, groupId: string, memberId: string, wasMember: boolean, now: number): void {
  const binding = bindings.get(req);
  if (!binding || binding.lagMs <= 0) return;
  const log = logOf(state);
  prune(log, now);
  let pending = log.members.get(groupId);
  if (!pending) log.members.set(groupId, (pending = new Map()));
  const earlier = pending.get(memberId);
  // A change on top of one still replicating: reads still show the state before the first one.
  const before = earlier && earlier.visibleAt > now ? earlier.before : wasMember;
  pending.set(memberId, { before, ...lagOf(binding, now) });
}

/** What one request may see: `advanced` for ConsistencyLevel: eventual reads. */
export interface ReplicaView {
  /** False while the user is younger than its lag (a read misses it; a reference to it fails). */
  sees(userId: string): boolean;
  /** The group's direct members as this read sees them (changes still replicating undone). */
  members(group: GroupRecord): string[];
}

const everything: ReplicaView = { sees: () => true, members: (g) => [...g.members] };

export function replicaView(req: SimRequest, state: SimState, now: number, advanced = false): ReplicaView {
  const binding = bindings.get(req);
  const log = logs.get(state);
  // Lag switched off (or no platform gate): every object is visible at once.
  if (!binding || binding.lagMs <= 0 || !log) return everything;
  const young = (y: Young): boolean => (advanced ? y.advancedAt : y.visibleAt) > now;
  const sees = (userId: string): boolean => {
    const y = log.users.get(userId.toLowerCase());
    return !y || !young(y);
  };
  return {
    sees,
    members(group) {
      const pending = log.members.get(group.id);
      const out: string[] = [];
      for (const id of group.members) {
        const p = pending?.get(id);
        if (p && young(p) && !p.before) continue;
        if (sees(id)) out.push(id);
      }
      // Removals still replicating: the member is still listed (at the end; the docs give no order).
      for (const [id, p] of pending ?? []) if (young(p) && p.before && !group.members.has(id) && sees(id)) out.push(id);
      return out;
    },
  };
}
