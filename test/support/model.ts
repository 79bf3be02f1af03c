/**
 * An in-memory model of the tenant for engine tests: row factories, applyPlan (what apply would do
 * to the services, change by change) and userSync (Dataverse's user sync: a licensed, enabled
 * member of the technician group gets an enabled systemuser; everyone else's is disabled).
 * Pure: every function returns a new Observation.
 */
import { invitedGuest, MODEL_TENANT_DOMAIN, stableId } from '../../reconcilers/technicians/effects.js';
import { expect } from 'vitest';
import { type Settings } from '../../src/config.js';
import { type TechnicianSettings } from '../../reconcilers/technicians/settings.js';
import { computeDesired, indexLookups } from '../../reconcilers/technicians/desired.js';
import { formatMark, readMark } from '../../reconcilers/technicians/ownership.js';
import type { Observation } from '../../src/model/observation.js';
import type { Change, Plan } from '../../src/model/plan.js';
import { applyEffects } from './describe-kind.js';
import { changeKindSpec } from '../../src/kinds.js';
import type { DesiredTechnician, ObservedTechnician } from '../../reconcilers/technicians/state.js';
import type { BookableResourceRow, GraphUser, SystemUserRow } from '../../src/model/rows.js';
import type { ContactRow } from '../../reconcilers/technicians/rows.js';

export const SKU = 'c0000000-0000-4000-8000-00000000005c';
export const GROUP = 'a0000000-0000-4000-8000-0000000000a1';
export const TENANT_DOMAIN = MODEL_TENANT_DOMAIN;

/** Core and technician settings side by side, as tests override them. */
export type FlatTestSettings = Omit<Settings, 'families'> & TechnicianSettings;

/**
 * Settings with the technicians family on. Overrides are flat (a core or a technician setting by
 * name), so a test names what it changes; they are sorted into the namespaced shape here.
 */
export function testSettings(overrides: Partial<FlatTestSettings> = {}): Settings {
  const flat: FlatTestSettings = {
    dataverseUrl: 'https://contoso.crm.dynamics.com',
    graphBaseUrl: 'https://graph.microsoft.com/v1.0',
    licenseSkuId: SKU,
    technicianGroupId: GROUP,
    defaultUsageLocation: 'US',
    defaultTimezoneCode: 85,
    inviteRedirectUrl: 'https://contoso.crm.dynamics.com',
    sendInvitationEmail: false,
    deprovisionWhenSetupOff: false,
    blockSignInOnDeprovision: false,
    ...overrides,
  };
  const { licenseSkuId, technicianGroupId, defaultUsageLocation, defaultTimezoneCode, inviteRedirectUrl, sendInvitationEmail, deprovisionWhenSetupOff, blockSignInOnDeprovision, serviceAccounts, licenseMode, ...core } = flat;
  const technicians = {
    licenseSkuId, technicianGroupId, defaultUsageLocation, defaultTimezoneCode, inviteRedirectUrl, sendInvitationEmail, deprovisionWhenSetupOff, blockSignInOnDeprovision,
    ...(serviceAccounts ? { serviceAccounts } : {}),
    ...(licenseMode ? { licenseMode } : {}),
  };
  return { ...core, families: { technicians } };
}

export function contactRow(id: string, overrides: Partial<ContactRow> = {}): ContactRow {
  return {
    contactid: id,
    fullname: `Tech ${id}`,
    firstname: 'Tech',
    lastname: id,
    emailaddress1: `${id}@vendor.example`,
    statecode: 0,
    statuscode: 1,
    _parentcustomerid_value: 'acc-1',
    address1_country: null,
    address1_latitude: null,
    address1_longitude: null,
    o25fs_setuptechnician: true,
    _o25fs_bookableresourceid_value: null,
    o25fs_startlocation: null,
    o25fs_endlocation: null,
    _o25fs_organizationalunitid_value: null,
    o25fs_displayonscheduleboard: null,
    o25fs_enableforavailabilitysearch: null,
    o25fs_hourlyrate: null,
    o25fs_timeoffapprovalrequired: null,
    _o25fs_warehouseid_value: null,
    o25fs_entraobjectid: null,
    o25fs_provisioningstatus: null,
    o25fs_provisioningerror: null,
    ...overrides,
  };
}

export function guestUpn(email: string): string {
  return `${email.replace('@', '_')}#EXT#@${TENANT_DOMAIN}`;
}

export function guestUser(id: string, email: string, overrides: Partial<GraphUser> = {}): GraphUser {
  return { ...invitedGuest(id, email), ...overrides };
}

/** The extension attributes of a user that carries the product's mark for `contactId` (test settings). */
export function markedAttributes(contactId: string, group = GROUP, sku = SKU): Record<string, string | null> {
  const attrs: Record<string, string | null> = {};
  for (let i = 1; i <= 15; i++) attrs[`extensionAttribute${i}`] = null;
  attrs.extensionAttribute15 = formatMark({ contactId, account: 'guest', groupId: group, skuIds: [sku] });
  return attrs;
}

