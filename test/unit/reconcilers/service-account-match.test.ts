/**
 * matchContacts (reconcilers/technicians/match.ts) with service accounts (issue 12): which user is
 * the contact's identity and which its former one after a switch, and the ownership rules that keep
 * staff Members and other contacts' accounts out of reach.
 */
import { describe, expect, it } from 'vitest';
import { matchContacts } from '../../../reconcilers/technicians/match.js';
import type { ContactRow } from '../../../reconcilers/technicians/rows.js';
import type { Observation } from '../../../src/model/observation.js';
import type { GraphUser } from '../../../src/model/rows.js';
import { SA_DOMAIN, contactRow, desiredFor, guestUser, observation, provisionedUser, serviceAccountAttributes, serviceAccountUser, systemUserRow } from '../../support/model.js';
import { SA_EMAIL, SA_ID, SA_NICKNAME, SA_UPN, saContact, saSettings, saUser } from './service-account-fixture.js';

const OTHER = '7d0a3b52-0000-4000-8000-00000000c0de';
const settings = saSettings();

/** The contact's outcome in short: its user and former identity by id, or its error's code and message. */
function outcome(o: Observation, contactId = SA_ID): unknown {
  const result = matchContacts(o.contacts.map((c) => desiredFor(c, settings, o)), o).byContact.get(contactId);
  if (!result) return 'not matched';
  if (!result.ok) return [result.error.code, result.error.message];
  const { user, formerIdentity } = result.observed;
  return { user: user?.id ?? null, former: formerIdentity ? `${formerIdentity.account}:${formerIdentity.user.id}` : null };
}

/** The product's guest for a contact (the guest mark), with the contact's email. */
const markedGuest = (id: string, c: ContactRow): GraphUser => provisionedUser(id, c);
const asGuest = (c: ContactRow): ContactRow => ({ ...c, o25fs_accounttype: null });
const staff = (id: string, overrides: Partial<GraphUser> = {}): GraphUser =>
  guestUser(id, 'staff@contoso.com', { userType: 'Member', mail: 'staff@contoso.com', otherMails: [], userPrincipalName: `staff-${id}@${SA_DOMAIN}`, onPremisesExtensionAttributes: null, ...overrides });

const taken = (holder: GraphUser): string =>
  `The service account of contact ${SA_ID} would be ${SA_UPN}, but the Entra user ${holder.userPrincipalName} (${holder.id}) already has that name or its mail nickname, and the product did not create it for this contact. It is not adopted and nothing is created for this contact.`;

