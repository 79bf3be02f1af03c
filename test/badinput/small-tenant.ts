/**
 * A small tenant for the resilience suites (bad input, chaos, crash): the demo tenant's identity,
 * licence, group and reference data (characteristics, rating models, org units, warehouses), with
 * only the contacts a test names. Contacts start "new" (setup flag on, nothing provisioned); a test
 * converges them through the real engine and then breaks what it wants to break.
 *
 * Also: the checks every suite shares. `runUntilQuiet` (apply → user sync → plan, until the plan is
 * empty for everyone but the contacts a test expects to stay in error), `expectConverged` (a
 * contact's objects exactly as issue 3 defines "converged"), `snapshot`/`expectNothingLost` (no
 * user or row deleted, no contact's own data changed) and `expectNoDuplicates`.
 */
import { expect } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import type { RunRecord } from '../../src/model/run.js';
import { VENDORS, type VendorKey } from 'tenant-sim/demo-cases';
import { DEMO_ROLES, DEMO_TECHNICIAN_GROUP_ID } from 'tenant-sim/demo-fixture';
import { CHARACTERISTICS, FIELD_SERVICE_CONTRACTOR_SKU, ORG_UNITS, WAREHOUSES, charId, demoId, ratingId, referenceData } from 'tenant-sim/demo-reference';
import type { Fixture } from 'tenant-sim';
import type { Tenant } from '../support/tenant.js';

export type Row = Record<string, unknown>;

export const SKU = FIELD_SERVICE_CONTRACTOR_SKU;
export const GROUP = DEMO_TECHNICIAN_GROUP_ID;
export const STATUS = { pending: 808950000, invited: 808950001, waiting: 808950002, active: 808950003, deprovisioned: 808950004, error: 808950007 } as const;
export { charId, demoId, ratingId, VENDORS };

/** The columns of a contact a vendor admin enters (the product never writes them). */
export const CONTACT_INPUT_COLUMNS = [
  'fullname', 'firstname', 'lastname', 'emailaddress1', 'statecode', 'statuscode', '_parentcustomerid_value', 'address1_country',
  'address1_latitude', 'address1_longitude', 'o25fs_setuptechnician', 'o25fs_startlocation', 'o25fs_endlocation',
  '_o25fs_organizationalunitid_value', 'o25fs_displayonscheduleboard', 'o25fs_enableforavailabilitysearch', 'o25fs_hourlyrate',
  'o25fs_timeoffapprovalrequired', '_o25fs_warehouseid_value',
];

export interface SmallContact {
  contact: Row;
  characteristics: Row[];
}

/** A new technician contact (nothing provisioned) with `chars` characteristics rated on Proficiency. */
export function newContact(key: string, overrides: Row = {}, chars = 2, vendor: VendorKey = 'fabrikam'): SmallContact {
  const i = [...key].reduce((n, ch) => n + ch.charCodeAt(0), 0);
  const first = `Tech${key.replace(/[^A-Za-z0-9]/g, '')}`;
  const contactid = demoId(`small:contact:${key}`);
  const contact: Row = {
    contactid,
    fullname: `${first} Smith`,
    firstname: first,
    lastname: 'Smith',
    emailaddress1: `${first}.smith@${VENDORS[vendor].domain}`.toLowerCase(),
    statecode: 0,
    statuscode: 1,
    _parentcustomerid_value: demoId(`account:${vendor}`),
    address1_country: 'United Kingdom',
    address1_latitude: Number((51.5 + (i % 50) * 0.001).toFixed(4)),
    address1_longitude: Number((-0.12 - (i % 50) * 0.001).toFixed(4)),
    o25fs_setuptechnician: true,
    _o25fs_bookableresourceid_value: null,
    o25fs_startlocation: 690970002,
    o25fs_endlocation: 690970000,
    _o25fs_organizationalunitid_value: demoId(`ou:${ORG_UNITS[i % 3]}`),
    o25fs_displayonscheduleboard: true,
    o25fs_enableforavailabilitysearch: true,
    o25fs_hourlyrate: 40 + (i % 5) * 2.5,
    o25fs_timeoffapprovalrequired: i % 2 === 0,
    _o25fs_warehouseid_value: demoId(`warehouse:${WAREHOUSES[i % 2]}`),
    o25fs_entraobjectid: null,
    o25fs_provisioningstatus: null,
    o25fs_provisioningerror: null,
    o25fs_invitationpendingon: null,
    ...overrides,
  };
  const characteristics: Row[] = [];
  for (let k = 0; k < chars; k += 1) {
    characteristics.push(vendorCharacteristic(contactid, CHARACTERISTICS[(i + k) % CHARACTERISTICS.length]!, ratingId('Proficiency', ((i + k) % 5) + 1), `${key}:${k}`));
  }
  return { contact, characteristics };
}

