/**
 * Fast access to the user Map for 10,000-100,000 users: a stable order (for paging), and
 * lower-cased indexes by id, userPrincipalName, mail, otherMails and proxyAddresses.
 *
 * The indexes live beside the state (a WeakMap keyed by the users Map, so /_sim/reset starts
 * afresh) and are rebuilt lazily when the Map's size differs from what they saw, or after a
 * Graph write marked them stale. Lookups always re-check the user itself, so a stale index can
 * only miss, never return a wrong user.
 */
import type { SimState } from '../types.js';

export type User = Record<string, unknown>;

export interface UserIndex {
  order: string[];
  position: Map<string, number>;
  size: number;
  stale: boolean;
  byUpn: Map<string, Set<string>>;
  byMail: Map<string, Set<string>>;
  byOtherMail: Map<string, Set<string>>;
  byProxy: Map<string, Set<string>>;
}

const indexes = new WeakMap<Map<string, User>, UserIndex>();

const lower = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v.toLowerCase() : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function put(map: Map<string, Set<string>>, key: string | null, id: string): void {
  if (key === null) return;
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

function indexUser(ix: UserIndex, id: string, u: User): void {
  put(ix.byUpn, lower(u.userPrincipalName), id);
  put(ix.byMail, lower(u.mail), id);
  for (const m of strings(u.otherMails)) put(ix.byOtherMail, m.toLowerCase(), id);
  for (const p of strings(u.proxyAddresses)) put(ix.byProxy, p.toLowerCase(), id);
}

export function userIndex(state: SimState): UserIndex {
  const users = state.graph.users;
  const ix = indexes.get(users);
  if (ix && !ix.stale && ix.size === users.size) return ix;
  const fresh: UserIndex = {
    order: [],
    position: new Map(),
    size: users.size,
    stale: false,
    byUpn: new Map(),
    byMail: new Map(),
    byOtherMail: new Map(),
    byProxy: new Map(),
  };
  for (const [id, u] of users) {
    fresh.position.set(id, fresh.order.length);
    fresh.order.push(id);
    indexUser(fresh, id, u);
  }
  indexes.set(users, fresh);
  return fresh;
}

/** A Graph write changed indexed properties of existing users: rebuild on next use. */
export function markStale(state: SimState): void {
  const ix = indexes.get(state.graph.users);
  if (ix) ix.stale = true;
}

/** Adds a new user and keeps the index current without a rebuild. */
export function addUser(state: SimState, user: User & { id: string }): void {
  const ix = userIndex(state);
  state.graph.users.set(user.id, user);
  ix.position.set(user.id, ix.order.length);
  ix.order.push(user.id);
  ix.size = state.graph.users.size;
  indexUser(ix, user.id, user);
}

/** /users/{id | userPrincipalName}: ids are compared lower-cased, UPNs case-insensitively. */
export function findUser(state: SimState, key: string): User | undefined {
  const k = key.toLowerCase();
  const byId = state.graph.users.get(k);
  if (byId) return byId;
  if (!k.includes('@')) return undefined;
  for (const id of userIndex(state).byUpn.get(k) ?? []) {
    const u = state.graph.users.get(id);
    if (u && lower(u.userPrincipalName) === k) return u;
  }
  return undefined;
}

/** Users whose mail, otherMails or userPrincipalName equals the address (case-insensitive), in store order. */
export function usersByAddress(state: SimState, address: string): User[] {
  const ix = userIndex(state);
  const a = address.toLowerCase();
  const ids = new Set([...(ix.byMail.get(a) ?? []), ...(ix.byOtherMail.get(a) ?? []), ...(ix.byUpn.get(a) ?? [])]);
  return [...ids]
    .sort((x, y) => (ix.position.get(x) ?? 0) - (ix.position.get(y) ?? 0))
    .map((id) => state.graph.users.get(id))
    .filter((u): u is User => u !== undefined && [lower(u.mail), lower(u.userPrincipalName), ...strings(u.otherMails).map((m) => m.toLowerCase())].includes(a));
}
