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
 */
import type { DataverseApi, GraphApi } from '../../clients/types.js';
import { listError } from '../../clients/classify.js';
import { technicianSettings, type Settings } from '../../config.js';
import type { Observation } from '../../model/observation.js';
import type {
  BookableResourceCharacteristicRow, BookableResourceRow, CharacteristicRow, ContactRow, GraphUser, RatingValueRow, SubscribedSku, SystemUserRow,
  VendorCharacteristicRow,
} from '../../model/rows.js';
import {
  BOOKABLE_RESOURCE_COLUMNS, CONTACT_COLUMNS, normaliseUser, readAccounts, readAnchoredNonGuests, readFormerGroupMembers, readGroupMembers, readMarkedContacts, readUsersWithNewEmails, uniqueUsers,
  RESOURCE_CHARACTERISTIC_COLUMNS,
  SYSTEMUSER_COLUMNS, USER_SELECT, VENDOR_CHARACTERISTIC_COLUMNS,
} from '../observe.js';
import type { Observer } from '../seams.js';
import { byKey, filterRows, keepAll, keepContact, keepResource, keepSystemUser, mergeMembers, mergeRows, mergeUsers } from './merge.js';
import { settingsHash } from './settings-hash.js';
import { SNAPSHOT_FORMAT, type DeltaTokens, type Snapshot, type SnapshotStore } from './snapshot-store.js';
import { dataverseRound, graphRound, type Round, type RoundResult } from './tracked-read.js';

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

interface Tracked {
  contacts: string;
  vendorCharacteristics: string;
  systemUsers: string;
  bookableResources: string;
  resourceCharacteristics: string;
}

/** The Dataverse tables read with change tracking: entity set, columns, primary key, bulk-read filter. */
const TABLES = {
  contacts: { set: 'contacts', columns: CONTACT_COLUMNS, pk: 'contactid', keep: keepContact },
  vendorCharacteristics: { set: 'o25fs_vendorcharacteristics', columns: VENDOR_CHARACTERISTIC_COLUMNS, pk: 'o25fs_vendorcharacteristicid', keep: keepAll },
  systemUsers: { set: 'systemusers', columns: SYSTEMUSER_COLUMNS, pk: 'systemuserid', keep: keepSystemUser },
  bookableResources: { set: 'bookableresources', columns: BOOKABLE_RESOURCE_COLUMNS, pk: 'bookableresourceid', keep: keepResource },
  resourceCharacteristics: { set: 'bookableresourcecharacteristics', columns: RESOURCE_CHARACTERISTIC_COLUMNS, pk: 'bookableresourcecharacteristicid', keep: keepAll },
} as const satisfies Record<keyof Tracked, unknown>;

const usersDeltaUrl = (): string => `/users/delta?$select=${USER_SELECT.join(',')}`;
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

function cheapReads(graph: GraphApi, dataverse: DataverseApi): Promise<[SubscribedSku[], CharacteristicRow[], RatingValueRow[]]> {
  return Promise.all([
    graph.list<SubscribedSku>('/subscribedSkus'),
    dataverse.list<CharacteristicRow>('characteristics', { select: ['characteristicid', 'name', 'statecode'] }),
    dataverse.list<RatingValueRow>('ratingvalues', { select: ['ratingvalueid', 'name', 'value', '_ratingmodel_value'] }),
  ]);
}

/**
 * Accounts of the contacts, the anchored users that are not guests (read by id), the contacts owned
 * users' marks name and the former groups' members, as observe.ts reads them (every run: they are
 * usually no read at all, and a deleted contact must be noticed whatever the tokens say).
 */
