/**
 * IncrementalObserver: the hourly run reads only what changed since the last run (docs/incremental.md).
 *
 * Full read (no snapshot, snapshot older than FULL_RESYNC_HOURS, settings or read shapes changed, a
 * token refused, the technician group appeared or vanished):
 *   1. Graph delta tokens first, with `$deltatoken=latest` (users, and the technician group's
 *      members), so a change made during the read is replayed next time rather than missed.
 *   2. The bulk reads of observe.ts for Graph (guests, group members, SKUs). Dataverse tables that
 *      can be tracked are read whole with `Prefer: odata.track-changes` (track-changes refuses
 *      $filter, facts §12), which returns the rows and the deltaLink in one read; the bulk read's
 *      server-side filters (technician contacts, type-3 resources, Entra-linked systemusers) are
 *      applied on the client. This reads every contact, not only technicians: the cost is one page
 *      per 5,000 contacts on the daily full read (docs/incremental.md has the measurement).
 *   3. Accounts and anchored non-guest users as observe.ts reads them.
 * Incremental read: each saved deltaLink is followed (one page when nothing changed) and the
 * changes are merged into the snapshot (merge.ts). Subscribed SKUs, the group's existence,
 * characteristics, rating values and the contacts' accounts are re-read every run: they are one
 * page each (accounts: one per 50 vendors) and change outside any tracked table.
 * Either way the observation and the new tokens are saved before the observation is returned.
 *
 * Which tables are read which way, their columns, filters and keys, and so the tokens, come from
 * the table declarations (reconcilers/technicians/tables.ts, src/engine/tables/): a `delta` table
 * gets a Graph delta token, a `change-tracked` one a Dataverse change-tracking token, a `full` one
 * is re-read every run. The group's members are a lookup of a configured group, not a table: their
 * token is kept beside the tables'.
 */
import type { DataverseApi, GraphApi } from '../../clients/types.js';
import { listError } from '../../clients/classify.js';
import { technicianSettings, type Settings } from '../../config.js';
import type { Observation } from '../../model/observation.js';
import type { ContactRow, GraphUser } from '../../model/rows.js';
import {
  BOOKABLE_RESOURCES, CHARACTERISTICS, CONTACTS, RATING_VALUES, RESOURCE_CHARACTERISTICS, SUBSCRIBED_SKUS, SYSTEM_USERS, TECHNICIAN_TABLES, USERS,
  VENDOR_CHARACTERISTICS,
} from '../../../reconcilers/technicians/tables.js';
import { normaliseUser, readAccounts, readAnchoredNonGuests, readFormerGroupMembers, readGroupMembers, readMarkedContacts, readUsersWithNewEmails, uniqueUsers } from '../observe.js';
import type { Observer } from '../seams.js';
import { listTable, type TableServices } from '../tables/read.js';
import { trackedTables } from '../tables/registry.js';
import { rowPredicate, rowsOf, type Table, type TableRows } from '../tables/table.js';
import { byKey, filterRows, mergeMembers, mergeRows, mergeUsers } from './merge.js';
import { settingsHash } from './settings-hash.js';
import { SNAPSHOT_FORMAT, type DeltaTokens, type Snapshot, type SnapshotStore } from './snapshot-store.js';
import { graphRound, openingUrl, tableRound, withParam, type Round, type RoundResult } from './tracked-read.js';

export const DEFAULT_FULL_RESYNC_HOURS = 24;

export interface IncrementalObserverOptions {
  store: SnapshotStore;
  /** The run's settings (the snapshot is valid only for the same settings). */
  settings: Settings;
  /** Clock for the full-resync age; default: the `now` the engine passes to observe(). */
  now?: () => Date;
  /** Hours after which a full read happens anyway; default FULL_RESYNC_HOURS or 24. */
  fullResyncHours?: number;
}

/** What the last observe() did, for logs, telemetry and tests. */
export interface ObservationMode {
  mode: 'full' | 'incremental';
  reason: string;
}

