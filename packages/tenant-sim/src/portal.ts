/**
 * The Power Pages portal's side of invitations (the Field Service portal template, standard data
 * model; docs/simulator.md "The portal"):
 * - the Send Invitation workflow (an on-demand classic workflow on adx_invitation that emails the
 *   invitee's emailaddress1 and moves the invitation to Sent: Learn "Invite contacts to your Power Pages
 *   site", learn.microsoft.com/power-pages/security/invite-contacts). The simulator runs it at once,
 *   within the ExecuteWorkflow request, and keeps the email in state (GET /_sim/state `portal.emails`,
 *   the code included: state is where tests look for credentials);
 * - redemption, POST /_sim/portal/redeem {"code"}: as the legacy portal engine does it
 *   (Adoxio/xRM-Portals-Community-Edition, Framework/Adxstudio.Xrm/AspNet/Identity/CrmInvitationStore.cs
 *   and InvitationManager.cs); the invitation table reference says invitations "assign them to web roles
 *   upon redemption" (learn.microsoft.com/power-apps/developer/data-platform/reference/entities/adx_invitation).
 */
import type { DataverseStore, Row } from './dataverse-store.js';
import type { DvContext } from './dataverse/context.js';
import { relationshipByName, intersectRow } from './dataverse/relationships.js';
import type { SimResponse, SimState } from './types.js';

export const SEND_INVITATION = 'Send Invitation';
export const INVITATION_NEW = 1;
export const INVITATION_SENT = 756150000;
export const INVITATION_REDEEMED = 756150001;
export const INVITATION_SINGLE = 756150000;

/** One email the Send Invitation workflow sent. */
export interface PortalEmail {
  to: string;
  contactId: string;
  invitationId: string;
  code: string | null;
  asyncoperationid: string;
  at: string;
}

const stamp = (at: number): string => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The workflow's effect on one invitation. It acts on an Active invitation that is New or already
 * Sent (a resend); a Redeemed or Inactive one is left as it is and nothing is sent. Without an invitee
 * or an emailaddress1 there is no one to mail: nothing is sent and the invitation stays as it was
 * (stricter than a workflow that would fail later, docs/simulator.md "The portal").
 */
export function sendInvitation(dx: DvContext, invitationId: string, asyncoperationid: string): void {
  const invitation = dx.store.get('adx_invitations', invitationId);
  if (!invitation || invitation.statecode !== 0) return;
  if (invitation.statuscode !== INVITATION_NEW && invitation.statuscode !== INVITATION_SENT) return;
  const contactId = invitation._adx_invitecontact_value;
  const contact = typeof contactId === 'string' ? dx.store.get('contacts', contactId) : undefined;
  const to = contact?.emailaddress1;
  if (typeof contactId !== 'string' || typeof to !== 'string' || to === '') return;
  const at = dx.sim.now();
  dx.sim.state.portal.emails.push({ to, contactId, invitationId, code: (invitation.adx_invitationcode as string | null | undefined) ?? null, asyncoperationid, at: stamp(at) });
  if (invitation.statuscode === INVITATION_NEW) {
    dx.scope?.journal.record('adx_invitations', invitationId);
    dx.store.update('adx_invitations', invitationId, { statuscode: INVITATION_SENT, modifiedon: stamp(at) });
  }
}

/**
 * The source's lookup: the code, Active, and no expiry date or one on or after now in UTC rounded
 * down to the hour (a DateOnly date is its midnight UTC, so a code that expires on D is usable until
 * D 00:59 UTC). Codes compare case-insensitively, as the source's query on a Dataverse text column does.
 */
function findByCode(store: DataverseStore, code: string, now: number): Row | undefined {
  const hour = Math.floor(now / 3_600_000) * 3_600_000;
  for (const row of store.table('adx_invitations').values()) {
    if (typeof row.adx_invitationcode !== 'string' || row.adx_invitationcode.toLowerCase() !== code.toLowerCase()) continue;
    if (row.statecode !== 0) continue;
    const expiry = row.adx_expirydate;
    if (typeof expiry === 'string' && Date.parse(expiry.length === 10 ? `${expiry}T00:00:00Z` : expiry) < hour) continue;
    return row;
  }
  return undefined;
}

/**
 * Redeems a Single invitation: valid while redemptions < maximum (a Single invitation's maximum is
 * one when it is unset, since it is redeemable once); then redemptions + 1, the redeemed contact is
 * the invitee, status Redeemed (the state stays Active), and the invitee gets the invitation's web
 * roles (adx_invitation_webrole → adx_webrole_contact, the redemption pipeline's role assignment).
 * 404 for a code that is unknown, inactive, expired, used up, of a Group invitation (not simulated)
 * or without an invitee.
 */
export function redeem(state: SimState, body: unknown, now: number): SimResponse {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof b.code !== 'string' || b.code === '') return { status: 400, body: { error: { code: 'BadRequest', message: 'POST /_sim/portal/redeem needs {"code": "<invitation code>"}.' } } };
  const at = typeof b.at === 'string' && !Number.isNaN(Date.parse(b.at)) ? Date.parse(b.at) : now;
  const store = state.dataverse;
  const invitation = findByCode(store, b.code, at);
  const unusable: SimResponse = { status: 404, body: { error: { code: 'NotFound', message: 'No usable invitation has this code (unknown, inactive, expired or already redeemed).' } } };
  if (!invitation || invitation.adx_type !== INVITATION_SINGLE || invitation.statuscode === INVITATION_REDEEMED) return unusable;
  const redemptions = typeof invitation.adx_redemptions === 'number' ? invitation.adx_redemptions : 0;
  const maximum = typeof invitation.adx_maximumredemptions === 'number' && invitation.adx_maximumredemptions > 0 ? invitation.adx_maximumredemptions : 1;
  const contactId = invitation._adx_invitecontact_value;
  if (redemptions >= maximum || typeof contactId !== 'string' || !store.get('contacts', contactId)) return unusable;
  const invitationId = String(invitation.adx_invitationid);
  store.update('adx_invitations', invitationId, {
    adx_redemptions: redemptions + 1,
    _adx_redeemedcontact_value: contactId,
    ...(redemptions + 1 >= maximum ? { statecode: 0, statuscode: INVITATION_REDEEMED } : {}),
    modifiedon: stamp(at),
  });
  const roles = relationshipByName('adx_invitation_webrole')!;
  const members = relationshipByName('adx_webrole_contact')!;
  const webRoleIds: string[] = [];
  for (const row of store.table(roles.name).values()) {
    if (row.adx_invitationid !== invitationId) continue;
    const roleId = String(row.adx_webroleid);
    webRoleIds.push(roleId);
    const member = intersectRow(members, roleId, contactId);
    if (!store.get(members.name, String(member.adx_webrole_contactid))) store.insert(members.name, member);
  }
  return { status: 200, body: { invitationId, contactId, webRoleIds } };
}
