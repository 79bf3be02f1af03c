/**
 * The technicians family's reads for the incremental observer (docs/incremental.md). The core
 * (src/engine/incremental/observer.ts) keeps the snapshot, decides between a full and an
 * incremental read and passes the tables every configured family declares; this file reads them
 * the technicians' way.
 *
 * Full read (no snapshot, snapshot older than FULL_RESYNC_HOURS, settings or read shapes changed, a
 * token refused, the technician group appeared or vanished):
 *   1. Graph delta tokens first, with `$deltatoken=latest` (users, and the technician group's
 *      members), so a change made during the read is replayed next time rather than missed.
 *   2. The bulk reads for Graph (guests, group members, SKUs). Dataverse tables that can be tracked
 *      are read whole with `Prefer: odata.track-changes` (track-changes refuses $filter, facts §12),
 *      which returns the rows and the deltaLink in one read; the bulk read's server-side filters
 *      (technician contacts, type-3 resources, Entra-linked systemusers) are applied on the client.
 *      This reads every contact, not only technicians: the cost is one page per 5,000 contacts on the
 *      daily full read (docs/incremental.md has the measurement).
 *   3. Accounts and anchored non-guest users as the bulk read (observe.ts) reads them.
 * Incremental read: each saved deltaLink is followed (one page when nothing changed) and the
 * changes are merged into the snapshot (src/engine/incremental/merge.ts, incremental-merge.ts).
 * Subscribed SKUs, the group's existence, characteristics, rating values and the contacts' accounts
 * are re-read every run: they are one page each (accounts: one per 50 vendors) and change outside
 * any tracked table.
 *
 * Which tables are read which way, their columns, filters and keys, and so the tokens, come from
 * the table declarations (tables.ts, src/engine/tables/): a `delta` table gets a Graph delta token, a
 * `change-tracked` one a Dataverse change-tracking token, a `full` one is re-read every run. The
 * group's members are a lookup of a configured group, not a table: their token is kept beside the
 * tables'.
 */
import type { GraphApi } from '../../src/clients/types.js';
import { listError } from '../../src/clients/classify.js';
import { type Settings } from '../../src/config.js';
import { type TechnicianSettings } from './settings.js';
import type { IncrementalRead, IncrementalReads } from '../../src/engine/incremental/family-reads.js';
import { byKey, mergeRows } from '../../src/engine/incremental/merge.js';
import type { DeltaTokens, Snapshot } from '../../src/engine/incremental/snapshot-store.js';
import { graphRound, mustRound, openingUrl, readWhole, tableRound, withParam, type Round, type RoundResult } from '../../src/engine/incremental/tracked-read.js';
import { listTable, type TableServices } from '../../src/engine/tables/read.js';
import { trackedTables } from '../../src/engine/tables/registry.js';
import { rowPredicate, rowsOf, type Table, type TableRows } from '../../src/engine/tables/table.js';
import type { Observation } from '../../src/model/observation.js';
import type { GraphUser } from '../../src/model/rows.js';
import type { ContactRow } from './rows.js';
import { mergeMembers, mergeUsers } from './incremental-merge.js';
import { normaliseUser, readAccounts, readAnchoredNonGuests, readFormerGroupMembers, readGroupMembers, readMarkedContacts, readUsersWithNewEmails, uniqueUsers } from './observe.js';
import { BOOKABLE_RESOURCES, CHARACTERISTICS, CONTACTS, RATING_VALUES, RESOURCE_CHARACTERISTICS, SUBSCRIBED_SKUS, SYSTEM_USERS, USERS, VENDOR_CHARACTERISTICS } from './tables.js';

