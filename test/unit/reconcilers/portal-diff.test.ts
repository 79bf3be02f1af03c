/**
 * The customer portal diffs (reconcilers/portal/invitation.ts and web-role.ts) on one contact: the
 * exact changes (ids, kinds, targets, before/after, reasons) both kinds plan, in declaration order.
 * Converged is the web role plus one usable invitation or a redeemed one; redeemed and foreign
 * invitations are never changed; a contact the product never managed is left alone.
 */
import { describe, expect, it } from 'vitest';
import { PORTAL_KINDS } from '../../../reconcilers/portal/index.js';
import { newInvitationId } from '../../../reconcilers/portal/invitation.js';
import { INVITATION, type InvitationRow, type PortalContactRow } from '../../../reconcilers/portal/rows.js';
import type { PortalSettings } from '../../../reconcilers/portal/settings.js';
import type { Change, Values } from '../../../src/model/plan.js';
import { ACCOUNT, APP_USER, contactId, invitationId, MAKER, OTHER_WEBSITE, portalContact, portalObservation, portalSettings, portalStateOf, ROLE, WEBSITE, WORKFLOW, invitationRow } from '../../support/portal-model.js';

const C = contactId(1);
const [I1, I2, I3, I4] = [invitationId(1), invitationId(2), invitationId(3), invitationId(4)];
const EXPIRY = '2026-12-07'; // NOW + 14 days
const subject = { family: 'portal', table: 'contacts', id: C, displayName: 'Carla Customer', group: { id: ACCOUNT, name: null } };
const onInvitation = (id: string): Change['target'] => ({ service: 'dataverse', entity: 'adx_invitation', id });
const change = (id: string, kind: string, target: Change['target'], before: Values | null, after: Values | null, reason: string): Change => ({ id, subject, kind: kind as Change['kind'], target, before, after, reason, dependsOn: [] });

const sent = { statuscode: INVITATION.sent };
const foreign = { _createdby_value: MAKER };
const redeemed = { statuscode: INVITATION.redeemed, _adx_redeemedcontact_value: C, adx_redemptions: 1 };
const off = { o25fs_portalaccess: false, o25fs_portalstatus: 808950002 };

const grant = change(`${C}/webrole.grant`, 'webrole.grant', { service: 'dataverse' as const, entity: 'adx_webrole' as const, id: ROLE }, { contactid: C, member: false }, { contactid: C, member: true }, 'The contact should have portal access, so it gets the web role that lets it book and follow its appointments.');
const roleRevoke = change(`${C}/webrole.revoke`, 'webrole.revoke', { service: 'dataverse' as const, entity: 'adx_webrole' as const, id: ROLE }, { contactid: C, member: true }, { contactid: C, member: false }, 'Portal access is turned off or the contact is deactivated, so its web role is removed.');
const state = (statuscode: number) => ({ statecode: 0, statuscode });
const inactive = { statecode: 1, statuscode: 2 };
const retire = (id: string, statuscode: number, reason: string) => change(`${C}/invitation.retire/${id}`, 'invitation.retire', onInvitation(id), state(statuscode), inactive, reason);
const revoke = (id: string, statuscode: number) => change(`${C}/invitation.revoke/${id}`, 'invitation.revoke', onInvitation(id), state(statuscode), inactive, 'Portal access is turned off or the contact is deactivated, so its unredeemed invitation is withdrawn (set Inactive): its code can no longer be redeemed.');
const sendExisting = (id: string) => change(`${C}/invitation.send`, 'invitation.send', onInvitation(id), { statuscode: 1 }, { statuscode: INVITATION.sent, workflowId: WORKFLOW }, 'The invitation has not been sent yet; the Send Invitation workflow mails the code to the contact.');
const repair = (id: string) => change(`${C}/invitation.role`, 'invitation.role', onInvitation(id), { adx_webroleid: ROLE, member: false }, { adx_webroleid: ROLE, member: true }, 'The invitation does not give the web role; it is added, so redeeming it gives portal access.');

