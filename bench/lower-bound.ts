/**
 * The lower bound of one scenario: the fewest requests any client could send for the same work
 * under the services' documented limits (docs/benchmarks.md, "Lower bound"). Pure functions, unit
 * tested in test/unit/bench/lower-bound.test.ts.
 *
 * Reads: every collection the reconciler must read (and the technician group itself, one GET for its
 * name, bench/scenarios.ts collectionsOf), in pages of the largest size the service allows
 * (Graph users and group members 999, learn.microsoft.com/graph/api/group-list-members,
 * learn.microsoft.com/graph/paging; Dataverse 5,000,
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview), plus one look-up
 * per contact that is about to be invited, in $batch envelopes of 20
 * (learn.microsoft.com/graph/json-batching), and the check for
 * staff (Member) accounts with those emails, one `mail in (…)` read per 15 emails (the ownership
 * rule of reconcilers/technicians/ownership.ts: the plan must know before it says "invite").
 * Writes: the changes the plan needs, plus the status writes, in the fewest envelopes the batch
 * limits (Graph 20, Dataverse 1,000; learn.microsoft.com/graph/json-batching,
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api)
 * and the dependency order allow. The order is the
 * dependency table of src/engine/plan.ts: a change waits for the planned changes of the same contact
 * whose kinds it depends on, so it cannot share an envelope with them. Status writes come last
 * (they say how the contact's changes ended).
 */
import type { ChangeKind } from '../src/model/plan.js';
import { DEPENDENCIES } from '../src/kinds.js';

export type Service = 'graph' | 'dataverse';

export const PAGE_MAX: Record<Service, number> = { graph: 999, dataverse: 5000 };
/** Values one `in` filter takes (src/engine/observe.ts readUsersWithNewEmails). */
const EMAILS_PER_IN_FILTER = 15;
export const BATCH_MAX: Record<Service, number> = { graph: 20, dataverse: 1000 };

export interface Collection {
  service: Service;
  name: string;
  rows: number;
  /** Largest page the service allows for this collection (default PAGE_MAX of the service). */
  pageMax?: number;
}

/** Pages needed to read `rows` rows: an empty collection still costs one request. */
export function pagesFor(rows: number, pageMax: number): number {
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`rows must be a whole number ≥ 0, got ${rows}`);
  if (!Number.isInteger(pageMax) || pageMax < 1) throw new Error(`pageMax must be a whole number ≥ 1, got ${pageMax}`);
  return Math.max(1, Math.ceil(rows / pageMax));
}

export interface ReadBound {
  graph: number;
  dataverse: number;
  /** Per collection, for the report. */
  collections: { service: Service; name: string; rows: number; pages: number }[];
  /** Look-up envelopes for the contacts about to be invited (Graph). */
  lookupEnvelopes: number;
}

export function readBound(collections: Collection[], lookups: number): ReadBound {
  const rows = collections.map((c) => ({ service: c.service, name: c.name, rows: c.rows, pages: pagesFor(c.rows, c.pageMax ?? PAGE_MAX[c.service]) }));
  const lookupEnvelopes = Math.ceil(lookups / BATCH_MAX.graph) + Math.ceil(lookups / EMAILS_PER_IN_FILTER);
  const sum = (s: Service): number => rows.filter((r) => r.service === s).reduce((a, r) => a + r.pages, 0);
  return { graph: sum('graph') + lookupEnvelopes, dataverse: sum('dataverse'), collections: rows, lookupEnvelopes };
}

export interface NeededChange {
  contactId: string;
  kind: ChangeKind;
  service: Service;
}

/** Dependency depth of each change: 0 without planned dependencies, else 1 + the deepest one. */
export function depths(changes: NeededChange[], dependencies: Partial<Record<ChangeKind, readonly ChangeKind[]>> = DEPENDENCIES): number[] {
  const byContact = new Map<string, number[]>();
  changes.forEach((c, i) => byContact.set(c.contactId, [...(byContact.get(c.contactId) ?? []), i]));
  const memo = new Map<number, number>();
  const visiting = new Set<number>();
  const depthOf = (i: number): number => {
    const known = memo.get(i);
    if (known !== undefined) return known;
    if (visiting.has(i)) throw new Error(`dependency cycle at change ${i}`);
    visiting.add(i);
    const c = changes[i]!;
    const kinds = dependencies[c.kind] ?? [];
    let d = 0;
    for (const j of byContact.get(c.contactId) ?? []) {
      if (j !== i && kinds.includes(changes[j]!.kind)) d = Math.max(d, depthOf(j) + 1);
    }
    visiting.delete(i);
    memo.set(i, d);
    return d;
  };
  return changes.map((_, i) => depthOf(i));
}

export interface WriteBound {
  /** Write requests needed: one per change and per status write, and one per 20 group adds of a wave. */
  operations: Record<Service, number>;
  /** Fewest envelopes: per wave and service, ceil(operations / batch maximum). */
  envelopes: Record<Service, number>;
  /** Dependency waves (status writes included as the last one when there are any). */
  waves: number;
}

/** Group adds one PATCH carries (src/clients/graph-member-coalesce.ts, Learn group-post-members). */
export const MEMBERS_PER_PATCH = 20;

/**
 * Graph write requests for `adds` additions to one group in one wave: PATCHes of 20
 * members@odata.bind, each one write (a lone add is a single add, also one write).
 */
export const groupAddWrites = (adds: number): number => Math.ceil(adds / MEMBERS_PER_PATCH);

