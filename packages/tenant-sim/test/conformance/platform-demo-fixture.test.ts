/**
 * The demo fixture (issue 2 "Fixtures and control": at least 3 vendor accounts and 50 technician
 * contacts covering every state the reconciler will meet, documented in docs/simulator.md).
 * Converged rows follow issue 3's mapping; the user sync's rule is
 * learn.microsoft.com/power-platform/admin/create-users.
 * That fixtures/demo.json is this generator's output, and that its ownership mark is the product's,
 * is the product's test (test/unit/demo-fixture-files.test.ts): both name product files.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CASES, DEMO_PEOPLE, type DemoCase } from '../../src/demo-cases.js';
import { buildDemoFixture, demoGuestSettings, demoId, demoSettings } from '../../src/demo-fixture.js';
import { PORTAL_CASES, PORTAL_PEOPLE, PORTAL_WEB_ROLE_ID, PORTAL_WEBSITE_ID, SEND_INVITATION_WORKFLOW_ID, type PortalCase } from '../../src/demo-portal.js';
import { startSim, type RunningSim } from '../support/sim.js';

type Row = Record<string, any>;
const ROOT = resolve(import.meta.dirname, '../..');
const fixture = buildDemoFixture() as any;
const settings = demoSettings();
const dv = fixture.dataverse as Record<string, Row[]>;
const users = fixture.graph.users as Row[];
const tech = (fixture.graph.groups as Row[]).find((g) => g.id === settings.TECHNICIAN_GROUP_ID)!;

/** ContactRow of the product (reconcilers/technicians/rows.ts), column for column. */
const CONTACT_COLUMNS = [
  'contactid', 'fullname', 'firstname', 'lastname', 'emailaddress1', 'statecode', 'statuscode', '_parentcustomerid_value',
  'address1_country', 'address1_latitude', 'address1_longitude', 'o25fs_setuptechnician', '_o25fs_bookableresourceid_value',
  'o25fs_startlocation', 'o25fs_endlocation', '_o25fs_organizationalunitid_value', 'o25fs_displayonscheduleboard',
  'o25fs_enableforavailabilitysearch', 'o25fs_hourlyrate', 'o25fs_timeoffapprovalrequired', '_o25fs_warehouseid_value',
  'o25fs_entraobjectid', 'o25fs_provisioningstatus', 'o25fs_provisioningerror', 'o25fs_invitationpendingon', 'o25fs_accounttype',
  // The owner of a user-owned row (src/dataverse/ownership.ts): every demo contact has its vendor's team.
  '_ownerid_value', '_owninguser_value', '_owningteam_value',
];
/**
 * A customer contact of the portal (the product's PortalContactRow, reconcilers/portal/rows.ts, less
 * createdon, which the simulator sets): not a technician, and owned by the customer service team.
 */
const CUSTOMER_COLUMNS = [
  'contactid', 'fullname', 'firstname', 'lastname', 'emailaddress1', 'statecode', 'statuscode', '_parentcustomerid_value',
  'o25fs_setuptechnician', 'o25fs_portalaccess', 'o25fs_portalstatus', 'o25fs_portalerror', '_ownerid_value', '_owninguser_value', '_owningteam_value',
];
const MAPPED: [string, string][] = [
  ['msdyn_startlocation', 'o25fs_startlocation'], ['msdyn_endlocation', 'o25fs_endlocation'],
  ['_msdyn_organizationalunit_value', '_o25fs_organizationalunitid_value'], ['msdyn_displayonscheduleboard', 'o25fs_displayonscheduleboard'],
  ['msdyn_displayonscheduleassistant', 'o25fs_enableforavailabilitysearch'], ['msdyn_hourlyrate', 'o25fs_hourlyrate'],
  ['msdyn_timeoffapprovalrequired', 'o25fs_timeoffapprovalrequired'], ['_msdyn_warehouse_value', '_o25fs_warehouseid_value'],
];

