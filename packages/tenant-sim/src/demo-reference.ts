/**
 * Reference data of the demo tenant (vendor accounts, characteristics, rating models and values,
 * organisational units, warehouses) and the name-based ids every demo row uses. demo-fixture.ts.
 */
import { createHash } from 'node:crypto';
import { VENDORS } from './demo-cases.js';

type Row = Record<string, unknown>;

export const FIELD_SERVICE_CONTRACTOR_SKU = '23e6e135-e869-4ce4-9ae4-5710cd69ac13';
export const E5_SKU = '06ebc4ee-1bb5-47dd-8120-11324bc54e06';
const DEMO_NAMESPACE = '0b6f3a52-7c1e-4d8a-9e35-5f2d6c4b1a70';
/** RFC 4122 version-5 style UUID of a name: stable across runs and machines. */
export function demoId(name: string): string {
  const b = createHash('sha1').update(Buffer.from(DEMO_NAMESPACE.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const DEMO_TECHNICIAN_GROUP_ID = demoId('group:technicians');

/**
 * The ownership mark vendor-reconciler leaves on a technician's guest (extensionAttribute15; the
 * format is the product's, reconcilers/technicians/ownership.ts, and test/conformance/platform-demo-fixture.test.ts
 * checks the two agree), so a converged demo or bench tenant needs no write.
 */
export function technicianMark(contactId: string, groupId = DEMO_TECHNICIAN_GROUP_ID, skuId = FIELD_SERVICE_CONTRACTOR_SKU): Row {
  const attrs: Record<string, string | null> = {};
  for (let i = 1; i <= 15; i++) attrs[`extensionAttribute${i}`] = null;
  attrs.extensionAttribute15 = `vendor-reconciler:v1;contact=${contactId.toLowerCase()};group=${groupId.toLowerCase()};sku=${skuId.toLowerCase()}`;
  return { onPremisesExtensionAttributes: attrs };
}

export const CHARACTERISTICS = ['HVAC', 'Electrical', 'Plumbing', 'Gas Safe', 'Working at Heights', 'Refrigeration'];
const CERTIFICATIONS = new Set(['Gas Safe', 'Working at Heights']);
export const PROFICIENCY = ['Novice', 'Competent', 'Proficient', 'Advanced', 'Expert'];
const SATISFACTION = ['Low', 'Medium', 'High'];
export const ORG_UNITS = ['London Depot', 'Manchester Depot', 'Bristol Depot'];
export const WAREHOUSES = ['London Central Stores', 'Northern Stores'];
export const LOCATIONS = [690970002, 690970000, 690970001];

export const TENANT_DOMAIN = 'contoso.onmicrosoft.com';
export const CREATED = '2025-01-15T09:00:00Z';

export function guestUpn(email: string): string {
  return `${email.toLowerCase().replace('@', '_')}#EXT#@${TENANT_DOMAIN}`;
}

/** assignedLicenses and licenseAssignmentStates of a direct assignment. */
export function directLicence(skuId: string): Row {
  return {
    assignedLicenses: [{ skuId, disabledPlans: [] }],
    licenseAssignmentStates: [{ skuId, disabledPlans: [], assignedByGroup: null, state: 'Active', error: 'None', lastUpdatedDateTime: CREATED }],
  };
}

/** Tenant users that are not technicians: one orphan in the technician group, two staff members. */
export function otherTenantUsers(): { orphan: Row; staff: Row[]; orphanSystemUser: Row } {
  const email = 'gareth.lowe@wingtip-contractors.com';
  const orphan: Row = {
    id: demoId('user:orphan'), displayName: 'Gareth Lowe', givenName: 'Gareth', surname: 'Lowe', mail: email, otherMails: [email],
    userPrincipalName: guestUpn(email), userType: 'Guest', creationType: 'Invitation', externalUserState: 'Accepted', accountEnabled: true,
    usageLocation: 'GB', createdDateTime: CREATED, ...directLicence(FIELD_SERVICE_CONTRACTOR_SKU),
  };
  const staff = ['Megan Bowen', 'Adele Vance'].map((n) => {
    const [first, last] = n.split(' ') as [string, string];
    const upn = `${first}${last[0]}@contoso.com`.toLowerCase();
    return {
      id: demoId(`user:${upn}`), displayName: n, givenName: first, surname: last, mail: upn, otherMails: [], userPrincipalName: upn,
      userType: 'Member', creationType: null, externalUserState: null, accountEnabled: true, usageLocation: 'GB', createdDateTime: CREATED,
      ...directLicence(E5_SKU),
    };
  });
  const orphanSystemUser: Row = {
    systemuserid: demoId(`systemuser:${String(orphan.id)}`), azureactivedirectoryobjectid: orphan.id, internalemailaddress: email,
    fullname: orphan.displayName, domainname: orphan.userPrincipalName, isdisabled: false, accessmode: 0, address1_latitude: null, address1_longitude: null,
  };
  return { orphan, staff, orphanSystemUser };
}

export const charId = (name: string): string => demoId(`characteristic:${name}`);
export const ratingId = (model: string, value: number): string => demoId(`ratingvalue:${model}:${value}`);

export function referenceData(): Record<string, Row[]> {
  const named = (set: string, prefix: string, pk: string, nameCol: string, names: string[], extra: (n: string) => Row = () => ({})): [string, Row[]] =>
    [set, names.map((n) => ({ [pk]: demoId(`${prefix}:${n}`), [nameCol]: n, statecode: 0, statuscode: 1, ...extra(n) }))];
  const ratingModels = [['Proficiency', PROFICIENCY], ['Customer Satisfaction', SATISFACTION]] as const;
  return Object.fromEntries([
    ['accounts', Object.entries(VENDORS).map(([key, v]) => ({ accountid: demoId(`account:${key}`), name: v.name, websiteurl: `https://www.${v.domain}`, address1_country: 'United Kingdom', statecode: 0, statuscode: 1 }))],
    named('characteristics', 'characteristic', 'characteristicid', 'name', CHARACTERISTICS, (n) => ({ characteristictype: CERTIFICATIONS.has(n) ? 2 : 1, description: null })),
    ['ratingmodels', ratingModels.map(([m, values]) => ({ ratingmodelid: demoId(`ratingmodel:${m}`), name: m, minratingvalue: 1, maxratingvalue: values.length, statecode: 0, statuscode: 1 }))],
    ['ratingvalues', ratingModels.flatMap(([m, values]) => values.map((name, k) => ({ ratingvalueid: ratingId(m, k + 1), name, value: k + 1, _ratingmodel_value: demoId(`ratingmodel:${m}`), statecode: 0, statuscode: 1 })))],
    named('msdyn_organizationalunits', 'ou', 'msdyn_organizationalunitid', 'msdyn_name', ORG_UNITS),
    named('msdyn_warehouses', 'warehouse', 'msdyn_warehouseid', 'msdyn_name', WAREHOUSES),
  ]);
}

