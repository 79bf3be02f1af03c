/**
 * computeDesired for the account type (reconcilers/technicians/desired.ts, issue 12): Guest stays
 * today's desired state, Service account gets its deterministic names, segment and the persona's
 * licences, and the three row errors stop only what they must.
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT_TYPE, computeDesired, indexLookups } from '../../../reconcilers/technicians/desired.js';
import type { ContactRow } from '../../../reconcilers/technicians/rows.js';
import type { Settings } from '../../../src/config.js';
import type { AccountRow } from '../../../src/model/rows.js';
import { GROUP, SA_DOMAIN, SKU, contactRow, observation, serviceAccountsOn, testSettings } from '../../support/model.js';

const ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const SKU_B = '0c7af6b0-fe37-4ff7-9b7c-0b2a8c1a1a1b';
const sku = SKU.toLowerCase();
const saSettings = testSettings(serviceAccountsOn([sku, SKU_B]));

const contact = (overrides: Partial<ContactRow> = {}): ContactRow =>
  contactRow(ID, { fullname: 'Zoë Müller', firstname: 'Zoë', lastname: 'Müller', emailaddress1: 'zoe@vendor.example', address1_country: 'Germany', ...overrides });

function desiredOf(c: ContactRow, settings: Settings = saSettings, accounts: AccountRow[] = [{ accountid: 'acc-1', name: 'Fabrikam Services' }]) {
  return computeDesired(c, [], indexLookups(observation({ accounts })), settings);
}

function okDesired(c: ContactRow, settings?: Settings, accounts?: AccountRow[]) {
  const out = desiredOf(c, settings, accounts);
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
  return out.desired;
}

const service = { o25fs_accounttype: ACCOUNT_TYPE.service };
const guestMark = `vendor-reconciler:v1;contact=${ID};group=${GROUP};sku=${sku}`;

describe('account type: guest', () => {
  const today = okDesired(contact(), testSettings());
  const cases = [
    { reason: 'no value (null) is a guest, exactly as before the column existed', c: contact({ o25fs_accounttype: null }), settings: testSettings() },
    { reason: '808950000 is a guest', c: contact({ o25fs_accounttype: ACCOUNT_TYPE.guest }), settings: testSettings() },
    { reason: 'a guest with service accounts set up is not touched by their settings (its licence stays LICENSE_SKU_ID)', c: contact({ o25fs_accounttype: ACCOUNT_TYPE.guest }), settings: saSettings },
  ];
  for (const tc of cases) it(tc.reason, () => expect(okDesired(tc.c, tc.settings)).toEqual(today));

  it("today's guest: account guest, no service account, LICENSE_SKU_ID, the mark without account=service, accountEnabled not managed", () => {
    expect(today.account).toBe('guest');
    expect(today.serviceAccount).toBeNull();
    expect(today.licence).toEqual({ skuIds: [sku], assigned: true });
    expect(today.owner).toEqual({ attribute: 'extensionAttribute15', mark: guestMark });
    expect(today.user).toEqual({ displayName: 'Zoë Müller', givenName: 'Zoë', surname: 'Müller', usageLocation: 'DE' });
  });
});

describe('account type: service account', () => {
  it('808950001 gives the exact service account, the persona licences, the service mark and accountEnabled true', () => {
    const d = okDesired(contact(service));
    expect(d.account).toBe('service');
    expect(d.serviceAccount).toEqual({
      userPrincipalName: `fabrikam-services_zoe.muller_3f2504e0@${SA_DOMAIN}`,
      mailNickname: 'vr-3f2504e04f8911d39a0c0305e82c3301',
      segment: { attribute: 'companyName', value: 'Fabrikam Services' },
    });
    expect(d.licence).toEqual({ skuIds: [sku, SKU_B], assigned: true });
    expect(d.owner).toEqual({ attribute: 'extensionAttribute15', mark: `vendor-reconciler:v1;contact=${ID};account=service;group=${GROUP};sku=${sku},${SKU_B}` });
    expect(d.user).toEqual({ displayName: 'Zoë Müller', givenName: 'Zoë', surname: 'Müller', usageLocation: 'DE', accountEnabled: true });
    expect(d.email).toBe('zoe@vendor.example');
  });

  it('deactivated: accountEnabled false, licences and group not wanted, the names still known', () => {
    const d = okDesired(contact({ ...service, statecode: 1 }));
    expect([d.intent, d.user.accountEnabled, d.licence, d.group.member, d.serviceAccount?.mailNickname]).toEqual(['deprovision', false, { skuIds: [sku, SKU_B], assigned: false }, false, 'vr-3f2504e04f8911d39a0c0305e82c3301']);
  });

  it('ignored (Setup Technician off): accountEnabled not managed', () => {
    expect(okDesired(contact({ ...service, o25fs_setuptechnician: false })).user.accountEnabled).toBeUndefined();
  });

  const segments: { reason: string; attribute: string; vendor: string; want: string }[] = [
    { reason: 'companyName holds 64 characters: a longer vendor name is cut', attribute: 'companyName', vendor: 'V'.repeat(100), want: 'V'.repeat(64) },
    { reason: 'department holds 64', attribute: 'department', vendor: 'D'.repeat(100), want: 'D'.repeat(64) },
    { reason: 'officeLocation holds 128', attribute: 'officeLocation', vendor: 'O'.repeat(200), want: 'O'.repeat(128) },
    { reason: 'an extension attribute holds 1,024', attribute: 'extensionAttribute3', vendor: 'E'.repeat(2000), want: 'E'.repeat(1024) },
    { reason: 'a name that fits is kept whole, accents and all', attribute: 'extensionAttribute3', vendor: 'Zoë & Søn', want: 'Zoë & Søn' },
    { reason: 'controls and a bidi override in the vendor name never reach the segment', attribute: 'companyName', vendor: 'Fab\u0000rikam\u202E', want: 'Fabrikam' },
  ];
  for (const tc of segments) {
    it(tc.reason, () => {
      const settings = testSettings({ serviceAccounts: { domain: SA_DOMAIN, skuIds: [sku], segmentAttribute: tc.attribute } });
      expect(okDesired(contact(service), settings, [{ accountid: 'acc-1', name: tc.vendor }]).serviceAccount?.segment).toEqual({ attribute: tc.attribute, value: tc.want });
    });
  }

  it('the UPN carries the cleaned vendor name (controls dropped before the slug)', () => {
    expect(okDesired(contact(service), saSettings, [{ accountid: 'acc-1', name: 'Fab\u0000rikam\u202E' }]).serviceAccount?.userPrincipalName).toBe(`fabrikam_zoe.muller_3f2504e0@${SA_DOMAIN}`);
  });
});

describe('account type: errors', () => {
  const notConfigured = `Contact ${ID} asks for a service account (o25fs_accounttype), but SERVICE_ACCOUNT_DOMAIN is not set, so none can be created. Nothing is changed for this contact.`;
  const vendorMissing = (suffix: string): string =>
    `Contact ${ID} asks for a service account, which carries its vendor's name (the information-barrier segment), but the contact has no vendor account${suffix}. Nothing is changed for this contact.`;
  const cases: { reason: string; c: ContactRow; settings?: Settings; accounts?: AccountRow[]; code: string; message: string }[] = [
    {
      reason: 'an option value that is neither Guest nor Service account',
      c: contact({ o25fs_accounttype: 808950002 }),
      code: 'ACCOUNT_TYPE_UNKNOWN',
      message: `The account type (o25fs_accounttype) of contact ${ID} is 808950002, which is neither Guest (808950000) nor Service account (808950001). Nothing is changed for this contact.`,
    },
    {
      reason: 'an unknown option stops a deactivated contact too (which identity to remove is unknown)',
      c: contact({ o25fs_accounttype: 0, statecode: 1 }),
      code: 'ACCOUNT_TYPE_UNKNOWN',
      message: `The account type (o25fs_accounttype) of contact ${ID} is 0, which is neither Guest (808950000) nor Service account (808950001). Nothing is changed for this contact.`,
    },
    { reason: 'a service account asked for while SERVICE_ACCOUNT_DOMAIN is unset', c: contact(service), settings: testSettings(), code: 'SERVICE_ACCOUNT_NOT_CONFIGURED', message: notConfigured },
    { reason: 'no vendor on the contact', c: contact({ ...service, _parentcustomerid_value: null }), code: 'SERVICE_ACCOUNT_VENDOR_MISSING', message: vendorMissing('') },
    { reason: 'a vendor id that is not among the accounts read', c: contact({ ...service, _parentcustomerid_value: 'acc-gone' }), code: 'SERVICE_ACCOUNT_VENDOR_MISSING', message: vendorMissing('') },
    { reason: 'a vendor account without a name', c: contact(service), accounts: [{ accountid: 'acc-1', name: null }], code: 'SERVICE_ACCOUNT_VENDOR_MISSING', message: vendorMissing(' with a name') },
    { reason: 'a vendor account whose name is only controls', c: contact(service), accounts: [{ accountid: 'acc-1', name: '\u0000\u202E ' }], code: 'SERVICE_ACCOUNT_VENDOR_MISSING', message: vendorMissing(' with a name') },
  ];
  for (const tc of cases) {
    it(tc.reason, () => {
      const out = desiredOf(tc.c, tc.settings, tc.accounts);
      expect(out.ok ? 'ok' : [out.error.code, out.error.message]).toEqual([tc.code, tc.message]);
    });
  }

  it('SERVICE_ACCOUNT_NOT_CONFIGURED stops only a provision: a deactivated service-account contact still loses access', () => {
    const d = okDesired(contact({ ...service, statecode: 1 }), testSettings());
    expect([d.intent, d.account, d.serviceAccount, d.user.accountEnabled, d.licence.assigned, d.group.member, d.bookableResource.active]).toEqual(['deprovision', 'service', null, false, false, false, false]);
  });

  it('SERVICE_ACCOUNT_VENDOR_MISSING stops only a provision too', () => {
    const d = okDesired(contact({ ...service, statecode: 1, _parentcustomerid_value: null }));
    expect([d.intent, d.serviceAccount, d.user.accountEnabled]).toEqual(['deprovision', null, false]);
  });
});