async function readLinked(graph: GraphApi, dataverse: DataverseApi, settings: Settings, contacts: ContactRow[], known: GraphUser[], toRead: string[]) {
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

async function fullRead(graph: GraphApi, dataverse: DataverseApi, settings: Settings, hash: string, at: Date): Promise<Snapshot> {
  const groupId = technicianSettings(settings).technicianGroupId;
  const [usersLatest, groupLatest] = await Promise.all([
    graphRound(graph, `${usersDeltaUrl()}&$deltatoken=latest`, false).then(mustRound),
    graphRound(graph, `${groupDeltaUrl(groupId)}&$deltatoken=latest`, false).then(mustRound),
  ]);
  const table = <K extends keyof Tracked>(k: K) => dataverseRound<unknown>(dataverse, `${TABLES[k].set}?$select=${TABLES[k].columns.join(',')}`, false).then(mustRound);
  const [guests, groupMemberIds, [subscribedSkus, characteristics, ratingValues], contacts, vendorCharacteristics, systemUsers, bookableResources, resourceCharacteristics] =
    await Promise.all([
      graph.list<GraphUser>(`/users?$filter=userType eq 'Guest'&$select=${USER_SELECT.join(',')}&$top=999`),
      readGroupMembers(graph, groupId),
      cheapReads(graph, dataverse),
      table('contacts'),
      table('vendorCharacteristics'),
      table('systemUsers'),
      table('bookableResources'),
      table('resourceCharacteristics'),
    ]);
  const contactRows = filterRows(contacts.items as ContactRow[], 'contactid', keepContact);
  const guestUsers = guests.map(normaliseUser);
  const guestIds = new Set(guestUsers.map((u) => u.id));
  const anchored = [...new Set(contactRows.map((c) => c.o25fs_entraobjectid?.toLowerCase()).filter((id): id is string => !!id && !guestIds.has(id)))].sort();
  const linked = await readLinked(graph, dataverse, settings, contactRows, guestUsers, anchored);
  const tokens: DeltaTokens = {
    users: usersLatest.deltaLink,
    groupMembers: groupLatest.deltaLink,
    contacts: contacts.deltaLink,
    vendorCharacteristics: vendorCharacteristics.deltaLink,
    systemUsers: systemUsers.deltaLink,
    bookableResources: bookableResources.deltaLink,
    resourceCharacteristics: resourceCharacteristics.deltaLink,
  };
  const observation: Observation = {
    observedAt: at.toISOString(),
    contacts: [...contactRows, ...linked.marked.found],
    deletedContactIds: linked.marked.deleted,
    formerGroupMemberIds: linked.formerGroupMemberIds,
    accounts: linked.accounts,
    vendorCharacteristics: filterRows(vendorCharacteristics.items as VendorCharacteristicRow[], TABLES.vendorCharacteristics.pk, keepAll),
    characteristics: byKey(characteristics, 'characteristicid'),
    ratingValues: byKey(ratingValues, 'ratingvalueid'),
    users: byKey([...guestUsers, ...linked.found], 'id'),
    groupMemberIds: groupMemberIds === null ? null : [...groupMemberIds].sort(),
    subscribedSkus,
    systemUsers: filterRows(systemUsers.items as SystemUserRow[], TABLES.systemUsers.pk, keepSystemUser),
    bookableResources: filterRows(bookableResources.items as BookableResourceRow[], TABLES.bookableResources.pk, keepResource),
    resourceCharacteristics: filterRows(resourceCharacteristics.items as BookableResourceCharacteristicRow[], TABLES.resourceCharacteristics.pk, keepAll),
  };
  const iso = at.toISOString();
  return { format: SNAPSHOT_FORMAT, settingsHash: hash, fullReadAt: iso, takenAt: iso, observation, tokens, missingUserIds: linked.missing };
}

/** The merged snapshot, or why a full read is needed instead (a refused token, the group changed). */
async function incrementalRead(graph: GraphApi, dataverse: DataverseApi, settings: Settings, snapshot: Snapshot, at: Date): Promise<Snapshot | string> {
  const t = snapshot.tokens;
  if (t.groupMembers === null) return 'no group token';
  const dv = (k: keyof Tracked) => dataverseRound<unknown>(dataverse, t[k], true);
  const [users, group, exists, [subscribedSkus, characteristics, ratingValues], contacts, vendorCharacteristics, systemUsers, bookableResources, resourceCharacteristics] =
    await Promise.all([
      graphRound<unknown>(graph, t.users, true),
      graphRound<unknown>(graph, t.groupMembers, true),
      groupExists(graph, technicianSettings(settings).technicianGroupId),
      cheapReads(graph, dataverse),
      dv('contacts'),
      dv('vendorCharacteristics'),
      dv('systemUsers'),
      dv('bookableResources'),
      dv('resourceCharacteristics'),
    ]);
  const rounds = { users, groupMembers: group, contacts, vendorCharacteristics, systemUsers, bookableResources, resourceCharacteristics };
  for (const [name, r] of Object.entries(rounds)) if (!r.ok) return `the ${name} token was refused (${r.reason})`;
  const ok = <T>(r: RoundResult<T>): Round<T> => (r as { ok: true; round: Round<T> }).round;
  const before = snapshot.observation;
  if (exists !== (before.groupMemberIds !== null)) return exists ? 'the technician group appeared' : 'the technician group disappeared';

  const merged = <K extends keyof Tracked, T extends object>(k: K, rows: T[], keep: (row: T) => boolean): T[] => mergeRows(rows, ok(rounds[k]).items, TABLES[k].pk, keep);
  const contactRows = merged('contacts', before.contacts, keepContact);
  const userMerge = mergeUsers(before.users, ok(users).items, contactRows, snapshot.missingUserIds);
  const linked = await readLinked(graph, dataverse, settings, contactRows, userMerge.users, userMerge.toRead);
  const observation: Observation = {
    observedAt: at.toISOString(),
    contacts: [...contactRows, ...linked.marked.found],
    deletedContactIds: linked.marked.deleted,
    formerGroupMemberIds: linked.formerGroupMemberIds,
    accounts: linked.accounts,
    vendorCharacteristics: merged('vendorCharacteristics', before.vendorCharacteristics, keepAll),
    characteristics: byKey(characteristics, 'characteristicid'),
    ratingValues: byKey(ratingValues, 'ratingvalueid'),
    users: byKey([...userMerge.users, ...linked.found], 'id'),
    groupMemberIds: exists ? mergeMembers(before.groupMemberIds ?? [], ok(group).items, technicianSettings(settings).technicianGroupId) : null,
    subscribedSkus,
    systemUsers: merged('systemUsers', before.systemUsers, keepSystemUser),
    bookableResources: merged('bookableResources', before.bookableResources, keepResource),
    resourceCharacteristics: merged('resourceCharacteristics', before.resourceCharacteristics, keepAll),
  };
  const tokens: DeltaTokens = {
    users: ok(users).deltaLink,
    groupMembers: ok(group).deltaLink,
    contacts: ok(contacts).deltaLink,
    vendorCharacteristics: ok(vendorCharacteristics).deltaLink,
    systemUsers: ok(systemUsers).deltaLink,
    bookableResources: ok(bookableResources).deltaLink,
    resourceCharacteristics: ok(resourceCharacteristics).deltaLink,
  };
  return { ...snapshot, takenAt: at.toISOString(), observation, tokens, missingUserIds: [...userMerge.missing, ...linked.missing].sort() };
}