/** invitation.create, .role and (when sending) .send of a new invitation under id `id`. */
function issue(id: string, send = true): Change[] {
  const out = [
    change(`${C}/invitation.create`, 'invitation.create', onInvitation(id), null, { adx_name: 'Portal invitation: Carla Customer', adx_type: INVITATION.single, adx_expirydate: EXPIRY, _adx_invitecontact_value: C, _adx_website_value: WEBSITE, statecode: 0, statuscode: INVITATION.new }, `The contact should have portal access and has no usable invitation; one is issued, valid until ${EXPIRY} (its code is generated when it is created and appears in no report).`),
    change(`${C}/invitation.role`, 'invitation.role', onInvitation(id), null, { adx_webroleid: ROLE, member: true }, 'The new invitation gives the web role, so redeeming it gives portal access.'),
  ];
  if (send) out.push(change(`${C}/invitation.send`, 'invitation.send', onInvitation(id), { statuscode: 1 }, { statuscode: INVITATION.sent, workflowId: WORKFLOW }, 'The Send Invitation workflow mails the code to carla@customer.example.'));
  return out;
}

interface Case {
  reason: string;
  contact?: Partial<PortalContactRow>;
  invitations?: InvitationRow[];
  /** Invitations giving the site's role (default: every one listed). */
  givingRole?: string[];
  hasRole?: boolean;
  settings?: Partial<PortalSettings>;
  /** The changes; `NEW` stands for the new invitation's deterministic id. */
  want: (NEW: string) => Change[];
}