describe('switching identities', () => {
  const guestContact = asGuest(saContact({ o25fs_entraobjectid: 'u-1' }));
  const cases: { reason: string; obs: () => Observation; want: unknown }[] = [
    {
      reason: 'guest → service account, no account yet: the marked guest becomes the former identity, the user is null (to create)',
      obs: () => observation({ contacts: [saContact({ o25fs_entraobjectid: 'u-1' })], users: [markedGuest('u-1', guestContact)] }),
      want: { user: null, former: 'guest:u-1' },
    },
    {
      reason: 'guest → service account, account created, anchor not moved yet: the account by its mark, the guest former',
      obs: () => observation({ contacts: [saContact({ o25fs_entraobjectid: 'u-1' })], users: [markedGuest('u-1', guestContact), saUser()] }),
      want: { user: 'sa-1', former: 'guest:u-1' },
    },
    {
      reason: 'guest → service account, anchored to the account: the guest still found by its mark as the former identity',
      obs: () => observation({ contacts: [saContact()], users: [markedGuest('u-1', guestContact), saUser()] }),
      want: { user: 'sa-1', former: 'guest:u-1' },
    },
    {
      reason: 'service account → guest, anchored to the account: the account becomes the former identity, the guest by its mark is the user',
      obs: () => observation({ contacts: [asGuest(saContact())], users: [markedGuest('u-1', guestContact), saUser()] }),
      want: { user: 'u-1', former: 'service:sa-1' },
    },
    {
      reason: "service account → guest with no guest yet: the account is former, the user null (to invite); the account's otherMails do not make its email a Member's",
      obs: () => observation({ contacts: [asGuest(saContact())], users: [saUser()] }),
      want: { user: null, former: 'service:sa-1' },
    },
    {
      reason: "a guest contact whose email is in its own service account's otherMails finds its guest by email, not EMAIL_BELONGS_TO_MEMBER",
      obs: () => observation({ contacts: [asGuest(saContact({ o25fs_entraobjectid: null }))], users: [saUser(), guestUser('u-1', SA_EMAIL)] }),
      want: { user: 'u-1', former: 'service:sa-1' },
    },
    {
      reason: 'a guest that only shares the email of a service-account contact, unmarked, is not its former identity',
      obs: () => observation({ contacts: [saContact()], users: [guestUser('u-9', SA_EMAIL), saUser()] }),
      want: { user: 'sa-1', former: null },
    },
    {
      reason: 'an unmarked guest the old anchor names (with the email) is not the former identity either',
      obs: () => observation({ contacts: [saContact({ o25fs_entraobjectid: 'u-9' })], users: [guestUser('u-9', SA_EMAIL)] }),
      want: { user: null, former: null },
    },
    {
      reason: 'a deactivated service-account contact that never got its account: the marked guest is still found, so its access goes',
      obs: () => observation({ contacts: [saContact({ o25fs_entraobjectid: 'u-1', statecode: 1 })], users: [markedGuest('u-1', guestContact)] }),
      want: { user: null, former: 'guest:u-1' },
    },
  ];
  for (const tc of cases) it(tc.reason, () => expect(outcome(tc.obs())).toEqual(tc.want));

  it('the former identity carries what it holds: its direct licence, the group and its Dataverse user', () => {
    const guest = markedGuest('u-1', guestContact);
    const o = observation({ contacts: [saContact()], users: [guest, saUser()], groupMemberIds: ['u-1', 'sa-1'], systemUsers: [systemUserRow('su-g', 'u-1')] });
    const r = matchContacts([desiredFor(saContact(), settings, o)], o).byContact.get(SA_ID);
    expect(r?.ok && r.observed.formerIdentity).toEqual({ account: 'guest', user: guest, isGroupMember: true, directSkuIds: [guest.assignedLicenses[0]!.skuId], systemUserId: 'su-g' });
  });
});

