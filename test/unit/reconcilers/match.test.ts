/** matchContacts: anchor first, then email; ambiguity, duplicates, systemuser and bookable resource (issue 3, "Matching"). */
import { describe, expect, it } from 'vitest';
import { SKU, contactRow, guestUser, markedAttributes, observation, resourceRow, systemUserRow, convergedTech, desiredFor, tenantOf } from '../../support/model.js';
import { guestUpnLocalPart, hasDirectLicence, matchContacts, userHasEmail } from '../../../reconcilers/technicians/match.js';
import type { Observation } from '../../../src/model/observation.js';

const matchAll = (o: Observation) => matchContacts(o.contacts.map((c) => desiredFor(c, undefined, o)), o);
const userOf = (o: Observation, id: string) => {
  const r = matchAll(o).byContact.get(id);
  return r?.ok ? (r.observed.user?.id ?? null) : r?.error.code;
};

const marked = (contactId: string) => ({ onPremisesExtensionAttributes: markedAttributes(contactId) });

describe('finding the user', () => {
  const cases: { reason: string; obs: () => Observation; want: string | null | undefined }[] = [
    { reason: 'the anchor wins over email (case-insensitive id)', obs: () => observation({ contacts: [contactRow('c-1', { o25fs_entraobjectid: 'U-1' })], users: [guestUser('u-1', 'c-1@vendor.example')] }), want: 'u-1' },
    { reason: 'by mail, ignoring case', obs: () => observation({ contacts: [contactRow('c-1', { emailaddress1: 'C-1@Vendor.example' })], users: [guestUser('u-1', 'c-1@VENDOR.example', { otherMails: [] })] }), want: 'u-1' },
    { reason: 'by otherMails', obs: () => observation({ contacts: [contactRow('c-1')], users: [guestUser('u-1', 'x@y.example', { mail: null, otherMails: ['c-1@vendor.example'] })] }), want: 'u-1' },
    { reason: 'by the guest UPN form when mail is not populated yet', obs: () => observation({ contacts: [contactRow('c-1')], users: [guestUser('u-1', 'c-1@vendor.example', { mail: null, otherMails: [] })] }), want: 'u-1' },
    { reason: 'no candidate: null (the user will be invited)', obs: () => observation({ contacts: [contactRow('c-1')], users: [guestUser('u-1', 'other@vendor.example')] }), want: null },
    { reason: 'two candidates: AMBIGUOUS_USER', obs: () => observation({ contacts: [contactRow('c-1')], users: [guestUser('u-1', 'c-1@vendor.example'), guestUser('u-2', 'c-1@vendor.example')] }), want: 'AMBIGUOUS_USER' },
    { reason: 'anchored user gone: matched by email instead', obs: () => observation({ contacts: [contactRow('c-1', { o25fs_entraobjectid: 'u-gone' })], users: [guestUser('u-2', 'c-1@vendor.example')] }), want: 'u-2' },
    { reason: 'anchored user the product marked for this contact, with another email: EMAIL_CHANGED', obs: () => observation({ contacts: [contactRow('c-1', { o25fs_entraobjectid: 'u-1' })], users: [guestUser('u-1', 'old@vendor.example', marked('c-1'))] }), want: 'EMAIL_CHANGED' },
    { reason: 'anchored unmarked user without the contact\'s email: nothing shows it is this technician\'s (ANCHOR_NOT_VERIFIED)', obs: () => observation({ contacts: [contactRow('c-1', { o25fs_entraobjectid: 'u-1' })], users: [guestUser('u-1', 'old@vendor.example')] }), want: 'ANCHOR_NOT_VERIFIED' },
    { reason: 'a deactivated contact follows its marked anchor even after an email change (access must go)', obs: () => observation({ contacts: [contactRow('c-1', { o25fs_entraobjectid: 'u-1', statecode: 1 })], users: [guestUser('u-1', 'old@vendor.example', marked('c-1'))] }), want: 'u-1' },
    { reason: 'a deactivated contact never follows an unverified anchor: no access is removed from a user nothing ties to it', obs: () => observation({ contacts: [contactRow('c-1', { o25fs_entraobjectid: 'u-1', statecode: 1 })], users: [guestUser('u-1', 'old@vendor.example')] }), want: 'ANCHOR_NOT_VERIFIED' },
    { reason: 'an anchor on a Member (staff) account is never followed', obs: () => observation({ contacts: [contactRow('c-1', { o25fs_entraobjectid: 'u-1' })], users: [guestUser('u-1', 'c-1@vendor.example', { userType: 'Member' })] }), want: 'ANCHOR_NOT_OWNABLE' },
    { reason: 'an anchor on a guest marked for another contact is never followed', obs: () => observation({ contacts: [contactRow('c-1', { o25fs_entraobjectid: 'u-1' }), contactRow('c-2', { o25fs_entraobjectid: 'u-1', emailaddress1: 'x@vendor.example' })], users: [guestUser('u-1', 'c-1@vendor.example', marked('c-2'))] }), want: 'ANCHOR_NOT_OWNABLE' },
    { reason: 'no anchor: the guest the product marked for this contact', obs: () => observation({ contacts: [contactRow('c-1')], users: [guestUser('u-1', 'c-1@vendor.example', { mail: 'c-1@vendor.example', ...marked('c-1') })] }), want: 'u-1' },
    { reason: 'an email that a Member account carries: EMAIL_BELONGS_TO_MEMBER, never adopted', obs: () => observation({ contacts: [contactRow('c-1')], users: [guestUser('u-1', 'c-1@vendor.example', { userType: 'Member' })] }), want: 'EMAIL_BELONGS_TO_MEMBER' },
    { reason: 'a guest with the email but marked for another existing contact: USER_TAKEN', obs: () => observation({ contacts: [contactRow('c-1'), contactRow('c-2', { o25fs_setuptechnician: false, emailaddress1: 'c-2@vendor.example' })], users: [guestUser('u-1', 'c-1@vendor.example', marked('c-2'))] }), want: 'USER_TAKEN' },
    { reason: 'a foreign value in the mark attribute: MARK_ATTRIBUTE_IN_USE (never overwritten)', obs: () => observation({ contacts: [contactRow('c-1', { o25fs_entraobjectid: 'u-1' })], users: [guestUser('u-1', 'c-1@vendor.example', { onPremisesExtensionAttributes: { extensionAttribute15: 'cost centre 12' } })] }), want: 'MARK_ATTRIBUTE_IN_USE' },
    { reason: 'an ignored contact is never matched by email', obs: () => observation({ contacts: [contactRow('c-1', { o25fs_setuptechnician: false })], users: [guestUser('u-1', 'c-1@vendor.example')] }), want: null },
  ];
  for (const tc of cases) it(tc.reason, () => expect(userOf(tc.obs(), 'c-1')).toBe(tc.want));

  it('two contacts anchored to one unmarked user with the same email (a copied contact): the contact created first keeps it', () => {
    const o = observation({
      contacts: [
        contactRow('c-1', { o25fs_entraobjectid: 'u-1', emailaddress1: 'a@v.example', createdon: '2026-05-01T00:00:00Z' }),
        contactRow('c-0', { o25fs_entraobjectid: 'u-1', emailaddress1: 'a@v.example', createdon: '2026-06-01T00:00:00Z' }),
      ],
      users: [guestUser('u-1', 'a@v.example')],
    });
    expect([userOf(o, 'c-1'), userOf(o, 'c-0')]).toEqual(['u-1', 'DUPLICATE_ANCHOR']);
  });

  it('two contacts anchored to one user: the contact its mark names keeps it, whatever their age', () => {
    const o = observation({
      contacts: [
        contactRow('c-1', { o25fs_entraobjectid: 'u-1', emailaddress1: 'a@v.example', createdon: '2026-05-01T00:00:00Z' }),
        contactRow('c-2', { o25fs_entraobjectid: 'u-1', emailaddress1: 'a@v.example', createdon: '2026-06-01T00:00:00Z' }),
      ],
      users: [guestUser('u-1', 'a@v.example', marked('c-2'))],
    });
    expect([userOf(o, 'c-1'), userOf(o, 'c-2')]).toEqual(['ANCHOR_NOT_OWNABLE', 'u-1']);
  });

  it('a contact whose email another contact\'s anchored user carries in otherMails gets USER_TAKEN', () => {
    const o = observation({
      contacts: [contactRow('c-1', { o25fs_entraobjectid: 'u-1', emailaddress1: 'a@v.example' }), contactRow('c-2', { emailaddress1: 'b@v.example' })],
      users: [guestUser('u-1', 'a@v.example', { otherMails: ['a@v.example', 'b@v.example'] })],
    });
    expect([userOf(o, 'c-1'), userOf(o, 'c-2')]).toEqual(['u-1', 'USER_TAKEN']);
  });
});

