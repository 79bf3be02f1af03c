/**
 * The customer portal family's desired state (reconcilers/portal/desired.ts) for one contact: the
 * intent per access flag, contact state and stored portal status; the email the invitation is
 * mailed to; the expiry date PORTAL_INVITATION_EXPIRY_DAYS from the observation's time (a UTC
 * calendar date: adx_expirydate is DateOnly); the display name.
 */
import { describe, expect, it } from 'vitest';
import { computePortalDesired, intentOf, utcDate, type PortalDesiredOutcome } from '../../../reconcilers/portal/desired.js';
import type { PortalContactRow } from '../../../reconcilers/portal/rows.js';
import type { PortalSettings } from '../../../reconcilers/portal/settings.js';
import type { DesiredPortal, PortalIntent } from '../../../reconcilers/portal/state.js';
import { ACCOUNT, NOW, ROLE, WEBSITE, WORKFLOW, contactId, portalContact, portalSettings } from '../../support/portal-model.js';

const C = contactId(1);
const context = { roleId: ROLE, sendWorkflowId: WORKFLOW, now: Date.parse(NOW) };
const outcome = (c: Partial<PortalContactRow>, s: Partial<PortalSettings> = {}, now = NOW): PortalDesiredOutcome =>
  computePortalDesired(portalContact(C, c), portalSettings(s), { ...context, now: Date.parse(now) });
function desired(c: Partial<PortalContactRow>, s: Partial<PortalSettings> = {}, now = NOW): DesiredPortal {
  const out = outcome(c, s, now);
  if (!out.ok) throw new Error(`unexpected error: ${out.error.message}`);
  return out.desired;
}

describe('portal intent', () => {
  const cases: { reason: string; contact: Partial<PortalContactRow>; want: PortalIntent }[] = [
    { reason: 'access on and active: provision', contact: { o25fs_portalaccess: true, statecode: 0 }, want: 'provision' },
    { reason: 'access on, active, already managed: still provision', contact: { o25fs_portalaccess: true, statecode: 0, o25fs_portalstatus: 808950002 }, want: 'provision' },
    { reason: 'access off on a contact the product managed (a stored portal status): deprovision', contact: { o25fs_portalaccess: false, o25fs_portalstatus: 808950001 }, want: 'deprovision' },
    { reason: 'access never set (null) on a managed contact: deprovision', contact: { o25fs_portalaccess: null, o25fs_portalstatus: 808950000 }, want: 'deprovision' },
    { reason: 'access on but the contact deactivated, managed: deprovision', contact: { o25fs_portalaccess: true, statecode: 1, o25fs_portalstatus: 808950002 }, want: 'deprovision' },
    { reason: 'an Error status counts as managed: access off deprovisions', contact: { o25fs_portalaccess: false, o25fs_portalstatus: 808950004 }, want: 'deprovision' },
    { reason: 'access off on a contact never managed (no portal status): ignore', contact: { o25fs_portalaccess: false, o25fs_portalstatus: null }, want: 'ignore' },
    { reason: 'access never set and never managed: ignore', contact: { o25fs_portalaccess: null, o25fs_portalstatus: null }, want: 'ignore' },
    { reason: 'deactivated and never managed, even with access on: ignore (nothing of ours to remove)', contact: { o25fs_portalaccess: true, statecode: 1, o25fs_portalstatus: null }, want: 'ignore' },
  ];
  for (const tc of cases) {
    it(tc.reason, () => {
      expect(intentOf(portalContact(C, tc.contact))).toBe(tc.want);
      const out = outcome({ ...tc.contact, emailaddress1: 'carla@customer.example' });
      expect(out.ok ? out.desired.intent : out.intent).toBe(tc.want);
    });
  }
});