/** The service-account settings tests use: the domain set, the technicians' SKU as the persona's. */
export const SA_DOMAIN = 'contoso.com';
export const serviceAccountsOn = (skuIds: string[] = [SKU.toLowerCase()]): Partial<FlatTestSettings> => ({
  serviceAccounts: { domain: SA_DOMAIN, skuIds, segmentAttribute: 'companyName' },
});

/** The extension attributes of a service account the product created for `contactId`. */
export function serviceAccountAttributes(contactId: string, skuIds: string[] = [SKU], group = GROUP): Record<string, string | null> {
  const attrs: Record<string, string | null> = {};
  for (let i = 1; i <= 15; i++) attrs[`extensionAttribute${i}`] = null;
  attrs.extensionAttribute15 = formatMark({ contactId, account: 'service', groupId: group, skuIds });
  return attrs;
}

/** A Member service account the product created for `contactId` (enabled, no licence yet). */
export function serviceAccountUser(id: string, contactId: string, overrides: Partial<GraphUser> = {}): GraphUser {
  return {
    id,
    displayName: `Tech ${contactId}`,
    givenName: 'Tech',
    surname: contactId,
    mail: null,
    otherMails: [`${contactId}@vendor.example`],
    userPrincipalName: `sa-${contactId}@${SA_DOMAIN}`,
    userType: 'Member',
    creationType: null,
    accountEnabled: true,
    usageLocation: 'US',
    assignedLicenses: [],
    licenseAssignmentStates: [],
    mailNickname: `vr-${contactId}`,
    companyName: 'Fabrikam Services',
    onPremisesExtensionAttributes: serviceAccountAttributes(contactId),
    ...overrides,
  };
}

/** A guest exactly as a provisioned technician's: names, usage location, direct licence, the mark. */
export function provisionedUser(id: string, contact: ContactRow, usageLocation = 'US'): GraphUser {
  return guestUser(id, (contact.emailaddress1 ?? '').toLowerCase(), {
    onPremisesExtensionAttributes: markedAttributes(contact.contactid),
    displayName: contact.fullname,
    givenName: contact.firstname,
    surname: contact.lastname,
    usageLocation,
    assignedLicenses: [{ skuId: SKU, disabledPlans: [] }],
    licenseAssignmentStates: [{ skuId: SKU, assignedByGroup: null, state: 'Active', error: 'None' }],
  });
}

export function systemUserRow(id: string, userId: string, overrides: Partial<SystemUserRow> = {}): SystemUserRow {
  return {
    systemuserid: id,
    azureactivedirectoryobjectid: userId,
    internalemailaddress: null,
    fullname: null,
    isdisabled: false,
    address1_latitude: null,
    address1_longitude: null,
    ...overrides,
  };
}

/** A bookable resource as the product creates it for `contact` (defaults of the o25fs columns). */
export function resourceRow(id: string, contact: ContactRow, systemUserId: string, overrides: Partial<BookableResourceRow> = {}): BookableResourceRow {
  return {
    bookableresourceid: id,
    name: contact.fullname,
    resourcetype: 3,
    _userid_value: systemUserId,
    timezone: 85,
    statecode: 0,
    statuscode: 1,
    msdyn_startlocation: contact.o25fs_startlocation ?? 690970002,
    msdyn_endlocation: contact.o25fs_endlocation ?? 690970002,
    _msdyn_organizationalunit_value: contact._o25fs_organizationalunitid_value,
    msdyn_displayonscheduleboard: contact.o25fs_displayonscheduleboard ?? true,
    msdyn_displayonscheduleassistant: contact.o25fs_enableforavailabilitysearch ?? true,
    msdyn_hourlyrate: contact.o25fs_hourlyrate,
    msdyn_timeoffapprovalrequired: contact.o25fs_timeoffapprovalrequired ?? false,
    _msdyn_warehouse_value: contact._o25fs_warehouseid_value,
    ...overrides,
  };
}

export function observation(overrides: Partial<Observation> = {}): Observation {
  return {
    observedAt: '2026-11-23T10:00:00.000Z',
    contacts: [],
    accounts: [{ accountid: 'acc-1', name: 'Fabrikam Services' }],
    vendorCharacteristics: [],
    characteristics: [],
    ratingValues: [],
    users: [],
    groupMemberIds: [],
    subscribedSkus: [
      {
        skuId: SKU,
        skuPartNumber: 'D365_FIELD_SERVICE_CONTRACTOR',
        capabilityStatus: 'Enabled',
        consumedUnits: 10,
        prepaidUnits: { enabled: 25, suspended: 0, warning: 0 },
      },
    ],
    systemUsers: [],
    bookableResources: [],
    resourceCharacteristics: [],
    // As GET /domains/{SA_DOMAIN} answers; read only when SERVICE_ACCOUNT_DOMAIN is set (serviceAccountsOn).
    serviceAccountDomain: { id: SA_DOMAIN, isVerified: true, authenticationType: 'Managed' },
    ...overrides,
  };
}

