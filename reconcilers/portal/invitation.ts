/**
 * The contact's invitation (adx_invitation, type Single). Converged is: the contact redeemed one,
 * or it has exactly one usable invitation — active, not redeemed, not past its expiry date, for the
 * site, giving the site's web role (issue 13; Microsoft's portal source: redeemed is terminal, an
 * expired code cannot be redeemed).
 *
 * - invitation.create: a new invitation with a code generated at apply time (code.ts), expiring
 *   PORTAL_INVITATION_EXPIRY_DAYS from now, for the contact and the site, under an id the plan
 *   fixes, so a retry of the same change after a lost answer finds it (412: already created). The
 *   id hashes the contact, the observation's time and the invitations observed: it need only be
 *   stable within one plan. A hash of the day alone was not enough: one of ours deactivated by hand
 *   on its creation day leaves the observation (only active invitations are read), so the next plan
 *   computed the same id, its POST answered 412, was taken as done, and the contact never got a
 *   usable invitation (test/integration/portal-hand-edits.test.ts).
 * - invitation.role: the invitation gives the web role (adx_invitation_webrole $ref).
 * - invitation.send: the environment's Send Invitation workflow mails it (ExecuteWorkflow), once.
 * - invitation.retire: one of the product's invitations that can no longer be redeemed (expired,
 *   moved to another site), is surplus, or was changed to type Group by hand (its code could then be
 *   redeemed again and again) is set Inactive; not a removal of access.
 * - invitation.revoke: when access goes, the product's unredeemed usable invitation is set Inactive
 *   (a guarded removal).
 * Redeemed invitations, and invitations the product did not issue, are never changed.
 */
import { createHash } from 'node:crypto';
import type { Change } from '../../src/model/plan.js';
import type { Observation } from '../../src/model/observation.js';
import { invitationCode } from './code.js';
import { associatedAlready, lookupsOf, portalChange, rowUri, type PortalChangeSpec, type PortalKind } from './common.js';
import { INVITATION, type InvitationRow } from './rows.js';
import type { DesiredPortal, InvitationView, ObservedPortal } from './state.js';

/** Of type Single: the product issues only those, so a Group one of ours was changed by hand. */
const isSingle = (v: InvitationView): boolean => v.row.adx_type === INVITATION.single;

export const isUsable = (v: InvitationView): boolean =>
  isSingle(v) && !v.redeemed && !v.expired && v.givesRole && v.onSite && v.row.statecode === 0 && (v.row.statuscode === INVITATION.new || v.row.statuscode === INVITATION.sent);

/**
 * This plan's id for the contact's new invitation: UUID form of a hash of the contact, the
 * observation's time and the invitations it already has. The same observation gives the same id;
 * another run's observation another one, even on the same day (see the file's comment).
 */
