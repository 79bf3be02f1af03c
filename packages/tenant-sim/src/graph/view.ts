/**
 * Response shaping shared by the Graph endpoints: $select projection, @odata.context, and
 * opaque $skiptoken paging with absolute https nextLinks (paging.md: follow the whole
 * @odata.nextLink; never build a $skiptoken yourself).
 */
import { createHash } from 'node:crypto';
import { badRequest } from './errors.js';
import type { GraphQuery } from './query.js';
import { DEFAULT_USER_PROPS, emptyExtensionAttributes } from './user-schema.js';
import type { User } from './user-store.js';

/** A user with only the selected (or default) properties, deep-copied so callers cannot alias state. */
export function projectUser(u: User, select: string[] | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...extra };
  for (const p of select ?? DEFAULT_USER_PROPS) {
    out[p] = p === 'onPremisesExtensionAttributes' ? { ...emptyExtensionAttributes(), ...(u[p] ?? {}) } : structuredClone(u[p] ?? null);
  }
  return out;
}

export function contextUrl(base: string, entitySet: string, select: string[] | null, entity = false): string {
  return `${base}/$metadata#${entitySet}${select ? `(${select.join(',')})` : ''}${entity ? '/$entity' : ''}`;
}

function fingerprint(path: string, q: GraphQuery): string {
  return createHash('sha256').update(`${path}?${q.rawWithoutSkipToken}`).digest('base64url').slice(0, 16);
}

/** Where this page starts: 0, or the position carried by a $skiptoken issued for the same query. */
export function pageStart(path: string, q: GraphQuery): number {
  const token = q.options.get('$skiptoken');
  if (token === undefined) return 0;
  const bad = (): Error => badRequest('The $skiptoken is invalid or does not belong to this query. Follow @odata.nextLink as returned.', 'Request_BadRequest');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const t = parsed as { p?: unknown; h?: unknown };
  if (typeof t.p !== 'number' || !Number.isInteger(t.p) || t.p < 0 || t.h !== fingerprint(path, q)) throw bad();
  return t.p;
}

export function nextLink(base: string, path: string, q: GraphQuery, position: number): string {
  const token = Buffer.from(JSON.stringify({ p: position, h: fingerprint(path, q) })).toString('base64url');
  return `${base}${path}?${q.rawWithoutSkipToken ? `${q.rawWithoutSkipToken}&` : ''}$skiptoken=${token}`;
}

/** Parses a JSON request body; Graph answers 400 BadRequest to a body it cannot read. */
export function jsonBody(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? undefined : JSON.parse(body);
  } catch {
    throw badRequest('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.', 'BadRequest');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.', 'BadRequest');
  }
  return parsed as Record<string, unknown>;
}
