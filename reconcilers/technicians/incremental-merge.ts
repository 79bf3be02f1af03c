/**
 * The technicians' merges of one delta round into the last snapshot, beside the generic table
 * merges (src/engine/incremental/merge.ts). Each must leave the snapshot equal to what the bulk
 * read (observe.ts) would read now (test/unit/incremental/merge.test.ts, and the property test in
 * test/integration/incremental-equivalence.test.ts):
 *
 * - Group members: `members@delta` adds and removes user ids (ids lower-cased, as the bulk read).
 * - Users: the bulk read holds every guest plus the non-guest users contacts are anchored to (read
 *   by id). A changed user is merged onto the stored one (delta answers may leave out properties that
 *   never had a value, user-delta.md); a user new to the snapshot is kept when it is a guest; removed
 *   users are dropped. "Is a guest" is the users table's filter (tables.ts USERS); a service account
 *   (a Member named `vr-…`) is kept the same way while service accounts are on. Non-guests that
 *   contacts are anchored to but the snapshot lacks are returned for the observer to read by id,
 *   exactly as the bulk read does.
 */
import { byKey } from '../../src/engine/incremental/merge.js';
import { rowPredicate } from '../../src/engine/tables/table.js';
import type { GraphUser } from '../../src/model/rows.js';
import type { ContactRow } from './rows.js';
import { normaliseUser } from './observe.js';
import { USER_SELECT, USERS } from './tables.js';

/** USERS' filter (`userType eq 'Guest'`): the users the bulk read returns without a lookup. */
const isListedUser = rowPredicate<GraphUser>(USERS.filter);

interface MemberRef {
  '@odata.type'?: string;
  id: string;
  '@removed'?: unknown;
}

/** Applies `members@delta` of every page (the group may repeat across pages) for `groupId`. */
export function mergeMembers(members: string[], groups: unknown[], groupId: string): string[] {
  const set = new Set(members);
  for (const g of groups as { id?: string; 'members@delta'?: MemberRef[] }[]) {
    if ((g.id ?? '').toLowerCase() !== groupId.toLowerCase()) continue;
    for (const m of g['members@delta'] ?? []) {
      if (m['@odata.type'] !== undefined && m['@odata.type'] !== '#microsoft.graph.user') continue;
      if (m['@removed'] !== undefined) set.delete(m.id.toLowerCase());
      else set.add(m.id.toLowerCase());
    }
  }
  return [...set].sort();
}

interface DeltaUser {
  id: string;
  '@removed'?: unknown;
  [property: string]: unknown;
}

export interface UserMerge {
  users: GraphUser[];
  /** Anchored ids the snapshot lacks: read them by id (the bulk read's readAnchoredNonGuests). */
  toRead: string[];
  /** Still-missing anchored ids (kept so they are not looked up every run). */
  missing: string[];
}

/** A user first seen in a delta answer: selected properties it left out had no value. */
function complete(item: DeltaUser): GraphUser {
  const full: Record<string, unknown> = {};
  for (const p of USER_SELECT) full[p] = item[p] ?? null;
  return normaliseUser(full as unknown as GraphUser);
}

/**
 * `alsoListed`: users the bulk read lists besides the guests (the service accounts while
 * SERVICE_ACCOUNT_DOMAIN is set, service-account-observe.ts), kept like guests.
 */
export function mergeUsers(users: GraphUser[], changes: unknown[], contacts: ContactRow[], missingIds: string[], alsoListed: (u: GraphUser) => boolean = () => false): UserMerge {
  const listed = (u: GraphUser): boolean => isListedUser(u) || alsoListed(u);
  const map = new Map(users.map((u) => [u.id.toLowerCase(), u]));
  const missing = new Set(missingIds);
  for (const raw of changes as DeltaUser[]) {
    const id = raw.id.toLowerCase();
    missing.delete(id);
    if (raw['@removed'] !== undefined) {
      map.delete(id);
      continue;
    }
    const { '@removed': _removed, ...props } = raw;
    const existing = map.get(id);
    const merged = existing ? normaliseUser({ ...existing, ...props, id } as GraphUser) : complete({ ...props, id });
    if (existing || listed(merged)) map.set(id, merged);
  }
  const anchored = new Set(contacts.map((c) => c.o25fs_entraobjectid?.toLowerCase()).filter((id): id is string => !!id));
  // Non-guests stay only while a contact is anchored to them (the bulk read reads no others).
  for (const [id, u] of map) if (!listed(u) && !anchored.has(id)) map.delete(id);
  const toRead = [...anchored].filter((id) => !map.has(id) && !missing.has(id)).sort();
  return { users: byKey([...map.values()], USERS.key), toRead, missing: [...missing].filter((id) => anchored.has(id)).sort() };
}