describe('portal email', () => {
  const missing = `Contact ${C} should have portal access but has no email address (emailaddress1); the invitation is mailed there.`;
  const unusable = `Contact ${C} should have portal access but its email address is not usable (emailaddress1); the invitation is mailed there.`;
  const cases: { reason: string; contact: Partial<PortalContactRow>; want: { email: string } | { message: string } }[] = [
    { reason: 'a plain address is the one mailed', contact: { emailaddress1: 'carla@customer.example' }, want: { email: 'carla@customer.example' } },
    { reason: 'spaces around the address are trimmed', contact: { emailaddress1: '  carla@customer.example \t' }, want: { email: 'carla@customer.example' } },
    { reason: 'no address: the row is an error, the invitation has nowhere to go', contact: { emailaddress1: null }, want: { message: missing } },
    { reason: 'only spaces: the same as none', contact: { emailaddress1: '   ' }, want: { message: missing } },
    { reason: 'no @: not usable', contact: { emailaddress1: 'carla.customer.example' }, want: { message: unusable } },
    { reason: 'no dot in the domain: not usable', contact: { emailaddress1: 'carla@customer' }, want: { message: unusable } },
    { reason: 'a space inside: not usable', contact: { emailaddress1: 'carla customer@customer.example' }, want: { message: unusable } },
    { reason: 'access off on a managed contact needs no email: its access is removed anyway', contact: { emailaddress1: null, o25fs_portalaccess: false, o25fs_portalstatus: 808950001 }, want: { email: '' } },
    { reason: 'a deactivated managed contact with a broken email is still deprovisioned', contact: { emailaddress1: 'broken', statecode: 1, o25fs_portalstatus: 808950002 }, want: { email: 'broken' } },
  ];
  for (const tc of cases) {
    it(tc.reason, () => {
      const out = outcome(tc.contact);
      if ('email' in tc.want) {
        expect(out.ok && out.desired.email).toBe(tc.want.email);
        return;
      }
      expect(out.ok).toBe(false);
      if (out.ok) return;
      expect(out.intent).toBe('provision');
      expect(out.error.toJSON()).toEqual({ class: 'contact', code: 'PORTAL_EMAIL_MISSING', message: tc.want.message, action: "Enter the customer's email address on the contact; the next run issues the invitation." });
    });
  }
});

describe('portal expiry date and today', () => {
  const cases: { reason: string; now: string; days: number; expiry: string; today: string }[] = [
    { reason: 'the default 14 days from the observation', now: NOW, days: 14, expiry: '2026-12-07', today: '2026-11-23' },
    { reason: 'one day', now: NOW, days: 1, expiry: '2026-11-24', today: '2026-11-23' },
    { reason: 'the most, 365 days, across a year end', now: NOW, days: 365, expiry: '2027-11-23', today: '2026-11-23' },
    { reason: 'a second before midnight UTC counts from that day', now: '2026-11-23T23:59:59.999Z', days: 14, expiry: '2026-12-07', today: '2026-11-23' },
    { reason: 'midnight UTC is the next day', now: '2026-11-24T00:00:00.000Z', days: 14, expiry: '2026-12-08', today: '2026-11-24' },
    { reason: 'across the end of February in a leap year', now: '2028-02-20T12:00:00.000Z', days: 10, expiry: '2028-03-01', today: '2028-02-20' },
  ];
  for (const tc of cases) {
    it(tc.reason, () => {
      const d = desired({}, { invitationExpiryDays: tc.days }, tc.now);
      expect({ expiryDate: d.expiryDate, today: d.today }).toEqual({ expiryDate: tc.expiry, today: tc.today });
    });
  }
  it('utcDate is the ISO calendar date in UTC, whatever the local zone', () => {
    expect(utcDate(Date.parse('2026-11-23T23:30:00-05:00'))).toBe('2026-11-24');
  });
});

describe('portal display name', () => {
  const cases: { reason: string; contact: Partial<PortalContactRow>; want: string }[] = [
    { reason: 'the full name, trimmed', contact: { fullname: '  Carla Customer ' }, want: 'Carla Customer' },
    { reason: 'no full name: the email', contact: { fullname: null }, want: 'carla@customer.example' },
    { reason: 'a blank full name: the email, trimmed', contact: { fullname: '  ', emailaddress1: ' carla@customer.example ' }, want: 'carla@customer.example' },
    { reason: 'neither (a deprovisioned contact may have neither): the contact id', contact: { fullname: null, emailaddress1: null, o25fs_portalaccess: false, o25fs_portalstatus: 808950001 }, want: C },
  ];
  for (const tc of cases) it(tc.reason, () => expect(desired(tc.contact).displayName).toBe(tc.want));
  it('an error row keeps its display name for the report', () => {
    const out = outcome({ fullname: ' Carla ', emailaddress1: null });
    expect(out.ok ? null : out.displayName).toBe('Carla');
  });
});

describe('the whole desired state', () => {
  it('carries the site, the role, the workflow and sending, with ids in lower case', () => {
    const d = desired({ contactid: C.toUpperCase() }, { websiteId: WEBSITE.toUpperCase(), sendInvitation: false });
    expect(d).toEqual({
      contactId: C,
      accountId: ACCOUNT,
      displayName: 'Carla Customer',
      email: 'carla@customer.example',
      intent: 'provision',
      websiteId: WEBSITE,
      roleId: ROLE,
      expiryDate: '2026-12-07',
      today: '2026-11-23',
      observedAt: '2026-11-23T10:00:00.000Z',
      sendInvitation: false,
      sendWorkflowId: WORKFLOW,
    });
  });
  it('a contact without a parent account has no group account', () => {
    expect(desired({ _parentcustomerid_value: null }).accountId).toBeNull();
  });
});