const cases: Case[] = [
  { reason: 'a new contact gets the role and an invitation that gives it, mailed by the Send Invitation workflow', hasRole: false, want: (NEW) => [grant, ...issue(NEW)] },
  { reason: 'the role and one usable invitation of ours, already sent: converged, nothing', invitations: [invitationRow(I1, C, sent)], want: () => [] },
  { reason: 'an invitation expiring tomorrow can still be redeemed today: nothing', invitations: [invitationRow(I1, C, { ...sent, adx_expirydate: '2026-11-24' })], want: () => [] },
  { reason: 'an invitation with no expiry date never expires: nothing', invitations: [invitationRow(I1, C, { ...sent, adx_expirydate: null })], want: () => [] },
  { reason: 'our usable invitation is still New and sending is on: the workflow mails it', invitations: [invitationRow(I1, C)], want: () => [sendExisting(I1)] },
  { reason: 'sending is off: our New invitation is not sent, and nothing else changes', settings: { sendInvitation: false }, invitations: [invitationRow(I1, C)], want: () => [] },
  {
    reason: 'our invitation expires today (the portal no longer takes its code): it is retired and a new one is issued',
    invitations: [invitationRow(I1, C, { ...sent, adx_expirydate: '2026-11-23' })],
    want: (NEW) => [retire(I1, INVITATION.sent, 'The invitation expired on 2026-11-23 without being redeemed; it is set Inactive and a new one is issued.'), ...issue(NEW)],
  },
  {
    reason: 'our invitation expired yesterday unredeemed: it is retired and a new one is issued, given the role and sent',
    invitations: [invitationRow(I1, C, { ...sent, adx_expirydate: '2026-11-22' })],
    want: (NEW) => [retire(I1, INVITATION.sent, 'The invitation expired on 2026-11-22 without being redeemed; it is set Inactive and a new one is issued.'), ...issue(NEW)],
  },
  { reason: 'sending off: a new invitation is issued and given the role, not sent', hasRole: false, settings: { sendInvitation: false }, want: (NEW) => [grant, ...issue(NEW, false)] },
  { reason: 'a maker\'s expired invitation is left as it is; ours is issued beside it', invitations: [invitationRow(I1, C, { ...sent, ...foreign, adx_expirydate: '2026-11-01' })], want: (NEW) => issue(NEW) },
  {
    reason: 'ours is Sent and a maker\'s is New (never mailed): ours is kept, the maker\'s is never touched, nothing is retired',
    invitations: [invitationRow(I1, C, { ...sent }), invitationRow(I2, C, { ...foreign })],
    want: () => [],
  },
  {
    reason: 'two usable invitations of ours: the one expiring last is kept, the other retired as surplus',
    invitations: [invitationRow(I1, C, { ...sent, adx_expirydate: '2026-12-05', createdon: '2026-11-10T00:00:00Z' }), invitationRow(I2, C, { ...sent, adx_expirydate: '2026-11-30', createdon: '2026-11-20T00:00:00Z' })],
    want: () => [retire(I2, INVITATION.sent, 'The contact has more than one usable invitation; this surplus one is set Inactive (one code per customer).')],
  },
  { reason: 'a maker\'s usable invitation counts as the one: nothing issued, nothing sent', invitations: [invitationRow(I1, C, foreign)], want: () => [] },
  { reason: 'a maker\'s usable invitation and no role: the role is granted only', hasRole: false, invitations: [invitationRow(I1, C, foreign)], want: () => [grant] },
  { reason: 'redeemed: converged, nothing', invitations: [invitationRow(I1, C, redeemed)], want: () => [] },
  { reason: 'redeemed (the redeeming contact set, the status not yet): nothing', invitations: [invitationRow(I1, C, { _adx_redeemedcontact_value: C })], want: () => [] },
  {
    reason: 'redeemed, with a further usable invitation of ours: that one is retired',
    invitations: [invitationRow(I1, C, redeemed), invitationRow(I2, C, sent)],
    want: () => [retire(I2, INVITATION.sent, 'The contact has already redeemed an invitation, so this further one is set Inactive.')],
  },
  {
    reason: 'redeemed, with an expired invitation of ours: it is retired too (an unusable invitation of ours is set Inactive)',
    invitations: [invitationRow(I1, C, redeemed), invitationRow(I2, C, { ...sent, adx_expirydate: '2026-11-01' })],
    want: () => [retire(I2, INVITATION.sent, 'The contact has already redeemed an invitation, so this further one is set Inactive.')],
  },
  {
    reason: 'redeemed, with an invitation of ours that lost its role: its code could still be redeemed, so it is retired',
    givingRole: [I1],
    invitations: [invitationRow(I1, C, redeemed), invitationRow(I2, C, sent)],
    want: () => [retire(I2, INVITATION.sent, 'The contact has already redeemed an invitation, so this further one is set Inactive.')],
  },
  {
    reason: 'a maker\'s Sent invitation beside ours (Sent too) that expires later: ours is surplus (the maker\'s cannot be retired, so keeping ours leaves two codes)',
    invitations: [invitationRow(I1, C, { ...foreign, ...sent, adx_expirydate: '2026-11-30' }), invitationRow(I2, C, { ...sent, adx_expirydate: '2026-12-05' })],
    want: () => [retire(I2, INVITATION.sent, 'The contact has more than one usable invitation; this surplus one is set Inactive (one code per customer).')],
  },
  { reason: 'redeemed, with a maker\'s usable invitation: it is left alone', invitations: [invitationRow(I1, C, redeemed), invitationRow(I2, C, foreign)], want: () => [] },
  { reason: 'redeemed, and the role removed by hand: the role is granted again, no invitation', hasRole: false, invitations: [invitationRow(I1, C, redeemed)], want: () => [grant] },
  { reason: 'our sent invitation lost its role (removed by hand): the role is added to it, not a new invitation', givingRole: [], invitations: [invitationRow(I1, C, sent)], want: () => [repair(I1)] },
  { reason: 'our New invitation without the role (a crash after the create): the role is added, then it is sent', givingRole: [], invitations: [invitationRow(I1, C)], want: () => [repair(I1), sendExisting(I1)] },
  {
    reason: 'our invitation is for another website: it is retired and one for this site is issued',
    invitations: [invitationRow(I1, C, { ...sent, _adx_website_value: OTHER_WEBSITE })],
    want: (NEW) => [retire(I1, INVITATION.sent, 'The invitation is for another website than PORTAL_WEBSITE_ID; it is set Inactive and a new one is issued.'), ...issue(NEW)],
  },
  {
    reason: 'access turned off: the role is revoked and our usable invitation withdrawn',
    contact: off,
    invitations: [invitationRow(I1, C, sent)],
    want: () => [roleRevoke, revoke(I1, INVITATION.sent)],
  },
  {
    reason: 'contact deactivated: the same as access off',
    contact: { statecode: 1, o25fs_portalstatus: 808950001 },
    invitations: [invitationRow(I1, C)],
    want: () => [roleRevoke, revoke(I1, INVITATION.new)],
  },
  {
    reason: 'access off: our expired invitation is retired (not a removal), the redeemed and the maker\'s are left alone',
    contact: off,
    hasRole: false,
    invitations: [invitationRow(I1, C, { ...sent, adx_expirydate: '2026-11-01' }), invitationRow(I2, C, redeemed), invitationRow(I3, C, foreign), invitationRow(I4, C, { ...foreign, ...sent, adx_expirydate: '2026-11-02' })],
    want: () => [retire(I1, INVITATION.sent, 'The invitation expired on 2026-11-01 without being redeemed; it is set Inactive.')],
  },
  { reason: 'access off and nothing left: converged, nothing', contact: off, hasRole: false, want: () => [] },
  {
    reason: 'a contact the product never managed (no portal status) is ignored: its hand-given role and our invitation are not touched',
    contact: { o25fs_portalaccess: false, o25fs_portalstatus: null },
    invitations: [invitationRow(I1, C, sent)],
    want: () => [],
  },
  { reason: 'a deactivated contact never managed is ignored too', contact: { statecode: 1, o25fs_portalstatus: null }, invitations: [invitationRow(I1, C)], want: () => [] },
];

