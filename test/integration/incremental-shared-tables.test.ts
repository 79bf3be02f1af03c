/**
 * Two families through the real incremental observer against the simulator (issue 11 item 3: "two
 * families that need the same table share one read"). A probe family declares the technicians'
 * `contacts` table with another filter (contacts that are not technicians) and a table of its own
 * (`accounts`). Each tracked table is read once per run, full and incremental, whatever number of
 * families declare it; each family gets the rows its own filter keeps; a change made in the tenant
 * reaches both through one delta round.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { techniciansFamily } from '../../reconcilers/technicians/family.js';
import { configuredFamilies, type Family, type ObservationPart } from '../../src/engine/family.js';
import { createIncrementalObserver, MemorySnapshotStore } from '../../src/engine/incremental/index.js';
import { observe as bulkObserve } from '../../src/engine/observe.js';
import type { Observation } from '../../src/model/observation.js';
import { rowsFor } from '../../src/engine/tables/registry.js';
import { eq, rowsOf, type Table, type TableRows } from '../../src/engine/tables/table.js';
import type { AccountRow } from '../../src/model/rows.js';
import { DEMO_FIXTURE, startTenant, type Tenant } from '../support/tenant.js';
import { canonical, clientsFor, requestCounts } from '../unit/incremental/scaled-tenant.js';

/** The columns the probe selects of a contact (the technicians' ContactRow is theirs). */
interface ProbeContact {
  contactid: string;
  emailaddress1: string | null;
}

declare module '../../src/model/observation.js' {
  interface Observation {
    /** The probe family's rows (this test only). */
    probeContacts?: ProbeContact[];
    probeAccounts?: AccountRow[];
  }
}

/** The technicians' contacts table, declared again with a different filter and fewer columns. */
const PROBE_CONTACTS: Table<ProbeContact> = {
  name: 'contacts', service: 'dataverse', path: 'contacts', key: 'contactid', columns: ['contactid', 'emailaddress1'],
  filter: eq('o25fs_setuptechnician', false), mode: 'change-tracked', field: 'contacts',
};
/** A table only the probe reads. */
const PROBE_ACCOUNTS: Table<AccountRow> = {
  name: 'accounts', service: 'dataverse', path: 'accounts', key: 'accountid', columns: ['accountid', 'name'], mode: 'change-tracked', field: 'probeAccounts',
};

const partOf = (rows: TableRows): ObservationPart => ({ probeContacts: rowsOf(rows, PROBE_CONTACTS), probeAccounts: rowsOf(rows, PROBE_ACCOUNTS) });
const ownRows = (rows: TableRows): TableRows => new Map<string, readonly object[]>([
  [PROBE_CONTACTS.name, rowsFor(rows, PROBE_CONTACTS)],
  [PROBE_ACCOUNTS.name, rowsFor(rows, PROBE_ACCOUNTS)],
]);

const probeFamily: Family<Record<string, never>> = {
  name: 'probe',
  tables: [PROBE_CONTACTS, PROBE_ACCOUNTS],
  kinds: [],
  settingsOf: () => ({}),
  observe: async (rows) => partOf(ownRows(await rows)),
  incremental: {
    openTokens: () => Promise.resolve({}),
    fullRead: async (rows) => ({ part: partOf(ownRows(await rows)), tokens: {}, missingUserIds: [] }),
    incrementalRead: async (shared) => {
      const round = await shared;
      return round.ok ? { part: partOf(round.rows), tokens: {}, missingUserIds: [] } : 'refused';
    },
    snapshotRows: (snapshot) =>
      new Map<string, readonly object[]>([
        [PROBE_CONTACTS.name, snapshot.observation.probeContacts ?? []],
        [PROBE_ACCOUNTS.name, snapshot.observation.probeAccounts ?? []],
      ]),
  },
  checkConfiguration: () => undefined,
  plan: () => ({ changes: [], subjects: [], orphans: [], licences: [] }),
  statusWrites: () => [],
  withAccess: () => 0,
  createdAt: () => () => null,
};

type Row = Record<string, unknown>;
const fixtureContacts = (DEMO_FIXTURE.dataverse as unknown as { contacts: Row[] }).contacts;
const idsWhere = (keep: (c: Row) => boolean): string[] => fixtureContacts.filter(keep).map((c) => String(c.contactid)).sort();
/** The technicians' fields of an observation, canonical (the probe's left out). */
function technicians(o: Observation): Record<string, unknown> {
  const { probeContacts: _c, probeAccounts: _a, ...rest } = o;
  return canonical(rest);
}
const ids = (rows: readonly { contactid: string }[] | undefined): string[] => (rows ?? []).map((c) => c.contactid).sort();
/** Mohammed Ali: not a technician but anchored, so in both families' rows. */
const SHARED = '479b50c5-a252-5eb6-a2a8-09e4df5ee3b7';

