/**
 * The demo tenant's customer self-scheduling portal (issue 13 of the product, "The demo tenant has a
 * few portal customers"): the Field Service portal's website, its "Web API Users" web role, the
 * activated Send Invitation workflow, and customer contacts of two customer accounts, each in one of
 * PORTAL_CASES. The rows follow the standard data model of the portal template
 * (docs/simulator-dataverse.md "Portal tables"); demo-fixture.ts adds them to the demo tenant.
 *
 * No invitation here carries a code (adx_invitationcode): a code is a credential, and the demo's
 * only invitations with one are those the product issues while it runs.
 */
import { CREATED, demoId } from './demo-reference.js';
import { ownedBy, type Row } from './fixture-builders.js';

export const PORTAL_WEBSITE_ID = demoId('website:field-service-portal');
export const PORTAL_WEB_ROLE_ID = demoId('webrole:field-service-portal:web-api-users');
export const SEND_INVITATION_WORKFLOW_ID = demoId('workflow:send-invitation');
const CUSTOMER_SERVICE_TEAM: [id: string, name: string] = [demoId('team:customer-service'), 'Customer service'];

/** o25fs_portalstatus values (the product's reconcilers/portal/status.ts). */
export const PORTAL_STATUS = { invitationSent: 808950001, active: 808950002, error: 808950004 } as const;
/** adx_invitation: type Single, status Redeemed (state Active): docs/simulator-dataverse.md "Portal tables". */
const SINGLE = 756150000;
const REDEEMED = 756150001;

export const CUSTOMERS = {
  alpine: { name: 'Alpine Ski House', domain: 'alpineskihouse.example' },
  coho: { name: 'Coho Winery', domain: 'cohowinery.example' },
} as const;
type CustomerKey = keyof typeof CUSTOMERS;

/**
 * No case of a customer whose access was turned off: its web role's removal would be a fourth
 * contact losing access in the demo's first run, above the removal threshold's 10% of those with
 * access (the product's src/engine/guards/removal-threshold.ts), and every removal of that run
 * would be held back.
 */
export type PortalCase = 'portal-new' | 'portal-redeemed' | 'portal-no-email';

/** What each portal case is and what the reconciler should do about it. */
export const PORTAL_CASES: Record<PortalCase, { state: string; expected: string }> = {
  'portal-new': { state: 'Customer contact with Portal Access Yes; no web role, no invitation, no portal status yet.', expected: 'Give the web role, issue an invitation (valid PORTAL_INVITATION_EXPIRY_DAYS), let it give the role, run Send Invitation on it; status Invitation sent.' },
  'portal-redeemed': { state: 'Holds the web role and redeemed the invitation the product issued; its status still says Invitation sent.', expected: 'No change to the role or the invitation (redeemed is terminal); status Active on the portal.' },
  'portal-no-email': { state: 'Portal Access Yes and no email address (emailaddress1).', expected: 'An error on this contact alone (PORTAL_EMAIL_MISSING), no invitation; status Error with what to do.' },
};

export interface PortalPerson {
  key: string;
  case: PortalCase;
  first: string;
  last: string;
  customer: CustomerKey;
  /** Default first.last@<customer domain>, lower-cased; null for none. */
  email?: string | null;
}

export const PORTAL_PEOPLE: PortalPerson[] = [
  { key: 'portal-new-1', case: 'portal-new', first: 'Hannah', last: 'Fischer', customer: 'alpine' },
  { key: 'portal-new-2', case: 'portal-new', first: 'Marco', last: 'Rossi', customer: 'alpine' },
  { key: 'portal-new-3', case: 'portal-new', first: 'Yuki', last: 'Tanaka', customer: 'coho' },
  { key: 'portal-redeemed-1', case: 'portal-redeemed', first: 'Elena', last: 'Vargas', customer: 'alpine' },
  { key: 'portal-no-email-1', case: 'portal-no-email', first: 'Pieter', last: 'de Vries', customer: 'coho', email: null },
];