export function vendorCharacteristic(contactId: string, name: string, ratingValueId: string | null, key: string, state: 0 | 1 = 0): Row {
  return {
    o25fs_vendorcharacteristicid: demoId(`small:vendorcharacteristic:${key}`),
    o25fs_vendorcharacteristicname: null,
    _o25fs_vendorcontactid_value: contactId,
    _o25fs_characteristicid_value: charId(name),
    _o25fs_ratingvalueid_value: ratingValueId,
    statecode: state,
    statuscode: state === 0 ? 1 : 2,
  };
}

export interface SmallTenantOptions {
  /** Extra Graph users (members of the tenant, say). */
  users?: Row[];
  /** Licence units (default 100). */
  units?: number;
}

/** The demo tenant's identity and reference data with only these contacts. User sync delay 0. */
export function smallFixture(contacts: SmallContact[], options: SmallTenantOptions = {}): Fixture {
  const appId = demoId('app:vendor-reconciler');
  return {
    tenant: { id: demoId('tenant:contoso'), defaultDomain: 'contoso.onmicrosoft.com', verifiedDomains: ['contoso.onmicrosoft.com', 'contoso.com'] },
    app: { clientId: appId, clientSecret: 'demo-only-secret-not-for-production', roles: DEMO_ROLES },
    environment: { securityGroupId: GROUP, licensedSkuIds: [SKU], userSyncDelayMs: 0 },
    graph: {
      users: options.users ?? [],
      groups: [{ id: GROUP, displayName: 'Field Service Technicians', members: [] }],
      subscribedSkus: [
        {
          skuId: SKU, skuPartNumber: 'DYN365_FS_CONTRACTOR', appliesTo: 'User', capabilityStatus: 'Enabled', consumedUnits: 0,
          prepaidUnits: { enabled: options.units ?? 100, suspended: 0, warning: 0, lockedOut: 0 }, servicePlans: [],
        },
      ],
    },
    dataverse: {
      ...referenceData(),
      contacts: contacts.map((c) => c.contact),
      o25fs_vendorcharacteristics: contacts.flatMap((c) => c.characteristics),
      systemusers: [],
      bookableresources: [],
      bookableresourcecharacteristics: [],
    },
  };
}

/** The three good contacts every bad-input case sits among. */
export function goodContacts(): SmallContact[] {
  return [newContact('good-a', {}, 2), newContact('good-b', {}, 1, 'northwind'), newContact('good-c', {}, 3, 'tailspin')];
}

export const apply = (t: Tenant): Promise<RunRecord> => t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
export const plan = async (t: Tenant): Promise<Plan> => (await t.engine().plan({ kind: 'tenant' })).plan;

/**
 * apply → user sync → plan, until the plan holds no change for anyone but `except` (at most
 * `maxRuns` applies). Returns the applies' records and the last plan.
 */
export async function runUntilQuiet(t: Tenant, except: string[] = [], maxRuns = 4): Promise<{ runs: RunRecord[]; last: Plan }> {
  const runs: RunRecord[] = [];
  for (let i = 0; i < maxRuns; i += 1) {
    runs.push(await apply(t));
    t.s.sim.userSync.runNow(t.s.sim.state);
    if ((await plan(t)).changes.every((c) => except.includes(c.subject.id))) break;
  }
  // One more apply so statuses written reflect the converged state (the last apply may have
  // created resources; the one after it finds nothing to do and writes "active").
  runs.push(await apply(t));
  return { runs, last: await plan(t) };
}

// ---- reading the simulator's state ----

export function rows(t: Tenant, set: string): Row[] {
  return [...t.s.sim.state.dataverse.table(set).values()];
}
export function row(t: Tenant, set: string, id: string): Row | undefined {
  return t.s.sim.state.dataverse.get(set, id);
}
export function users(t: Tenant): Row[] {
  return [...t.s.sim.state.graph.users.values()];
}
export function userByEmail(t: Tenant, email: string): Row[] {
  const e = email.toLowerCase();
  return users(t).filter((u) => String(u.mail ?? '').toLowerCase() === e || ((u.otherMails as string[] | undefined) ?? []).some((m) => m.toLowerCase() === e));
}
export function groupMembers(t: Tenant): Set<string> {
  return t.s.sim.state.graph.groups.get(GROUP)?.members ?? new Set();
}

