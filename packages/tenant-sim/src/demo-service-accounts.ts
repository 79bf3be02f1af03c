/**
 * The demo's vendor on service accounts (issue 12 of the product: Litware's technicians need apps
 * that refuse B2B guests, so each is a Member user of contoso.com with the persona's licences).
 * demo-fixture.ts builds the people of the service-account cases with these; the formats are the
 * product's (its reconcilers/technicians/ownership.ts and service-account-name.ts), and
 * test/unit/demo-fixture-files.test.ts checks that the two agree, so a converged service account
 * needs no write.
 */
import { DEMO_TECHNICIAN_GROUP_ID, FIELD_SERVICE_CONTRACTOR_SKU, demoId } from './demo-reference.js';
import { type Row, type Technician } from './fixture-builders.js';

/** The verified domain of the service accounts (SERVICE_ACCOUNT_DOMAIN of the demo settings). */
export const SERVICE_ACCOUNT_DOMAIN = 'contoso.com';

/**
 * Dynamics 365 Remote Assist (Entra "Product names and service plan identifiers for licensing"):
 * its plans include a Dataverse plan and Teams, which come with it.
 */
export const REMOTE_ASSIST_SKU = '7a551360-26c4-4f61-84e6-ef715673e083';
export const REMOTE_ASSIST_PLANS = [
  { servicePlanId: '0850ebb5-64ee-4d3a-a3e1-5a97213653b5', servicePlanName: 'CDS_REMOTE_ASSIST', provisioningStatus: 'Success', appliesTo: 'User' },
  { servicePlanId: '4f4c7800-298a-4e22-8867-96b17850d4dd', servicePlanName: 'MICROSOFT_REMOTE_ASSIST', provisioningStatus: 'Success', appliesTo: 'User' },
  { servicePlanId: '57ff2da0-773e-42df-b2af-ffb7a2317929', servicePlanName: 'TEAMS1', provisioningStatus: 'Success', appliesTo: 'User' },
];

/** The persona's licences (SERVICE_ACCOUNT_SKU_IDS): Field Service to be booked, Remote Assist for the app. */
export const SERVICE_ACCOUNT_SKUS = [FIELD_SERVICE_CONTRACTOR_SKU, REMOTE_ASSIST_SKU];

/** o25fs_accounttype "Service account". */
export const SERVICE_ACCOUNT_TYPE = 808950001;

const hex = (id: string): string => id.toLowerCase().replace(/[^0-9a-f]/g, '');

/** The product's mark on a service account it created for the contact. */
export function serviceAccountMark(contactId: string, groupId = DEMO_TECHNICIAN_GROUP_ID, skuIds = SERVICE_ACCOUNT_SKUS): Row {
  const attrs: Record<string, string | null> = {};
  for (let i = 1; i <= 15; i++) attrs[`extensionAttribute${i}`] = null;
  attrs.extensionAttribute15 = `vendor-reconciler:v1;contact=${contactId.toLowerCase()};account=service;group=${groupId.toLowerCase()};sku=${skuIds.map((s) => s.toLowerCase()).join(',')}`;
  return { onPremisesExtensionAttributes: attrs };
}

const slug = (v: string, sep: string): string => v.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).join(sep);

/**
 * A converged technician's guest replaced by the service account the product made for it: same
 * systemuser and resource ids (the sync made the systemuser for this user), both licences, the
 * vendor's name as the segment.
 */
export function asServiceAccount(t: Technician, vendorName: string): Technician {
  const contact = t.contact;
  const contactId = String(contact.contactid);
  const email = String(contact.emailaddress1);
  const id = demoId(`user:service-account:${contactId}`);
  const user: Row = {
    id,
    displayName: contact.fullname,
    givenName: contact.firstname,
    surname: contact.lastname,
    mail: null,
    otherMails: [email],
    userPrincipalName: `${slug(vendorName, '-').slice(0, 20).replace(/-$/, '')}_${slug(`${String(contact.firstname)} ${String(contact.lastname)}`, '.')}_${hex(contactId).slice(0, 8)}@${SERVICE_ACCOUNT_DOMAIN}`,
    mailNickname: `vr-${hex(contactId)}`,
    userType: 'Member',
    creationType: null,
    accountEnabled: true,
    usageLocation: 'GB',
    companyName: vendorName.slice(0, 64),
    createdDateTime: t.user?.createdDateTime,
    assignedLicenses: SERVICE_ACCOUNT_SKUS.map((skuId) => ({ skuId, disabledPlans: [] })),
    licenseAssignmentStates: SERVICE_ACCOUNT_SKUS.map((skuId) => ({ skuId, assignedByGroup: null, state: 'Active', error: 'None', disabledPlans: [] })),
    ...serviceAccountMark(contactId),
  };
  const systemuser = t.systemuser ? { ...t.systemuser, systemuserid: demoId(`systemuser:${id}`), azureactivedirectoryobjectid: id, internalemailaddress: null, domainname: user.userPrincipalName } : undefined;
  const resource = t.resource && systemuser ? { ...t.resource, _userid_value: systemuser.systemuserid } : t.resource;
  Object.assign(contact, { o25fs_accounttype: SERVICE_ACCOUNT_TYPE, o25fs_entraobjectid: id });
  return { ...t, user, ...(systemuser ? { systemuser } : {}), ...(resource ? { resource } : {}) };
}
