/**
 * The technicians family's reads for the incremental observer (docs/incremental.md). The core
 * (src/engine/incremental/observer.ts, shared-read.ts) keeps the snapshot, decides between a full
 * and an incremental read, and reads the tables every configured family declares once: one token
 * per tracked table, the change-tracked tables' changes merged into this family's rows of them
 * (snapshotRows: the observation's fields) with its own key and filter. This file adds the
 * technicians' own reads.
 *
 * Service accounts (while SERVICE_ACCOUNT_DOMAIN is set) are listed with their domain on a full
 * read, and merged from the users delta like guests on an incremental one (service-account-observe.ts).
 *
 * Full read (no snapshot, snapshot older than FULL_RESYNC_HOURS, settings or read shapes changed, a
 * token refused, the technician group appeared or vanished):
 *   1. The technician group's members' delta token with `$deltatoken=latest` (openTokens), beside
 *      the core's users token, before any table is read, so a change made during the read is
 *      replayed next time rather than missed.
 *   2. The group's members, and the group itself (its name for the report, its licences in group
 *      mode), beside the core's table reads. Dataverse tables that can be tracked are
 *      read whole with `Prefer: odata.track-changes` (track-changes refuses $filter,
 *      learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems),
 *      their filters applied on the client: this reads every contact, not only technicians, one
 *      page per 5,000 contacts on the daily full read (docs/incremental.md has the measurement).
 *   3. Accounts and anchored non-guest users as the bulk read (observe.ts) reads them.
 * Incremental read: the group's saved deltaLink is followed beside the core's table rounds; the
 * users' delta changes and the members' are merged here (incremental-merge.ts), the other tables
 * come merged from the core. Subscribed SKUs, the group's existence (one GET that also gives its
 * name for the report, and its licences in group mode), characteristics, rating values
 * and the contacts' accounts are re-read every run: they are one page each (accounts: one per 50
 * vendors) and change outside any tracked table.
 *
 * Which tables are read which way, their columns, filters and keys, and so the tokens, come from
 * the table declarations (tables.ts, src/engine/tables/). The group's members are a lookup of a
 * configured group, not a table: their token (`groupMembers`) is the family's own.
 */
import type { Settings } from '../../src/config.js';
import { licenseModeOf, technicianSettings, type TechnicianSettings } from './settings.js';
import { isListedServiceAccount, readNameHolders, readServiceAccounts } from './service-account-observe.js';
import { serviceAccountSettingsOf } from './service-account-settings.js';
import type { ObservationPart } from '../../src/engine/family.js';
import type { FamilyRead, IncrementalReads, SharedRound } from '../../src/engine/incremental/family-reads.js';
import { byKey } from '../../src/engine/incremental/merge.js';
import type { Snapshot } from '../../src/engine/incremental/snapshot-store.js';
import { graphRound, mustRound } from '../../src/engine/incremental/tracked-read.js';
import type { TableServices } from '../../src/engine/tables/read.js';
import { rowsFor } from '../../src/engine/tables/registry.js';
import { rowsOf, type Table, type TableRows } from '../../src/engine/tables/table.js';
import type { Observation } from '../../src/model/observation.js';
import type { GraphUser } from '../../src/model/rows.js';
import type { ContactRow } from './rows.js';
import { mergeMembers, mergeUsers } from './incremental-merge.js';
import { groupObservation, observeTechnicianGroup, readTechnicianGroup } from './group-licensing.js';
import { normaliseUser, plannedUpns, readAccounts, readAnchoredNonGuests, readFormerGroupMembers, readGroupMembers, readMarkedContacts, readUsersWithNewEmails, uniqueUsers } from './observe.js';
import { BOOKABLE_RESOURCES, CHARACTERISTICS, CONTACTS, RATING_VALUES, RESOURCE_CHARACTERISTICS, SUBSCRIBED_SKUS, SYSTEM_USERS, TECHNICIAN_TABLES, USERS, VENDOR_CHARACTERISTICS } from './tables.js';

