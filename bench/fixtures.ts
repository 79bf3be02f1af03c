/**
 * Scenario tenants for the benchmark, generated in the exact shape the reconciler leaves a tenant
 * (src/engine/desired.ts's mapping): a converged technician has a guest user with names, usage
 * location, a direct licence and group membership; an anchored contact with status active; an
 * enabled systemuser with the contact's coordinates; an active bookable resource with the mapped
 * columns linked from the contact; one resource characteristic per active vendor characteristic.
 * The bench checks this by planning the steady tenant: zero changes.
 *
 * Each generator also says which changes the reconciler must make (`expected`), so the benchmark can
 * check "one write per needed change" against an independent count rather than the plan itself.
 */
import { DEMO_ROLES, DEMO_TECHNICIAN_GROUP_ID, demoSettings } from '../src/simulator/demo-fixture.js';
import { CHARACTERISTICS, FIELD_SERVICE_CONTRACTOR_SKU, LOCATIONS, ORG_UNITS, WAREHOUSES, charId, demoId, directLicence, guestUpn, ratingId, referenceData } from '../src/simulator/demo-reference.js';
import type { Fixture } from '../src/simulator/types.js';
import type { ChangeKind } from '../src/model/plan.js';

type Row = Record<string, unknown>;

const TENANT_DOMAIN = 'contoso.onmicrosoft.com';
const TIMEZONE = 85;
const STATUS_ACTIVE = 808950003; // src/engine/status-codes.ts
/** Technicians per vendor account. */
export const PER_VENDOR = 200;
/** The simulator's user sync runs only when the bench asks (POST /_sim/sync), between phases. */
const SYNC_DELAY_MS = 86_400_000;

export const BENCH_SETTINGS: Record<string, string> = { ...demoSettings(), SEND_INVITATION_EMAIL: 'false' };
export const GROUP_ID = DEMO_TECHNICIAN_GROUP_ID;
export const SKU_ID = FIELD_SERVICE_CONTRACTOR_SKU;

export interface Technician {
  contact: Row;
  user?: Row;
  member: boolean;
  systemuser?: Row;
  resource?: Row;
  resourceCharacteristics: Row[];
  vendorCharacteristics: Row[];
}

/** Changes (by kind) the reconciler must make, and the contacts whose stored status must change. */
export interface Expected {
  changes: Partial<Record<ChangeKind, number>>;
  statusWrites: number;
}

const add = (e: Expected, kind: ChangeKind, n = 1): void => {
  e.changes[kind] = (e.changes[kind] ?? 0) + n;
};

export const vendorId = (v: number): string => demoId(`bench:account:${v}`);
const emailOf = (i: number): string => `tech${i}@vendor${Math.floor(i / PER_VENDOR)}.example.com`;

