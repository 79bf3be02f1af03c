/**
 * What the customer portal family observes for one contact (reconcilers/portal/match.ts): whether it
 * holds the site's web role, and each of its invitations judged: ours (created by the product's
 * application user, WhoAmI), redeemed, expired (past its DateOnly expiry), giving the site's role,
 * for the site. Ids compare case-insensitively. The expiry day itself is left out: the portal's
 * lookup (packages/tenant-sim/src/portal.ts) refuses a code from 01:00 UTC on that day, while
 * match.ts counts it usable until the day ends; that disagreement is open.
 */
import { describe, expect, it } from 'vitest';
import { indexPortal, observedPortal } from '../../../reconcilers/portal/match.js';
import { INVITATION, type InvitationRow } from '../../../reconcilers/portal/rows.js';
import type { InvitationView } from '../../../reconcilers/portal/state.js';
import type { PortalLookups } from '../../../reconcilers/portal/observation.js';
import { APP_USER, MAKER, OTHER_WEBSITE, contactId, desiredPortalFor, invitationId, invitationRow, portalContact, portalObservation } from '../../support/portal-model.js';

const C = contactId(1);
const OTHER = contactId(2);
const I1 = invitationId(1);

type View = Omit<InvitationView, 'row'>;
const usable: View = { ours: true, redeemed: false, expired: false, givesRole: true, onSite: true };

/** The views of the contact's invitations, as the plan judges them. */
function viewsOf(invitations: InvitationRow[], roleInvitationIds: string[] = invitations.map((i) => i.adx_invitationid.toLowerCase()), lookups: Partial<PortalLookups> = {}) {
  const contact = portalContact(C);
  const obs = portalObservation({ contacts: [contact], invitations, roleInvitationIds, lookups });
  return observedPortal(contact, desiredPortalFor(contact, undefined, obs), indexPortal(obs));
}
const viewOf = (row: InvitationRow, roles?: string[], lookups?: Partial<PortalLookups>): View => {
  const { row: _row, ...view } = viewsOf([row], roles, lookups).invitations[0]!;
  return view;
};

describe('an invitation judged', () => {
  const cases: { reason: string; row: Partial<InvitationRow>; roles?: string[]; lookups?: Partial<PortalLookups>; want: View }[] = [
    { reason: 'issued by the product, New, for the site, giving the role, expiring next week: ours and usable', row: {}, want: usable },
    { reason: 'created by a maker in Portal Management: not ours', row: { _createdby_value: MAKER }, want: { ...usable, ours: false } },
    { reason: 'the creator in upper case is still the product\'s user', row: { _createdby_value: APP_USER.toUpperCase() }, want: usable },
    { reason: 'no creator known: not ours', row: { _createdby_value: null }, want: { ...usable, ours: false } },
    { reason: 'WhoAmI gave no id: nothing is ours, not even a row without a creator', row: { _createdby_value: null }, lookups: { appUserId: '' }, want: { ...usable, ours: false } },
    { reason: 'status Redeemed: redeemed', row: { statuscode: INVITATION.redeemed }, want: { ...usable, redeemed: true } },
    { reason: 'a redeeming contact set before the status: redeemed', row: { _adx_redeemedcontact_value: C }, want: { ...usable, redeemed: true } },
    { reason: 'Sent, not redeemed: not redeemed', row: { statuscode: INVITATION.sent }, want: usable },
    { reason: 'expired yesterday: expired', row: { adx_expirydate: '2026-11-22' }, want: { ...usable, expired: true } },
    { reason: 'expiring tomorrow: not expired', row: { adx_expirydate: '2026-11-24' }, want: usable },
    { reason: 'expiring today: the portal refuses the code from 01:00 UTC, so it is expired already', row: { adx_expirydate: '2026-11-23' }, want: { ...usable, expired: true } },
    { reason: 'a date-time expiry (as Dataverse may return a DateOnly column) is compared by its date', row: { adx_expirydate: '2026-11-24T00:00:00Z' }, want: usable },
    { reason: 'no expiry date: never expires', row: { adx_expirydate: null }, want: usable },
    { reason: 'not associated with the site\'s role: does not give it', row: {}, roles: [], want: { ...usable, givesRole: false } },
    { reason: 'the role association listed in upper case is matched', row: { adx_invitationid: I1.toUpperCase() }, roles: [I1], want: usable },
    { reason: 'for another website: not on the site', row: { _adx_website_value: OTHER_WEBSITE }, want: { ...usable, onSite: false } },
    { reason: 'no website: not on the site', row: { _adx_website_value: null }, want: { ...usable, onSite: false } },
    { reason: 'the website id in upper case is the site', row: { _adx_website_value: 'B0000000-0000-4000-8000-00000000000B' }, want: usable },
  ];
  for (const tc of cases) it(tc.reason, () => expect(viewOf(invitationRow(I1, C, tc.row), tc.roles, tc.lookups)).toEqual(tc.want));
});

describe('the contact\'s invitations and role', () => {
  it('only the invitations whose invitee is the contact (in any case), oldest first, ties by id', () => {
    const rows = [
      invitationRow(invitationId(3), C.toUpperCase(), { createdon: '2026-11-20T00:00:00Z' }),
      invitationRow(invitationId(4), OTHER, { createdon: '2026-11-01T00:00:00Z' }),
      invitationRow(invitationId(2), C, { createdon: '2026-11-10T00:00:00Z' }),
      invitationRow(invitationId(5), C, { createdon: '2026-11-10T00:00:00Z' }),
      invitationRow(invitationId(6), null as unknown as string),
      invitationRow(I1, C, { createdon: null }),
    ];
    expect(viewsOf(rows).invitations.map((v) => v.row.adx_invitationid)).toEqual([I1, invitationId(2), invitationId(5), invitationId(3)]);
  });

  const roleCases: { reason: string; contactId: string; roleContactIds: string[]; want: boolean }[] = [
    { reason: 'listed among the role\'s contacts: holds the role', contactId: C, roleContactIds: [OTHER, C], want: true },
    { reason: 'not listed: does not', contactId: C, roleContactIds: [OTHER], want: false },
    { reason: 'the contact id read in upper case still matches the lower-case list', contactId: C.toUpperCase(), roleContactIds: [C], want: true },
  ];
  for (const tc of roleCases) {
    it(tc.reason, () => {
      const contact = portalContact(tc.contactId);
      const obs = portalObservation({ contacts: [contact], roleContactIds: tc.roleContactIds });
      expect(observedPortal(contact, desiredPortalFor(contact, undefined, obs), indexPortal(obs)).hasRole).toBe(tc.want);
    });
  }

  it('an observation without the portal lookups has no role holders and nothing of ours', () => {
    const contact = portalContact(C);
    const obs = { ...portalObservation({ contacts: [contact], invitations: [invitationRow(I1, C)] }), portal: undefined };
    const index = indexPortal(obs);
    expect({ roleContacts: [...index.roleContacts], roleInvitations: [...index.roleInvitations], appUserId: index.appUserId }).toEqual({ roleContacts: [], roleInvitations: [], appUserId: '' });
    expect(observedPortal(contact, desiredPortalFor(contact), index).invitations.map((v) => v.ours)).toEqual([false]);
  });
});
