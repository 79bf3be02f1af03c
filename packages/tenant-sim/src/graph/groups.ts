/**
 * Groups: GET /groups/{id}, members listing, member add/remove by $ref, and PATCH with
 * members@odata.bind (group-get.md, group-list-members.md, group-post-members.md,
 * group-delete-members.md, group-update.md; learn.microsoft.com/graph/api/group-post-members).
 */
import { noteMembershipChange, replicaView } from '../platform/replication.js';
import type { GroupRecord, SimContext, SimRequest, SimResponse } from '../types.js';
import { GraphError, badRequest, notFound } from './errors.js';
import { ROLES, requireRole } from './permissions.js';
import { pageSize, parseQuery, parseSelect, refuseOptions } from './query.js';
import { SELECTABLE_USER_PROPS } from './user-schema.js';
import { contextUrl, jsonBody, nextLink, pageStart, projectUser } from './view.js';
import { groupLicences, scheduleLicensing } from './group-licensing.js';

/** At most 20 members per PATCH (group-post-members.md "Add multiple members"). */
export const MAX_BIND = 20;

const ALREADY_MEMBER = "One or more added object references already exist for the following modified properties: 'members'.";

/**
 * A member reference to an object the serving replica has not received yet (group-post-members.md,
 * note on replication delays: "400 Bad Request … 'The source resource object or one of the objects
 * being referenced do not exist.'"). The note gives no error code; Request_BadRequest is the code of
 * the other 400s of this API.
 */
export const NOT_REPLICATED = 'The source resource object or one of the objects being referenced do not exist.';

function groupOf(ctx: SimContext, id: string): GroupRecord {
  const g = ctx.state.graph.groups.get(id.toLowerCase());
  if (!g) throw notFound(id);
  return g;
}

const GROUP_PROPS: ReadonlySet<string> = new Set(['id', 'displayName', 'description', 'groupTypes', 'mail', 'mailEnabled', 'mailNickname', 'securityEnabled', 'onPremisesSyncEnabled']);
/** group.md: assignedLicenses is "Returned only on $select". */
const SELECT_ONLY_PROPS: ReadonlySet<string> = new Set(['assignedLicenses']);

export function getGroup(req: SimRequest, ctx: SimContext, id: string): SimResponse {
  requireRole(req, 'readGroup');
  const q = parseQuery(req.rawQuery);
  refuseOptions(q, ['$filter', '$top', '$skiptoken', '$count', '$search', '$orderby', '$expand', '$skip', '$format'], 'on a single group by the simulator');
  const select = parseSelect(q, new Set([...GROUP_PROPS, ...SELECT_ONLY_PROPS]), 'group');
  const g = groupOf(ctx, id);
  const full: Record<string, unknown> = {
    assignedLicenses: groupLicences(g),
    id: g.id,
    displayName: g.displayName,
    description: null,
    groupTypes: [],
    mail: null,
    mailEnabled: false,
    mailNickname: g.displayName.replace(/[^A-Za-z0-9]/g, '').slice(0, 64) || g.id,
    securityEnabled: g.securityEnabled ?? true,
    // group resource: null "if this object has never been synced from an on-premises directory".
    onPremisesSyncEnabled: g.onPremisesSyncEnabled ?? null,
  };
  const props = select ?? [...GROUP_PROPS];
  return { status: 200, body: { '@odata.context': contextUrl(ctx.graphBaseUrl, 'groups', select, true), ...Object.fromEntries(props.map((p) => [p, full[p]])) } };
}

/**
 * GET /groups/{id}/members and /members/microsoft.graph.user: default page 100, $top up to 999,
 * nextLink paging. Without a permission to read users, members come back with only their type
 * and id (group-list-members.md: objects the app cannot read are returned with limited information).
 */
export function listMembers(req: SimRequest, ctx: SimContext, id: string, castToUser: boolean): SimResponse {
  requireRole(req, 'readMembers');
  const q = parseQuery(req.rawQuery);
  refuseOptions(q, ['$filter', '$count', '$search', '$orderby', '$expand', '$skip', '$format'], 'on group members by the simulator');
  const select = parseSelect(q, SELECTABLE_USER_PROPS, 'user');
  const top = pageSize(q);
  const g = groupOf(ctx, id);
  const start = pageStart(req.path, q);
  const canReadUsers = req.claims.roles.some((r) => ROLES.readUsers.includes(r) || r === 'User.ReadBasic.All');
  // Membership changes still replicating are not listed yet (replication.ts).
  const members = replicaView(req, ctx.state, ctx.now()).members(g);
  const value: Record<string, unknown>[] = [];
  let next: number | null = null;
  for (let i = start; i < members.length; i++) {
    const u = ctx.state.graph.users.get(members[i]!);
    if (!u) continue;
    if (value.length === top) {
      next = i;
      break;
    }
    const type = { '@odata.type': '#microsoft.graph.user' };
    value.push(canReadUsers ? projectUser(u, select, type) : { ...type, id: u.id });
  }
  const body: Record<string, unknown> = { '@odata.context': contextUrl(ctx.graphBaseUrl, castToUser ? 'users' : 'directoryObjects', select) };
  if (next !== null) body['@odata.nextLink'] = nextLink(ctx.graphBaseUrl, req.path, q, next);
  body.value = value;
  return { status: 200, body };
}

