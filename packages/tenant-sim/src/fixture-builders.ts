/**
 * The rows of a technician as the reconciler leaves it (reconcilers/technicians/desired.ts's mapping), shared by
 * the demo tenant (demo-fixture.ts) and the benchmark's scenario tenants (bench/fixtures.ts): a
 * guest user with names, usage location and a direct licence; group membership; an anchored
 * contact with status active; an enabled systemuser with the contact's coordinates; an active
 * bookable resource linked from the contact with the eight mapped Field Service columns; one
 * resource characteristic per active vendor characteristic. Each caller names its own ids.
 */
import { CHARACTERISTICS, CREATED, FIELD_SERVICE_CONTRACTOR_SKU, LOCATIONS, ORG_UNITS, TENANT_DOMAIN, WAREHOUSES, charId, demoId, directLicence, guestUpn, ratingId, technicianMark } from './demo-reference.js';

export type Row = Record<string, unknown>;

/** GMT Standard Time (learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookableresource): DEFAULT_TIMEZONE_CODE of the demo and bench settings. */
export const TIMEZONE = 85;
/** o25fs_provisioningstatus values (reconcilers/technicians/status-codes.ts). */
export const STATUS = { invited: 808950001, active: 808950003, deprovisioned: 808950004 };

/** The objects one technician has. */
export interface Technician {
  contact: Row;
  user?: Row;
  member: boolean;
  systemuser?: Row;
  resource?: Row;
  resourceCharacteristics: Row[];
  vendorCharacteristics: Row[];
}