/** The contact's objects are exactly "converged" (packages/tenant-sim/docs/simulator.md, "The demo fixture"). */
export function expectConverged(t: Tenant, contactId: string, expected: { usageLocation?: string; warnings?: string[] } = {}): void {
  const c = row(t, 'contacts', contactId)!;
  const why = `contact ${contactId} (${String(c.fullname)})`;
  const userId = String(c.o25fs_entraobjectid ?? '');
  expect(userId, `${why}: anchored`).not.toBe('');
  const user = t.s.sim.state.graph.users.get(userId)!;
  expect(user, `${why}: anchored user exists`).toBeDefined();
  // Compared as the product compares addresses: NFC and case-insensitive (reconcilers/technicians/email.ts).
  const canon = (m: unknown): string => String(m).trim().normalize('NFC').toLowerCase();
  expect([canon(user.mail), ...(user.otherMails as string[]).map(canon)], `${why}: user has the email`).toContain(canon(c.emailaddress1));
  expect(user.userType).toBe('Guest');
  expect(user.usageLocation, `${why}: usageLocation`).toBe(expected.usageLocation ?? 'GB');
  expect((user.assignedLicenses as { skuId: string }[]).map((l) => l.skuId), `${why}: licence`).toContain(SKU);
  expect(groupMembers(t).has(userId), `${why}: group member`).toBe(true);
  const sus = rows(t, 'systemusers').filter((s) => s.azureactivedirectoryobjectid === userId);
  expect(sus, `${why}: one systemuser`).toHaveLength(1);
  expect(sus[0]!.isdisabled, `${why}: systemuser enabled`).toBe(false);
  if (c.address1_latitude !== null && c.address1_longitude !== null) {
    expect([sus[0]!.address1_latitude, sus[0]!.address1_longitude], `${why}: coordinates`).toEqual([c.address1_latitude, c.address1_longitude]);
  }
  const brId = String(c._o25fs_bookableresourceid_value ?? '');
  const br = row(t, 'bookableresources', brId);
  expect(br, `${why}: linked bookable resource`).toBeDefined();
  expect(rows(t, 'bookableresources').filter((r) => r._userid_value === sus[0]!.systemuserid), `${why}: one resource for the user`).toHaveLength(1);
  const columns = ['resourcetype', '_userid_value', 'statecode', 'statuscode', 'timezone', 'msdyn_startlocation', 'msdyn_endlocation', '_msdyn_organizationalunit_value',
    'msdyn_displayonscheduleboard', 'msdyn_displayonscheduleassistant', 'msdyn_timeoffapprovalrequired', '_msdyn_warehouse_value'];
  // A column never written reads as null (the simulator's store omits it).
  expect(Object.fromEntries(columns.map((k) => [k, br![k] ?? null])), `${why}: resource columns`).toEqual({
    resourcetype: 3,
    _userid_value: sus[0]!.systemuserid,
    statecode: 0,
    statuscode: 1,
    timezone: 85,
    msdyn_startlocation: c.o25fs_startlocation ?? 690970002,
    msdyn_endlocation: c.o25fs_endlocation ?? 690970002,
    _msdyn_organizationalunit_value: c._o25fs_organizationalunitid_value,
    msdyn_displayonscheduleboard: c.o25fs_displayonscheduleboard ?? true,
    msdyn_displayonscheduleassistant: c.o25fs_enableforavailabilitysearch ?? true,
    msdyn_timeoffapprovalrequired: c.o25fs_timeoffapprovalrequired ?? false,
    _msdyn_warehouse_value: c._o25fs_warehouseid_value,
  });
  // The contact's active rows whose characteristic exists; a rating of another model than the
  // technicians' (Proficiency, in every small tenant) is dropped.
  const proficiency = demoId('ratingmodel:Proficiency');
  const wanted = rows(t, 'o25fs_vendorcharacteristics')
    .filter((v) => v._o25fs_vendorcontactid_value === contactId && v.statecode === 0 && row(t, 'characteristics', String(v._o25fs_characteristicid_value)))
    .map((v) => {
      const rating = v._o25fs_ratingvalueid_value ? row(t, 'ratingvalues', String(v._o25fs_ratingvalueid_value)) : undefined;
      return `${String(v._o25fs_characteristicid_value)}:${rating && rating._ratingmodel_value === proficiency ? String(rating.ratingvalueid) : 'null'}`;
    })
    .sort();
  const held = rows(t, 'bookableresourcecharacteristics')
    .filter((r) => r._resource_value === brId)
    .map((r) => `${String(r._characteristic_value)}:${String(r._ratingvalue_value)}`)
    .sort();
  expect(held, `${why}: characteristics`).toEqual(wanted);
  expect(c.o25fs_provisioningstatus, `${why}: status active`).toBe(STATUS.active);
  if (expected.warnings && expected.warnings.length > 0) {
    // Warnings do not stop provisioning; they are what the status text tells the vendor admin.
    for (const w of expected.warnings) expect(String(c.o25fs_provisioningerror), `${why}: warning on the contact`).toContain(`Warning: ${w}`);
  } else {
    expect(c.o25fs_provisioningerror, `${why}: no error`).toBeNull();
  }
}

