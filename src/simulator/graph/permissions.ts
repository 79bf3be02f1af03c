/**
 * Application permissions per operation: the "least privileged" column of each API page's
 * permissions table plus its "higher privileged" column (Learn: invitation-post, user-list,
 * user-get, user-update, user-assignlicense, subscribedsku-list, group-get, group-list-members,
 * group-post-members, group-delete-members, group-update; facts §8). An app token carries exactly
 * the roles granted to it; a role is never implied by another one, so every accepted role is
 * listed. $batch has no permission of its own: each inner request is checked on its own.
 */
import type { SimRequest } from '../types.js';
import { forbidden } from './errors.js';

export type Operation =
  | 'invite'
  | 'readUsers'
  | 'updateUser'
  | 'assignLicense'
  | 'readSubscribedSkus'
  | 'readGroup'
  | 'readMembers'
  | 'writeMembers'
  | 'updateGroup';

export const ROLES: Record<Operation, readonly string[]> = {
  // invitation-post: User.Invite.All; higher Directory.ReadWrite.All, User.ReadWrite.All.
  invite: ['User.Invite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  // user-list / user-get: User.Read.All; higher User.ReadWrite.All, Directory.Read.All, Directory.ReadWrite.All.
  readUsers: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  // user-update (application): User.ReadWrite.All, Directory.ReadWrite.All.
  updateUser: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
  // user-assignlicense: LicenseAssignment.ReadWrite.All; higher Directory.ReadWrite.All, User.ReadWrite.All.
  assignLicense: ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  // subscribedsku-list: Organization.Read.All (LicenseAssignment.Read.All on the newer table, facts §2.2);
  // higher Directory.Read.All, Directory.ReadWrite.All, Organization.ReadWrite.All.
  readSubscribedSkus: ['LicenseAssignment.Read.All', 'Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  // group-get: GroupMember.Read.All; higher Group.ReadWrite.All, Directory.Read.All, Directory.ReadWrite.All, Group.Read.All.
  readGroup: ['GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  // group-list-members: GroupMember.Read.All; higher Directory.Read.All, Group.Read.All, Group.ReadWrite.All, GroupMember.ReadWrite.All.
  readMembers: ['GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All'],
  // group-post-members / group-delete-members: GroupMember.ReadWrite.All; higher Group.ReadWrite.All, Directory.ReadWrite.All.
  writeMembers: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  // group-update (members@odata.bind is a membership write, group-post-members "add multiple members").
  updateGroup: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
};

/** Throws 403 Authorization_RequestDenied unless the token holds one of the operation's roles. */
export function requireRole(req: SimRequest, op: Operation): void {
  const held = new Set(req.claims.roles);
  if (!ROLES[op].some((r) => held.has(r))) throw forbidden();
}