/** Who a contact is; the Field Service columns follow from its index. */
export interface ContactIdentity {
  contactid: string;
  first: string;
  last: string;
  email: string;
  accountId: string;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** An active contact with the setup flag on, not provisioned yet; columns vary with the index `i`. */
export function contactRow(c: ContactIdentity, i: number): Row {
  return {
    contactid: c.contactid,
    fullname: `${c.first} ${c.last}`,
    firstname: c.first,
    lastname: c.last,
    emailaddress1: c.email,
    statecode: 0,
    statuscode: 1,
    _parentcustomerid_value: c.accountId,
    address1_country: c.country,
    address1_latitude: c.latitude,
    address1_longitude: c.longitude,
    o25fs_setuptechnician: true,
    // Guest (empty); the demo's service-account cases set Service account (demo-service-accounts.ts).
    o25fs_accounttype: null,
    _o25fs_bookableresourceid_value: null,
    o25fs_startlocation: LOCATIONS[i % 3]!,
    o25fs_endlocation: LOCATIONS[(i + 1) % 3]!,
    _o25fs_organizationalunitid_value: i % 4 === 3 ? null : demoId(`ou:${ORG_UNITS[i % 3]}`),
    o25fs_displayonscheduleboard: i % 5 !== 4,
    o25fs_enableforavailabilitysearch: i % 6 !== 5,
    o25fs_hourlyrate: i % 7 === 6 ? null : 35 + (i % 9) * 2.5,
    o25fs_timeoffapprovalrequired: i % 3 === 0,
    _o25fs_warehouseid_value: i % 3 === 2 ? null : demoId(`warehouse:${WAREHOUSES[i % 2]}`),
    o25fs_entraobjectid: null,
    o25fs_provisioningstatus: null,
    o25fs_provisioningerror: null,
    o25fs_invitationpendingon: null,
  };
}

/** Names the id of a vendor characteristic: the k-th active one (state 0), or the inactive one (state 1). */
export type VendorCharacteristicId = (k: number, name: string, state: 0 | 1) => string;

/** `count` active characteristics chosen by the index; every fifth index also has an inactive row. */
export function vendorCharacteristics(i: number, count: number, contactId: string, idOf: VendorCharacteristicId): Row[] {
  const row = (k: number, name: string, rating: string | null, state: 0 | 1): Row => ({
    o25fs_vendorcharacteristicid: idOf(k, name, state),
    o25fs_vendorcharacteristicname: null,
    _o25fs_vendorcontactid_value: contactId,
    _o25fs_characteristicid_value: charId(name),
    _o25fs_ratingvalueid_value: rating,
    statecode: state,
    statuscode: state === 0 ? 1 : 2,
  });
  const rows: Row[] = [];
  for (let k = 0; k < count; k += 1) {
    rows.push(row(k, CHARACTERISTICS[(i + k * 2) % CHARACTERISTICS.length]!, (i + k) % 6 === 5 ? null : ratingId('Proficiency', ((i + k) % 5) + 1), 0));
  }
  if (i % 5 === 0) rows.push(row(count, CHARACTERISTICS[(i + 1) % CHARACTERISTICS.length]!, ratingId('Proficiency', 2), 1));
  return rows;
}

/** An active bookable resource characteristic; its id is demoId(`${idPrefix}brc:<resource>:<characteristic>`). */
export function resourceCharacteristic(idPrefix: string, resourceId: string, characteristicId: string, ratingValueId: string | null): Row {
  return {
    bookableresourcecharacteristicid: demoId(`${idPrefix}brc:${resourceId}:${characteristicId}`),
    name: null,
    _resource_value: resourceId,
    _characteristic_value: characteristicId,
    _ratingvalue_value: ratingValueId,
    statecode: 0,
    statuscode: 1,
  };
}

/** Drift: a characteristic the contact does not have, added by hand on the resource. */
export function addForeignCharacteristic(t: Technician, idPrefix: string, ratingValueId: string | null): void {
  const held = new Set(t.resourceCharacteristics.map((r) => r._characteristic_value));
  const extra = CHARACTERISTICS.map(charId).find((id) => !held.has(id))!;
  t.resourceCharacteristics.push(resourceCharacteristic(idPrefix, String(t.resource!.bookableresourceid), extra, ratingValueId));
}

export interface ConvergedIds {
  userId: string;
  systemuserId: string;
  resourceId: string;
  /** Prefix of the resource characteristics' id names (see resourceCharacteristic). */
  brcPrefix: string;
}

/**
 * Everything in place and as the reconciler would leave it, from a fresh contact row (which it
 * anchors and links) and the contact's vendor characteristics.
 */
export function convergedTechnician(contact: Row, vendorChars: Row[], ids: ConvergedIds, externalUserState: string): Technician {
  const email = String(contact.emailaddress1);
  const user: Row = {
    id: ids.userId,
    displayName: contact.fullname,
    givenName: contact.firstname,
    surname: contact.lastname,
    mail: email,
    otherMails: [email],
    userPrincipalName: guestUpn(email),
    userType: 'Guest',
    creationType: 'Invitation',
    externalUserState,
    accountEnabled: true,
    usageLocation: 'GB',
    createdDateTime: CREATED,
    ...directLicence(FIELD_SERVICE_CONTRACTOR_SKU),
    ...technicianMark(String(contact.contactid)),
  };
  const systemuser: Row = {
    systemuserid: ids.systemuserId,
    azureactivedirectoryobjectid: ids.userId,
    internalemailaddress: email,
    fullname: contact.fullname,
    domainname: user.userPrincipalName,
    isdisabled: false,
    accessmode: 0,
    address1_latitude: contact.address1_latitude,
    address1_longitude: contact.address1_longitude,
  };
  const resource: Row = {
    bookableresourceid: ids.resourceId,
    name: contact.fullname,
    resourcetype: 3,
    _userid_value: ids.systemuserId,
    timezone: TIMEZONE,
    statecode: 0,
    statuscode: 1,
    msdyn_startlocation: contact.o25fs_startlocation,
    msdyn_endlocation: contact.o25fs_endlocation,
    _msdyn_organizationalunit_value: contact._o25fs_organizationalunitid_value,
    msdyn_displayonscheduleboard: contact.o25fs_displayonscheduleboard,
    msdyn_displayonscheduleassistant: contact.o25fs_enableforavailabilitysearch,
    msdyn_hourlyrate: contact.o25fs_hourlyrate,
    msdyn_timeoffapprovalrequired: contact.o25fs_timeoffapprovalrequired,
    _msdyn_warehouse_value: contact._o25fs_warehouseid_value,
  };
  Object.assign(contact, { _o25fs_bookableresourceid_value: ids.resourceId, o25fs_entraobjectid: ids.userId, o25fs_provisioningstatus: STATUS.active });
  const resourceChars = vendorChars
    .filter((v) => v.statecode === 0)
    .map((v) => resourceCharacteristic(ids.brcPrefix, ids.resourceId, String(v._o25fs_characteristicid_value), (v._o25fs_ratingvalueid_value as string | null) ?? null));
  return { contact, user, member: true, systemuser, resource, resourceCharacteristics: resourceChars, vendorCharacteristics: vendorChars };
}

/** The reconciler's application user in Dataverse. */
export function appSystemUser(appId: string): Row {
  return {
    systemuserid: demoId('systemuser:app'), azureactivedirectoryobjectid: demoId('serviceprincipal:vendor-reconciler'), applicationid: appId,
    internalemailaddress: `${appId}@${TENANT_DOMAIN}`, fullname: '# vendor-reconciler', domainname: `${appId}@${TENANT_DOMAIN}`,
    isdisabled: false, accessmode: 4, address1_latitude: null, address1_longitude: null,
  };
}

/** A Dataverse team (schemas/dataverse-entities.json `teams`): a possible owner of user-owned rows. */
export function teamRow(teamid: string, name: string): Row {
  return { teamid, name };
}

/**
 * The owner columns of a contact or bookable resource owned by a systemuser or a team
 * (src/dataverse/ownership.ts): spread into a row. A fixture may also give `_ownerid_value` alone;
 * the simulator fills the owning columns from it.
 */
export function ownedBy(ownerId: string, kind: 'systemuser' | 'team'): Row {
  return { _ownerid_value: ownerId, _owninguser_value: kind === 'systemuser' ? ownerId : null, _owningteam_value: kind === 'team' ? ownerId : null };
}

/** The tenant record of a fixture. */
export const tenantRecord = (): { id: string; defaultDomain: string; verifiedDomains: string[] } =>
  ({ id: demoId('tenant:contoso'), defaultDomain: TENANT_DOMAIN, verifiedDomains: [TENANT_DOMAIN, 'contoso.com'] });

/** The Dataverse tables the technicians fill; `systemusers` start with `otherSystemUsers`. */
export function technicianTables(techs: Technician[], otherSystemUsers: Row[]): Record<string, Row[]> {
  return {
    contacts: techs.map((t) => t.contact),
    o25fs_vendorcharacteristics: techs.flatMap((t) => t.vendorCharacteristics),
    systemusers: [...otherSystemUsers, ...techs.flatMap((t) => (t.systemuser ? [t.systemuser] : []))],
    bookableresources: techs.flatMap((t) => (t.resource ? [t.resource] : [])),
    bookableresourcecharacteristics: techs.flatMap((t) => t.resourceCharacteristics),
  };
}