export function newInvitationId(desired: DesiredPortal, observed: ObservedPortal): string {
  const h = createHash('sha1').update(`portal-invitation:${desired.contactId}:${desired.observedAt}:${observed.invitations.map((v) => v.row.adx_invitationid).join(',')}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A Sent one first (its code is in the customer's mailbox: retiring it for an unsent one would leave
 * the customer a dead code and nothing to redeem), then someone else's (the product never retires
 * those, so keeping one of ours beside it would leave two codes), then the latest expiry (none: never
 * expires), then the newest, then the lowest id.
 */
function keeperOf(usable: readonly InvitationView[]): InvitationView | undefined {
  const expiry = (v: InvitationView): string => v.row.adx_expirydate ?? '9999-12-31';
  const unsent = (v: InvitationView): number => Number(v.row.statuscode !== INVITATION.sent);
  return [...usable].sort((a, b) => unsent(a) - unsent(b) || Number(a.ours) - Number(b.ours) || (expiry(b) < expiry(a) ? -1 : expiry(b) > expiry(a) ? 1 : 0) || String(b.row.createdon ?? '').localeCompare(String(a.row.createdon ?? '')) || a.row.adx_invitationid.localeCompare(b.row.adx_invitationid))[0];
}

const target = (id: string) => ({ service: 'dataverse' as const, entity: 'adx_invitation' as const, id });
const inactive = { statecode: 1, statuscode: INVITATION.inactive };
const stateOf = (v: InvitationView) => ({ statecode: v.row.statecode, statuscode: v.row.statuscode });

function whyUnusable(v: InvitationView): string {
  if (!isSingle(v)) return 'was changed to type Group (a Group code can be redeemed by more than one contact)';
  if (v.expired) return `expired on ${String(v.row.adx_expirydate)} without being redeemed`;
  if (!v.onSite) return 'is for another website than PORTAL_WEBSITE_ID';
  return 'can no longer be redeemed';
}

export function diff(desired: DesiredPortal, observed: ObservedPortal): Change[] {
  if (desired.intent === 'ignore') return [];
  const ours = observed.invitations.filter((v) => v.ours && !v.redeemed);
  const changes: Change[] = [];
  const retire = (v: InvitationView, why: string): void => {
    changes.push(portalChange(desired, 'invitation.retire', target(v.row.adx_invitationid), stateOf(v), inactive, why, v.row.adx_invitationid));
  };
  if (desired.intent === 'deprovision') {
    for (const v of ours) {
      if (isUsable(v)) changes.push(portalChange(desired, 'invitation.revoke', target(v.row.adx_invitationid), stateOf(v), inactive, 'Portal access is turned off or the contact is deactivated, so its unredeemed invitation is withdrawn (set Inactive): its code can no longer be redeemed.', v.row.adx_invitationid));
      else retire(v, `The invitation ${whyUnusable(v)}; it is set Inactive.`);
    }
    return changes;
  }

  // Every unredeemed one of ours goes, usable or not: one that lost its role or its site can still
  // be redeemed, and an expired one is set Inactive as anywhere else. Only a Single invitation's
  // redemption is the contact's: a Group one's redeemers are other contacts (its N:N
  // adx_invitation_redeemedcontacts: learn.microsoft.com/power-apps/developer/data-platform/reference/entities/adx_invitation),
  // whoever its invitee.
  if (observed.invitations.some((v) => isSingle(v) && v.redeemed)) {
    for (const v of ours) retire(v, 'The contact has already redeemed an invitation, so this further one is set Inactive.');
    return changes;
  }
  // One of ours that only lacks the role (a crash between the create and the association, or the
  // association removed by hand) is repaired rather than replaced.
  const repairable = ours.find((v) => isSingle(v) && !v.expired && v.onSite && !v.givesRole && v.row.statecode === 0);
  const usable = observed.invitations.filter(isUsable);
  const keeper = keeperOf(usable) ?? repairable;
  for (const v of ours) {
    if (v === keeper) continue;
    if (isUsable(v)) retire(v, 'The contact has more than one usable invitation; this surplus one is set Inactive (one code per customer).');
    else retire(v, `The invitation ${whyUnusable(v)}; it is set Inactive and ${keeper ? 'a usable one is kept' : 'a new one is issued'}.`);
  }
  if (keeper) {
    if (!keeper.ours) return changes;
    const id = keeper.row.adx_invitationid;
    if (!keeper.givesRole) changes.push(portalChange(desired, 'invitation.role', target(id), { adx_webroleid: desired.roleId, member: false }, { adx_webroleid: desired.roleId, member: true }, 'The invitation does not give the web role; it is added, so redeeming it gives portal access.'));
    if (desired.sendInvitation && desired.sendWorkflowId && keeper.row.statuscode === INVITATION.new) changes.push(sendChange(desired, id, 'The invitation has not been sent yet; the Send Invitation workflow mails the code to the contact.'));
    return changes;
  }
  const id = newInvitationId(desired, observed);
  changes.push(
    portalChange(
      desired,
      'invitation.create',
      target(id),
      null,
      { adx_name: `Portal invitation: ${desired.displayName}`.slice(0, 200), adx_type: INVITATION.single, adx_expirydate: desired.expiryDate, _adx_invitecontact_value: desired.contactId, _adx_website_value: desired.websiteId, statecode: 0, statuscode: INVITATION.new },
      `The contact should have portal access and has no usable invitation; one is issued, valid until ${desired.expiryDate} (its code is generated when it is created and appears in no report).`,
    ),
    portalChange(desired, 'invitation.role', target(id), null, { adx_webroleid: desired.roleId, member: true }, 'The new invitation gives the web role, so redeeming it gives portal access.'),
  );
  if (desired.sendInvitation && desired.sendWorkflowId) changes.push(sendChange(desired, id, `The Send Invitation workflow mails the code to ${desired.email}.`));
  return changes;
}

function sendChange(desired: DesiredPortal, id: string, reason: string): Change {
  return portalChange(desired, 'invitation.send', target(id), { statuscode: INVITATION.new }, { statuscode: INVITATION.sent, workflowId: desired.sendWorkflowId }, reason);
}

function editInvitations(model: Observation, edit: (rows: InvitationRow[]) => InvitationRow[]): Observation {
  return { ...model, portalInvitations: edit(model.portalInvitations ?? []) };
}

const deactivate: Pick<PortalChangeSpec, 'toRequest' | 'effect'> = {
  toRequest: (c) => ({ method: 'PATCH', url: `adx_invitations(${String(c.target.id)})`, headers: { 'If-Match': '*' }, body: inactive }),
  // An inactive invitation leaves the observation (the table reads active ones only).
  effect: (model, c) => ({ model: editInvitations(model, (rows) => rows.filter((r) => r.adx_invitationid !== c.target.id)) }),
};

export const invitationKind: PortalKind = {
  name: 'invitation',
  changes: [
    {
      kind: 'invitation.create',
      label: 'Issue invitation',
      runsAfter: ['webrole.grant'],
      removal: false,
      toRequest: (c) => {
        const a = c.after ?? {};
        return {
          method: 'POST',
          url: 'adx_invitations',
          body: {
            adx_invitationid: c.target.id,
            adx_name: a.adx_name,
            adx_type: a.adx_type,
            adx_invitationcode: invitationCode(),
            adx_expirydate: a.adx_expirydate,
            'adx_inviteContact@odata.bind': `/contacts(${String(a._adx_invitecontact_value)})`,
            'adx_website@odata.bind': `/adx_websites(${String(a._adx_website_value)})`,
          },
        };
      },
      // This plan's id already exists: an earlier attempt of this same change created it (its answer was lost).
      alreadyDone: (_c, response) => response.status === 412,
      effect: (model, c) => {
        const a = c.after ?? {};
        const row: InvitationRow = {
          adx_invitationid: String(c.target.id),
          adx_name: String(a.adx_name),
          adx_type: INVITATION.single,
          adx_expirydate: String(a.adx_expirydate),
          _adx_invitecontact_value: String(a._adx_invitecontact_value),
          _adx_redeemedcontact_value: null,
          _adx_website_value: String(a._adx_website_value),
          adx_redemptions: 0,
          statecode: 0,
          statuscode: INVITATION.new,
          createdon: model.observedAt,
          _createdby_value: lookupsOf(model).appUserId,
        };
        if ((model.portalInvitations ?? []).some((r) => r.adx_invitationid === row.adx_invitationid)) throw new Error(`model: duplicate invitation ${row.adx_invitationid}`);
        return { model: editInvitations(model, (rows) => [...rows, row]), createdId: row.adx_invitationid };
      },
    },
    {
      kind: 'invitation.role',
      label: 'Let invitation give web role',
      runsAfter: ['invitation.create'],
      removal: false,
      toRequest: (c, _created, settings) => ({ method: 'POST', url: `adx_invitations(${String(c.target.id)})/adx_invitation_webrole/$ref`, body: { '@odata.id': rowUri(settings, 'adx_webroles', String(c.after?.adx_webroleid)) } }),
      alreadyDone: associatedAlready,
      effect: (model, c) => {
        const p = lookupsOf(model);
        return { model: { ...model, portal: { ...p, roleInvitationIds: [...new Set([...p.roleInvitationIds, String(c.target.id)])] } } };
      },
    },
    {
      kind: 'invitation.send',
      label: 'Send invitation',
      runsAfter: ['invitation.role'],
      removal: false,
      toRequest: (c) => ({ method: 'POST', url: `workflows(${String(c.after?.workflowId)})/Microsoft.Dynamics.CRM.ExecuteWorkflow`, body: { EntityId: c.target.id } }),
      effect: (model, c) => ({ model: editInvitations(model, (rows) => rows.map((r) => (r.adx_invitationid === c.target.id ? { ...r, statuscode: INVITATION.sent } : r))) }),
    },
    { kind: 'invitation.retire', label: 'Set invitation inactive', runsAfter: [], removal: false, ...deactivate },
    { kind: 'invitation.revoke', label: 'Withdraw invitation', runsAfter: [], removal: true, access: { statecode: 0 }, ...deactivate },
  ],
  diff,
};
