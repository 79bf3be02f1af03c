/**
 * Tenants for the guard integration tests, generated: `converged` technicians exactly as the
 * reconciler leaves them (user + direct licence + group + anchored contact + enabled systemuser +
 * linked active bookable resource, as in packages/tenant-sim/src/demo-fixture.ts's "converged" case), then
 * some of them deactivated or drifted, plus new technicians with no Entra user yet.
 */
import { DEMO_TECHNICIAN_GROUP_ID, demoGuestSettings } from 'tenant-sim/demo-fixture';
import { directLicence, demoId, FIELD_SERVICE_CONTRACTOR_SKU, guestUpn, LOCATIONS, referenceData, technicianMark, TENANT_DOMAIN } from 'tenant-sim/demo-reference';
import type { Fixture } from 'tenant-sim';

type Row = Record<string, unknown>;

const STATUS_ACTIVE = 808950003;
const TIMEZONE = 85;
const VENDOR = demoId('account:fabrikam');
const DOMAIN = 'fabrikam-services.com';

export interface GuardTenantOptions {
  /** Technicians fully provisioned. */
  converged: number;
  /** The first N converged technicians are deactivated (contact statecode 1) with their access still in place. */
  deactivated?: number;
  /** The next N converged technicians have their systemuser's coordinates changed by hand. */
  driftCoordinates?: number;
  /** New technicians: active, setup flag on, no Entra user. */
  fresh?: number;
  /** Email of new technician i (default tech.new<i>@fabrikam-services.com). */
  freshEmail?: (i: number) => string;
  /** createdon of new technician i (default: none). */
  freshCreatedOn?: (i: number) => string;
  /** Licence units free at the start (prepaid = consumed + this). Default 1000. */
  freeUnits?: number;
  /** Verified domains of the tenant besides contoso.onmicrosoft.com and contoso.com. */
  extraVerifiedDomains?: string[];
}

export interface Technician {
  key: string;
  contactId: string;
  email: string;
  userId: string;
  resourceId: string;
}

export interface GuardTenant {
  fixture: Fixture;
  settings: Record<string, string>;
  converged: Technician[];
  deactivated: Technician[];
  drifted: Technician[];
  fresh: { key: string; contactId: string; email: string }[];
}

function contact(key: string, i: number, email: string): Row {
  const [first, last] = [`Tech${i}`, key.replace(/[^a-z]/gi, '') || 'Person'];
  return {
    contactid: demoId(`guards:contact:${key}`),
    fullname: `${first} ${last}`,
    firstname: first,
    lastname: last,
    emailaddress1: email,
    statecode: 0,
    statuscode: 1,
    _parentcustomerid_value: VENDOR,
    address1_country: 'United Kingdom',
    address1_latitude: Number((51.5 + i * 0.001).toFixed(4)),
    address1_longitude: Number((-0.12 - i * 0.001).toFixed(4)),
    o25fs_setuptechnician: true,
    _o25fs_bookableresourceid_value: null,
    o25fs_startlocation: LOCATIONS[i % 3]!,
    o25fs_endlocation: LOCATIONS[(i + 1) % 3]!,
    _o25fs_organizationalunitid_value: null,
    o25fs_displayonscheduleboard: true,
    o25fs_enableforavailabilitysearch: true,
    o25fs_hourlyrate: 40,
    o25fs_timeoffapprovalrequired: false,
    _o25fs_warehouseid_value: null,
    o25fs_entraobjectid: null,
    o25fs_provisioningstatus: null,
    o25fs_provisioningerror: null,
    o25fs_invitationpendingon: null,
  };
}

