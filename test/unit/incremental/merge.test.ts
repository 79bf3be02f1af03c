/**
 * Unit tests of the incremental observer's pure parts: merges of delta rounds (merge.ts), the
 * snapshot stores, the settings hash and FULL_RESYNC_HOURS. docs/incremental.md.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/families.js';
import { FileSnapshotStore, MemorySnapshotStore, settingsHash, SNAPSHOT_FORMAT, fullResyncHoursFrom, type Snapshot } from '../../../src/engine/incremental/index.js';
import { mergeRows } from '../../../src/engine/incremental/merge.js';
import { mergeMembers, mergeUsers } from '../../../reconcilers/technicians/incremental-merge.js';
import { rowPredicate } from '../../../src/engine/tables/table.js';
import { CONTACTS, TECHNICIAN_TABLES } from '../../../reconcilers/technicians/tables.js';
import type { GraphUser } from '../../../src/model/rows.js';
import type { ContactRow } from '../../../reconcilers/technicians/rows.js';
import { DEMO_SETTINGS } from '../../support/tenant.js';

// The contacts table's filter as the observer applies it (reconcilers/technicians/tables.ts).
const keepContact = rowPredicate<ContactRow>(CONTACTS.filter);
const deleted = (id: string) => ({ '@odata.context': 'https://x/api/data/v9.2/$metadata#contacts/$deletedEntity', id, reason: 'deleted' });
const contact = (id: string, extra: Partial<ContactRow> = {}) => ({ contactid: id, o25fs_setuptechnician: true, o25fs_entraobjectid: null, ...extra }) as ContactRow;
const user = (id: string, extra: Partial<GraphUser> = {}) =>
  ({ id, displayName: id, givenName: null, surname: null, mail: null, otherMails: [], userPrincipalName: null, userType: 'Guest', creationType: null, externalUserState: null, accountEnabled: true, usageLocation: null, assignedLicenses: [], licenseAssignmentStates: [], ...extra }) as GraphUser;

describe('mergeRows (Dataverse change tracking round)', () => {
  const cases = [
    { reason: 'a changed row replaces the stored one', rows: [contact('a', { fullname: 'Old' })], changes: [contact('a', { fullname: 'New' })], expected: [contact('a', { fullname: 'New' })] },
    { reason: 'a new row that passes the bulk filter is added, in key order', rows: [contact('b')], changes: [contact('a')], expected: [contact('a'), contact('b')] },
    { reason: 'a row that no longer passes the filter (setup off, no anchor) is dropped', rows: [contact('a')], changes: [contact('a', { o25fs_setuptechnician: false })], expected: [] },
    { reason: 'a row with setup off but an anchor stays (the filter is an or)', rows: [], changes: [contact('a', { o25fs_setuptechnician: false, o25fs_entraobjectid: 'u' })], expected: [contact('a', { o25fs_setuptechnician: false, o25fs_entraobjectid: 'u' })] },
    { reason: 'a $deletedEntity drops the row (ids compared lower-cased)', rows: [contact('a'), contact('b')], changes: [deleted('A')], expected: [contact('b')] },
    { reason: 'a deletion of a row never seen changes nothing', rows: [contact('a')], changes: [deleted('z')], expected: [contact('a')] },
  ];
  for (const c of cases) it(c.reason, () => expect(mergeRows(c.rows, c.changes, 'contactid', keepContact)).toEqual(c.expected));
});

describe('mergeMembers (members@delta)', () => {
  it('adds and removes users of the tracked group, across repeated group objects, ignoring other groups and types', () => {
    const pages = [
      { id: 'G', 'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: 'C' }, { '@odata.type': '#microsoft.graph.user', id: 'a', '@removed': { reason: 'deleted' } }] },
      { id: 'g', 'members@delta': [{ '@odata.type': '#microsoft.graph.group', id: 'x' }, { '@odata.type': '#microsoft.graph.user', id: 'd' }] },
      { id: 'other', 'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: 'e' }] },
    ];
    expect(mergeMembers(['a', 'b'], pages, 'g')).toEqual(['b', 'c', 'd']);
  });
});

describe('mergeUsers (users delta)', () => {
  it('merges changed properties onto the stored user (left-out properties keep their value)', () => {
    const r = mergeUsers([user('u1', { usageLocation: 'GB', mail: 'm@x' })], [{ id: 'u1', usageLocation: 'FR' }], [], []);
    expect(r.users).toEqual([user('u1', { usageLocation: 'FR', mail: 'm@x' })]);
  });
  it('adds a new guest with the properties it left out as null; drops removed users', () => {
    const r = mergeUsers([user('u1')], [{ id: 'u2', userType: 'Guest', displayName: 'N' }, { id: 'u1', '@removed': { reason: 'changed' } }], [], []);
    expect(r.users).toEqual([user('u2', { displayName: 'N', accountEnabled: null, onPremisesExtensionAttributes: null, mailNickname: null, companyName: null, department: null, officeLocation: null })]);
  });
  it('a guest turned member stays only while a contact is anchored to it; anchored users the snapshot lacks are read by id', () => {
    const contacts = [contact('c1', { o25fs_entraobjectid: 'u1' }), contact('c2', { o25fs_entraobjectid: 'u9' }), contact('c3', { o25fs_entraobjectid: 'gone' })];
    const r = mergeUsers([user('u1'), user('u2')], [{ id: 'u1', userType: 'Member' }, { id: 'u2', userType: 'Member' }], contacts, ['gone']);
    expect(r.users.map((u) => [u.id, u.userType])).toEqual([['u1', 'Member']]);
    expect(r.toRead).toEqual(['u9']);
    expect(r.missing).toEqual(['gone']);
  });
  it('a missing anchored user that a delta names is looked up again', () => {
    const r = mergeUsers([], [{ id: 'gone', userType: 'Member' }], [contact('c', { o25fs_entraobjectid: 'gone' })], ['gone']);
    expect(r.toRead).toEqual(['gone']);
    expect(r.missing).toEqual([]);
  });
});

const snapshot = (): Snapshot => ({
  format: SNAPSHOT_FORMAT,
  settingsHash: 'h',
  fullReadAt: '2025-01-01T00:00:00.000Z',
  takenAt: '2025-01-01T01:00:00.000Z',
  observation: { observedAt: 'x', contacts: [], accounts: [], vendorCharacteristics: [], characteristics: [], ratingValues: [], users: [], groupMemberIds: null, subscribedSkus: [], systemUsers: [], bookableResources: [], resourceCharacteristics: [] },
  tokens: { users: 'u', groupMembers: 'g', contacts: 'c', vendorCharacteristics: 'v', systemUsers: 's', bookableResources: 'b', resourceCharacteristics: 'r' },
  missingUserIds: [],
});

describe('snapshot stores', () => {
  it('MemorySnapshotStore keeps a copy: mutating what was saved or loaded does not change the store', async () => {
    const store = new MemorySnapshotStore();
    expect(await store.load()).toBeUndefined();
    const s = snapshot();
    await store.save(s);
    s.tokens.users = 'changed';
    const loaded = (await store.load())!;
    expect(loaded.tokens.users).toBe('u');
    loaded.missingUserIds.push('x');
    expect((await store.load())!.missingUserIds).toEqual([]);
    await store.clear();
    expect(await store.load()).toBeUndefined();
  });

  it('FileSnapshotStore round-trips, creates its folder, and treats a missing, corrupt or other-format file as no snapshot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snap-'));
    try {
      const path = join(dir, 'nested', 'snapshot.json');
      const store = new FileSnapshotStore(path);
      expect(await store.load()).toBeUndefined();
      await store.save(snapshot());
      expect(await store.load()).toEqual(snapshot());
      expect(JSON.parse(await readFile(path, 'utf8')).format).toBe(SNAPSHOT_FORMAT);
      await writeFile(path, '{not json');
      expect(await store.load()).toBeUndefined();
      await writeFile(path, JSON.stringify({ ...snapshot(), format: 99 }));
      expect(await store.load()).toBeUndefined();
      await store.clear();
      await store.clear();
      expect(await store.load()).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('settings hash and FULL_RESYNC_HOURS', () => {
  const settings = (extra: Record<string, string> = {}) => loadSettings({ ...DEMO_SETTINGS, GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0', DATAVERSE_URL: 'https://d.crm.dynamics.com', ...extra });
  it('is stable for equal settings and changes with any setting', () => {
    expect(settingsHash(settings(), TECHNICIAN_TABLES)).toBe(settingsHash(settings(), TECHNICIAN_TABLES));
    expect(settingsHash(settings({ DEFAULT_USAGE_LOCATION: 'FR' }), TECHNICIAN_TABLES)).not.toBe(settingsHash(settings(), TECHNICIAN_TABLES));
    expect(settingsHash(settings({ DATAVERSE_URL: 'https://other.crm.dynamics.com' }), TECHNICIAN_TABLES)).not.toBe(settingsHash(settings(), TECHNICIAN_TABLES));
  });
  it('FULL_RESYNC_HOURS: default 24, whole hours from 1 to 168, anything else refused', () => {
    expect(fullResyncHoursFrom({})).toBe(24);
    expect(fullResyncHoursFrom({ FULL_RESYNC_HOURS: '6' })).toBe(6);
    expect(fullResyncHoursFrom({ FULL_RESYNC_HOURS: '168' })).toBe(168);
    for (const bad of ['0', 'daily', '1e3', '0.0001', '2.5', '169', '-4']) {
      expect(() => fullResyncHoursFrom({ FULL_RESYNC_HOURS: bad }), bad).toThrow(`FULL_RESYNC_HOURS must be a whole number of hours from 1 to 168 (default 24), not '${bad}'.`);
    }
  });
});