/** GETs of a table's own tracked read (its first page or its deltaLink), not the lookups by id ($filter). */
async function tableReads(t: Tenant, set: string): Promise<number> {
  const { gets } = await requestCounts(t);
  return gets.filter((g) => g.path.startsWith(`${set}?`) && !decodeURIComponent(g.path).includes('$filter')).length;
}

const tenants: Tenant[] = [];
afterAll(async () => {
  for (const t of tenants) await t.stop();
});

describe('two families sharing a tracked table through the incremental observer', () => {
  it('read each tracked table once, each keep its own rows, and both get a change from one delta round', async () => {
    const t = await startTenant();
    tenants.push(t);
    const { graph, dataverse } = clientsFor(t);
    const families = configuredFamilies(t.settings, [techniciansFamily as Family, probeFamily as Family]);
    expect(families.map((f) => f.family.name)).toEqual(['technicians', 'probe']);
    const observer = createIncrementalObserver({ store: new MemorySnapshotStore(), settings: t.settings, fullResyncHours: 24 });
    const observe = () => observer.observe(graph, dataverse, t.settings, new Date(), families);

    await t.s.admin('DELETE', '/requests');
    const first = await observe();
    const firstContactsReads = await tableReads(t, 'contacts');
    const firstAccountsReads = await tableReads(t, 'accounts');
    expect(observer.last?.mode).toBe('full');
    expect(firstContactsReads).toBe(1);
    expect(firstAccountsReads).toBe(1);
    // The technicians' part is what they observe alone (the bulk read, one family), the probe's
    // contacts are those its own filter keeps.
    const alone = await bulkObserve(graph, dataverse, t.settings, new Date(), configuredFamilies(t.settings, [techniciansFamily as Family]));
    expect(technicians(first)).toEqual(technicians(alone));
    expect(ids(first.contacts)).not.toContain('33c155bd-9ee8-5da6-b000-9799f45acc4a'); // Holly Hughes: neither technician nor anchored
    expect(ids(first.probeContacts)).toEqual(idsWhere((c) => c.o25fs_setuptechnician !== true));
    expect(ids(first.probeContacts)).toContain(SHARED);
    expect(ids(first.contacts)).toContain(SHARED);
    expect((first.probeAccounts ?? []).map((a) => a.accountid).sort()).toEqual(DEMO_FIXTURE.dataverse!.accounts!.map((a) => String(a.accountid)).sort());

    const account = String(DEMO_FIXTURE.dataverse!.accounts![0]!.accountid);
    expect((await t.s.dataverse('PATCH', `contacts(${SHARED})`, { body: { emailaddress1: 'mohammed.changed@example.com' } })).status).toBe(204);
    expect((await t.s.dataverse('PATCH', `accounts(${account})`, { body: { name: 'Renamed Ltd' } })).status).toBe(204);
    await t.s.admin('DELETE', '/requests');
    const second = await observe();
    expect(observer.last?.mode).toBe('incremental');
    // One deltaLink each: the technicians' account lookups by id carry a $filter and are not counted.
    expect(await tableReads(t, 'contacts')).toBe(1);
    expect(await tableReads(t, 'accounts')).toBe(1);
    expect(second.contacts.find((c) => c.contactid === SHARED)?.emailaddress1).toBe('mohammed.changed@example.com');
    expect(second.probeContacts?.find((c) => c.contactid === SHARED)?.emailaddress1).toBe('mohammed.changed@example.com');
    expect(second.probeAccounts?.find((a) => a.accountid === account)?.name).toBe('Renamed Ltd');
    expect(ids(second.probeContacts)).toEqual(ids(first.probeContacts));
    expect(ids(second.contacts)).toEqual(ids(first.contacts));
    // …and the technicians' merged part is what a bulk read of the technicians alone sees now.
    const aloneNow = await bulkObserve(graph, dataverse, t.settings, new Date(), configuredFamilies(t.settings, [techniciansFamily as Family]));
    expect(technicians(second)).toEqual(technicians(aloneNow));
  }, 60_000);
});