export function writeBound(changes: NeededChange[], statusWrites: number, dependencies?: Partial<Record<ChangeKind, readonly ChangeKind[]>>): WriteBound {
  const d = depths(changes, dependencies);
  // Per wave: the Graph operations that go in $batch envelopes, and the group adds, which the
  // client sends as multi-member PATCHes instead when a wave has two or more (the bench has one group).
  const perWave = new Map<number, Record<Service, number> & { groupAdds: number }>();
  changes.forEach((c, i) => {
    const w = perWave.get(d[i]!) ?? { graph: 0, dataverse: 0, groupAdds: 0 };
    if (c.kind === 'group.add') w.groupAdds += 1;
    else w[c.service] += 1;
    perWave.set(d[i]!, w);
  });
  const envelopes: Record<Service, number> = { graph: 0, dataverse: 0 };
  const operations: Record<Service, number> = { graph: 0, dataverse: statusWrites };
  for (const w of perWave.values()) {
    const lone = w.groupAdds === 1 ? 1 : 0;
    envelopes.graph += Math.ceil((w.graph + lone) / BATCH_MAX.graph);
    envelopes.dataverse += Math.ceil(w.dataverse / BATCH_MAX.dataverse);
    operations.graph += w.graph + groupAddWrites(w.groupAdds);
    operations.dataverse += w.dataverse;
  }
  envelopes.dataverse += Math.ceil(statusWrites / BATCH_MAX.dataverse);
  return { operations, envelopes, waves: perWave.size + (statusWrites > 0 ? 1 : 0) };
}

/** A sliding-window write limit: at most `writes` accepted in any `windowMs` (learn.microsoft.com/graph/throttling). */
export interface WindowLimit {
  writes: number;
  windowMs: number;
}

/**
 * The shortest time in which `n` writes can be accepted under the limit: the first `writes` go at
 * once, and each further full budget must wait for a whole window to pass. 0 when the budget covers
 * all of them (the limit does not bind).
 */
export function minimumWriteTimeMs(n: number, limit: WindowLimit): number {
  if (n <= limit.writes) return 0;
  return Math.floor((n - 1) / limit.writes) * limit.windowMs;
}

/** The invitation manager's limit: 150 invitations per 5 s per tenant (packages/tenant-sim/docs/simulator.md, "Limits"). */
export const INVITATION_LIMIT: WindowLimit = { writes: 150, windowMs: 5_000 };

/**
 * The shortest time for `n` writes of which `invites` are invitations that the other `n - invites`
 * depend on (spread evenly: a new technician's update, licence and group wait for its invitation),
 * under the write limit and the invitation limit together. Greedy: at every moment a budget frees,
 * send as many invitations as both budgets allow, then as many ready dependents as the write budget
 * allows; a write holds its place in a window for windowMs. 0 when nothing has to wait.
 */
export function minimumWriteTimeWithInvitesMs(n: number, invites: number, limit: WindowLimit, inviteLimit: WindowLimit = INVITATION_LIMIT): number {
  if (invites <= 0) return minimumWriteTimeMs(n, limit);
  const dependents = Math.max(0, n - invites);
  const writes: { at: number; count: number }[] = [];
  const invitations: { at: number; count: number }[] = [];
  const used = (log: { at: number; count: number }[], t: number, windowMs: number): number =>
    log.reduce((sum, e) => (e.at > t - windowMs ? sum + e.count : sum), 0);
  let t = 0;
  let invited = 0;
  let sent = 0;
  for (;;) {
    const writeFree = limit.writes - used(writes, t, limit.windowMs);
    const invite = Math.min(invites - invited, writeFree, inviteLimit.writes - used(invitations, t, inviteLimit.windowMs));
    invited += invite;
    const ready = invited === invites ? dependents : Math.floor((invited * dependents) / invites);
    const dependent = Math.min(ready - sent, writeFree - invite);
    sent += dependent;
    if (invite + dependent > 0) writes.push({ at: t, count: invite + dependent });
    if (invite > 0) invitations.push({ at: t, count: invite });
    if (invited === invites && sent === dependents) return t;
    // The next moment a budget frees: the oldest entry of either window still inside it.
    const frees = [
      ...writes.filter((e) => e.at > t - limit.windowMs).map((e) => e.at + limit.windowMs),
      ...invitations.filter((e) => e.at > t - inviteLimit.windowMs).map((e) => e.at + inviteLimit.windowMs),
    ].filter((at) => at > t);
    t = Math.min(...frees);
  }
}

export type WriteRate =
  | { limitBound: false; writes: number; budget: number }
  | { limitBound: true; writes: number; minimumMs: number; actualMs: number; share: number };

/**
 * The achieved write rate as a share of what the limit allows: the shortest time the limit allows for
 * these writes divided by the time they took. Not limit-bound when one window's budget covers them
 * (then any share would be made up).
 */
export function writeRate(writes: number, actualMs: number, limit: WindowLimit, invites = 0): WriteRate {
  const minimumMs = minimumWriteTimeWithInvitesMs(writes, invites, limit);
  if (minimumMs === 0) return { limitBound: false, writes, budget: limit.writes };
  return { limitBound: true, writes, minimumMs, actualMs, share: Math.min(1, minimumMs / Math.max(1, actualMs)) };
}

export const ratio = (ours: number, bound: number): number => (bound === 0 ? (ours === 0 ? 1 : Infinity) : ours / bound);
