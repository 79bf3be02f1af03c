/**
 * The user kind's diff for service accounts (reconcilers/technicians/user.ts `userKind.diff`, which
 * hands a service-account contact to service-account.ts): every change exact, with its id, kind,
 * target, before/after and reason.
 */
import { describe, expect, it } from 'vitest';
import { userKind } from '../../../reconcilers/technicians/user.js';
import type { Settings } from '../../../src/config.js';
import type { Change } from '../../../src/model/plan.js';
import type { DesiredTechnician, ObservedTechnician } from '../../../reconcilers/technicians/state.js';
import { SA_DOMAIN, convergedTech, desiredFor, observedFor, serviceAccountAttributes, technicianSubject, testSettings } from '../../support/model.js';
import { SA_EMAIL, SA_ID, SA_NICKNAME, SA_UPN, SKU_B, saContact, saObserved, saSettings, saTech, saUser, sku } from './service-account-fixture.js';

const diff = userKind.diff;
const t = saTech();
const mark = serviceAccountAttributes(SA_ID).extensionAttribute15!;
const active = desiredFor(t.contact, saSettings());
const onSa = { service: 'graph', entity: 'user', id: 'sa-1' };
const onCreate = { service: 'graph', entity: 'user', id: null, createdBy: `${SA_ID}/user.create` };
const onContact = { service: 'dataverse', entity: 'contact', id: SA_ID };
const subject = technicianSubject(SA_ID);

const ch = (kind: string, target: unknown, before: unknown, after: unknown, reason: string, key?: string): unknown => ({
  id: key ? `${SA_ID}/${kind}/${key}` : `${SA_ID}/${kind}`, subject, kind, target, before, after, reason, dependsOn: [],
});

const createReason = `The contact asks for a service account and none exists yet; ${SA_UPN} is created in the company's domain, with the vendor segment companyName = "Fabrikam Services" and a password nobody is told (an administrator issues a Temporary Access Pass for the first sign-in).`;
const anchorNewReason = "The contact records the new service account's object id, so it stays bound to it.";
const disableReason = 'The contact is no longer an active technician, so its service account is disabled (it is kept, never deleted).';

/** All fifteen extension attributes, empty but for `values`. */
const attrs = (values: Record<string, string>): Record<string, string | null> => ({ ...Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, null])), ...values });

const unanchored = saContact({ o25fs_entraobjectid: null });
const newAccount = { user: null, contact: unanchored, directSkuIds: [], isGroupMember: false, systemUser: null, bookableResource: null, mark: { kind: 'none' } as const };
const extSettings: Settings = testSettings({ serviceAccounts: { domain: SA_DOMAIN, skuIds: [sku], segmentAttribute: 'extensionAttribute3' } });