/** FULL_RESYNC_HOURS from the environment: a positive number of hours, default 24. */
export function fullResyncHoursFrom(env: Record<string, string | undefined>): number {
  const raw = env.FULL_RESYNC_HOURS?.trim();
  if (!raw) return DEFAULT_FULL_RESYNC_HOURS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`FULL_RESYNC_HOURS must be a positive number of hours, not '${raw}'.`);
  return n;
}

const TABLES = TECHNICIAN_TABLES;
const TRACKED = trackedTables(TABLES);
const byMode = (mode: Table['mode']): Table[] => TABLES.filter((t) => t.mode === mode);

const groupDeltaUrl = (groupId: string): string => `/groups/delta?$filter=id eq '${groupId}'&$select=members`;

export class IncrementalObserver implements Observer {
  last: ObservationMode | undefined;

  constructor(private readonly options: IncrementalObserverOptions) {}

  async observe(graph: GraphApi, dataverse: DataverseApi, settings: Settings, now: Date): Promise<Observation> {
    const at = this.options.now?.() ?? now;
    const hash = settingsHash(settings);
    const snapshot = await this.options.store.load();
    const stale = this.whyFull(snapshot, hash, at);
    let result: { snapshot: Snapshot; mode: ObservationMode };
    if (stale !== null || !snapshot) {
      result = { snapshot: await fullRead(graph, dataverse, settings, hash, at), mode: { mode: 'full', reason: stale ?? 'no snapshot' } };
    } else {
      const incremental = await incrementalRead(graph, dataverse, settings, snapshot, at);
      result =
        typeof incremental === 'string'
          ? { snapshot: await fullRead(graph, dataverse, settings, hash, at), mode: { mode: 'full', reason: incremental } }
          : { snapshot: incremental, mode: { mode: 'incremental', reason: `changes since ${snapshot.takenAt}` } };
    }
    await this.options.store.save(result.snapshot);
    this.last = result.mode;
    return structuredClone(result.snapshot.observation);
  }

  private whyFull(snapshot: Snapshot | undefined, hash: string, at: Date): string | null {
    if (!snapshot) return 'no snapshot';
    if (snapshot.format !== SNAPSHOT_FORMAT) return 'snapshot format changed';
    if (snapshot.settingsHash !== hash) return 'settings or read shapes changed';
    const hours = this.options.fullResyncHours ?? fullResyncHoursFrom(process.env);
    const age = at.getTime() - Date.parse(snapshot.fullReadAt);
    if (!(age < hours * 3_600_000)) return `last full read ${snapshot.fullReadAt} is ${hours} h or more ago`;
    return null;
  }
}

export function createIncrementalObserver(options: IncrementalObserverOptions): IncrementalObserver {
  return new IncrementalObserver(options);
}

function mustRound<T>(r: RoundResult<T>): Round<T> {
  if (!r.ok) throw new Error(`a tracked read without a token was refused: ${r.reason}`);
  return r.round;
}

/** 404 → the group does not exist (observe.ts reports it once in the plan). */
async function groupExists(graph: GraphApi, groupId: string): Promise<boolean> {
  const request = { method: 'GET' as const, url: `/groups/${groupId}?$select=id` };
  const res = await graph.send(request);
  if (res.status === 404) return false;
  if (res.status !== 200) throw listError('graph', request, res);
  return true;
}

/**
 * Accounts of the contacts, the anchored users that are not guests (read by id), the contacts owned
 * users' marks name and the former groups' members, as observe.ts reads them (every run: they are
 * usually no read at all, and a deleted contact must be noticed whatever the tokens say).
 */
async function readLinked(graph: GraphApi, dataverse: DataverseApi, settings: Settings, contacts: ContactRow[], known: GraphUser[], toRead: string[]): Promise<Linked> {
  const stubs = toRead.map((id) => ({ o25fs_entraobjectid: id }) as ContactRow);
  const [accounts, found, marked, formerGroupMemberIds, withEmail] = await Promise.all([
    readAccounts(dataverse, contacts),
    readAnchoredNonGuests(graph, stubs, known),
    readMarkedContacts(dataverse, contacts, known, settings),
    readFormerGroupMembers(graph, known, settings),
    readUsersWithNewEmails(graph, contacts, known),
  ]);
  const foundIds = new Set(found.map((u) => u.id.toLowerCase()));
  return {
    accounts: byKey(accounts, 'accountid'),
    found: uniqueUsers([...found, ...withEmail].map(normaliseUser)),
    missing: toRead.filter((id) => !foundIds.has(id)),
    marked,
    formerGroupMemberIds,
  };
}