const contactOf = (key: string): Row => dv.contacts!.find((c) => c.contactid === demoId(`contact:${key}`))!;
const keysOf = (c: DemoCase): string[] => DEMO_PEOPLE.filter((p) => p.case === c).map((p) => p.key);

/** Everything that differs from "provisioned and converged" for one contact (issue 3's desired state). */
function problems(contact: Row): string[] {
  const out: string[] = [];
  const user = users.find((u) => u.id === contact.o25fs_entraobjectid);
  if (!user) return ['no anchored user'];
  if (user.displayName !== contact.fullname || String(user.mail).toLowerCase() !== contact.emailaddress1) out.push('user attributes');
  if (!user.usageLocation) out.push('usageLocation');
  if (!user.assignedLicenses.some((l: Row) => l.skuId === settings.LICENSE_SKU_ID)) out.push('licence');
  if (!tech.members.includes(user.id)) out.push('group');
  const su = dv.systemusers!.find((s) => s.azureactivedirectoryobjectid === user.id);
  if (!su || su.isdisabled) return [...out, 'systemuser'];
  if (su.address1_latitude !== contact.address1_latitude || su.address1_longitude !== contact.address1_longitude) out.push('coordinates');
  const br = dv.bookableresources!.find((b) => b.bookableresourceid === contact._o25fs_bookableresourceid_value);
  if (!br) return [...out, 'bookable resource'];
  if (br._userid_value !== su.systemuserid || br.resourcetype !== 3 || br.statecode !== 0 || br.statuscode !== 1) out.push('resource link or state');
  if (br.name !== contact.fullname || br.timezone !== Number(settings.DEFAULT_TIMEZONE_CODE) || MAPPED.some(([b, c]) => br[b] !== contact[c])) out.push('resource columns');
  const want = dv.o25fs_vendorcharacteristics!.filter((v) => v._o25fs_vendorcontactid_value === contact.contactid && v.statecode === 0)
    .map((v) => `${v._o25fs_characteristicid_value}/${v._o25fs_ratingvalueid_value}`).sort();
  const have = dv.bookableresourcecharacteristics!.filter((r) => r._resource_value === br.bookableresourceid && r.statecode === 0)
    .map((r) => `${r._characteristic_value}/${r._ratingvalue_value}`).sort();
  if (JSON.stringify(want) !== JSON.stringify(have)) out.push('characteristics');
  return out;
}