describe('portal diffs (web role and invitation) on one contact', () => {
  for (const c of cases) {
    it(c.reason, () => {
      const invitations = c.invitations ?? [];
      const obs = portalObservation({
        contacts: [portalContact(C, c.contact)],
        invitations,
        roleContactIds: c.hasRole === false ? [] : [C],
        roleInvitationIds: c.givingRole ?? invitations.map((i) => i.adx_invitationid),
      });
      const settings = portalSettings(c.settings);
      const { desired, observed } = portalStateOf(obs, C, settings);
      const got = PORTAL_KINDS.flatMap((k) => k.diff(desired, observed));
      expect(got).toEqual(c.want(newInvitationId(desired, observed)));
    });
  }
});

describe('the new invitation id', () => {
  const state = (invitations: InvitationRow[], observedAt = '2026-11-23T10:00:00.000Z', id = C) => portalStateOf(portalObservation({ contacts: [portalContact(id)], invitations, observedAt }), id);

  it('is a GUID, the same for the same observation (a retry of the plan\'s change finds it: 412)', () => {
    const a = state([]);
    const b = state([]);
    expect(newInvitationId(a.desired, a.observed)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newInvitationId(b.desired, b.observed)).toBe(newInvitationId(a.desired, a.observed));
  });

  const others = [
    { reason: 'another observation on the same day (one of ours deactivated by hand leaves the observation)', other: () => state([], '2026-11-23T23:59:59.000Z') },
    { reason: 'another day', other: () => state([], '2026-11-24T00:00:00.000Z') },
    { reason: 'another contact (a deleted and re-added contact gets its own)', other: () => state([], '2026-11-23T10:00:00.000Z', contactId(2)) },
    { reason: 'other invitations observed (the expired one it replaces)', other: () => state([invitationRow(I1, C, { adx_expirydate: '2026-11-01', _createdby_value: APP_USER })]) },
  ];
  for (const o of others) {
    it(`differs for ${o.reason}`, () => {
      const a = state([]);
      const b = o.other();
      expect(newInvitationId(b.desired, b.observed)).not.toBe(newInvitationId(a.desired, a.observed));
    });
  }
});
