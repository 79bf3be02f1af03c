/**
 * Small tenants for the engine's integration tests, built from the demo fixture's tenant, app,
 * licences, technician group and Dataverse reference data (vendors, characteristics, ratings, org
 * units, warehouses), with no technician in it until a test adds some. Rows use the services' own
 * column names (src/model/rows.ts).
 *
 * Also a wire recorder: the simulator's request log (GET /_sim/requests) has methods, paths and
 * statuses but no bodies, so the recorder wraps the simulator's dispatch to keep every request it
 * handled (top level and inside $batch envelopes) with its parsed body, in arrival order. The
 * product's clients are untouched: this sees exactly what went over the wire.
 */
import { expect } from 'vitest';
import type { ComposeOptions } from '../../src/engine/compose.js';
import type { RunRequest } from '../../src/engine/engine.js';
import type { RunScope } from '../../src/model/plan.js';
import type { ContactRow, VendorCharacteristicRow } from '../../reconcilers/technicians/rows.js';
import type { RunRecord } from '../../src/model/run.js';
import type { Fixture, SimRequest, SimResponse } from 'tenant-sim';
import { DEMO_FIXTURE, DEMO_SETTINGS, GUEST_SETTINGS, startTenant, type Tenant } from '../support/tenant.js';

const dv = DEMO_FIXTURE.dataverse!;
const idOf = (set: string, key: string, name: string, nameKey = 'name'): string => {
  const row = (dv[set] ?? []).find((r) => r[nameKey] === name);
  if (!row) throw new Error(`demo fixture has no ${set} named ${name}`);
  return String(row[key]);
};

/** Reference data of the demo tenant, by name. */
export const REF = {
  skuId: DEMO_SETTINGS.LICENSE_SKU_ID!,
  groupId: DEMO_SETTINGS.TECHNICIAN_GROUP_ID!,
  timezone: Number(DEMO_SETTINGS.DEFAULT_TIMEZONE_CODE),
  redirectUrl: DEMO_SETTINGS.INVITE_REDIRECT_URL!,
  vendors: {
    fabrikam: idOf('accounts', 'accountid', 'Fabrikam Services Ltd'),
    northwind: idOf('accounts', 'accountid', 'Northwind Maintenance'),
    tailspin: idOf('accounts', 'accountid', 'Tailspin Engineering'),
  },
  characteristics: {
    hvac: idOf('characteristics', 'characteristicid', 'HVAC'),
    electrical: idOf('characteristics', 'characteristicid', 'Electrical'),
    plumbing: idOf('characteristics', 'characteristicid', 'Plumbing'),
    gasSafe: idOf('characteristics', 'characteristicid', 'Gas Safe'),
  },
  ratings: {
    competent: idOf('ratingvalues', 'ratingvalueid', 'Competent'),
    proficient: idOf('ratingvalues', 'ratingvalueid', 'Proficient'),
    expert: idOf('ratingvalues', 'ratingvalueid', 'Expert'),
  },
  orgUnits: {
    london: idOf('msdyn_organizationalunits', 'msdyn_organizationalunitid', 'London Depot', 'msdyn_name'),
    manchester: idOf('msdyn_organizationalunits', 'msdyn_organizationalunitid', 'Manchester Depot', 'msdyn_name'),
  },
  warehouses: {
    london: idOf('msdyn_warehouses', 'msdyn_warehouseid', 'London Central Stores', 'msdyn_name'),
    northern: idOf('msdyn_warehouses', 'msdyn_warehouseid', 'Northern Stores', 'msdyn_name'),
  },
} as const;

/** msdyn_workstartlocationtype values (microsoft/Dynamics-365-FastTrack-Implementation-Assets: …/Vendor Self-Service). */
export const WORK_LOCATION = { resourceAddress: 690970000, organizationalUnit: 690970001, agnostic: 690970002 } as const;

/** Status option values (reconcilers/technicians/status-codes.ts), spelled out so a renumbering fails here. */
export const STATUS_VALUE = {
  invited: 808950001,
  waiting_for_dataverse_user: 808950002,
  active: 808950003,
  deprovisioned: 808950004,
  error: 808950007,
} as const;

