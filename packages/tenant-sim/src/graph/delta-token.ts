/**
 * Delta and page tokens: how a request resolves to a round, and the links a response carries.
 *
 * Tokens are opaque (base64url JSON with a keyed fingerprint) so a client cannot edit its window:
 * an altered token → 400. A token of another tracker (the simulator was reset) or older than the
 * token lifetime (7 days, learn.microsoft.com/graph/delta-query-overview; PUT /_sim/tracking moves
 * the clock or shortens the lifetime)
 * → 410 Gone `syncStateNotFound` with a Location header for a new initial sync.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ReplicaView } from '../platform/replication.js';
import type { SimContext, SimResponse, SimState } from '../types.js';
import type { DeltaRequest, Kind } from './delta-request.js';
import { scanGroups, scanUsers, type Tracker } from './delta-tracker.js';
import { GraphError, badRequest } from './errors.js';

const DAY_MS = 86_400_000;
/** learn.microsoft.com/graph/delta-query-overview. */
export const DEFAULT_DELTA_TOKEN_LIFETIME_MS = 7 * DAY_MS;
const SECRET = randomUUID();

export interface DeltaOptions {
  /** Added to the simulator clock when tokens are issued and checked (tests age tokens with it). */
  clockOffsetMs: number;
  tokenLifetimeMs: number;
}

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
export interface PageToken extends DeltaToken {
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

/** 410 when the token belongs to an earlier simulator state or is past its lifetime (learn.microsoft.com/graph/delta-query-overview). */
function checkAlive(ctx: SimContext, tok: DeltaToken, t: Tracker): void {
  const expired = clock(ctx) - tok.t > deltaOptions(ctx.state).tokenLifetimeMs;
  if (tok.e === t.epoch && !expired) return;
  throw new GraphError(410, 'syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.', {
    Location: initialUrl(ctx, tok),
  });
}

/**
 * Resolves the request to a round: its token, window start (null: initial sync) and cursor.
 * Only a round's first request scans; nextLink pages keep the window fixed and resume after the
 * cursor, so a change made while a client pages shows up in the next round, never skipped.
 */
export function round(ctx: SimContext, req: DeltaRequest, kind: Kind, t: Tracker, view?: ReplicaView): { tok: PageToken; latest: boolean } {
  if (req.skiptoken !== null) {
    const tok = unseal<PageToken>(req.skiptoken, '$skiptoken');
    if (tok.k !== kind) throw badRequest('The $skiptoken belongs to another delta query.', 'BadRequest');
    checkAlive(ctx, tok, t);
    return { tok, latest: false };
  }
  const scan = (): void => (kind === 'users' ? scanUsers(ctx.state, t) : scanGroups(ctx.state, t, view?.members));
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

/** The deltaLink drops the page fields: the next round's window is set when it is called, not now. */
export function respond(ctx: SimContext, kind: Kind, tok: PageToken, value: Record<string, unknown>[], next: PageToken['c'] | undefined): SimResponse {
  const body: Record<string, unknown> = { '@odata.context': `${ctx.graphBaseUrl}/$metadata#${kind}(${tok.s.join(',')})` };
  if (next !== undefined) body['@odata.nextLink'] = `${ctx.graphBaseUrl}/${kind}/delta?$skiptoken=${seal({ ...tok, c: next })}`;
  else {
    const done: DeltaToken = { k: tok.k, e: tok.e, v: tok.v, t: tok.t, s: tok.s, f: tok.f };
    body['@odata.deltaLink'] = `${ctx.graphBaseUrl}/${kind}/delta?$deltatoken=${seal(done)}`;
  }
  body.value = value;
  return { status: 200, body };
}