const groupDeltaUrl = (groupId: string): string => `/groups/delta?$filter=id eq '${groupId}'&$select=members`;

/**
 * Accounts of the contacts, the anchored users that are not guests (read by id), the contacts owned
 * users' marks name and the former groups' members, as observe.ts reads them (every run: they are
 * usually no read at all, and a deleted contact must be noticed whatever the tokens say).
 */
async function readLinked(
  { graph, dataverse }: TableServices,
  settings: Settings,
  contacts: ContactRow[],
  known: GraphUser[],
  toRead: string[],
  domainBefore?: Observation['serviceAccountDomain'] | 'read',
): Promise<Linked> {
  const stubs = toRead.map((id) => ({ o25fs_entraobjectid: id }) as ContactRow);
  // The service accounts and their domain, on a full read (service-account-observe.ts); an
  // incremental read has the accounts from the users delta and the domain from the snapshot.
  const serviceAccounts = domainBefore === 'read' ? await readServiceAccounts(graph, technicianSettings(settings)) : { users: [], ...(domainBefore !== undefined ? { domain: domainBefore } : {}) };
  const withAccounts = uniqueUsers([...serviceAccounts.users.map(normaliseUser), ...known]);
  const [accounts, found, marked, formerGroupMemberIds, withEmail] = await Promise.all([
    readAccounts(dataverse, contacts),
    readAnchoredNonGuests(graph, stubs, withAccounts),
    readMarkedContacts(dataverse, contacts, withAccounts, settings),
    readFormerGroupMembers(graph, withAccounts, settings),
    readUsersWithNewEmails(graph, contacts, withAccounts),
  ]);
  const listed = withAccounts.filter(isListedServiceAccount);
  const holders = await readNameHolders(graph, plannedUpns(contacts, accounts, listed, settings), [...withAccounts, ...found, ...withEmail]);
  const foundIds = new Set([...found, ...serviceAccounts.users].map((u) => u.id.toLowerCase()));
  return {
    accounts: byKey(accounts, 'accountid'),
    found: uniqueUsers([...serviceAccounts.users, ...found, ...withEmail, ...holders].map(normaliseUser)),
    missing: toRead.filter((id) => !foundIds.has(id)),
    marked,
    formerGroupMemberIds,
    ...(serviceAccounts.domain !== undefined ? { serviceAccountDomain: serviceAccounts.domain } : {}),
  };
}

/** This family's rows of a table in an observation, by the field its declaration names. */
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
  serviceAccountDomain?: Observation['serviceAccountDomain'];
}

/**
 * The family's part of the observation from its own rows of its tables (each sorted by key, as
 * merges leave them), the users and the lookups. Tables read in full are sorted here, except the SKUs, kept in the service's order as the
 * bulk read keeps them.
 */
function observationOf(rows: TableRows, users: GraphUser[], linked: Linked, groupMemberIds: string[] | null): ObservationPart {
  return {
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
    ...(linked.serviceAccountDomain !== undefined ? { serviceAccountDomain: linked.serviceAccountDomain } : {}),
  };
}

/** The group's members' token, taken before the core reads any table (a change meanwhile comes again). */
async function openTokens({ graph }: TableServices, settings: TechnicianSettings): Promise<{ groupMembers: string }> {
  const round = mustRound(await graphRound(graph, `${groupDeltaUrl(settings.technicianGroupId)}&$deltatoken=latest`, false));
  return { groupMembers: round.deltaLink };
}