export interface Snapshot {
  userIds: string[];
  rowIds: Record<string, string[]>;
  contactInputs: Record<string, Row>;
}

const KEPT_SETS = ['contacts', 'systemusers', 'bookableresources', 'accounts', 'characteristics', 'ratingvalues', 'o25fs_vendorcharacteristics'];

export function snapshot(t: Tenant): Snapshot {
  const pick = (r: Row): Row => Object.fromEntries(CONTACT_INPUT_COLUMNS.map((k) => [k, r[k] ?? null]));
  return {
    userIds: users(t).map((u) => String(u.id)),
    rowIds: Object.fromEntries(KEPT_SETS.map((set) => [set, rows(t, set).map((r) => String(r[`${set.slice(0, -1)}id`]))])),
    contactInputs: Object.fromEntries(rows(t, 'contacts').map((r) => [String(r.contactid), pick(r)])),
  };
}

/** No user or row deleted since `before`, and no contact's own (vendor-entered) data changed. */
export function expectNothingLost(t: Tenant, before: Snapshot, changedByTest: string[] = []): void {
  const now = snapshot(t);
  expect(now.userIds, 'no Entra user deleted').toEqual(expect.arrayContaining(before.userIds));
  for (const set of KEPT_SETS) expect(now.rowIds[set], `no ${set} row deleted`).toEqual(expect.arrayContaining(before.rowIds[set]!));
  for (const [id, inputs] of Object.entries(before.contactInputs)) {
    if (changedByTest.includes(id)) continue;
    expect(now.contactInputs[id], `contact ${id}'s own data unchanged`).toEqual(inputs);
  }
}

/** One invitation and one user per email, one resource per contact and per systemuser, no duplicate characteristic. */
export function expectNoDuplicates(t: Tenant): void {
  const invited = t.s.sim.state.invitations.map((i) => i.invitedUserEmailAddress.toLowerCase());
  expect(invited.filter((e, i) => invited.indexOf(e) !== i), 'one invitation per email').toEqual([]);
  const mails = users(t).map((u) => String(u.mail ?? '').toLowerCase()).filter((m) => m !== '');
  expect(mails.filter((e, i) => mails.indexOf(e) !== i), 'one user per email').toEqual([]);
  const brUsers = rows(t, 'bookableresources').map((r) => String(r._userid_value));
  expect(brUsers.filter((e, i) => brUsers.indexOf(e) !== i), 'one bookable resource per systemuser').toEqual([]);
  const linked = rows(t, 'contacts').map((c) => c._o25fs_bookableresourceid_value).filter((v) => v);
  expect(linked.filter((e, i) => linked.indexOf(e) !== i), 'one bookable resource per contact').toEqual([]);
  const perContact = new Map<string, number>();
  for (const c of rows(t, 'contacts')) {
    const userId = c.o25fs_entraobjectid;
    const su = rows(t, 'systemusers').find((s) => s.azureactivedirectoryobjectid === userId);
    const n = su ? rows(t, 'bookableresources').filter((r) => r._userid_value === su.systemuserid).length : 0;
    perContact.set(String(c.contactid), n);
  }
  expect([...perContact.values()].filter((n) => n > 1), 'at most one bookable resource per contact').toEqual([]);
  const rc = rows(t, 'bookableresourcecharacteristics').map((r) => `${String(r._resource_value)}/${String(r._characteristic_value)}`);
  expect(rc.filter((e, i) => rc.indexOf(e) !== i), 'no duplicate characteristic on a resource').toEqual([]);
}

/** The SubjectPlan of a contact in a plan. */
export function contactPlan(p: Plan, contactId: string): Plan['subjects'][number] {
  const found = p.subjects.find((c) => c.subject.id === contactId);
  if (!found) throw new Error(`contact ${contactId} is not in the plan`);
  return found;
}