/** The table's rows in an observation, by the field the declaration names. */
function fieldRows(observation: Observation, table: Table): object[] {
  const rows = (observation as unknown as Record<string, unknown>)[table.field];
  if (!Array.isArray(rows)) throw new Error(`the observation has no ${table.field} rows for table ${table.name}`);
  return rows as object[];
}

interface Linked {
  accounts: Observation['accounts'];
  found: GraphUser[];
  missing: string[];
  marked: { found: ContactRow[]; deleted: string[] };
  formerGroupMemberIds: Record<string, string[]>;
}

/**
 * The observation from the tables' rows (each sorted by key, as merges leave them), the users and
 * the lookups. Tables read in full are sorted here, except the SKUs, kept in the service's order as
 * the bulk read keeps them.
 */
function observationOf(at: Date, rows: TableRows, users: GraphUser[], linked: Linked, groupMemberIds: string[] | null): Observation {
  return {
    observedAt: at.toISOString(),
    contacts: [...rowsOf(rows, CONTACTS), ...linked.marked.found],
    deletedContactIds: linked.marked.deleted,
    formerGroupMemberIds: linked.formerGroupMemberIds,
    accounts: linked.accounts,
    vendorCharacteristics: rowsOf(rows, VENDOR_CHARACTERISTICS),
    characteristics: byKey(rowsOf(rows, CHARACTERISTICS), CHARACTERISTICS.key),
    ratingValues: byKey(rowsOf(rows, RATING_VALUES), RATING_VALUES.key),
    users,
    groupMemberIds,
    subscribedSkus: rowsOf(rows, SUBSCRIBED_SKUS),
    systemUsers: rowsOf(rows, SYSTEM_USERS),
    bookableResources: rowsOf(rows, BOOKABLE_RESOURCES),
    resourceCharacteristics: rowsOf(rows, RESOURCE_CHARACTERISTICS),
  };
}

/**
 * One table on a full read: a change-tracked table whole with its token, filtered on the client
 * (track-changes refuses $filter); any other table by the bulk read, its filter on the server.
 */
async function readWhole(services: TableServices, table: Table): Promise<{ rows: object[]; token?: string }> {
  if (table.mode !== 'change-tracked') return { rows: await listTable(services, table) };
  const round = mustRound(await tableRound(services, table, openingUrl(table), false));
  return { rows: filterRows(round.items as object[], table.key, rowPredicate(table.filter)), token: round.deltaLink };
}

async function fullRead(graph: GraphApi, dataverse: DataverseApi, settings: Settings, hash: string, at: Date): Promise<Snapshot> {
  const services = { graph, dataverse };
  const groupId = technicianSettings(settings).technicianGroupId;
  const deltaTables = byMode('delta');
  // Graph tokens before the bulk read: a change made while it pages comes again in the next delta.
  const [latest, groupLatest] = await Promise.all([
    Promise.all(deltaTables.map(async (t) => mustRound(await tableRound(services, t, withParam(openingUrl(t), '$deltatoken=latest'), false)))),
    graphRound(graph, `${groupDeltaUrl(groupId)}&$deltatoken=latest`, false).then(mustRound),
  ]);
  const [whole, groupMemberIds] = await Promise.all([Promise.all(TABLES.map((t) => readWhole(services, t))), readGroupMembers(graph, groupId)]);
  const rows: TableRows = new Map(TABLES.map((t, i) => [t.name, whole[i]?.rows ?? []]));
  const contactRows = rowsOf(rows, CONTACTS);
  const guestUsers = rowsOf(rows, USERS).map(normaliseUser);
  const guestIds = new Set(guestUsers.map((u) => u.id));
  const anchored = [...new Set(contactRows.map((c) => c.o25fs_entraobjectid?.toLowerCase()).filter((id): id is string => !!id && !guestIds.has(id)))].sort();
  const linked = await readLinked(graph, dataverse, settings, contactRows, guestUsers, anchored);
  const tokens: DeltaTokens = { groupMembers: groupLatest.deltaLink };
  deltaTables.forEach((t, i) => {
    tokens[t.name] = latest[i]!.deltaLink;
  });
  TABLES.forEach((t, i) => {
    const token = whole[i]?.token;
    if (token !== undefined) tokens[t.name] = token;
  });
  const observation = observationOf(at, rows, byKey([...guestUsers, ...linked.found], USERS.key), linked, groupMemberIds === null ? null : [...groupMemberIds].sort());
  const iso = at.toISOString();
  return { format: SNAPSHOT_FORMAT, settingsHash: hash, fullReadAt: iso, takenAt: iso, observation, tokens, missingUserIds: linked.missing };
}