async function fullRead(rowsRead: Promise<TableRows>, services: TableServices, settings: TechnicianSettings, core: Settings): Promise<FamilyRead> {
  const [union, groupMemberIds, technicianGroup] = await Promise.all([rowsRead, readGroupMembers(services.graph, settings.technicianGroupId), observeTechnicianGroup(services.graph, settings)]);
  // This family's rows of each table: the union's rows its own filters keep (another family may share a table).
  const rows: TableRows = new Map(TECHNICIAN_TABLES.map((t) => [t.name, rowsFor(union, t)]));
  const contactRows = rowsOf(rows, CONTACTS);
  const guestUsers = rowsOf(rows, USERS).map(normaliseUser);
  const guestIds = new Set(guestUsers.map((u) => u.id));
  const anchored = [...new Set(contactRows.map((c) => c.o25fs_entraobjectid?.toLowerCase()).filter((id): id is string => !!id && !guestIds.has(id)))].sort();
  const linked = await readLinked(services, core, contactRows, guestUsers, anchored, 'read');
  const part = { ...observationOf(rows, byKey(uniqueUsers([...linked.found, ...guestUsers]), USERS.key), linked, groupMemberIds === null ? null : [...groupMemberIds].sort()), ...technicianGroup };
  return { part, tokens: {}, missingUserIds: linked.missing };
}

/**
 * The merged part, or why a full read is needed instead: a refused token (named in the order delta
 * tables, the group, change-tracked tables, as before the tables were shared), the group changed.
 */
async function incrementalRead(shared: Promise<SharedRound>, services: TableServices, settings: TechnicianSettings, core: Settings, snapshot: Snapshot): Promise<FamilyRead | string> {
  const { graph } = services;
  const groupToken = snapshot.tokens.groupMembers;
  if (typeof groupToken !== 'string') return 'no group token';
  // One GET of the group: whether it still exists (404: observe.ts reports it once in the plan),
  // its name for the report and, in group mode, its licences: no delta reports any of them.
  const [round, group, groupRead] = await Promise.all([
    shared,
    graphRound<unknown>(graph, groupToken, true),
    readTechnicianGroup(graph, settings.technicianGroupId, licenseModeOf(settings) === 'group'),
  ]);
  const exists = groupRead !== null;
  const technicianGroup = groupObservation(groupRead, settings);
  const refused = round.ok ? [] : round.refused;
  const delta = refused.find((r) => r.mode === 'delta');
  if (delta) return `the ${delta.table} token was refused (${delta.reason})`;
  if (!group.ok) return `the groupMembers token was refused (${group.reason})`;
  if (!round.ok) return `the ${refused[0]?.table ?? 'table'} token was refused (${refused[0]?.reason ?? ''})`;
  const before = snapshot.observation;
  if (exists !== (before.groupMemberIds !== null)) return exists ? 'the technician group appeared' : 'the technician group disappeared';

  const contactRows = rowsOf(round.rows, CONTACTS);
  const servicesOn = serviceAccountSettingsOf(settings).domain !== null;
  const userMerge = mergeUsers(before.users, [...(round.changes.get(USERS.name) ?? [])], contactRows, snapshot.missingUserIds, servicesOn ? isListedServiceAccount : undefined);
  const linked = await readLinked(services, core, contactRows, userMerge.users, userMerge.toRead, before.serviceAccountDomain);
  const groupMemberIds = exists ? mergeMembers(before.groupMemberIds ?? [], group.round.items, settings.technicianGroupId) : null;
  const part = { ...observationOf(round.rows, byKey(uniqueUsers([...linked.found, ...userMerge.users]), USERS.key), linked, groupMemberIds), ...technicianGroup };
  return { part, tokens: { groupMembers: group.round.deltaLink }, missingUserIds: [...userMerge.missing, ...linked.missing].sort() };
}

/**
 * What the core merges a change-tracked table's changes into: this family's rows of it as the last
 * observation holds them. The contacts include the marked contacts read by id (as they always did):
 * one that changes and no longer passes the filter is dropped and read by id again.
 */
function snapshotRows(snapshot: Snapshot): TableRows {
  const tracked = TECHNICIAN_TABLES.filter((t) => t.mode === 'change-tracked');
  return new Map(tracked.map((t) => [t.name, fieldRows(snapshot.observation, t)]));
}

/** The family's hooks for the incremental observer (src/engine/family.ts `incremental`). */
export const techniciansIncremental: IncrementalReads<TechnicianSettings> = { openTokens, fullRead, incrementalRead, snapshotRows };