const cases: { reason: string; desired: DesiredTechnician; observed: ObservedTechnician; want: unknown[] }[] = [
  {
    reason: 'new account: user.create with everything from the contact, then the anchor to the created id',
    desired: desiredFor(unanchored, saSettings()),
    observed: saObserved(t, [], newAccount),
    want: [
      ch('user.create', onCreate, null, {
        accountEnabled: true, userPrincipalName: SA_UPN, mailNickname: SA_NICKNAME, displayName: 'Zoë Müller', givenName: 'Zoë', surname: 'Müller', usageLocation: 'DE',
        otherMails: [SA_EMAIL], companyName: 'Fabrikam Services', onPremisesExtensionAttributes: { extensionAttribute15: mark },
      }, createReason),
      ch('contact.anchor', onContact, { o25fs_entraobjectid: null }, { o25fs_entraobjectid: { createdBy: `${SA_ID}/user.create` } }, anchorNewReason),
    ],
  },
  {
    reason: 'new account without a first name and the segment in an extension attribute: no null property in the body, the segment beside the mark',
    desired: desiredFor(saContact({ o25fs_entraobjectid: null, firstname: null }), extSettings),
    observed: saObserved(t, [], newAccount),
    want: [
      ch('user.create', onCreate, null, {
        accountEnabled: true, userPrincipalName: `fabrikam-services_muller_3f2504e0@${SA_DOMAIN}`, mailNickname: SA_NICKNAME, displayName: 'Zoë Müller', surname: 'Müller', usageLocation: 'DE',
        otherMails: [SA_EMAIL], onPremisesExtensionAttributes: { extensionAttribute15: mark, extensionAttribute3: 'Fabrikam Services' },
      }, createReason.replace('fabrikam-services_zoe.muller_', 'fabrikam-services_muller_').replace('companyName', 'extensionAttribute3')),
      ch('contact.anchor', onContact, { o25fs_entraobjectid: null }, { o25fs_entraobjectid: { createdBy: `${SA_ID}/user.create` } }, anchorNewReason),
    ],
  },
  { reason: 'no account and the contact deactivated: nothing is created', desired: desiredFor(saContact({ o25fs_entraobjectid: null, statecode: 1 }), saSettings()), observed: saObserved(t, [], newAccount), want: [] },
  { reason: 'existing account converged: nothing', desired: active, observed: saObserved(t, [sku]), want: [] },
  {
    reason: 'otherMails compared without case: a differently cased email is not drift',
    desired: active,
    observed: saObserved(t, [sku], { user: saUser([sku], { otherMails: ['ZOE@Vendor.Example'] }) }),
    want: [],
  },
  {
    reason: 'names, segment and otherMails drifted: one update with only what differs, in the profile order',
    desired: active,
    observed: saObserved(t, [sku], { user: saUser([sku], { displayName: 'Old', surname: null, otherMails: ['old@vendor.example', SA_EMAIL], companyName: 'Contoso' }) }),
    want: [
      ch('user.update', onSa, { displayName: 'Old', surname: null, otherMails: ['old@vendor.example', SA_EMAIL], companyName: 'Contoso' }, { displayName: 'Zoë Müller', surname: 'Müller', otherMails: [SA_EMAIL], companyName: 'Fabrikam Services' },
        "The service account's display name, last name, other emails and company name differ from the contact; they are set from the contact."),
    ],
  },
  {
    reason: 'the mark records an earlier SKU list: the mark is rewritten, the other attributes kept',
    desired: active,
    observed: saObserved(t, [sku], { user: saUser([sku], { onPremisesExtensionAttributes: { ...serviceAccountAttributes(SA_ID, [sku, SKU_B]), extensionAttribute1: 'kept' } }) }),
    want: [
      ch('user.update', onSa,
        { onPremisesExtensionAttributes: attrs({ extensionAttribute1: 'kept', extensionAttribute15: serviceAccountAttributes(SA_ID, [sku, SKU_B]).extensionAttribute15! }) },
        { onPremisesExtensionAttributes: attrs({ extensionAttribute1: 'kept', extensionAttribute15: mark }) },
        "The service account's ownership mark differs from the contact; it is set from the contact."),
    ],
  },
  {
    reason: 'while grants of earlier settings are being removed, the mark is left recording them',
    desired: active,
    observed: saObserved(t, [sku], { user: saUser([sku], { onPremisesExtensionAttributes: serviceAccountAttributes(SA_ID, [sku, SKU_B]) }), formerGrants: { groupIds: [], skuIds: [SKU_B] } }),
    want: [],
  },
  {
    reason: 'disabled while the contact is active: enabled again',
    desired: active,
    observed: saObserved(t, [sku], { user: saUser([sku], { accountEnabled: false }) }),
    want: [ch('user.update', onSa, { accountEnabled: false }, { accountEnabled: true }, 'The contact is active again, so its service account is enabled again.')],
  },
  {
    reason: 'deactivated contact: user.disable only, drifted names are left alone',
    desired: desiredFor(saContact({ statecode: 1 }), saSettings()),
    observed: saObserved(t, [sku], { user: saUser([sku], { displayName: 'Old' }) }),
    want: [ch('user.disable', onSa, { accountEnabled: true }, { accountEnabled: false }, disableReason)],
  },
  {
    reason: 'deactivated contact whose account is already disabled: nothing (no failing removal)',
    desired: desiredFor(saContact({ statecode: 1 }), saSettings()),
    observed: saObserved(t, [], { user: saUser([sku], { accountEnabled: false }) }),
    want: [],
  },
  {
    reason: 'deactivated while SERVICE_ACCOUNT_DOMAIN was cleared: the account is still disabled',
    desired: desiredFor(saContact({ statecode: 1 }), testSettings()),
    observed: saObserved(t, [sku]),
    want: [ch('user.disable', onSa, { accountEnabled: true }, { accountEnabled: false }, disableReason)],
  },
  {
    reason: 'the anchor still points at the former guest: the contact is re-anchored to the service account',
    desired: desiredFor(saContact({ o25fs_entraobjectid: 'u-guest' }), saSettings()),
    observed: saObserved(t, [sku], { contact: saContact({ o25fs_entraobjectid: 'u-guest' }) }),
    want: [
      ch('contact.anchor', onContact, { o25fs_entraobjectid: 'u-guest' }, { o25fs_entraobjectid: 'sa-1' },
        `The contact is bound to u-guest, but its identity is now the service account ${SA_UPN}; the contact records the service account's object id.`),
    ],
  },
  {
    reason: 'found by its names after a crash before the anchor: the anchor is written',
    desired: desiredFor(unanchored, saSettings()),
    observed: saObserved(t, [sku], { contact: unanchored }),
    want: [ch('contact.anchor', onContact, { o25fs_entraobjectid: null }, { o25fs_entraobjectid: 'sa-1' }, `The service account ${SA_UPN} the product created for this contact is recorded on the contact.`)],
  },
  {
    reason: 'ignored contact: nothing, even when drifted and disabled',
    desired: desiredFor(saContact({ o25fs_setuptechnician: false }), saSettings()),
    observed: saObserved(t, [sku], { user: saUser([sku], { displayName: 'Old', accountEnabled: false }) }),
    want: [],
  },
];

