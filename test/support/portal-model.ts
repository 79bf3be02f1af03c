/**
 * Builders for the customer portal family's tests (reconcilers/portal/): contact and invitation rows,
 * an Observation with the portal's lookups, settings with only the portal family on, and the desired
 * and observed state of one contact as the family's plan computes them. Ids are lower-case GUIDs, as
 * Dataverse returns them.
 */
import type { Settings } from '../../src/config.js';
import type { Observation } from '../../src/model/observation.js';
import { computePortalDesired } from '../../reconcilers/portal/desired.js';
import { indexPortal, observedPortal } from '../../reconcilers/portal/match.js';
import type { PortalLookups } from '../../reconcilers/portal/observation.js';
import { INVITATION, type InvitationRow, type PortalContactRow } from '../../reconcilers/portal/rows.js';
import type { PortalSettings } from '../../reconcilers/portal/settings.js';
import type { DesiredPortal, ObservedPortal } from '../../reconcilers/portal/state.js';
import { observation } from './model.js';
import '../../reconcilers/portal/observation.js';

export const WEBSITE = 'b0000000-0000-4000-8000-00000000000b';
export const OTHER_WEBSITE = 'b0000000-0000-4000-8000-0000000000ff';
export const ROLE = 'd0000000-0000-4000-8000-00000000000d';
export const ROLE_ON_OTHER_SITE = 'd0000000-0000-4000-8000-0000000000ff';
export const WORKFLOW = 'e0000000-0000-4000-8000-00000000000e';
/** The product's application user (WhoAmI): the creator of its invitations. */
export const APP_USER = 'f0000000-0000-4000-8000-00000000000f';
/** A maker who issued invitations by hand in Portal Management. */
export const MAKER = 'f0000000-0000-4000-8000-0000000000aa';
export const ACCOUNT = 'a0000000-0000-4000-8000-0000000000c1';
export const DATAVERSE_URL = 'https://contoso.crm.dynamics.com';
/** The observations' time; "today" is 2026-11-23 (UTC). */
export const NOW = '2026-11-23T10:00:00.000Z';
export const TODAY = '2026-11-23';

/** A contact id `c0000000-…-<n>` (n < 4096). */
export const contactId = (n: number): string => `c0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
/** An invitation id `10000000-…-<n>`. */
export const invitationId = (n: number): string => `10000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export function portalSettings(overrides: Partial<PortalSettings> = {}): PortalSettings {
  return { websiteId: WEBSITE, webRoleName: 'Web API Users', invitationExpiryDays: 14, sendInvitation: true, sendInvitationWorkflowName: 'Send Invitation', ...overrides };
}

/** Core settings with only the portal family on. */
export function portalTestSettings(overrides: Partial<PortalSettings> = {}): Settings {
  return { dataverseUrl: DATAVERSE_URL, graphBaseUrl: 'https://graph.microsoft.com/v1.0', families: { portal: portalSettings(overrides) } };
}

/** An active customer contact with portal access on, never yet managed by the product. */
export function portalContact(id: string, overrides: Partial<PortalContactRow> = {}): PortalContactRow {
  return {
    contactid: id,
    fullname: 'Carla Customer',
    emailaddress1: 'carla@customer.example',
    statecode: 0,
    _parentcustomerid_value: ACCOUNT,
    createdon: '2026-01-05T08:00:00Z',
    o25fs_portalaccess: true,
    o25fs_portalstatus: null,
    o25fs_portalerror: null,
    ...overrides,
  };
}

/** A usable invitation the product issued for `invitee`: New, for the site, expiring in a week. */
export function invitationRow(id: string, invitee: string, overrides: Partial<InvitationRow> = {}): InvitationRow {
  return {
    adx_invitationid: id,
    adx_name: 'Portal invitation: Carla Customer',
    adx_type: INVITATION.single,
    adx_expirydate: '2026-11-30',
    _adx_invitecontact_value: invitee,
    _adx_redeemedcontact_value: null,
    _adx_website_value: WEBSITE,
    adx_redemptions: 0,
    statecode: 0,
    statuscode: INVITATION.new,
    createdon: '2026-11-16T09:00:00Z',
    _createdby_value: APP_USER,
    ...overrides,
  };
}

export interface PortalTenant {
  contacts?: PortalContactRow[];
  invitations?: InvitationRow[];
  /** Contacts holding the site's role; invitations giving it. */
  roleContactIds?: string[];
  roleInvitationIds?: string[];
  lookups?: Partial<PortalLookups>;
  observedAt?: string;
}

/** An observation of a tenant with the portal family's rows and lookups (a valid configuration). */
export function portalObservation(t: PortalTenant = {}): Observation {
  return observation({
    observedAt: t.observedAt ?? NOW,
    portalContacts: t.contacts ?? [],
    portalInvitations: t.invitations ?? [],
    portal: {
      website: { adx_websiteid: WEBSITE, adx_name: 'Customer self-service' },
      roles: [
        { adx_webroleid: ROLE, adx_name: 'Web API Users', _adx_websiteid_value: WEBSITE },
        { adx_webroleid: ROLE_ON_OTHER_SITE, adx_name: 'Web API Users', _adx_websiteid_value: OTHER_WEBSITE },
      ],
      roleContactIds: t.roleContactIds ?? [],
      roleInvitationIds: t.roleInvitationIds ?? [],
      sendWorkflowId: WORKFLOW,
      appUserId: APP_USER,
      accounts: [{ accountid: ACCOUNT, name: 'Northwind Traders' }],
      ...t.lookups,
    },
  });
}

/** The desired state of a contact (it must be valid) as the family's plan computes it. */
export function desiredPortalFor(contact: PortalContactRow, settings: PortalSettings = portalSettings(), obs: Observation = portalObservation()): DesiredPortal {
  const out = computePortalDesired(contact, settings, { roleId: ROLE, sendWorkflowId: obs.portal?.sendWorkflowId ?? null, now: Date.parse(obs.observedAt) });
  if (!out.ok) throw new Error(out.error.message);
  return out.desired;
}

/**
 * Every contact the family's plan diffs in `obs` (reconcilers/portal/family.ts planPortal): those
 * whose desired state computes, with their observed state; the web role is the site's one by name.
 */
export function portalSubjects(obs: Observation, settings: PortalSettings): { desired: DesiredPortal; observed: ObservedPortal }[] {
  const p = obs.portal;
  const role = p?.roles.find((r) => r._adx_websiteid_value?.toLowerCase() === settings.websiteId.toLowerCase());
  if (!p || !role) return [];
  const context = { roleId: role.adx_webroleid.toLowerCase(), sendWorkflowId: p.sendWorkflowId, now: Date.parse(obs.observedAt) };
  const index = indexPortal(obs);
  return (obs.portalContacts ?? []).flatMap((contact) => {
    const out = computePortalDesired(contact, settings, context);
    return out.ok ? [{ desired: out.desired, observed: observedPortal(contact, out.desired, index) }] : [];
  });
}

/** The desired and observed state of the tenant's one contact `id`, as the plan computes them. */
export function portalStateOf(obs: Observation, id: string, settings: PortalSettings = portalSettings()): { desired: DesiredPortal; observed: ObservedPortal } {
  const contact = (obs.portalContacts ?? []).find((c) => c.contactid === id);
  if (!contact) throw new Error(`no contact ${id}`);
  const desired = desiredPortalFor(contact, settings, obs);
  return { desired, observed: observedPortal(contact, desired, indexPortal(obs)) };
}
