/**
 * Evaluates a checked $filter against users. String comparisons ignore case (directory string
 * comparisons are case-insensitive in practice, learn.microsoft.com/graph/aad-advanced-queries
 * [observed]); a missing or null value
 * never equals a string. `candidates` narrows the scan through the user indexes when the filter
 * is built from eq/in on id, mail, userPrincipalName, otherMails/any or proxyAddresses/any.
 */
import type { FilterNode, Literal, Path } from './filter.js';
import type { User, UserIndex } from './user-store.js';

type Env = Map<string, unknown>;

function valueAt(user: User, path: Path, env: Env): unknown {
  if (env.has(path[0]!)) {
    let v = env.get(path[0]!);
    for (const seg of path.slice(1)) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
    return v;
  }
  return user[path[0]!];
}

function norm(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function equals(actual: unknown, lit: Literal): boolean {
  if (lit.t === 'null') return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  if (lit.t === 'bool') return actual === lit.v;
  if (lit.t === 'number') return actual === lit.v;
  return norm(actual) === lit.v.toLowerCase();
}

export function matches(node: FilterNode, user: User, env: Env = new Map()): boolean {
  switch (node.k) {
    case 'or':
      return node.items.some((n) => matches(n, user, env));
    case 'and':
      return node.items.every((n) => matches(n, user, env));
    case 'not':
      return !matches(node.e, user, env);
    case 'cmp': {
      const v = valueAt(user, node.path, env);
      return node.op === 'ne' ? !equals(v, node.value) : equals(v, node.value);
    }
    case 'in': {
      const v = valueAt(user, node.path, env);
      return node.values.some((l) => equals(v, l));
    }
    case 'fn': {
      const v = valueAt(user, node.path, env);
      if (typeof v !== 'string' || node.value.t !== 'string') return false;
      const s = v.toLowerCase();
      const p = node.value.v.toLowerCase();
      return node.fn === 'startswith' ? s.startsWith(p) : s.endsWith(p);
    }
    case 'lambda': {
      const coll = user[node.coll];
      const items = Array.isArray(coll) ? coll : [];
      const test = (item: unknown): boolean => matches(node.body, user, new Map(env).set(node.v, item));
      return node.fn === 'any' ? items.some(test) : items.every(test);
    }
  }
}

function stringValues(values: Literal[]): string[] | null {
  const out: string[] = [];
  for (const v of values) {
    if (v.t !== 'string') return null;
    out.push(v.v.toLowerCase());
  }
  return out;
}

function lookup(map: Map<string, Set<string>> | 'id', keys: string[], ix: UserIndex): Set<string> {
  const out = new Set<string>();
  for (const k of keys) {
    if (map === 'id') {
      if (ix.position.has(k)) out.add(k);
    } else for (const id of map.get(k) ?? []) out.add(id);
  }
  return out;
}

/** Ids that may match (every match is among them), or null when the whole store must be scanned. */
export function candidates(node: FilterNode, ix: UserIndex): Set<string> | null {
  switch (node.k) {
    case 'or': {
      const out = new Set<string>();
      for (const n of node.items) {
        const c = candidates(n, ix);
        if (c === null) return null;
        for (const id of c) out.add(id);
      }
      return out;
    }
    case 'and': {
      let best: Set<string> | null = null;
      for (const n of node.items) {
        const c = candidates(n, ix);
        if (c !== null && (best === null || c.size < best.size)) best = c;
      }
      return best;
    }
    case 'cmp':
    case 'in': {
      if (node.k === 'cmp' && node.op !== 'eq') return null;
      const keys = stringValues(node.k === 'in' ? node.values : [node.value]);
      if (keys === null || node.path.length !== 1) return null;
      const prop = node.path[0];
      if (prop === 'id') return lookup('id', keys, ix);
      if (prop === 'mail') return lookup(ix.byMail, keys, ix);
      if (prop === 'userPrincipalName') return lookup(ix.byUpn, keys, ix);
      return null;
    }
    case 'lambda': {
      if (node.fn !== 'any') return null;
      const map = node.coll === 'otherMails' ? ix.byOtherMail : node.coll === 'proxyAddresses' ? ix.byProxy : null;
      if (map === null) return null;
      const b = node.body;
      if ((b.k === 'cmp' && b.op === 'eq') || b.k === 'in') {
        const keys = stringValues(b.k === 'in' ? b.values : [b.value]);
        if (keys !== null && b.path.length === 1 && b.path[0] === node.v) return lookup(map, keys, ix);
      }
      return null;
    }
    default:
      return null;
  }
}
