/**
 * Application permissions per operation: the "least privileged" column of each API page's
 * permissions table plus its "higher privileged" column (Learn: invitation-post, user-list,
 * user-get, user-post-users, user-update, user-assignlicense, subscribedsku-list, group-get, group-list-members,
 * group-delta, group-post-members, group-delete-members, group-update, domain-get, domain-list;
 * learn.microsoft.com/graph/permissions-reference). An app token
 * carries exactly the roles granted to it; a role is never implied by another one, so every accepted
 * role is listed, and only the roles the page lists: group-get and group-delta do not list
 * GroupMember.ReadWrite.All, so it does not read a group (an app granted only the write permission
 * gets 403 there, as the tables say). $batch has no permission of its own: each inner request is checked on its own.
 */
import type { SimRequest } from '../types.js';
import { forbidden } from './errors.js';

export type Operation =
  | 'invite'
  | 'readUsers'
  | 'createUser'
  | 'updateUser'
  | 'assignLicense'
  | 'assignGroupLicense'
  | 'readSubscribedSkus'
  | 'readGroup'
  | 'readMembers'
  | 'readGroupDelta'
  | 'writeMembers'
  | 'updateGroup'
  | 'readDomains';

export const ROLES: Record<Operation, readonly string[]> = {
  // invitation-post: User.Invite.All; higher Directory.ReadWrite.All, User.ReadWrite.All.
  invite: ['User.Invite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  // user-list / user-get: User.Read.All; higher User.ReadWrite.All, Directory.Read.All, Directory.ReadWrite.All.
  readUsers: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  // user-post-users (application): User.ReadWrite.All; higher Directory.ReadWrite.All.
  createUser: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
  // user-update (application): User.ReadWrite.All, Directory.ReadWrite.All.
  updateUser: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
  // user-assignlicense: LicenseAssignment.ReadWrite.All; higher Directory.ReadWrite.All, User.ReadWrite.All.
  assignLicense: ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  // group-assignlicense: LicenseAssignment.ReadWrite.All; higher Directory.ReadWrite.All, Group.ReadWrite.All.
  assignGroupLicense: ['LicenseAssignment.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  // subscribedsku-list: Organization.Read.All (LicenseAssignment.Read.All on the newer table,
  // learn.microsoft.com/graph/api/subscribedsku-list);
  // higher Directory.Read.All, Directory.ReadWrite.All, Organization.ReadWrite.All.
  readSubscribedSkus: ['LicenseAssignment.Read.All', 'Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  // group-get: GroupMember.Read.All; higher Group.ReadWrite.All, Directory.Read.All, Directory.ReadWrite.All, Group.Read.All.
  readGroup: ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  // group-list-members: GroupMember.Read.All; higher Directory.Read.All, Group.Read.All, Group.ReadWrite.All, GroupMember.ReadWrite.All.
  readMembers: ['GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All'],
  // group-delta: GroupMember.Read.All; higher Directory.Read.All, Directory.ReadWrite.All, Group.Read.All, Group.ReadWrite.All.
  readGroupDelta: ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  // group-post-members / group-delete-members: GroupMember.ReadWrite.All; higher Group.ReadWrite.All, Directory.ReadWrite.All.
  writeMembers: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  // group-update (members@odata.bind is a membership write, group-post-members "add multiple members").
  updateGroup: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  // domain-get (and domain-list, which shows the same table): Domain.Read.All; higher Domain.ReadWrite.All, Directory.Read.All.
  readDomains: ['Domain.Read.All', 'Domain.ReadWrite.All', 'Directory.Read.All'],
};

/** Throws 403 Authorization_RequestDenied unless the token holds one of the operation's roles. */
export function requireRole(req: SimRequest, op: Operation): void {
  const held = new Set(req.claims.roles);
  if (!ROLES[op].some((r) => held.has(r))) throw forbidden();
}

/**
 * The application row of each API page's permissions table on Learn
 * (microsoft-graph-docs-contrib api-reference/v1.0/includes/permissions/<page>-permissions.md), as
 * the client report uses it to work out the least privilege a client needed (platform/client-report.ts).
 * `least` is the "Least privileged permissions" column, `higher` the "Higher privileged
 * permissions" column. Agent-identity permissions (AgentIdUser.*) are left out: they apply to agent
 * users only. ROLES accepts exactly these roles (least and higher) for the operations it checks:
 * group-get and group-delta do not list GroupMember.ReadWrite.All, and it does not read them.
 */
export const PERMISSION_TABLES = {
  'invitation-post': { least: 'User.Invite.All', higher: ['Directory.ReadWrite.All', 'User.ReadWrite.All'] },
  'user-list': { least: 'User.Read.All', higher: ['Directory.Read.All', 'Directory.ReadWrite.All', 'User.ReadWrite.All'] },
  'user-get': { least: 'User.Read.All', higher: ['Directory.Read.All', 'Directory.ReadWrite.All', 'User.ReadWrite.All'] },
  'user-delta': { least: 'User.Read.All', higher: ['Directory.Read.All', 'Directory.ReadWrite.All', 'User.ReadWrite.All'] },
  'user-post-users': { least: 'User.ReadWrite.All', higher: ['Directory.ReadWrite.All'] },
  'user-update': { least: 'User.ReadWrite.All', higher: ['Directory.ReadWrite.All'] },
  'user-assignlicense': { least: 'LicenseAssignment.ReadWrite.All', higher: ['Directory.ReadWrite.All', 'User.ReadWrite.All'] },
  'group-assignlicense': { least: 'LicenseAssignment.ReadWrite.All', higher: ['Directory.ReadWrite.All', 'Group.ReadWrite.All'] },
  'subscribedsku-list': { least: 'LicenseAssignment.Read.All', higher: ['Directory.Read.All', 'Directory.ReadWrite.All', 'Organization.Read.All', 'Organization.ReadWrite.All'] },
  'group-get': { least: 'GroupMember.Read.All', higher: ['Directory.Read.All', 'Directory.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All'] },
  'group-list-members': { least: 'GroupMember.Read.All', higher: ['Directory.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All'] },
  'group-delta': { least: 'GroupMember.Read.All', higher: ['Directory.Read.All', 'Directory.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All'] },
  'group-post-members': { least: 'GroupMember.ReadWrite.All', higher: ['Directory.ReadWrite.All', 'Group.ReadWrite.All'] },
  'group-delete-members': { least: 'GroupMember.ReadWrite.All', higher: ['Directory.ReadWrite.All', 'Group.ReadWrite.All'] },
  'domain-list': { least: 'Domain.Read.All', higher: ['Directory.Read.All', 'Domain.ReadWrite.All'] },
  'domain-get': { least: 'Domain.Read.All', higher: ['Directory.Read.All', 'Domain.ReadWrite.All'] },
} as const satisfies Record<string, { least: string; higher: readonly string[] }>;

export type ApiPage = keyof typeof PERMISSION_TABLES;

/** Method and path pattern ('*' one segment) → the API page that documents the operation. */
const PAGES: [string, string[], ApiPage][] = [
  ['POST', ['invitations'], 'invitation-post'],
  ['GET', ['users'], 'user-list'],
  ['POST', ['users'], 'user-post-users'],
  ['GET', ['users', '$count'], 'user-list'],
  ['GET', ['users', 'delta'], 'user-delta'],
  ['GET', ['users', '*'], 'user-get'],
  ['PATCH', ['users', '*'], 'user-update'],
  ['POST', ['users', '*', 'assignLicense'], 'user-assignlicense'],
  ['GET', ['subscribedSkus'], 'subscribedsku-list'],
  ['GET', ['groups', 'delta'], 'group-delta'],
  ['GET', ['groups', '*'], 'group-get'],
  // PATCH with members@odata.bind is group-post-members' "add multiple members" example.
  ['PATCH', ['groups', '*'], 'group-post-members'],
  ['POST', ['groups', '*', 'assignLicense'], 'group-assignlicense'],
  ['GET', ['groups', '*', 'members'], 'group-list-members'],
  ['GET', ['groups', '*', 'members', 'microsoft.graph.user'], 'group-list-members'],
  ['POST', ['groups', '*', 'members', '$ref'], 'group-post-members'],
  ['DELETE', ['groups', '*', 'members', '*', '$ref'], 'group-delete-members'],
  ['GET', ['domains'], 'domain-list'],
  ['GET', ['domains', '*'], 'domain-get'],
];

/** The API page of a Graph request (path below /v1.0), undefined for $batch and unknown paths. */
export function apiPageOf(method: string, path: string): ApiPage | undefined {
  let segs: string[];
  try {
    segs = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s).toLowerCase());
  } catch {
    return undefined;
  }
  const m = method.toUpperCase();
  // Literal segments win over '*' (as the router does): users/delta is not a user called "delta".
  const fits = PAGES.filter(([pm, pattern]) => pm === m && pattern.length === segs.length && pattern.every((p, i) => p === '*' || p.toLowerCase() === segs[i]));
  const literals = (pattern: string[]): number => pattern.filter((p) => p !== '*').length;
  return fits.sort((a, b) => literals(b[1]) - literals(a[1]))[0]?.[2];
}

/**
 * The smallest set of application permissions that covers every page: each page's least
 * privileged permission, then every one whose pages another chosen permission also covers is
 * dropped (User.ReadWrite.All covers user-list; nothing chosen covers group-delta but
 * GroupMember.Read.All). Sorted.
 */
export function minimalPermissions(pages: Iterable<ApiPage>): string[] {
  const used = [...new Set(pages)];
  const accepts = (perm: string, page: ApiPage): boolean => {
    const t = PERMISSION_TABLES[page];
    return t.least === perm || (t.higher as readonly string[]).includes(perm);
  };
  const chosen = new Set(used.map((p) => PERMISSION_TABLES[p].least));
  for (let dropped = true; dropped; ) {
    dropped = false;
    for (const perm of [...chosen].sort()) {
      const others = [...chosen].filter((q) => q !== perm);
      if (used.every((page) => others.some((q) => accepts(q, page)))) {
        chosen.delete(perm);
        dropped = true;
        break;
      }
    }
  }
  return [...chosen].sort();
}