/** `https://graph.microsoft.com/v1.0/directoryObjects/{id}` or the simulator's own base URL → the id. */
function objectIdFromRef(ctx: SimContext, ref: unknown): string {
  if (typeof ref !== 'string') throw badRequest('The @odata.id of a member reference must be a URL string.');
  for (const base of ['https://graph.microsoft.com/v1.0', ctx.graphBaseUrl]) {
    const prefix = `${base}/directoryObjects/`;
    if (ref.toLowerCase().startsWith(prefix.toLowerCase())) {
      const id = decodeURIComponent(ref.slice(prefix.length));
      if (/^[0-9a-f-]{36}$/i.test(id)) return id.toLowerCase();
    }
  }
  throw badRequest(`Invalid object identifier '${ref}'. Use '${'https://graph.microsoft.com/v1.0'}/directoryObjects/{id}'.`);
}

function requireObject(ctx: SimContext, id: string): void {
  if (!ctx.state.graph.users.has(id)) throw notFound(id);
}

export function addMemberRef(req: SimRequest, ctx: SimContext, id: string): SimResponse {
  requireRole(req, 'writeMembers');
  const body = jsonBody(req.body);
  const g = groupOf(ctx, id);
  const member = objectIdFromRef(ctx, body['@odata.id']);
  requireObject(ctx, member);
  if (!replicaView(req, ctx.state, ctx.now()).sees(member)) throw badRequest(NOT_REPLICATED);
  if (g.members.has(member)) throw badRequest(ALREADY_MEMBER);
  g.members.add(member);
  noteMembershipChange(req, ctx.state, g.id, member, false, ctx.now());
  scheduleLicensing(ctx.state, [member], ctx.now());
  ctx.entraChanged();
  return { status: 204 };
}

export function removeMemberRef(req: SimRequest, ctx: SimContext, id: string, memberId: string): SimResponse {
  requireRole(req, 'writeMembers');
  const g = groupOf(ctx, id);
  const member = memberId.toLowerCase();
  if (!g.members.has(member)) throw notFound(memberId);
  g.members.delete(member);
  noteMembershipChange(req, ctx.state, g.id, member, true, ctx.now());
  scheduleLicensing(ctx.state, [member], ctx.now());
  ctx.entraChanged();
  return { status: 204 };
}

/** DELETE /groups/{id}/members/{id} without /$ref deletes the user itself in Graph; the simulator refuses loudly. */
export function refuseMemberDelete(_req: SimRequest, _ctx: SimContext, memberId: string): SimResponse {
  throw new GraphError(
    400,
    'Request_BadRequest',
    `DELETE /groups/{id}/members/${memberId} without /$ref deletes the member object itself from the directory in Microsoft Graph (group-delete-members.md, CAUTION). The simulator refuses it: use DELETE /groups/{id}/members/${memberId}/$ref to remove the membership.`,
  );
}

export function patchGroup(req: SimRequest, ctx: SimContext, id: string): SimResponse {
  requireRole(req, 'updateGroup');
  const body = jsonBody(req.body);
  const g = groupOf(ctx, id);
  for (const prop of Object.keys(body)) {
    if (prop !== 'members@odata.bind') throw badRequest(`Updating group property '${prop}' is not simulated; only members@odata.bind is.`);
  }
  const refs = body['members@odata.bind'];
  if (!Array.isArray(refs) || refs.length === 0) throw badRequest("members@odata.bind must be a non-empty array of directoryObjects URLs.");
  if (refs.length > MAX_BIND) throw badRequest(`members@odata.bind holds ${refs.length} references; at most ${MAX_BIND} members can be added in one request.`);
  const ids = refs.map((r) => objectIdFromRef(ctx, r));
  // All or nothing: "If an error condition exists in the request body, no members are added".
  for (const m of ids) requireObject(ctx, m);
  const view = replicaView(req, ctx.state, ctx.now());
  if (ids.some((m) => !view.sees(m))) throw badRequest(NOT_REPLICATED);
  if (new Set(ids).size !== ids.length || ids.some((m) => g.members.has(m))) throw badRequest(ALREADY_MEMBER);
  for (const m of ids) {
    g.members.add(m);
    noteMembershipChange(req, ctx.state, g.id, m, false, ctx.now());
  }
  scheduleLicensing(ctx.state, ids, ctx.now());
  ctx.entraChanged();
  return { status: 204 };
}