const groupDeltaUrl = (groupId: string): string => `/groups/delta?$filter=id eq '${groupId}'&$select=members`;

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
async function readLinked({ graph, dataverse }: TableServices, settings: Settings, contacts: ContactRow[], known: GraphUser[], toRead: string[]): Promise<Linked> {
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

const byMode = (tables: readonly Table[], mode: Table['mode']): Table[] => tables.filter((t) => t.mode === mode);

async function fullRead(services: TableServices, tables: readonly Table[], settings: TechnicianSettings, core: Settings, at: Date): Promise<IncrementalRead> {
  const { graph } = services;
  const groupId = settings.technicianGroupId;
  const deltaTables = byMode(tables, 'delta');
  // Graph tokens before the bulk read: a change made while it pages comes again in the next delta.
  const [latest, groupLatest] = await Promise.all([
    Promise.all(deltaTables.map(async (t) => mustRound(await tableRound(services, t, withParam(openingUrl(t), '$deltatoken=latest'), false)))),
    graphRound(graph, `${groupDeltaUrl(groupId)}&$deltatoken=latest`, false).then(mustRound),
  ]);
  const [whole, groupMemberIds] = await Promise.all([Promise.all(tables.map((t) => readWhole(services, t))), readGroupMembers(graph, groupId)]);
  const rows: TableRows = new Map(tables.map((t, i) => [t.name, whole[i]?.rows ?? []]));
  const contactRows = rowsOf(rows, CONTACTS);
  const guestUsers = rowsOf(rows, USERS).map(normaliseUser);
  const guestIds = new Set(guestUsers.map((u) => u.id));
  const anchored = [...new Set(contactRows.map((c) => c.o25fs_entraobjectid?.toLowerCase()).filter((id): id is string => !!id && !guestIds.has(id)))].sort();
  const linked = await readLinked(services, core, contactRows, guestUsers, anchored);
  const tokens: DeltaTokens = { groupMembers: groupLatest.deltaLink };
  deltaTables.forEach((t, i) => {
    tokens[t.name] = latest[i]!.deltaLink;
  });
  tables.forEach((t, i) => {
    const token = whole[i]?.token;
    if (token !== undefined) tokens[t.name] = token;
  });
  const observation = observationOf(at, rows, byKey([...guestUsers, ...linked.found], USERS.key), linked, groupMemberIds === null ? null : [...groupMemberIds].sort());
  return { observation, tokens, missingUserIds: linked.missing };
}

/** The merged snapshot, or why a full read is needed instead (a refused token, the group changed). */
async function incrementalRead(services: TableServices, tables: readonly Table[], settings: TechnicianSettings, core: Settings, snapshot: Snapshot, at: Date): Promise<IncrementalRead | string> {
  const { graph } = services;
  const TRACKED = trackedTables(tables);
  const t = snapshot.tokens;
  if (t.groupMembers === null) return 'no group token';
  for (const table of TRACKED) if (typeof t[table.name] !== 'string') return `no ${table.name} token`;
  const full = byMode(tables, 'full');
  const [rounds, group, exists, fullRows] = await Promise.all([
    Promise.all(TRACKED.map((table) => tableRound<unknown>(services, table, t[table.name] as string, true))),
    graphRound<unknown>(graph, t.groupMembers, true),
    groupExists(graph, settings.technicianGroupId),
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
  for (const table of TRACKED) if (table.mode === 'delta' && table.name !== USERS.name) throw new Error(`no merge for the Graph delta table ${table.name}`);
  const contactRows = rowsOf(rows, CONTACTS);
  const userMerge = mergeUsers(before.users, ok(rounds[TRACKED.findIndex((table) => table.name === USERS.name)]!).items, contactRows, snapshot.missingUserIds);
  rows.set(USERS.name, userMerge.users);
  const linked = await readLinked(services, core, contactRows, userMerge.users, userMerge.toRead);
  const groupMemberIds = exists ? mergeMembers(before.groupMemberIds ?? [], ok(group).items, settings.technicianGroupId) : null;
  const observation = observationOf(at, rows, byKey([...userMerge.users, ...linked.found], USERS.key), linked, groupMemberIds);
  const tokens: DeltaTokens = { groupMembers: ok(group).deltaLink };
  TRACKED.forEach((table, i) => {
    tokens[table.name] = ok(rounds[i]!).deltaLink;
  });
  return { observation, tokens, missingUserIds: [...userMerge.missing, ...linked.missing].sort() };
}

/** The family's hooks for the incremental observer (src/engine/family.ts `incremental`). */
export const techniciansIncremental: IncrementalReads<TechnicianSettings> = { fullRead, incrementalRead };