/** The merged snapshot, or why a full read is needed instead (a refused token, the group changed). */
async function incrementalRead(graph: GraphApi, dataverse: DataverseApi, settings: Settings, snapshot: Snapshot, at: Date): Promise<Snapshot | string> {
  const services = { graph, dataverse };
  const t = snapshot.tokens;
  if (t.groupMembers === null) return 'no group token';
  for (const table of TRACKED) if (typeof t[table.name] !== 'string') return `no ${table.name} token`;
  const full = byMode('full');
  const [rounds, group, exists, fullRows] = await Promise.all([
    Promise.all(TRACKED.map((table) => tableRound<unknown>(services, table, t[table.name] as string, true))),
    graphRound<unknown>(graph, t.groupMembers, true),
    groupExists(graph, technicianSettings(settings).technicianGroupId),
    Promise.all(full.map((table) => listTable(services, table))),
  ]);
  // Refusals named in the order delta tables, the group, change-tracked tables (as before the registry).
  const named: [string, RoundResult<unknown>][] = TRACKED.map((table, i) => [table.name, rounds[i]!]);
  named.splice(TRACKED.filter((table) => table.mode === 'delta').length, 0, ['groupMembers', group]);
  for (const [name, r] of named) if (!r.ok) return `the ${name} token was refused (${r.reason})`;
  const ok = <T>(r: RoundResult<T>): Round<T> => (r as { ok: true; round: Round<T> }).round;
  const before = snapshot.observation;
  if (exists !== (before.groupMemberIds !== null)) return exists ? 'the technician group appeared' : 'the technician group disappeared';

  const rows = new Map<string, object[]>(full.map((table, i) => [table.name, fullRows[i] ?? []]));
  TRACKED.forEach((table, i) => {
    if (table.mode === 'change-tracked') rows.set(table.name, mergeRows(fieldRows(before, table), ok(rounds[i]!).items, table.key, rowPredicate(table.filter)));
  });
  // Graph delta tables: only the users, merged with the contacts' anchors (merge.ts mergeUsers).
  for (const table of TRACKED) if (table.mode === 'delta' && table !== USERS) throw new Error(`no merge for the Graph delta table ${table.name}`);
  const contactRows = rowsOf(rows, CONTACTS);
  const userMerge = mergeUsers(before.users, ok(rounds[TRACKED.indexOf(USERS)]!).items, contactRows, snapshot.missingUserIds);
  rows.set(USERS.name, userMerge.users);
  const linked = await readLinked(graph, dataverse, settings, contactRows, userMerge.users, userMerge.toRead);
  const groupMemberIds = exists ? mergeMembers(before.groupMemberIds ?? [], ok(group).items, technicianSettings(settings).technicianGroupId) : null;
  const observation = observationOf(at, rows, byKey([...userMerge.users, ...linked.found], USERS.key), linked, groupMemberIds);
  const tokens: DeltaTokens = { groupMembers: ok(group).deltaLink };
  TRACKED.forEach((table, i) => {
    tokens[table.name] = ok(rounds[i]!).deltaLink;
  });
  return { ...snapshot, takenAt: at.toISOString(), observation, tokens, missingUserIds: [...userMerge.missing, ...linked.missing].sort() };
}