describe('service account: user kind diff', () => {
  for (const tc of cases) it(tc.reason, () => expect(diff(tc.desired, tc.observed)).toEqual(tc.want));
});

describe('former identities: user kind diff', () => {
  const g = convergedTech(1);
  const guestDesired = desiredFor(g.contact);
  const former = (user = saUser([sku])) => ({ account: 'service' as const, user, isGroupMember: true, directSkuIds: [sku], systemUserId: 'su-sa' });
  const formerReason = `The contact's identity is now a guest, so the service account ${SA_UPN} it had is disabled (it is kept, never deleted).`;
  const disableFormer = { id: 'c-1/user.disable/former', subject: technicianSubject('c-1'), kind: 'user.disable', target: onSa, before: { accountEnabled: true }, after: { accountEnabled: false }, reason: formerReason, dependsOn: [] };
  const cases: { reason: string; desired: DesiredTechnician; observed: ObservedTechnician; want: Change[] | unknown[] }[] = [
    { reason: 'back on guest with the former service account enabled: it is disabled (key former)', desired: guestDesired, observed: observedFor(g, { formerIdentity: former() }), want: [disableFormer] },
    { reason: 'the former service account is already disabled: nothing', desired: guestDesired, observed: observedFor(g, { formerIdentity: former(saUser([sku], { accountEnabled: false })) }), want: [] },
    {
      reason: 'back on guest and deactivated: the former service account is disabled all the same',
      desired: desiredFor({ ...g.contact, statecode: 1 }),
      observed: observedFor(g, { formerIdentity: former() }),
      want: [disableFormer],
    },
    { reason: 'ignored contact: its former identity is not touched', desired: desiredFor({ ...g.contact, o25fs_setuptechnician: false }), observed: observedFor(g, { formerIdentity: former() }), want: [] },
    {
      reason: 'on a service account with a former guest: the guest is not disabled (it only loses licence and group, presence.ts)',
      desired: active,
      observed: saObserved(t, [sku], { formerIdentity: { account: 'guest', user: g.user, isGroupMember: true, directSkuIds: [sku], systemUserId: 'su-1' } }),
      want: [],
    },
  ];
  for (const tc of cases) it(tc.reason, () => expect(diff(tc.desired, tc.observed)).toEqual(tc.want));
});
