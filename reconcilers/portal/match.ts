/**
 * What the observation holds for one customer contact: whether it has the site's web role, and its
 * active invitations of any type, each judged (ours, redeemed, expired, giving the role, for the site;
 * invitation.ts tells Single from Group).
 * "Ours" is proved by Dataverse itself: the invitation's creator is the product's application user
 * (WhoAmI), which no one else can be.
 */
import type { Observation } from '../../src/model/observation.js';
import type { InvitationRow, PortalContactRow } from './rows.js';
import { INVITATION } from './rows.js';
import type { DesiredPortal, InvitationView, ObservedPortal } from './state.js';

const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

export interface PortalIndex {
  roleContacts: ReadonlySet<string>;
  roleInvitations: ReadonlySet<string>;
  byInvitee: ReadonlyMap<string, InvitationRow[]>;
  appUserId: string;
}

export function indexPortal(observation: Observation): PortalIndex {
  const p = observation.portal;
  const byInvitee = new Map<string, InvitationRow[]>();
  for (const row of observation.portalInvitations ?? []) {
    const key = lc(row._adx_invitecontact_value);
    if (key) byInvitee.set(key, [...(byInvitee.get(key) ?? []), row]);
  }
  return {
    roleContacts: new Set(p?.roleContactIds ?? []),
    roleInvitations: new Set(p?.roleInvitationIds ?? []),
    byInvitee,
    appUserId: lc(p?.appUserId),
  };
}

export function observedPortal(contact: PortalContactRow, desired: DesiredPortal, index: PortalIndex): ObservedPortal {
  const id = lc(contact.contactid);
  const invitations: InvitationView[] = (index.byInvitee.get(id) ?? [])
    .map((row) => ({
      row,
      ours: index.appUserId !== '' && lc(row._createdby_value) === index.appUserId,
      redeemed: row.statuscode === INVITATION.redeemed || row._adx_redeemedcontact_value !== null,
      // The portal refuses a code from its expiry date's first hour (UTC) on: expired on that day already.
      expired: row.adx_expirydate !== null && row.adx_expirydate.slice(0, 10) <= desired.today,
      givesRole: index.roleInvitations.has(lc(row.adx_invitationid)),
      onSite: lc(row._adx_website_value) === desired.websiteId,
    }))
    .sort((a, b) => String(a.row.createdon ?? '').localeCompare(String(b.row.createdon ?? '')) || a.row.adx_invitationid.localeCompare(b.row.adx_invitationid));
  return { contact, hasRole: index.roleContacts.has(id), invitations };
}