export const customerContactId = (key: string): string => demoId(`contact:${key}`);

/** A customer contact: not a technician; the three portal columns the product reads and writes. */
function customerContact(p: PortalPerson): Row {
  const email = p.email === undefined ? `${p.first}.${p.last}@${CUSTOMERS[p.customer].domain}`.toLowerCase().replace(/ /g, '') : p.email;
  // The redeemed one's status is still what the product wrote when it sent the invitation.
  const status = p.case === 'portal-redeemed' ? PORTAL_STATUS.invitationSent : null;
  return {
    contactid: customerContactId(p.key),
    fullname: `${p.first} ${p.last}`,
    firstname: p.first,
    lastname: p.last,
    emailaddress1: email,
    statecode: 0,
    statuscode: 1,
    _parentcustomerid_value: demoId(`account:${p.customer}`),
    o25fs_setuptechnician: false,
    o25fs_portalaccess: true,
    o25fs_portalstatus: status,
    o25fs_portalerror: null,
    ...ownedBy(CUSTOMER_SERVICE_TEAM[0], 'team'),
  };
}

/** The invitation the product issued and the contact redeemed (docs/simulator.md "The portal": redemption). */
function redeemedInvitation(p: PortalPerson, appUserId: string): Row {
  const contactId = customerContactId(p.key);
  return {
    adx_invitationid: demoId(`invitation:${p.key}`),
    adx_name: `Portal invitation: ${p.first} ${p.last}`,
    adx_type: SINGLE,
    adx_expirydate: '2025-02-01',
    _adx_invitecontact_value: contactId,
    _adx_redeemedcontact_value: contactId,
    _adx_website_value: PORTAL_WEBSITE_ID,
    adx_redemptions: 1,
    statecode: 0,
    statuscode: REDEEMED,
    createdon: CREATED,
    _createdby_value: appUserId,
  };
}

/** Rows of the portal for the demo's Dataverse: the customer accounts and contacts go with the others. */
export function portalTables(appUserId: string): { accounts: Row[]; contacts: Row[]; teams: Row[]; tables: Record<string, Row[]> } {
  const withRole = PORTAL_PEOPLE.filter((p) => p.case === 'portal-redeemed');
  const invitations = withRole.map((p) => redeemedInvitation(p, appUserId));
  return {
    accounts: Object.entries(CUSTOMERS).map(([key, c]) => ({ accountid: demoId(`account:${key}`), name: c.name, websiteurl: `https://www.${c.domain}`, address1_country: 'United Kingdom', statecode: 0, statuscode: 1 })),
    contacts: PORTAL_PEOPLE.map(customerContact),
    teams: [{ teamid: CUSTOMER_SERVICE_TEAM[0], name: CUSTOMER_SERVICE_TEAM[1] }],
    tables: {
      adx_websites: [{ adx_websiteid: PORTAL_WEBSITE_ID, adx_name: 'Field Service Portal', statecode: 0, statuscode: 1 }],
      adx_webroles: [{ adx_webroleid: PORTAL_WEB_ROLE_ID, adx_name: 'Web API Users', _adx_websiteid_value: PORTAL_WEBSITE_ID, adx_authenticatedusersrole: false, adx_anonymoususersrole: false, statecode: 0, statuscode: 1 }],
      adx_invitations: invitations,
      workflows: [{ workflowid: SEND_INVITATION_WORKFLOW_ID, name: 'Send Invitation', type: 1, category: 0, primaryentity: 'adx_invitation', ondemand: true, statecode: 1, statuscode: 2 }],
      adx_webrole_contact: withRole.map((p) => ({ adx_webroleid: PORTAL_WEB_ROLE_ID, contactid: customerContactId(p.key) })),
      adx_invitation_webrole: invitations.map((i) => ({ adx_invitationid: i.adx_invitationid, adx_webroleid: PORTAL_WEB_ROLE_ID })),
    },
  };
}