export function guardTenant(options: GuardTenantOptions): GuardTenant {
  const contacts: Row[] = [];
  const users: Row[] = [];
  const systemusers: Row[] = [];
  const resources: Row[] = [];
  const converged: Technician[] = [];
  for (let i = 0; i < options.converged; i++) {
    const key = `converged-${i}`;
    const email = `tech.${i}@${DOMAIN}`;
    const c = contact(key, i, email);
    const userId = demoId(`guards:user:${email}`);
    const resourceId = demoId(`guards:bookableresource:${key}`);
    const systemuserId = demoId(`guards:systemuser:${userId}`);
    users.push({
      id: userId, displayName: c.fullname, givenName: c.firstname, surname: c.lastname, mail: email, otherMails: [email],
      userPrincipalName: guestUpn(email), userType: 'Guest', creationType: 'Invitation', externalUserState: 'Accepted',
      accountEnabled: true, usageLocation: 'GB', createdDateTime: '2025-01-15T09:00:00Z', ...directLicence(FIELD_SERVICE_CONTRACTOR_SKU),
      ...technicianMark(String(c.contactid)),
    });
    systemusers.push({
      systemuserid: systemuserId, azureactivedirectoryobjectid: userId, internalemailaddress: email, fullname: c.fullname,
      domainname: guestUpn(email), isdisabled: false, accessmode: 0, address1_latitude: c.address1_latitude, address1_longitude: c.address1_longitude,
    });
    resources.push({
      bookableresourceid: resourceId, name: c.fullname, resourcetype: 3, _userid_value: systemuserId, timezone: TIMEZONE, statecode: 0, statuscode: 1,
      msdyn_startlocation: c.o25fs_startlocation, msdyn_endlocation: c.o25fs_endlocation, _msdyn_organizationalunit_value: null,
      msdyn_displayonscheduleboard: true, msdyn_displayonscheduleassistant: true, msdyn_hourlyrate: 40, msdyn_timeoffapprovalrequired: false, _msdyn_warehouse_value: null,
    });
    Object.assign(c, { o25fs_entraobjectid: userId, _o25fs_bookableresourceid_value: resourceId, o25fs_provisioningstatus: STATUS_ACTIVE });
    contacts.push(c);
    converged.push({ key, contactId: String(c.contactid), email, userId, resourceId });
  }
  const deactivated = converged.slice(0, options.deactivated ?? 0);
  for (const t of deactivated) Object.assign(contacts.find((c) => c.contactid === t.contactId)!, { statecode: 1, statuscode: 2 });
  const drifted = converged.slice(deactivated.length, deactivated.length + (options.driftCoordinates ?? 0));
  for (const t of drifted) Object.assign(systemusers.find((s) => s.azureactivedirectoryobjectid === t.userId)!, { address1_latitude: 40.7128, address1_longitude: -74.006 });

  const fresh: GuardTenant['fresh'] = [];
  for (let i = 0; i < (options.fresh ?? 0); i++) {
    const key = `new-${i}`;
    const email = options.freshEmail?.(i) ?? `tech.new${i}@${DOMAIN}`;
    const c = contact(key, 1000 + i, email);
    if (options.freshCreatedOn) c.createdon = options.freshCreatedOn(i);
    contacts.push(c);
    fresh.push({ key, contactId: String(c.contactid), email });
  }

  const consumed = users.length;
  const appId = demoId('app:vendor-reconciler');
  return {
    settings: demoGuestSettings(),
    converged,
    deactivated,
    drifted,
    fresh,
    fixture: {
      tenant: { id: demoId('tenant:contoso'), defaultDomain: TENANT_DOMAIN, verifiedDomains: [TENANT_DOMAIN, 'contoso.com', ...(options.extraVerifiedDomains ?? [])] },
      app: { clientId: appId, clientSecret: 'guards-test-secret', roles: ['User.Invite.All', 'User.ReadWrite.All', 'LicenseAssignment.ReadWrite.All', 'LicenseAssignment.Read.All', 'GroupMember.Read.All', 'GroupMember.ReadWrite.All'] },
      environment: { securityGroupId: DEMO_TECHNICIAN_GROUP_ID, licensedSkuIds: [FIELD_SERVICE_CONTRACTOR_SKU], userSyncDelayMs: 1500 },
      graph: {
        users,
        groups: [{ id: DEMO_TECHNICIAN_GROUP_ID, displayName: 'Field Service Technicians', members: users.map((u) => String(u.id)) }],
        subscribedSkus: [{
          skuId: FIELD_SERVICE_CONTRACTOR_SKU, skuPartNumber: 'DYN365_FS_CONTRACTOR', appliesTo: 'User', capabilityStatus: 'Enabled',
          consumedUnits: consumed, prepaidUnits: { enabled: consumed + (options.freeUnits ?? 1000), suspended: 0, warning: 0, lockedOut: 0 }, servicePlans: [],
        }],
      },
      dataverse: {
        ...referenceData(),
        contacts,
        systemusers: [
          { systemuserid: demoId('systemuser:app'), azureactivedirectoryobjectid: demoId('serviceprincipal:vendor-reconciler'), applicationid: appId, internalemailaddress: `${appId}@${TENANT_DOMAIN}`, fullname: '# vendor-reconciler', domainname: `${appId}@${TENANT_DOMAIN}`, isdisabled: false, accessmode: 4, address1_latitude: null, address1_longitude: null },
          ...systemusers,
        ],
        bookableresources: resources,
      },
    },
  };
}

type LogEntry = { service: string; method: string; path: string; status: number; inner?: { method: string; path: string; status: number }[] };

/** Every call the services saw, $batch envelopes opened, token requests left out. */
export function callsOf(log: LogEntry[]): { service: string; method: string; path: string; status: number }[] {
  return log
    .filter((e) => e.service !== 'token')
    .flatMap((e) => (e.path.includes('$batch') ? (e.inner ?? []).map((i) => ({ ...i, service: e.service })) : [e]));
}
