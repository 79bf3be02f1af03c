/**
 * POST /invitations (invitation-post.md, resources/invitation.md, entra-docs user-properties.md;
 * learn.microsoft.com/graph/api/invitation-post, learn.microsoft.com/graph/api/user-list). Creates
 * a Guest user at once (before redemption) or answers for the
 * existing guest with the same address. Every call is logged in state.invitations.
 */
import { verifiedDomainNames } from '../tenant-domains.js';
import { randomUUID } from 'node:crypto';
import { noteUserCreated } from '../platform/replication.js';
import type { SimContext, SimRequest, SimResponse } from '../types.js';
import { badRequest, notFound, type GraphError } from './errors.js';
import { requireRole } from './permissions.js';
import { addUser, findUser, usersByAddress, type User } from './user-store.js';
import { jsonBody } from './view.js';

const EMAIL = /^[^\s@"(),:;<>[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** Invitation errors carry code BadRequest in the observed responses (learn.microsoft.com/graph/api/invitation-post). */
const inviteError = (message: string): GraphError => badRequest(message, 'BadRequest');

function requireString(body: Record<string, unknown>, prop: string): string {
  const v = body[prop];
  if (v === undefined || v === null || v === '') throw inviteError(`The request is missing the required property '${prop}'.`);
  if (typeof v !== 'string') throw inviteError(`Invalid value specified for property '${prop}' of resource 'Invitation'.`);
  return v;
}

function optionalBool(body: Record<string, unknown>, prop: string): boolean {
  const v = body[prop];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw inviteError(`Invalid value specified for property '${prop}' of resource 'Invitation'.`);
  return v;
}

/** `a@contoso.com` → `a_contoso.com#EXT#@<defaultDomain>` (user-list.md example). */
export function guestUpn(email: string, defaultDomain: string): string {
  return `${email.replace('@', '_')}#EXT#@${defaultDomain}`;
}

function createGuest(req: SimRequest, ctx: SimContext, email: string, displayName: string | null, userType: string, now: string): User & { id: string } {
  const id = randomUUID();
  const upn = guestUpn(email, ctx.state.tenant.defaultDomain);
  const user = {
    id,
    businessPhones: [],
    // Without invitedUserDisplayName, Entra names the guest after the address's local part [observed]; docs are silent.
    displayName: displayName ?? email.slice(0, email.indexOf('@')),
    givenName: null,
    surname: null,
    jobTitle: null,
    mail: email,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    userPrincipalName: upn,
    mailNickname: upn.slice(0, upn.lastIndexOf('@')),
    userType,
    creationType: 'Invitation',
    externalUserState: 'PendingAcceptance',
    externalUserStateChangeDateTime: now,
    createdDateTime: now,
    accountEnabled: true,
    usageLocation: null,
    otherMails: [email],
    proxyAddresses: [],
    // Before redemption the issuer is the host tenant (user-properties.md).
    identities: [{ signInType: 'userPrincipalName', issuer: ctx.state.tenant.defaultDomain, issuerAssignedId: upn }],
    assignedLicenses: [],
    licenseAssignmentStates: [],
  };
  addUser(ctx.state, user);
  // The new guest reaches the replicas that serve reads only after the replication lag (when on).
  noteUserCreated(req, ctx.state, id, ctx.now());
  return user;
}

/** The existing guest this address belongs to, or an error for members and blocked guests (learn.microsoft.com/graph/api/invitation-post). */
function existingGuest(ctx: SimContext, email: string): User | null {
  const found = usersByAddress(ctx.state, email);
  if (found.length === 0) return null;
  const member = found.find((u) => u.userType !== 'Guest');
  if (member) {
    // Docs are silent on inviting a member's address; the simulator refuses (stricter), so a client never
    // mistakes a member for a guest it manages.
    throw inviteError(`The invited user already exists in the directory as a member, object ID: ${String(member.id)}. Members cannot be invited as guests.`);
  }
  const guest = found[0]!;
  if (guest.accountEnabled === false) {
    throw inviteError(
      `The invited user already exists in the directory as object ID: ${String(guest.id)}, but the account is blocked from signing in. Unblock the account before you invite the user again.`,
    );
  }
  return guest;
}

/**
 * invitedUserMessageInfo (resources/invitedusermessageinfo.md): ccRecipients is a recipient
 * collection, and "currently only one additional recipient is supported". The service was seen to
 * accept more and mail only the first (microsoft-graph-docs issue #637, which led to that
 * sentence); the simulator refuses a second one with 400 (stricter, docs/simulator-graph.md).
 */
function checkMessageInfo(body: Record<string, unknown>): Record<string, unknown> {
  const info = body.invitedUserMessageInfo;
  if (info === undefined || info === null) return {};
  if (typeof info !== 'object' || Array.isArray(info)) throw inviteError("Invalid value specified for property 'invitedUserMessageInfo' of resource 'Invitation'.");
  const cc = (info as Record<string, unknown>).ccRecipients;
  if (cc !== undefined && cc !== null) {
    if (!Array.isArray(cc)) throw inviteError("Invalid value specified for property 'ccRecipients' of resource 'InvitedUserMessageInfo'.");
    if (cc.length > 1) throw inviteError(`invitedUserMessageInfo.ccRecipients holds ${cc.length} recipients; only one additional recipient is supported.`);
  }
  return info as Record<string, unknown>;
}

export function postInvitation(req: SimRequest, ctx: SimContext): SimResponse {
  requireRole(req, 'invite');
  const body = jsonBody(req.body);
  const email = requireString(body, 'invitedUserEmailAddress').trim();
  const redirect = requireString(body, 'inviteRedirectUrl');
  if (!EMAIL.test(email)) throw inviteError(`The specified invitedUserEmailAddress '${email}' is not a valid email address.`);
  if (!/^https?:\/\/[^\s/]+/i.test(redirect)) throw inviteError(`The specified inviteRedirectUrl '${redirect}' is not a valid absolute URL.`);
  const displayName = body.invitedUserDisplayName ?? null;
  if (displayName !== null && (typeof displayName !== 'string' || displayName.length > 256)) throw inviteError("Invalid value specified for property 'invitedUserDisplayName'.");
  const userType = body.invitedUserType ?? 'Guest';
  if (userType !== 'Guest' && userType !== 'Member') throw inviteError("Invalid value specified for property 'invitedUserType': it must be 'Guest' or 'Member'.");
  const info = checkMessageInfo(body);
  const sendInvitationMessage = optionalBool(body, 'sendInvitationMessage');
  const resetRedemption = optionalBool(body, 'resetRedemption');

  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (verifiedDomainNames(ctx.state.tenant).includes(domain)) {
    throw inviteError(`The invited user's email address ${email} is in a verified domain of this directory and cannot be invited as an external user.`);
  }

  const now = new Date(ctx.now()).toISOString();
  let user: User;
  if (resetRedemption) {
    // reset-redemption-status.md: resetRedemption with invitedUser.id of an existing guest.
    const target = (body.invitedUser as { id?: unknown } | undefined)?.id;
    if (typeof target !== 'string') throw inviteError("resetRedemption needs invitedUser.id, the object id of the guest to reset.");
    const u = findUser(ctx.state, target);
    if (!u) throw notFound(target);
    u.externalUserState = 'PendingAcceptance';
    u.externalUserStateChangeDateTime = now;
    user = u;
  } else {
    user = existingGuest(ctx, email) ?? createGuest(req, ctx, email, displayName as string | null, userType, now);
  }
  const userId = String(user.id);
  ctx.state.invitations.push({ invitedUserEmailAddress: email, invitedUserId: userId, at: now });

  const invitationId = randomUUID();
  const tenant = ctx.state.tenant.id;
  const redeem = `https://login.microsoftonline.com/redeem?rd=${encodeURIComponent(`https://invitations.microsoft.com/redeem/?tenant=${tenant}&user=${invitationId}&ticket=${randomUUID()}&ver=2.0`)}`;
  return {
    status: 201,
    headers: { Location: `${ctx.graphBaseUrl}/invitations/${invitationId}` },
    body: {
      '@odata.context': `${ctx.graphBaseUrl}/$metadata#invitations/$entity`,
      id: invitationId,
      inviteRedeemUrl: redeem,
      invitedUserDisplayName: displayName,
      invitedUserType: user.userType ?? userType,
      invitedUserEmailAddress: email,
      sendInvitationMessage,
      resetRedemption,
      inviteRedirectUrl: redirect,
      status: user.externalUserState === 'Accepted' ? 'Completed' : 'PendingAcceptance',
      invitedUserMessageInfo: {
        messageLanguage: info.messageLanguage ?? null,
        customizedMessageBody: info.customizedMessageBody ?? null,
        ccRecipients: info.ccRecipients ?? [{ emailAddress: { name: null, address: null } }],
      },
      invitedUser: { id: userId },
    },
  };
}
