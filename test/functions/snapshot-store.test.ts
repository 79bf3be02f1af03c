/**
 * BlobSnapshotStore against Azurite (src/history/snapshot-store.ts; the contract in
 * src/engine/incremental/snapshot-store.ts): a gzip blob beside the run history, saved only over the
 * blob it loaded (ETag), unreadable blobs read as "no snapshot", the lock's signal cancels a save.
 * Conditional writes: Learn "Specifying conditional headers for Blob service operations"
 * (If-Match → 412 on a changed blob; If-None-Match: * → 409 BlobAlreadyExists on a PUT over an existing blob).
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_FORMAT, type Snapshot } from '../../src/engine/incremental/index.js';
import { BlobSnapshotStore, readOnlySnapshots, SNAPSHOT_BLOB_NAME } from '../../src/history/snapshot-store.js';
import { startAzurite, type TestAzurite } from '../support/azurite.js';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

function snapshot(takenAt: string, contacts = 2): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    settingsHash: 'abc',
    fullReadAt: '2025-01-01T00:00:00.000Z',
    takenAt,
    observation: {
      observedAt: takenAt,
      contacts: Array.from({ length: contacts }, (_, i) => ({ contactid: `c-${i}`, fullname: `Technician ${i}`, emailaddress1: `t${i}@vendor.example` })),
      accounts: [],
      vendorCharacteristics: [],
      characteristics: [],
      ratingValues: [],
      users: [],
      groupMemberIds: [],
      subscribedSkus: [],
      systemUsers: [],
      bookableResources: [],
      resourceCharacteristics: [],
    } as unknown as Snapshot['observation'],
    tokens: {
      users: 'https://graph.example/v1.0/users/delta?$deltatoken=u1',
      groupMembers: null,
      contacts: 'https://org.example/api/data/v9.2/contacts?$deltatoken=1',
      vendorCharacteristics: 'v',
      systemUsers: 's',
      bookableResources: 'b',
      resourceCharacteristics: 'r',
    },
    missingUserIds: [],
  };
}

describe('BlobSnapshotStore', () => {
  it('loads nothing before the container exists; saves gzip JSON at state/observation.json.gz and loads it back', async () => {
    const container = azurite.container();
    const store = new BlobSnapshotStore(container);
    expect(await store.load()).toBeUndefined();
    const s = snapshot('2025-01-01T01:00:00.000Z', 500);
    await store.save(s);

    const blob = container.getBlockBlobClient(SNAPSHOT_BLOB_NAME);
    const props = await blob.getProperties();
    expect(props.contentType).toBe('application/gzip');
    expect(props.contentEncoding).toBeUndefined();
    expect(props.metadata).toEqual({ format: '1', takenat: s.takenAt, fullreadat: s.fullReadAt });
    const raw = await blob.downloadToBuffer();
    expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]);
    expect(JSON.parse(gunzipSync(raw).toString('utf8'))).toEqual(s);
    expect(raw.length).toBeLessThan(JSON.stringify(s).length / 5);

    expect(await new BlobSnapshotStore(container).load()).toEqual(s);
  });

  it('the same store saves again over its own save (its ETag follows)', async () => {
    const store = new BlobSnapshotStore(azurite.container());
    expect(await store.load()).toBeUndefined();
    await store.save(snapshot('2025-01-01T01:00:00.000Z'));
    await store.save(snapshot('2025-01-01T02:00:00.000Z'));
    expect((await store.load())?.takenAt).toBe('2025-01-01T02:00:00.000Z');
  });

  it.each([
    { body: Buffer.from('not json at all'), reason: 'bytes that are neither gzip nor JSON' },
    { body: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]), reason: 'a truncated gzip stream' },
    { body: Buffer.from(JSON.stringify({ ...snapshot('x'), format: 99 })), reason: 'another snapshot format' },
    { body: Buffer.from(JSON.stringify({ format: SNAPSHOT_FORMAT })), reason: 'a snapshot without observation or tokens' },
  ])('reads $reason as no snapshot, and the next save replaces it', async ({ body }) => {
    const container = azurite.container();
    await container.createIfNotExists();
    await container.getBlockBlobClient(SNAPSHOT_BLOB_NAME).uploadData(body);
    const store = new BlobSnapshotStore(container);
    expect(await store.load()).toBeUndefined();
    const s = snapshot('2025-01-01T03:00:00.000Z');
    await store.save(s);
    expect(await new BlobSnapshotStore(container).load()).toEqual(s);
  });

  it('accepts a plain (not gzipped) JSON snapshot, e.g. one an operator uploaded by hand', async () => {
    const container = azurite.container();
    await container.createIfNotExists();
    const s = snapshot('2025-01-01T04:00:00.000Z');
    await container.getBlockBlobClient(SNAPSHOT_BLOB_NAME).uploadData(Buffer.from(JSON.stringify(s)));
    expect(await new BlobSnapshotStore(container).load()).toEqual(s);
  });

  it('a store whose blob was replaced after its load refuses to save (412 → SNAPSHOT_CONFLICT) and leaves the other run\'s snapshot', async () => {
    const container = azurite.container();
    await new BlobSnapshotStore(container).save(snapshot('2025-01-01T05:00:00.000Z'));
    const a = new BlobSnapshotStore(container);
    const b = new BlobSnapshotStore(container);
    await a.load();
    await b.load();
    await b.save(snapshot('2025-01-01T06:00:00.000Z'));
    await expect(a.save(snapshot('2025-01-01T07:00:00.000Z'))).rejects.toMatchObject({ code: 'SNAPSHOT_CONFLICT', errorClass: 'transient' });
    expect((await new BlobSnapshotStore(container).load())?.takenAt).toBe('2025-01-01T06:00:00.000Z');
  });

  it('a store that found no blob refuses to save over one created meanwhile (If-None-Match: * → 409 → SNAPSHOT_CONFLICT)', async () => {
    const container = azurite.container();
    const a = new BlobSnapshotStore(container);
    expect(await a.load()).toBeUndefined();
    await new BlobSnapshotStore(container).save(snapshot('2025-01-01T08:00:00.000Z'));
    await expect(a.save(snapshot('2025-01-01T09:00:00.000Z'))).rejects.toMatchObject({ code: 'SNAPSHOT_CONFLICT' });
    expect((await new BlobSnapshotStore(container).load())?.takenAt).toBe('2025-01-01T08:00:00.000Z');
  });

  it('the lock\'s signal, once aborted, cancels the save: the stored snapshot stays as it was', async () => {
    const container = azurite.container();
    await new BlobSnapshotStore(container).save(snapshot('2025-01-01T10:00:00.000Z'));
    const controller = new AbortController();
    const store = new BlobSnapshotStore(container, { signal: controller.signal });
    await store.load();
    controller.abort(new Error('lock lost'));
    await expect(store.save(snapshot('2025-01-01T11:00:00.000Z'))).rejects.toThrow();
    expect((await new BlobSnapshotStore(container).load())?.takenAt).toBe('2025-01-01T10:00:00.000Z');
  });

  it('clear deletes the blob (twice is fine); the read-only view loads but never writes', async () => {
    const container = azurite.container();
    const store = new BlobSnapshotStore(container);
    await store.save(snapshot('2025-01-01T12:00:00.000Z'));
    const view = readOnlySnapshots(new BlobSnapshotStore(container));
    expect((await view.load())?.takenAt).toBe('2025-01-01T12:00:00.000Z');
    await view.save(snapshot('2025-01-01T13:00:00.000Z'));
    await view.clear();
    expect((await store.load())?.takenAt).toBe('2025-01-01T12:00:00.000Z');

    await store.clear();
    await store.clear();
    expect(await container.getBlockBlobClient(SNAPSHOT_BLOB_NAME).exists()).toBe(false);
    expect(await new BlobSnapshotStore(container).load()).toBeUndefined();
  });
});