describe('helpers', () => {
  it('guest UPN form and email check (Graph user.md: a_contoso.com#EXT#@tenant)', () => {
    expect(guestUpnLocalPart("O'Brien@Contoso.com")).toBe("o'brien_contoso.com#ext#");
    expect(userHasEmail(guestUser('u', 'x@y.example', { mail: null, otherMails: [], userPrincipalName: "o'brien_contoso.com#EXT#@t.onmicrosoft.com" }), "o'brien@contoso.com")).toBe(true);
    expect(userHasEmail(guestUser('u', 'x@y.example'), '')).toBe(false);
  });
  it('direct licence: licenseAssignmentStates with assignedByGroup null, else assignedLicenses', () => {
    const states = (assignedByGroup: string | null) => guestUser('u', 'x@y.example', { licenseAssignmentStates: [{ skuId: SKU.toUpperCase(), assignedByGroup }] });
    expect(hasDirectLicence(states(null), SKU)).toBe(true);
    expect(hasDirectLicence(states('g-1'), SKU)).toBe(false);
    expect(hasDirectLicence(guestUser('u', 'x@y.example', { licenseAssignmentStates: undefined, assignedLicenses: [{ skuId: SKU, disabledPlans: [] }] }), SKU)).toBe(true);
  });
});

describe('systemuser and bookable resource', () => {
  it('systemuser by azureactivedirectoryobjectid; resource by the contact\'s lookup', () => {
    const t = convergedTech(1);
    const r = matchAll(tenantOf([t])).byContact.get('c-1');
    expect(r?.ok && [r.observed.systemUser?.systemuserid, r.observed.bookableResource?.bookableresourceid, r.observed.isGroupMember, r.observed.directSkuIds.length > 0]).toEqual(['su-1', 'br-1', true, true]);
  });

  it('no lookup: the resource of the systemuser, the lowest id of several, the rest reported as orphans', () => {
    const t = convergedTech(1, { _o25fs_bookableresourceid_value: null });
    const o = tenantOf([t], { bookableResources: [resourceRow('br-b', t.contact, 'su-1'), resourceRow('br-a', t.contact, 'su-1')] });
    const m = matchAll(o);
    const r = m.byContact.get('c-1');
    expect(r?.ok && r.observed.bookableResource?.bookableresourceid).toBe('br-a');
    expect(m.resourceOrphans.get('c-1')?.map((x) => [x.kind, x.id])).toEqual([['bookableresource', 'br-b']]);
  });

  it('a lookup pointing at another technician\'s resource is not used: that resource stays theirs', () => {
    const a = convergedTech(1);
    const b = convergedTech(2, { _o25fs_bookableresourceid_value: 'br-1' });
    const o = tenantOf([a, b], { bookableResources: [a.resource] });
    const m = matchAll(o);
    const rb = m.byContact.get('c-2');
    const ra = m.byContact.get('c-1');
    expect(ra?.ok && ra.observed.bookableResource?.bookableresourceid).toBe('br-1');
    expect(rb?.ok && rb.observed.bookableResource).toBeNull();
  });

  it('group members that are no contact\'s user are orphans', () => {
    const t = convergedTech(1);
    const o = tenantOf([t], { groupMemberIds: ['u-1', 'U-9'], users: [t.user, guestUser('u-9', 'z@z.example', { displayName: 'Zed' })], systemUsers: [systemUserRow('su-1', 'u-1')] });
    expect(matchAll(o).groupOrphans.map((x) => [x.id, x.displayName])).toEqual([['u-9', 'Zed']]);
  });
});