/** A contact id that reads as test data: `c0000000-0000-4000-8000-<n>`. */
export const contactId = (n: number): string => `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const vendorCharacteristicId = (n: number, k: number): string => `e0000000-0000-4000-8000-${String(n * 100 + k).padStart(12, '0')}`;

export interface TechnicianSpec {
  first: string;
  last: string;
  vendor?: keyof typeof REF.vendors;
  country?: string | null;
  coordinates?: [number, number] | null;
  /** [characteristic, rating] pairs, as the vendor admin entered them. */
  characteristics?: [keyof typeof REF.characteristics, keyof typeof REF.ratings][];
  contact?: Partial<ContactRow>;
}

export interface Technician {
  n: number;
  id: string;
  email: string;
  displayName: string;
  contact: ContactRow;
  characteristics: VendorCharacteristicRow[];
}

/** A new technician contact (setup flag on, active, no anchor yet) and its characteristic rows. */
export function technician(n: number, spec: TechnicianSpec): Technician {
  const id = contactId(n);
  const vendor = spec.vendor ?? 'fabrikam';
  const email = `${spec.first}.${spec.last}@${vendor}-vendor.example`.toLowerCase();
  const [lat, lon] = spec.coordinates === undefined ? [51.5074, -0.1278] : (spec.coordinates ?? [null, null]);
  const contact: ContactRow = {
    contactid: id,
    fullname: `${spec.first} ${spec.last}`,
    firstname: spec.first,
    lastname: spec.last,
    emailaddress1: email,
    statecode: 0,
    statuscode: 1,
    _parentcustomerid_value: REF.vendors[vendor],
    address1_country: spec.country === undefined ? 'United Kingdom' : spec.country,
    address1_latitude: lat,
    address1_longitude: lon,
    o25fs_setuptechnician: true,
    _o25fs_bookableresourceid_value: null,
    o25fs_startlocation: WORK_LOCATION.organizationalUnit,
    o25fs_endlocation: WORK_LOCATION.resourceAddress,
    _o25fs_organizationalunitid_value: REF.orgUnits.london,
    o25fs_displayonscheduleboard: true,
    o25fs_enableforavailabilitysearch: false,
    o25fs_hourlyrate: 42.5,
    o25fs_timeoffapprovalrequired: true,
    _o25fs_warehouseid_value: REF.warehouses.london,
    o25fs_entraobjectid: null,
    o25fs_provisioningstatus: null,
    o25fs_provisioningerror: null,
    ...spec.contact,
  };
  const characteristics = (spec.characteristics ?? []).map(([c, r], k) => ({
    o25fs_vendorcharacteristicid: vendorCharacteristicId(n, k),
    _o25fs_vendorcontactid_value: id,
    _o25fs_characteristicid_value: REF.characteristics[c],
    _o25fs_ratingvalueid_value: REF.ratings[r],
    statecode: 0,
  }));
  return { n, id, email, displayName: contact.fullname!, contact, characteristics };
}

/** Three technicians of two vendors, with characteristics, coordinates, org unit and warehouse. */
export function threeTechnicians(): Technician[] {
  return [
    technician(1, { first: 'Ada', last: 'Lovelace', characteristics: [['hvac', 'expert'], ['electrical', 'competent']] }),
    technician(2, {
      first: 'Brendan',
      last: 'Kelly',
      country: 'Ireland',
      coordinates: [53.3498, -6.2603],
      characteristics: [['plumbing', 'proficient']],
      contact: { _o25fs_organizationalunitid_value: REF.orgUnits.manchester, _o25fs_warehouseid_value: REF.warehouses.northern, o25fs_hourlyrate: 38 },
    }),
    technician(3, { first: 'Chen', last: 'Wu', vendor: 'northwind', country: null, characteristics: [['gasSafe', 'competent']] }),
  ];
}

/**
 * The demo tenant's configuration with only these technicians. The user sync never fires on its
 * own (a one-hour delay): tests run it with s.sim.userSync.runNow, so nothing changes behind them.
 */
export function engineFixture(technicians: Technician[]): Fixture {
  const keep = ['accounts', 'characteristics', 'ratingmodels', 'ratingvalues', 'msdyn_organizationalunits', 'msdyn_warehouses'];
  const graph = DEMO_FIXTURE.graph!;
  return {
    tenant: DEMO_FIXTURE.tenant!,
    app: DEMO_FIXTURE.app!,
    environment: { ...DEMO_FIXTURE.environment, userSyncDelayMs: 3_600_000 },
    graph: {
      users: [],
      groups: graph.groups!.map((g) => ({ ...g, members: [] })),
      subscribedSkus: graph.subscribedSkus!.map((s) => ({ ...s, consumedUnits: 0 })),
    },
    dataverse: {
      ...Object.fromEntries(keep.map((set) => [set, dv[set] ?? []])),
      // The product's own application user only.
      systemusers: (dv.systemusers ?? []).filter((u) => u.applicationid),
      contacts: technicians.map((t) => ({ ...t.contact })),
      o25fs_vendorcharacteristics: technicians.flatMap((t) => t.characteristics.map((c) => ({ ...c, statuscode: c.statecode === 0 ? 1 : 2 }))),
      bookableresources: [],
      bookableresourcecharacteristics: [],
    },
  };
}

export interface WireRequest {
  service: 'graph' | 'dataverse';
  method: string;
  /** Graph: `/users/…`; Dataverse: `contacts(…)` (no leading slash), without the query. */
  path: string;
  query: string;
  /** Parsed JSON body; undefined when there is none. */
  body: unknown;
  /** Sent inside a $batch envelope. */
  inner: boolean;
}

export interface EngineTenant extends Tenant {
  wire: WireRequest[];
  /** Requests that change something: every non-GET except the $batch envelopes themselves. */
  writes(): WireRequest[];
  /** Empties the wire log and the simulator's request log. */
  clearLogs(): Promise<void>;
  apply(scope?: RunScope, options?: ComposeOptions): Promise<RunRecord>;
  dryRun(scope?: RunScope): Promise<RunRecord>;
  /** Runs Dataverse's user sync now. */
  sync(): void;
  contact(id: string): Record<string, unknown>;
  user(id: string): Record<string, unknown>;
  /** The Entra user anchored on the contact. */
  userOf(contactId: string): Record<string, unknown>;
  systemUserOf(userId: string): Record<string, unknown>;
  groupMembers(): Set<string>;
  table(set: string): Record<string, unknown>[];
}

type Dispatch = (request: SimRequest, innerLog: unknown, inner: boolean) => Promise<SimResponse>;

function parseBody(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

export async function startEngineTenant(technicians: Technician[], settingsEnv: Record<string, string> = GUEST_SETTINGS): Promise<EngineTenant> {
  const t = await startTenant(engineFixture(technicians), settingsEnv);
  const wire: WireRequest[] = [];
  // Private in TypeScript, reachable at run time: the one place every request passes, batch parts included.
  const sim = t.s.sim as unknown as { dispatch: Dispatch };
  const dispatch = sim.dispatch.bind(t.s.sim) as Dispatch;
  sim.dispatch = (request, innerLog, inner) => {
    wire.push({
      service: request.service,
      method: request.method,
      path: request.service === 'dataverse' ? request.path.replace(/^\//, '') : request.path,
      query: request.rawQuery,
      body: parseBody(request.body),
      inner,
    });
    return dispatch(request, innerLog, inner);
  };
  const state = (): typeof t.s.sim.state => t.s.sim.state;
  const run = (request: Partial<RunRequest>, options?: ComposeOptions): Promise<RunRecord> =>
    t.engine(options).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli', ...request });
  const user = (id: string): Record<string, unknown> => {
    const u = state().graph.users.get(id.toLowerCase());
    if (!u) throw new Error(`no Entra user ${id}`);
    return u;
  };
  const contact = (id: string): Record<string, unknown> => {
    const row = state().dataverse.get('contacts', id);
    if (!row) throw new Error(`no contact ${id}`);
    return row;
  };
  return {
    ...t,
    wire,
    writes: () => wire.filter((w) => w.method !== 'GET' && !w.path.endsWith('$batch')),
    clearLogs: async () => {
      wire.length = 0;
      await t.s.admin('DELETE', '/requests');
    },
    apply: (scope = { kind: 'tenant' }, options) => run({ scope }, options),
    dryRun: (scope = { kind: 'tenant' }) => run({ scope, dryRun: true }),
    sync: () => t.s.sim.userSync.runNow(state()),
    contact,
    user,
    userOf: (id) => user(String(contact(id).o25fs_entraobjectid)),
    systemUserOf: (userId) => {
      const rows = [...state().dataverse.table('systemusers').values()].filter((r) => r.azureactivedirectoryobjectid === userId.toLowerCase());
      expect(rows).toHaveLength(1);
      return rows[0]!;
    },
    groupMembers: () => state().graph.groups.get(REF.groupId)!.members,
    table: (set) => [...state().dataverse.table(set).values()],
  };
}

/** Apply, user sync, apply: the tenant ends converged (the next plan is empty), checked here. */
export async function converge(t: EngineTenant): Promise<void> {
  const first = await t.apply();
  expect(first.outcome).toBe('succeeded');
  t.sync();
  const second = await t.apply();
  expect(second.outcome).toBe('succeeded');
  const { plan } = await t.engine().plan({ kind: 'tenant' });
  expect(plan.changes).toEqual([]);
  expect(plan.subjects.every((c) => c.status === 'active')).toBe(true);
}

/** The entries of the simulator's own request log (GET /_sim/requests), $batch parts flattened. */
export async function simLogCalls(t: Tenant): Promise<{ service: string; method: string; path: string }[]> {
  type Entry = { service: string; method: string; path: string; inner?: { method: string; path: string }[] };
  const log = (await t.s.admin('GET', '/requests')).json.value as Entry[];
  return log.flatMap((e) => (e.path.includes('$batch') ? (e.inner ?? []).map((i) => ({ service: e.service, ...i })) : [e]));
}