describe('ownership of service accounts', () => {
  const anotherSa = serviceAccountUser('sa-9', OTHER, { otherMails: ['x@vendor.example'], mailNickname: 'vr-other', userPrincipalName: `other@${SA_DOMAIN}` });
  const cases: { reason: string; obs: () => Observation; want: unknown }[] = [
    {
      reason: "an anchor copied from another contact's service account: ANCHOR_NOT_OWNABLE naming that contact",
      obs: () => observation({ contacts: [saContact({ o25fs_entraobjectid: 'sa-9' }), contactRow(OTHER, { o25fs_accounttype: 808950001, o25fs_entraobjectid: 'sa-9', emailaddress1: 'x@vendor.example' })], users: [anotherSa] }),
      want: ['ANCHOR_NOT_OWNABLE', `Contact ${SA_ID} is anchored (o25fs_entraobjectid) to the Entra user sa-9, which belongs to contact ${OTHER}: the product's mark on it names that contact. Nothing is changed for this contact or that user.`],
    },
    {
      reason: 'an anchor on a staff Member named vr-… without the mark: ANCHOR_NOT_OWNABLE, never adopted',
      obs: () => observation({ contacts: [saContact({ o25fs_entraobjectid: 'm-1' })], users: [staff('m-1', { mailNickname: 'vr-lookalike' })] }),
      want: ['ANCHOR_NOT_OWNABLE', `Contact ${SA_ID} is anchored (o25fs_entraobjectid) to the Entra user m-1, which is a Member account (staff-m-1@${SA_DOMAIN} (m-1)): staff accounts, and service accounts the product did not create for this contact, are never the product's to change. Nothing is changed for this contact or that user.`],
    },
    {
      reason: 'a staff Member named vr-… that does not hold the names is not the contact\'s: the account is still to create',
      obs: () => observation({ contacts: [saContact({ o25fs_entraobjectid: null })], users: [staff('m-1', { mailNickname: 'vr-0000', otherMails: [SA_EMAIL] })] }),
      want: { user: null, former: null },
    },
    {
      reason: 'a staff Member holding the deterministic mail nickname blocks with SERVICE_ACCOUNT_UPN_TAKEN',
      obs: () => observation({ contacts: [saContact({ o25fs_entraobjectid: null })], users: [staff('m-1', { mailNickname: SA_NICKNAME })] }),
      want: ['SERVICE_ACCOUNT_UPN_TAKEN', taken(staff('m-1'))],
    },
    {
      reason: 'a staff Member holding the deterministic UPN (in other case) blocks too',
      obs: () => observation({ contacts: [saContact({ o25fs_entraobjectid: null })], users: [staff('m-2', { userPrincipalName: SA_UPN.toUpperCase() })] }),
      want: ['SERVICE_ACCOUNT_UPN_TAKEN', taken(staff('m-2', { userPrincipalName: SA_UPN.toUpperCase() }))],
    },
    {
      reason: "another contact's service account holding the names blocks (the product never adopts across contacts)",
      obs: () => observation({ contacts: [saContact({ o25fs_entraobjectid: null })], users: [serviceAccountUser('sa-9', OTHER, { userPrincipalName: SA_UPN, mailNickname: 'vr-other' })] }),
      want: ['SERVICE_ACCOUNT_UPN_TAKEN', taken(serviceAccountUser('sa-9', OTHER, { userPrincipalName: SA_UPN }))],
    },
    {
      reason: 'the names held by a stranger do not stop a deactivated contact (nothing would be created)',
      obs: () => observation({ contacts: [saContact({ o25fs_entraobjectid: null, statecode: 1 })], users: [staff('m-1', { mailNickname: SA_NICKNAME })] }),
      want: { user: null, former: null },
    },
    {
      reason: 'unanchored: the service account the product made for the contact is found by its mark',
      obs: () => observation({ contacts: [saContact({ o25fs_entraobjectid: null })], users: [saUser()] }),
      want: { user: 'sa-1', former: null },
    },
    {
      reason: 'two service accounts marked for the contact and no anchor: AMBIGUOUS_USER, none chosen',
      obs: () => observation({ contacts: [saContact({ o25fs_entraobjectid: null })], users: [saUser(), serviceAccountUser('sa-2', SA_ID, { onPremisesExtensionAttributes: serviceAccountAttributes(SA_ID) })] }),
      want: ['AMBIGUOUS_USER', `2 service accounts carry the product's mark for contact ${SA_ID}: sa-1, sa-2. Nothing is changed for this contact.`],
    },
    {
      reason: 'two marked accounts, one anchored: the anchored one is the contact\'s',
      obs: () => observation({ contacts: [saContact({ o25fs_entraobjectid: 'sa-2' })], users: [saUser(), serviceAccountUser('sa-2', SA_ID)] }),
      want: { user: 'sa-2', former: null },
    },
  ];
  for (const tc of cases) it(tc.reason, () => expect(outcome(tc.obs())).toEqual(tc.want));

  it("the contact's service account in the technician group is related to it, not a group orphan", () => {
    const o = observation({ contacts: [saContact({ o25fs_entraobjectid: null })], users: [saUser()], groupMemberIds: ['sa-1'] });
    expect(matchContacts([desiredFor(o.contacts[0]!, settings, o)], o).groupOrphans).toEqual([]);
  });
});