const clone = <T>(v: T): T => structuredClone(v);

/**
 * Applies every unblocked change in plan order, like apply does when every call succeeds, through
 * each change kind's effect (reconcilers/technicians/). Throws when a change is applied before what
 * it depends on, or targets something that does not exist.
 */
export function applyPlan(obs: Observation, plan: Plan): Observation {
  return applyEffects(clone(obs), plan.changes, changeKindSpec);
}

/** Dataverse's user sync: licensed + member + enabled → enabled systemuser; otherwise disabled. */
export function userSync(obs: Observation): Observation {
  const o = clone(obs);
  const members = new Set((o.groupMemberIds ?? []).map((m) => m.toLowerCase()));
  for (const u of o.users) {
    const id = u.id.toLowerCase();
    const entitled =
      members.has(id) && u.accountEnabled !== false && u.assignedLicenses.some((l) => l.skuId.toLowerCase() === SKU);
    const existing = o.systemUsers.filter((s) => (s.azureactivedirectoryobjectid ?? '').toLowerCase() === id);
    if (existing.length === 0) {
      if (entitled) o.systemUsers.push(systemUserRow(stableId('su', id), u.id, { internalemailaddress: u.mail }));
      continue;
    }
    for (const s of existing) s.isdisabled = !entitled;
  }
  return o;
}

// ---- Fixtures for the engine and reconciler unit tests: a fully provisioned technician and friends.

export interface Tech {
  contact: ContactRow;
  user: GraphUser;
  systemUser: SystemUserRow;
  resource: BookableResourceRow;
}

/** Contact `c-N` with guest `u-N`, systemuser `su-N` and resource `br-N`, all as desired. */
export function convergedTech(n: number, contact: Partial<ContactRow> = {}): Tech {
  const c = contactRow(`c-${n}`, {
    fullname: 'Ana Silva',
    firstname: 'Ana',
    lastname: 'Silva',
    emailaddress1: `ana${n}@vendor.example`,
    address1_country: 'Germany',
    o25fs_hourlyrate: 42.5,
    o25fs_entraobjectid: `u-${n}`,
    _o25fs_bookableresourceid_value: `br-${n}`,
    ...contact,
  });
  return {
    contact: c,
    user: provisionedUser(`u-${n}`, c, 'DE'),
    systemUser: systemUserRow(`su-${n}`, `u-${n}`),
    resource: resourceRow(`br-${n}`, c, `su-${n}`),
  };
}

export function tenantOf(techs: Tech[], overrides: Partial<Observation> = {}): Observation {
  return observation({
    contacts: techs.map((t) => t.contact),
    users: techs.map((t) => t.user),
    groupMemberIds: techs.map((t) => t.user.id),
    systemUsers: techs.map((t) => t.systemUser),
    bookableResources: techs.map((t) => t.resource),
    ...overrides,
  });
}

/** Matches a change's subject by the contact's id (diffs know no more than the id, the name and the vendor's id). */
export function technicianSubject(contactId: string): unknown {
  return expect.objectContaining({ family: 'technicians', table: 'contacts', id: contactId });
}

/** A change as plan tests compare it: no reason sentence, its subject by id (subjects are tested on their own). */
export type ChangeShape = Omit<Change, 'reason' | 'subject'> & { subjectId: string };

export function shape(c: Change): ChangeShape {
  const { reason: _reason, subject, ...rest } = c;
  return { ...rest, subjectId: subject.id };
}


/** Desired state of a contact (it must be valid) with the test settings. */
export function desiredFor(contact: ContactRow, settings: Settings = testSettings(), obs: Observation = observation()): DesiredTechnician {
  const out = computeDesired(contact, obs.vendorCharacteristics.filter((r) => r._o25fs_vendorcontactid_value === contact.contactid), indexLookups(obs), settings);
  if (!out.ok) throw new Error(out.error.message);
  return out.desired;
}

/** The observed slice of a converged technician; override any part. */
export function observedFor(t: Tech, overrides: Partial<ObservedTechnician> = {}): ObservedTechnician {
  return {
    contact: t.contact,
    user: t.user,
    isGroupMember: true,
    directSkuIds: [SKU.toLowerCase()],
    formerIdentity: null,
    systemUser: t.systemUser,
    mark: readMark(t.user, 'extensionAttribute15'),
    formerGrants: { groupIds: [], skuIds: [] },
    bookableResource: t.resource,
    resourceCharacteristics: [],
    ...overrides,
  };
}