function contactRow(i: number): Row {
  const v = Math.floor(i / PER_VENDOR);
  return {
    contactid: demoId(`bench:contact:${i}`),
    fullname: `Alex Tech${i}`,
    firstname: 'Alex',
    lastname: `Tech${i}`,
    emailaddress1: emailOf(i),
    statecode: 0,
    statuscode: 1,
    _parentcustomerid_value: vendorId(v),
    address1_country: 'United Kingdom',
    address1_latitude: Number((51 + (i % 1000) * 0.001).toFixed(4)),
    address1_longitude: Number((-2 + (i % 997) * 0.001).toFixed(4)),
    o25fs_setuptechnician: true,
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

/** 0 to 3 active characteristics; every fifth technician also has an inactive row. */
function vendorCharacteristics(i: number, contactId: string): Row[] {
  const rows: Row[] = [];
  const row = (k: number, name: string, rating: string | null, state: 0 | 1): Row => ({
    o25fs_vendorcharacteristicid: demoId(`bench:vc:${i}:${k}:${state}`),
    o25fs_vendorcharacteristicname: null,
    _o25fs_vendorcontactid_value: contactId,
    _o25fs_characteristicid_value: charId(name),
    _o25fs_ratingvalueid_value: rating,
    statecode: state,
    statuscode: state === 0 ? 1 : 2,
  });
  for (let k = 0; k < i % 4; k += 1) {
    rows.push(row(k, CHARACTERISTICS[(i + k * 2) % CHARACTERISTICS.length]!, (i + k) % 6 === 5 ? null : ratingId('Proficiency', ((i + k) % 5) + 1), 0));
  }
  if (i % 5 === 0) rows.push(row(9, CHARACTERISTICS[(i + 1) % CHARACTERISTICS.length]!, ratingId('Proficiency', 2), 1));
  return rows;
}

export const activeCharacteristics = (i: number): number => i % 4;

function resourceCharacteristic(resourceId: string, characteristicId: string, ratingValueId: string | null): Row {
  return {
    bookableresourcecharacteristicid: demoId(`bench:brc:${resourceId}:${characteristicId}`),
    name: null,
    _resource_value: resourceId,
    _characteristic_value: characteristicId,
    _ratingvalue_value: ratingValueId,
    statecode: 0,
    statuscode: 1,
  };
}

/** A technician as the reconciler leaves it. */
export function converged(i: number): Technician {
  const contact = contactRow(i);
  const email = String(contact.emailaddress1);
  const userId = demoId(`bench:user:${i}`);
  const user: Row = {
    id: userId,
    displayName: contact.fullname,
    givenName: contact.firstname,
    surname: contact.lastname,
    mail: email,
    otherMails: [email],
    userPrincipalName: guestUpn(email),
    userType: 'Guest',
    creationType: 'Invitation',
    externalUserState: 'Accepted',
    accountEnabled: true,
    usageLocation: 'GB',
    createdDateTime: '2025-01-15T09:00:00Z',
    ...directLicence(SKU_ID),
  };
  const systemuser: Row = {
    systemuserid: demoId(`bench:systemuser:${i}`),
    azureactivedirectoryobjectid: userId,
    internalemailaddress: email,
    fullname: contact.fullname,
    domainname: user.userPrincipalName,
    isdisabled: false,
    accessmode: 0,
    address1_latitude: contact.address1_latitude,
    address1_longitude: contact.address1_longitude,
  };
  const resourceId = demoId(`bench:bookableresource:${i}`);
  const resource: Row = {
    bookableresourceid: resourceId,
    name: contact.fullname,
    resourcetype: 3,
    _userid_value: systemuser.systemuserid,
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
  Object.assign(contact, { _o25fs_bookableresourceid_value: resourceId, o25fs_entraobjectid: userId, o25fs_provisioningstatus: STATUS_ACTIVE });
  const vendorChars = vendorCharacteristics(i, String(contact.contactid));
  const resourceChars = vendorChars
    .filter((v) => v.statecode === 0)
    .map((v) => resourceCharacteristic(resourceId, String(v._o25fs_characteristicid_value), (v._o25fs_ratingvalueid_value as string | null) ?? null));
  return { contact, user, member: true, systemuser, resource, resourceCharacteristics: resourceChars, vendorCharacteristics: vendorChars };
}

/** A technician the vendor admin has just added: the contact and its characteristics only. */
export function fresh(i: number): Technician {
  const contact = contactRow(i);
  return { contact, member: false, resourceCharacteristics: [], vendorCharacteristics: vendorCharacteristics(i, String(contact.contactid)) };
}

/** The tenant holding these technicians. */
export function tenantOf(techs: Technician[]): Fixture {
  const appId = demoId('app:vendor-reconciler');
  const vendors = [...new Set(techs.map((t) => String(t.contact._parentcustomerid_value)))];
  const users = techs.flatMap((t) => (t.user ? [t.user] : []));
  const reference = referenceData();
  const appUser: Row = {
    systemuserid: demoId('systemuser:app'), azureactivedirectoryobjectid: demoId('serviceprincipal:vendor-reconciler'), applicationid: appId,
    internalemailaddress: `${appId}@${TENANT_DOMAIN}`, fullname: '# vendor-reconciler', domainname: `${appId}@${TENANT_DOMAIN}`,
    isdisabled: false, accessmode: 4, address1_latitude: null, address1_longitude: null,
  };
  return {
    tenant: { id: demoId('tenant:contoso'), defaultDomain: TENANT_DOMAIN, verifiedDomains: [TENANT_DOMAIN, 'contoso.com'] },
    app: { clientId: appId, clientSecret: 'bench-only-secret', roles: DEMO_ROLES },
    environment: { securityGroupId: GROUP_ID, licensedSkuIds: [SKU_ID], userSyncDelayMs: SYNC_DELAY_MS },
    graph: {
      users,
      groups: [{ id: GROUP_ID, displayName: 'Field Service Technicians', members: techs.filter((t) => t.member && t.user).map((t) => String(t.user!.id)) }],
      subscribedSkus: [
        {
          skuId: SKU_ID, skuPartNumber: 'DYN365_FS_CONTRACTOR', appliesTo: 'User', capabilityStatus: 'Enabled',
          consumedUnits: users.filter((u) => (u.assignedLicenses as unknown[]).length > 0).length,
          prepaidUnits: { enabled: techs.length * 2 + 100, suspended: 0, warning: 0, lockedOut: 0 }, servicePlans: [],
        },
      ],
    },
    dataverse: {
      ...reference,
      accounts: vendors.map((id, v) => ({ accountid: id, name: `Vendor ${v}`, statecode: 0, statuscode: 1 })),
      contacts: techs.map((t) => t.contact),
      o25fs_vendorcharacteristics: techs.flatMap((t) => t.vendorCharacteristics),
      systemusers: [appUser, ...techs.flatMap((t) => (t.systemuser ? [t.systemuser] : []))],
      bookableresources: techs.flatMap((t) => (t.resource ? [t.resource] : [])),
      bookableresourcecharacteristics: techs.flatMap((t) => t.resourceCharacteristics),
    },
  };
}

export interface GeneratedScenario {
  fixture: Fixture;
  /** Changes of the first apply. */
  expected: Expected;
  /** Contacts about to be invited (each needs one pre-invite look-up). */
  invites: number;
}

/** Scenario 1 and 5: everything converged. */
export function steadyState(n: number): GeneratedScenario {
  return { fixture: tenantOf(Array.from({ length: n }, (_, i) => converged(i))), expected: { changes: {}, statusWrites: 0 }, invites: 0 };
}

/**
 * The drifts of scenario 2, one per drifted technician in turn, each as someone could cause it in
 * the tenant, with the change it needs. None changes the technician's status.
 */
export const DRIFTS: { name: string; apply(t: Technician, i: number): void; needs: ChangeKind[] }[] = [
  { name: 'guest renamed in Entra', apply: (t) => void ((t.user!).displayName = 'Renamed By Hand'), needs: ['user.update'] },
  { name: 'usage location cleared', apply: (t) => void ((t.user!).usageLocation = null), needs: ['user.update'] },
  { name: 'licence removed by hand', apply: (t) => Object.assign(t.user!, { assignedLicenses: [], licenseAssignmentStates: [] }), needs: ['licence.assign'] },
  { name: 'removed from the group', apply: (t) => void (t.member = false), needs: ['group.add'] },
  { name: 'hourly rate edited on the resource', apply: (t) => void ((t.resource!).msdyn_hourlyrate = 99.99), needs: ['bookableresource.update'] },
  { name: 'resource deactivated by hand', apply: (t) => Object.assign(t.resource!, { statecode: 1, statuscode: 2 }), needs: ['bookableresource.update'] },
  { name: 'contact renamed by the vendor', apply: (t) => Object.assign(t.contact, { fullname: `${String(t.contact.fullname)}-Smith`, lastname: `${String(t.contact.lastname)}-Smith` }), needs: ['user.update', 'bookableresource.update'] },
  { name: 'coordinates overwritten on the systemuser', apply: (t) => Object.assign(t.systemuser!, { address1_latitude: 40.7128, address1_longitude: -74.006 }), needs: ['systemuser.update'] },
  {
    name: 'characteristic added on the resource by hand',
    apply: (t) => {
      const held = new Set(t.resourceCharacteristics.map((r) => r._characteristic_value));
      const extra = CHARACTERISTICS.map(charId).find((id) => !held.has(id))!;
      t.resourceCharacteristics.push(resourceCharacteristic(String(t.resource!.bookableresourceid), extra, null));
    },
    needs: ['characteristic.delete'],
  },
  {
    name: 'contact lookup to its resource cleared',
    apply: (t) => void (t.contact._o25fs_bookableresourceid_value = null),
    needs: ['contact.link'],
  },
];

/** Scenario 2: `share` of n technicians drifted, the DRIFTS in turn. */
export function drift(n: number, share = 0.05): GeneratedScenario {
  const every = Math.round(1 / share);
  const expected: Expected = { changes: {}, statusWrites: 0 };
  let k = 0;
  const techs = Array.from({ length: n }, (_, i) => {
    const t = converged(i);
    if (i % every === every - 1) {
      const d = DRIFTS[k % DRIFTS.length]!;
      k += 1;
      d.apply(t, i);
      for (const kind of d.needs) add(expected, kind);
    }
    return t;
  });
  return { fixture: tenantOf(techs), expected, invites: 0 };
}

/** Scenario 3: `base` converged technicians and `added` new ones of new vendors. */
export function onboarding(base: number, added: number): GeneratedScenario & { second: Expected } {
  const techs = Array.from({ length: base + added }, (_, i) => (i < base ? converged(i) : fresh(i)));
  const expected: Expected = { changes: {}, statusWrites: added };
  const second: Expected = { changes: {}, statusWrites: added };
  for (const kind of ['user.invite', 'contact.anchor', 'user.update', 'licence.assign', 'group.add'] as const) add(expected, kind, added);
  for (const kind of ['systemuser.update', 'bookableresource.create', 'contact.link'] as const) add(second, kind, added);
  let chars = 0;
  for (let i = base; i < base + added; i += 1) chars += activeCharacteristics(i);
  add(second, 'characteristic.create', chars);
  return { fixture: tenantOf(techs), expected, invites: added, second };
}

/** Scenario 4: `share` of n technicians' contacts deactivated. */
export function offboarding(n: number, share = 0.1): GeneratedScenario {
  const every = Math.round(1 / share);
  const expected: Expected = { changes: {}, statusWrites: 0 };
  const techs = Array.from({ length: n }, (_, i) => {
    const t = converged(i);
    if (i % every === every - 1) {
      Object.assign(t.contact, { statecode: 1, statuscode: 2 });
      for (const kind of ['licence.remove', 'group.remove', 'bookableresource.deactivate'] as const) add(expected, kind);
      expected.statusWrites += 1;
    }
    return t;
  });
  return { fixture: tenantOf(techs), expected, invites: 0 };
}

export function expectedTotal(e: Expected): number {
  return Object.values(e.changes).reduce((a, b) => a + (b ?? 0), 0) + e.statusWrites;
}
