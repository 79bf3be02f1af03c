/**
 * A tenant for the customer portal integration tests (issue 13): the engine fixture's demo tenant
 * (test/integration/engine-fixture.ts) with the Field Service portal's standard data model
 * (packages/tenant-sim/docs/simulator-dataverse.md "Portal tables"): the portal's website and
 * another one, a "Web API Users" role on each (names are unique per website only), the activated
 * Send Invitation workflow, and customer contacts of a customer account. The portal family is on
 * (PORTAL_WEBSITE_ID) next to the technicians (GUEST_SETTINGS). Also the simulator-side helpers the
 * portal tests share: the mailed code, redemption, and the contact's role and invitations.
 */
import type { Fixture } from 'tenant-sim';
import { GUEST_SETTINGS } from '../support/tenant.js';
import { engineFixture, type EngineTenant, type Technician } from './engine-fixture.js';

export const WEBSITE = 'a0000000-0000-4000-8000-000000000001';
export const OTHER_WEBSITE = 'a0000000-0000-4000-8000-000000000002';
export const ROLE = 'b0000000-0000-4000-8000-000000000001';
export const OTHER_ROLE = 'b0000000-0000-4000-8000-000000000002';
export const SEND_WORKFLOW = 'd0000000-0000-4000-8000-000000000001';
export const CUSTOMER_ACCOUNT = 'e0000000-0000-4000-8000-000000000001';

export const PORTAL_SETTINGS: Record<string, string> = { ...GUEST_SETTINGS, PORTAL_WEBSITE_ID: WEBSITE };

/** A customer contact (not a technician) of the customer account; access off unless `access`. */
export function customer(n: number, first: string, last: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    contactid: `f0000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    firstname: first,
    lastname: last,
    emailaddress1: `${first}.${last}@alpine-customer.example`.toLowerCase(),
    statecode: 0,
    statuscode: 1,
    _parentcustomerid_value: CUSTOMER_ACCOUNT,
    o25fs_portalaccess: false,
    ...extra,
  };
}

export function portalFixture(technicians: Technician[], customers: Record<string, unknown>[]): Fixture {
  const base = engineFixture(technicians);
  const dv = base.dataverse!;
  return {
    ...base,
    dataverse: {
      ...dv,
      accounts: [...(dv.accounts ?? []), { accountid: CUSTOMER_ACCOUNT, name: 'Alpine Ski House', statecode: 0, statuscode: 1 }],
      contacts: [...(dv.contacts ?? []), ...customers],
      adx_websites: [
        { adx_websiteid: WEBSITE, adx_name: 'Field Service Portal', statecode: 0, statuscode: 1 },
        { adx_websiteid: OTHER_WEBSITE, adx_name: 'Partner Portal', statecode: 0, statuscode: 1 },
      ],
      adx_webroles: [
        { adx_webroleid: ROLE, adx_name: 'Web API Users', _adx_websiteid_value: WEBSITE, statecode: 0, statuscode: 1 },
        { adx_webroleid: OTHER_ROLE, adx_name: 'Web API Users', _adx_websiteid_value: OTHER_WEBSITE, statecode: 0, statuscode: 1 },
      ],
      workflows: [{ workflowid: SEND_WORKFLOW, name: 'Send Invitation', type: 1, category: 0, primaryentity: 'adx_invitation', ondemand: true, statecode: 1, statuscode: 2 }],
    },
  };
}

export const DAY_MS = 86_400_000;

/** An engine clock `days` from now (ComposeOptions.now): the observation's time, so "today" moves too. */
export const daysLater = (days: number): { now: () => Date } => {
  const at = new Date(Date.now() + days * DAY_MS);
  return { now: () => at };
};

/** The code the Send Invitation workflow mailed for this invitation (GET /_sim/state keeps the emails, code included). */
export async function mailedCode(t: EngineTenant, invitationId: string): Promise<string> {
  const state = (await t.s.admin('GET', '/state')).json as { portal: { emails: { invitationId: string; code: string | null }[] } };
  const email = state.portal.emails.find((e) => e.invitationId === invitationId);
  if (!email?.code) throw new Error(`no email with a code for invitation ${invitationId}`);
  return email.code;
}

/** Redeems as the portal does (POST /_sim/portal/redeem), at `at` when given; the answer's status. */
export async function redeem(t: EngineTenant, code: string, at?: Date): Promise<number> {
  return (await t.s.admin('POST', '/portal/redeem', at ? { code, at: at.toISOString() } : { code })).status;
}

/** The contact's invitations (invitee), every state, oldest first by creation then id. */
export function invitationsOf(t: EngineTenant, contactId: string): Record<string, unknown>[] {
  return t
    .table('adx_invitations')
    .filter((r) => r._adx_invitecontact_value === contactId.toLowerCase())
    .sort((a, b) => String(a.createdon).localeCompare(String(b.createdon)) || String(a.adx_invitationid).localeCompare(String(b.adx_invitationid)));
}

/** Does the contact hold the portal's web role (an adx_webrole_contact intersect row)? */
export function hasRole(t: EngineTenant, contactId: string): boolean {
  return t.table('adx_webrole_contact').some((r) => r.adx_webroleid === ROLE && r.contactid === contactId.toLowerCase());
}

/** Does the invitation give the portal's web role (an adx_invitation_webrole intersect row)? */
export function givesRole(t: EngineTenant, invitationId: string): boolean {
  return t.table('adx_invitation_webrole').some((r) => r.adx_webroleid === ROLE && r.adx_invitationid === invitationId.toLowerCase());
}
