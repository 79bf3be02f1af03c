/**
 * What the portal family leaves in place and reports (reconcilers/portal/family.ts remainsOf): the
 * role on a contact it never managed, and every usable invitation someone else issued, with advice
 * to withdraw it when the contact should not have access. Its own invitations and redeemed or
 * unusable ones are not listed.
 */
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/engine/compose.js';
import { INVITATION } from '../../../reconcilers/portal/rows.js';
import { contactId, invitationId, invitationRow, MAKER, portalContact, portalObservation, portalTestSettings } from '../../support/portal-model.js';

const C = contactId(1);
const I1 = invitationId(1);
const I2 = invitationId(2);
const plannedRemains = (obs: ReturnType<typeof portalObservation>): string[] | undefined => buildPlan(obs, portalTestSettings(), { kind: 'tenant' }).subjects.find((s) => s.subject.id === C)?.remains;
const makers = { _createdby_value: MAKER, adx_name: 'Hand-made invitation', statuscode: INVITATION.sent };

describe('the portal family reports what it leaves alone', () => {
  const CASES: { reason: string; obs: ReturnType<typeof portalObservation>; expected: string[] | undefined }[] = [
    {
      reason: 'access turned off: a maker\'s usable invitation can still be redeemed, so it is listed with the advice to withdraw it',
      obs: portalObservation({ contacts: [portalContact(C, { o25fs_portalaccess: false, o25fs_portalstatus: 808950002 })], roleContactIds: [C], invitations: [invitationRow(I1, C, makers)], roleInvitationIds: [I1] }),
      expected: ['invitation Hand-made invitation, issued by someone else, can still be redeemed until 2026-11-30: withdraw it in Portal Management (Invitations) if this customer should not have portal access'],
    },
    {
      reason: 'access on: the maker\'s invitation is the one in use; listed without advice',
      obs: portalObservation({ contacts: [portalContact(C)], roleContactIds: [C], invitations: [invitationRow(I1, C, makers)], roleInvitationIds: [I1] }),
      expected: ['invitation Hand-made invitation, issued by someone else, can still be redeemed until 2026-11-30'],
    },
    {
      reason: 'a contact the product never managed: its role and the maker\'s invitation without expiry are both listed',
      obs: portalObservation({ contacts: [portalContact(C, { o25fs_portalaccess: false })], roleContactIds: [C], invitations: [invitationRow(I1, C, { ...makers, adx_expirydate: null })], roleInvitationIds: [I1] }),
      expected: [
        'web role Web API Users, given by someone else (the product never managed this contact)',
        'invitation Hand-made invitation, issued by someone else, can still be redeemed with no expiry date: withdraw it in Portal Management (Invitations) if this customer should not have portal access',
      ],
    },
    {
      reason: 'a maker\'s Group invitation naming the contact can be redeemed (even more than once): listed',
      obs: portalObservation({ contacts: [portalContact(C, { o25fs_portalaccess: false, o25fs_portalstatus: 808950002 })], roleContactIds: [C], invitations: [invitationRow(I1, C, { ...makers, adx_type: INVITATION.group })], roleInvitationIds: [I1] }),
      expected: ['invitation Hand-made invitation, issued by someone else, can still be redeemed until 2026-11-30: withdraw it in Portal Management (Invitations) if this customer should not have portal access'],
    },
    {
      reason: 'a maker\'s expired or redeemed invitation cannot be redeemed: nothing to list',
      obs: portalObservation({ contacts: [portalContact(C, { o25fs_portalaccess: false, o25fs_portalstatus: 808950002 })], roleContactIds: [C], invitations: [invitationRow(I1, C, { ...makers, adx_expirydate: '2026-11-01' }), invitationRow(I2, C, { ...makers, statuscode: INVITATION.redeemed, _adx_redeemedcontact_value: C })], roleInvitationIds: [I1, I2] }),
      expected: undefined,
    },
    {
      reason: 'the product\'s own invitation is changed (withdrawn), not listed',
      obs: portalObservation({ contacts: [portalContact(C, { o25fs_portalaccess: false, o25fs_portalstatus: 808950001 })], roleContactIds: [C], invitations: [invitationRow(I1, C, { statuscode: INVITATION.sent })], roleInvitationIds: [I1] }),
      expected: undefined,
    },
  ];
  for (const c of CASES) {
    it(c.reason, () => {
      expect(plannedRemains(c.obs)).toEqual(c.expected);
    });
  }
});