describe('demo fixture', () => {
  it('has at least 3 vendor accounts and 50 technician contacts with exactly the ContactRow columns', () => {
    expect(dv.accounts!.length).toBeGreaterThanOrEqual(3);
    expect(dv.contacts!.filter((c) => c.o25fs_setuptechnician).length).toBeGreaterThanOrEqual(50);
    const customers = new Set(PORTAL_PEOPLE.map((p) => demoId(`contact:${p.key}`)));
    for (const c of dv.contacts!) expect(Object.keys(c).sort(), String(c.fullname)).toEqual([...(customers.has(c.contactid) ? CUSTOMER_COLUMNS : CONTACT_COLUMNS)].sort());
    expect(dv.contacts!.filter((c) => !customers.has(c.contactid)).length).toBe(DEMO_PEOPLE.length);
    const tenantDomains = fixture.tenant.verifiedDomains as string[];
    for (const c of dv.contacts!) expect(tenantDomains.some((d) => String(c.emailaddress1).toLowerCase().endsWith(`@${d}`))).toBe(false);
    expect(dv.characteristics!.length).toBeGreaterThanOrEqual(5);
    expect(dv.ratingmodels).toHaveLength(2);
    expect(dv.ratingvalues!.filter((r) => r._ratingmodel_value === dv.ratingmodels![0]!.ratingmodelid).map((r) => r.value)).toEqual([1, 2, 3, 4, 5]);
    expect(dv.o25fs_vendorcharacteristics!.some((v) => v.statecode === 1)).toBe(true);
  });

  it('every documented case has contacts, and each is in the state its row of docs/simulator.md says', () => {
    const doc = readFileSync(join(ROOT, 'docs/simulator.md'), 'utf8');
    for (const c of Object.keys(DEMO_CASES) as DemoCase[]) {
      expect(keysOf(c).length, c).toBeGreaterThanOrEqual(1);
      expect(doc, `docs/simulator.md documents ${c}`).toContain(`\`${c}\``);
    }
    const expectProblems = (c: DemoCase, want: string[]) => {
      for (const k of keysOf(c)) expect(problems(contactOf(k)), `${k}`).toEqual(want);
    };
    expect(keysOf('converged').length).toBeGreaterThanOrEqual(10);
    expectProblems('converged', []);
    expectProblems('setup-off-with-access', []);
    expectProblems('deactivated-with-access', []);
    expectProblems('drift-licence', ['licence', 'systemuser']);
    expectProblems('drift-group', ['group', 'systemuser']);
    expectProblems('drift-resource-column', ['resource columns']);
    expectProblems('drift-characteristic-added', ['characteristics']);
    expectProblems('drift-characteristic-removed', ['characteristics']);
    expectProblems('drift-coordinates', ['coordinates']);
    expectProblems('drift-usage-location', ['usageLocation', 'licence', 'group', 'systemuser']);
    expectProblems('reactivated', ['licence', 'group', 'systemuser']);
    for (const k of keysOf('reactivated')) {
      expect(contactOf(k)).toMatchObject({ statecode: 0, o25fs_provisioningstatus: 808950004 });
      expect(dv.bookableresources!.find((b) => b.bookableresourceid === contactOf(k)._o25fs_bookableresourceid_value)).toMatchObject({ statecode: 1, statuscode: 2 });
    }
    for (const k of [...keysOf('deactivated-with-access'), ...keysOf('deactivated-converged')]) expect(contactOf(k)).toMatchObject({ statecode: 1, statuscode: 2 });
    for (const k of keysOf('setup-off-with-access')) expect(contactOf(k).o25fs_setuptechnician).toBe(false);
    for (const k of [...keysOf('new'), ...keysOf('script-name'), ...keysOf('malformed-email'), ...keysOf('setup-off-nothing')]) {
      const c = contactOf(k);
      expect(c.o25fs_entraobjectid).toBeNull();
      expect(users.some((u) => [u.mail, ...u.otherMails].some((m) => String(m).toLowerCase() === String(c.emailaddress1).toLowerCase()))).toBe(false);
    }
    for (const k of keysOf('guest-unanchored')) {
      const c = contactOf(k);
      expect(c.o25fs_entraobjectid).toBeNull();
      const matches = users.filter((u) => [u.mail, ...u.otherMails].some((m) => String(m).toLowerCase() === c.emailaddress1));
      expect(matches, k).toHaveLength(1);
    }
    // Litware's service accounts: Members of contoso.com carrying the product's service-account mark and both persona licences.
    const SERVICE = 808950001;
    for (const k of keysOf('service-new')) {
      const c = contactOf(k);
      expect(c).toMatchObject({ o25fs_accounttype: SERVICE, o25fs_entraobjectid: null });
      expect(users.some((u) => u.otherMails.some((m: string) => m.toLowerCase() === c.emailaddress1))).toBe(false);
    }
    for (const k of [...keysOf('service-converged'), ...keysOf('service-deactivated')]) {
      const c = contactOf(k);
      const sa = users.find((u) => u.id === c.o25fs_entraobjectid)!;
      expect(c.o25fs_accounttype).toBe(SERVICE);
      expect(sa).toMatchObject({ userType: 'Member', accountEnabled: true, companyName: 'Litware Remote Experts', mailNickname: `vr-${String(c.contactid).replace(/-/g, '')}` });
      expect(String(sa.userPrincipalName)).toMatch(/@contoso\.com$/);
      expect(sa.onPremisesExtensionAttributes.extensionAttribute15).toContain(';account=service;');
      expect(sa.assignedLicenses.map((l: Row) => l.skuId).sort()).toEqual(settings.SERVICE_ACCOUNT_SKU_IDS!.split(',').sort());
      expect(tech.members).toContain(sa.id);
    }
    for (const k of keysOf('service-deactivated')) expect(contactOf(k)).toMatchObject({ statecode: 1, statuscode: 2 });
    for (const k of keysOf('switch-to-service')) {
      const c = contactOf(k);
      expect(c.o25fs_accounttype).toBe(SERVICE);
      expect(users.find((u) => u.id === c.o25fs_entraobjectid)).toMatchObject({ userType: 'Guest' });
      expect(problems(c)).toEqual([]);
    }
    expect(contactOf(keysOf('script-name')[0]!).fullname).toContain('<script>alert(1)</script>');
    expect(contactOf(keysOf('malformed-email')[0]!).emailaddress1).not.toMatch(/^[^@\s]+@[^@\s]+\.[^@\s]+$/);
  });

  describe('the customer portal (issue 13 of the product: "the demo tenant has a few portal customers")', () => {
    const customer = (key: string): Row => dv.contacts!.find((c) => c.contactid === demoId(`contact:${key}`))!;
    const customersOf = (c: PortalCase): Row[] => PORTAL_PEOPLE.filter((p) => p.case === c).map((p) => customer(p.key));
    const invitationsOf = (contact: Row): Row[] => dv.adx_invitations!.filter((i) => i._adx_invitecontact_value === contact.contactid);
    const holdsRole = (contact: Row): boolean => dv.adx_webrole_contact!.some((r) => r.adx_webroleid === PORTAL_WEB_ROLE_ID && r.contactid === contact.contactid);
    const appUser = (): Row => dv.systemusers!.find((u) => u.applicationid === fixture.app.clientId)!;

    it('has the site PORTAL_WEBSITE_ID names, one "Web API Users" role on it and the activated Send Invitation workflow; the guests-only settings leave the portal off', () => {
      expect(settings.PORTAL_WEBSITE_ID).toBe(PORTAL_WEBSITE_ID);
      expect(dv.adx_websites).toEqual([{ adx_websiteid: PORTAL_WEBSITE_ID, adx_name: 'Field Service Portal', statecode: 0, statuscode: 1 }]);
      expect(dv.adx_webroles!.filter((r) => r.adx_name === 'Web API Users' && r._adx_websiteid_value === PORTAL_WEBSITE_ID).map((r) => r.adx_webroleid)).toEqual([PORTAL_WEB_ROLE_ID]);
      expect(dv.workflows!.filter((w) => w.name === 'Send Invitation' && w.statecode === 1)).toEqual([
        { workflowid: SEND_INVITATION_WORKFLOW_ID, name: 'Send Invitation', type: 1, category: 0, primaryentity: 'adx_invitation', ondemand: true, statecode: 1, statuscode: 2 },
      ]);
      expect(Object.keys(demoGuestSettings()).filter((k) => k.startsWith('PORTAL_') || k.startsWith('SERVICE_ACCOUNT_'))).toEqual([]);
    });

    it('has customer contacts of two customer accounts, none a technician, each in the state its case says, and no invitation code', () => {
      for (const c of Object.keys(PORTAL_CASES) as PortalCase[]) expect(customersOf(c).length, c).toBeGreaterThanOrEqual(1);
      const all = PORTAL_PEOPLE.map((p) => customer(p.key));
      const accounts = new Set(all.map((c) => c._parentcustomerid_value));
      expect(dv.accounts!.filter((a) => accounts.has(a.accountid)).map((a) => a.name).sort()).toEqual(['Alpine Ski House', 'Coho Winery']);
      for (const c of all) expect(c).toMatchObject({ statecode: 0, o25fs_setuptechnician: false, o25fs_portalaccess: true, o25fs_portalerror: null });
      expect(customersOf('portal-new').length).toBeGreaterThanOrEqual(3);
      for (const c of customersOf('portal-new')) {
        expect(c.o25fs_portalstatus).toBeNull();
        expect(holdsRole(c)).toBe(false);
        expect(invitationsOf(c)).toEqual([]);
      }
      for (const c of customersOf('portal-redeemed')) {
        expect(c.o25fs_portalstatus).toBe(808950001);
        expect(holdsRole(c)).toBe(true);
        const [invitation, ...more] = invitationsOf(c);
        expect(more).toEqual([]);
        // Redeemed (state Active, status Redeemed) by the contact itself, issued by the product's application user.
        expect(invitation).toMatchObject({ adx_type: 756150000, statecode: 0, statuscode: 756150001, _adx_redeemedcontact_value: c.contactid, _adx_website_value: PORTAL_WEBSITE_ID, _createdby_value: appUser().systemuserid });
        expect(dv.adx_invitation_webrole).toContainEqual({ adx_invitationid: invitation!.adx_invitationid, adx_webroleid: PORTAL_WEB_ROLE_ID });
      }
      for (const c of customersOf('portal-no-email')) expect(c.emailaddress1).toBeNull();
      for (const i of dv.adx_invitations!) expect(i).not.toHaveProperty('adx_invitationcode');
    });
  });

  it('the technician group has one orphan: a licensed guest matching no contact', () => {
    const anchored = new Set(dv.contacts!.map((c) => c.o25fs_entraobjectid));
    const emails = new Set(dv.contacts!.map((c) => String(c.emailaddress1).toLowerCase()));
    const orphans = (tech.members as string[]).filter((id) => !anchored.has(id) && !users.find((u) => u.id === id)!.otherMails.some((m: string) => emails.has(m.toLowerCase())));
    expect(orphans).toHaveLength(1);
  });

  it('consumedUnits matches the users holding each SKU', () => {
    for (const sku of fixture.graph.subscribedSkus as Row[]) {
      expect(sku.consumedUnits).toBe(users.filter((u) => u.assignedLicenses.some((l: Row) => l.skuId === sku.skuId)).length);
    }
    expect(fixture.graph.subscribedSkus[0]).toMatchObject({ skuId: settings.LICENSE_SKU_ID, prepaidUnits: { enabled: 100 } });
  });

  describe('against the simulator', () => {
    let s: RunningSim;
    beforeAll(async () => {
      s = await startSim(fixture);
    });
    afterAll(() => s.stop());

    it("holds the portal's N:N rows, and WhoAmI names the creator of the redeemed invitation (Learn WhoAmI function: the caller's systemuserid)", async () => {
      const redeemed = PORTAL_PEOPLE.filter((p) => p.case === 'portal-redeemed').map((p) => demoId(`contact:${p.key}`)).sort();
      const holders = await s.dataverse('GET', `adx_webroles(${PORTAL_WEB_ROLE_ID})/adx_webrole_contact?$select=contactid`);
      expect(holders.json.value.map((c: Row) => c.contactid).sort()).toEqual(redeemed);
      const who = await s.dataverse('GET', 'WhoAmI');
      const invitations = await s.dataverse('GET', 'adx_invitations?$select=_adx_invitecontact_value,_createdby_value,statuscode&$filter=adx_type eq 756150000 and statecode eq 0');
      expect(invitations.json.value.map((i: Row) => [i._adx_invitecontact_value, i._createdby_value, i.statuscode]).sort()).toEqual(redeemed.map((c) => [c, who.json.UserId, 756150001]));
    });

    it('is what the user sync would produce: POST /_sim/sync changes no systemuser (learn.microsoft.com/power-platform/admin/create-users)', async () => {
      const before = (await s.admin('GET', '/state')).json.dataverse.systemusers;
      expect((await s.admin('POST', '/sync')).status).toBe(204);
      expect((await s.admin('GET', '/state')).json.dataverse.systemusers).toEqual(before);
    });
  });
});
