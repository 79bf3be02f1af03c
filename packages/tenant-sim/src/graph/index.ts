/**
 * Microsoft Graph v1.0 as the tenant simulator serves it: the router. The core has verified the
 * token and its audience; this module checks each operation's application permission, runs it,
 * and answers errors in Graph's shape with request-id headers. docs/simulator-graph.md lists
 * every endpoint and behaviour with its source.
 */
import type { ServiceHandler, SimContext, SimRequest, SimResponse } from '../types.js';
import { runBatch } from './batch.js';
import { GraphError, badRequest, errorResponse, idHeaders, requestIds } from './errors.js';
import { groupsDelta, usersDelta } from './delta.js';
import { getDomain, listDomains } from './domains.js';
import { addMemberRef, getGroup, listMembers, patchGroup, refuseMemberDelete, removeMemberRef } from './groups.js';
import { postInvitation } from './invitations.js';
import { assignLicense, listSubscribedSkus } from './licences.js';
import { assignGroupLicense, settleGroupLicensing } from './group-licensing.js';
import { postUser } from './user-create.js';
import { patchUser } from './user-update.js';
import { countUsers, getUser, listUsers } from './users.js';

type Handler = (req: SimRequest, ctx: SimContext, segs: string[]) => SimResponse | Promise<SimResponse>;

interface Route {
  /** Segment patterns: a literal, or '*' for any one segment (an id or a UPN). */
  pattern: string[];
  methods: Record<string, Handler>;
}

const ROUTES: Route[] = [
  { pattern: ['invitations'], methods: { POST: (r, c) => postInvitation(r, c) } },
  { pattern: ['users'], methods: { GET: (r, c) => listUsers(r, c), POST: (r, c) => postUser(r, c) } },
  { pattern: ['users', '$count'], methods: { GET: (r, c) => countUsers(r, c) } },
  { pattern: ['users', 'delta'], methods: { GET: (r, c) => usersDelta(r, c) } },
  { pattern: ['groups', 'delta'], methods: { GET: (r, c) => groupsDelta(r, c) } },
  { pattern: ['users', '*'], methods: { GET: (r, c, s) => getUser(r, c, s[1]!), PATCH: (r, c, s) => patchUser(r, c, s[1]!) } },
  { pattern: ['users', '*', 'assignLicense'], methods: { POST: (r, c, s) => assignLicense(r, c, s[1]!) } },
  { pattern: ['subscribedSkus'], methods: { GET: (r, c) => listSubscribedSkus(r, c) } },
  { pattern: ['groups', '*'], methods: { GET: (r, c, s) => getGroup(r, c, s[1]!), PATCH: (r, c, s) => patchGroup(r, c, s[1]!) } },
  { pattern: ['groups', '*', 'assignLicense'], methods: { POST: (r, c, s) => assignGroupLicense(r, c, s[1]!) } },
  { pattern: ['groups', '*', 'members'], methods: { GET: (r, c, s) => listMembers(r, c, s[1]!, false) } },
  { pattern: ['groups', '*', 'members', 'microsoft.graph.user'], methods: { GET: (r, c, s) => listMembers(r, c, s[1]!, true) } },
  { pattern: ['groups', '*', 'members', '$ref'], methods: { POST: (r, c, s) => addMemberRef(r, c, s[1]!) } },
  { pattern: ['groups', '*', 'members', '*', '$ref'], methods: { DELETE: (r, c, s) => removeMemberRef(r, c, s[1]!, s[3]!) } },
  { pattern: ['groups', '*', 'members', '*'], methods: { DELETE: (r, c, s) => refuseMemberDelete(r, c, s[3]!) } },
  { pattern: ['domains'], methods: { GET: (r, c) => listDomains(r, c) } },
  { pattern: ['domains', '*'], methods: { GET: (r, c, s) => getDomain(r, c, s[1]!) } },
  { pattern: ['$batch'], methods: { POST: (r, c) => runBatch(r, c) } },
];

function segments(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw badRequest(`Invalid percent-encoding in the path segment '${s}'.`, 'BadRequest');
      }
    });
}

function fits(pattern: string[], segs: string[]): boolean {
  return pattern.length === segs.length && pattern.every((p, i) => p === '*' || p.toLowerCase() === segs[i]!.toLowerCase());
}

/** Literal segments win over '*': `/users/$count` is the count, not a user called "$count". */
function findRoute(segs: string[]): Route | undefined {
  const candidates = ROUTES.filter((r) => fits(r.pattern, segs));
  const literals = (r: Route): number => r.pattern.filter((p) => p !== '*').length;
  return candidates.sort((a, b) => literals(b) - literals(a))[0];
}

/** The first segment no route resolves, as Graph names it ("Resource not found for the segment 'v1.0'."). */
function unresolvedSegment(segs: string[]): string {
  for (let k = segs.length; k > 0; k--) {
    if (ROUTES.some((r) => r.pattern.length >= k && fits(r.pattern.slice(0, k), segs.slice(0, k)))) return segs[k] ?? segs[segs.length - 1]!;
  }
  return segs[0] ?? '';
}

async function route(req: SimRequest, ctx: SimContext): Promise<SimResponse> {
  const segs = segments(req.path);
  const r = findRoute(segs);
  if (!r) throw badRequest(`Resource not found for the segment '${unresolvedSegment(segs)}'.`, 'BadRequest');
  const handler = r.methods[req.method.toUpperCase()];
  if (!handler) throw new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
  return handler(req, ctx, segs);
}

export const graphHandler: ServiceHandler = async (req, ctx) => {
  const ids = requestIds(req);
  // Group licences due by now are processed before the request sees the state (group-licensing.ts).
  if (settleGroupLicensing(ctx.state, ctx.now())) ctx.entraChanged();
  try {
    const res = await route(req, ctx);
    return { ...res, headers: { ...idHeaders(ids), ...(res.headers ?? {}) } };
  } catch (err) {
    if (err instanceof GraphError) return errorResponse(err, ids);
    throw err;
  }
};
