/**
 * Scenario tenants for the benchmark, generated in the exact shape the reconciler leaves a tenant
 * (reconcilers/technicians/desired.ts's mapping): a converged technician has a guest user with names, usage
 * location, a direct licence and group membership; an anchored contact with status active; an
 * enabled systemuser with the contact's coordinates; an active bookable resource with the mapped
 * columns linked from the contact; one resource characteristic per active vendor characteristic
 * (the rows come from packages/tenant-sim/src/fixture-builders.ts, as the demo tenant's do). The bench
 * checks this by planning the steady tenant: zero changes.
 *
 * Each generator also says which changes the reconciler must make (`expected`), so the benchmark can
 * check "one write per needed change" against an independent count rather than the plan itself.
 */
import { DEMO_ROLES, DEMO_TECHNICIAN_GROUP_ID, demoGuestSettings } from 'tenant-sim/demo-fixture';
import { FIELD_SERVICE_CONTRACTOR_SKU, demoId, referenceData } from 'tenant-sim/demo-reference';
import {
  addForeignCharacteristic, appSystemUser, contactRow as contactOf, convergedTechnician, technicianTables, tenantRecord, vendorCharacteristics as characteristicsOf, type Row, type Technician,
} from 'tenant-sim/fixture-builders';
import type { Fixture } from 'tenant-sim';
import type { ChangeKind } from '../src/model/plan.js';
import { groupAddWrites } from './lower-bound.js';

/** Technicians per vendor account. */
export const PER_VENDOR = 200;
/** The simulator's user sync runs only when the bench asks (POST /_sim/sync), between phases. */
const SYNC_DELAY_MS = 86_400_000;

/** Guests only: the scenario tenants have no service accounts (tenant-sim's demoGuestSettings). */
export const BENCH_SETTINGS: Record<string, string> = { ...demoGuestSettings(), SEND_INVITATION_EMAIL: 'false' };
export const GROUP_ID = DEMO_TECHNICIAN_GROUP_ID;
export const SKU_ID = FIELD_SERVICE_CONTRACTOR_SKU;

export type { Technician };

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
  return contactOf({
    contactid: demoId(`bench:contact:${i}`), first: 'Alex', last: `Tech${i}`, email: emailOf(i), accountId: vendorId(Math.floor(i / PER_VENDOR)), country: 'United Kingdom',
    latitude: Number((51 + (i % 1000) * 0.001).toFixed(4)), longitude: Number((-2 + (i % 997) * 0.001).toFixed(4)),
  }, i);
}

export const activeCharacteristics = (i: number): number => i % 4;

/** 0 to 3 active characteristics; every fifth technician also has an inactive row. */
const vendorCharacteristics = (i: number, contactId: string): Row[] =>
  characteristicsOf(i, activeCharacteristics(i), contactId, (k, _name, state) => demoId(`bench:vc:${i}:${state === 0 ? k : 9}:${state}`));

/** A technician as the reconciler leaves it. */
export function converged(i: number): Technician {
  const contact = contactRow(i);
  const ids = { userId: demoId(`bench:user:${i}`), systemuserId: demoId(`bench:systemuser:${i}`), resourceId: demoId(`bench:bookableresource:${i}`), brcPrefix: 'bench:' };
  return convergedTechnician(contact, vendorCharacteristics(i, String(contact.contactid)), ids, 'Accepted');
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
  return {
    tenant: tenantRecord(),
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
      ...referenceData(),
      accounts: vendors.map((id, v) => ({ accountid: id, name: `Vendor ${v}`, statecode: 0, statuscode: 1 })),
      ...technicianTables(techs, [appSystemUser(appId)]),
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
    apply: (t) => addForeignCharacteristic(t, 'bench:', null),
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

/** LICENSE_MODE=group (issue 15 item 4): the technician group carries the licence. */
export const GROUP_MODE_SETTINGS: Record<string, string> = { ...BENCH_SETTINGS, LICENSE_MODE: 'group' };

/**
 * Onboarding in group mode: as onboarding(), but the technician group carries the licence
 * (group-based licensing in the simulator, packages/tenant-sim/src/graph/group-licensing.ts), so
 * the first apply needs no licence.assign: invite, anchor, user update and group add per technician.
 * The converged technicians keep their direct licences (a tenant switched to group mode).
 */
export function groupOnboarding(base: number, added: number): GeneratedScenario & { second: Expected } {
  const g = onboarding(base, added);
  const { 'licence.assign': _none, ...changes } = g.expected.changes;
  const groups = (g.fixture.graph?.groups ?? []).map((group) => (group.id === GROUP_ID ? { ...group, assignedLicenses: [{ skuId: SKU_ID }] } : group));
  return { ...g, fixture: { ...g.fixture, graph: { ...g.fixture.graph, groups } }, expected: { ...g.expected, changes } };
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

/** Write requests the scenario needs: its changes, group adds 20 to a PATCH (one group, one wave), and its status writes. */
export function expectedTotal(e: Expected): number {
  const { 'group.add': groupAdds = 0, ...others } = e.changes;
  return Object.values(others).reduce((a, b) => a + (b ?? 0), 0) + groupAddWrites(groupAdds) + e.statusWrites;
}
