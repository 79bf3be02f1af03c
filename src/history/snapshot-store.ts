/**
 * The incremental observer's snapshot (the last observation and its delta tokens, docs/incremental.md)
 * in a blob beside the run history: `state/observation.json.gz` in the same container as run.lock and
 * runs/ (storage.ts CONTAINER_NAME).
 *
 * - gzip-compressed JSON. The snapshot takes about 4 kB of JSON per technician (40 MB for 10,000,
 *   measured on the demo tenant scaled to 2,000), and gzip shrinks it about 8 times. Stored as
 *   `application/gzip` with no Content-Encoding, so no client unzips it on the way and `load` always
 *   gets the raw bytes. `load` also accepts plain JSON (an operator may upload a hand-edited one).
 * - Apply runs write it only while they hold the run lock. Each save is also conditional on the blob
 *   being the one this store loaded (`If-Match` its ETag, or `If-None-Match: *` when there was none).
 *   So a run that lost the lock without noticing can never overwrite the next run's snapshot. A
 *   conflict rejects with SNAPSHOT_CONFLICT. The run then stops before it changes anything, and the
 *   next run reads from whichever snapshot won. Both are consistent, because data and tokens are
 *   always written together.
 * - The lock's AbortSignal (`signal`) cancels a save in flight once the lock is lost.
 * - `load` returns undefined when the blob is missing, does not unzip or parse, or has another
 *   format. The observer then does a full read and saves over it (the ETag of the unreadable blob is
 *   kept for that save).
 * - `clear` deletes the blob; an operator can do the same by hand to force a full read.
 * - The tokens are deltaLinks without secrets: the blob needs no protection beyond the run history's.
 */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { SNAPSHOT_FORMAT, type Snapshot, type SnapshotStore } from '../engine/incremental/index.js';
import { TransientError } from '../model/errors.js';
import { ensureContainer, statusOf } from './storage.js';

export const SNAPSHOT_BLOB_NAME = 'state/observation.json.gz';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export interface BlobSnapshotStoreOptions {
  /** The run lock's signal: a save still in flight is cancelled once the lock is lost. */
  signal?: AbortSignal;
  blobName?: string;
}

/** Only what `load` can check cheaply: the observer checks the settings hash and the age itself. */
function valid(value: unknown): Snapshot | undefined {
  const s = value as Partial<Snapshot> | null;
  return s && typeof s === 'object' && s.format === SNAPSHOT_FORMAT && s.observation && s.tokens && typeof s.fullReadAt === 'string' ? (s as Snapshot) : undefined;
}

async function decode(bytes: Buffer): Promise<Snapshot | undefined> {
  try {
    const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? (await gunzipAsync(bytes)).toString('utf8') : bytes.toString('utf8');
    return valid(JSON.parse(text));
  } catch {
    return undefined;
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** One snapshot per store object: make one per run, so the ETag it saves against is that run's own. */
export class BlobSnapshotStore implements SnapshotStore {
  private readonly blob: BlockBlobClient;
  /** The ETag of the blob `load` saw; null when there was none; undefined before `load`. */
  private etag: string | null | undefined;

  constructor(
    private readonly container: ContainerClient,
    private readonly options: BlobSnapshotStoreOptions = {},
  ) {
    this.blob = container.getBlockBlobClient(options.blobName ?? SNAPSHOT_BLOB_NAME);
  }

  async load(): Promise<Snapshot | undefined> {
    let bytes: Buffer;
    try {
      const response = await this.blob.download(0, undefined, this.abort());
      this.etag = response.etag ?? null;
      bytes = response.readableStreamBody ? await readAll(response.readableStreamBody) : Buffer.alloc(0);
    } catch (err) {
      // No container yet (nothing ever ran) or no snapshot.
      if (statusOf(err) === 404) {
        this.etag = null;
        return undefined;
      }
      throw err;
    }
    return decode(bytes);
  }

  async save(snapshot: Snapshot): Promise<void> {
    await ensureContainer(this.container);
    const body = await gzipAsync(Buffer.from(JSON.stringify(snapshot), 'utf8'));
    // Saved without a load (no observer does that): overwrite only a blob that is not there.
    const conditions = this.etag ? { ifMatch: this.etag } : { ifNoneMatch: '*' };
    try {
      const response = await this.blob.uploadData(body, {
        conditions,
        blobHTTPHeaders: { blobContentType: 'application/gzip' },
        metadata: { format: String(snapshot.format), takenat: snapshot.takenAt, fullreadat: snapshot.fullReadAt },
        ...this.abort(),
      });
      this.etag = response.etag ?? null;
    } catch (err) {
      const status = statusOf(err);
      if (status === 409 || status === 412) throw conflict(this.blob.name, { cause: err });
      throw err;
    }
  }

  async clear(): Promise<void> {
    await this.blob.deleteIfExists(this.abort());
    this.etag = null;
  }

  private abort(): { abortSignal?: AbortSignal } {
    return this.options.signal ? { abortSignal: this.options.signal } : {};
  }
}

/** A read-only view: dry runs read through the snapshot but never advance its tokens. */
export function readOnlySnapshots(store: SnapshotStore): SnapshotStore {
  return {
    load: () => store.load(),
    save: () => Promise.resolve(),
    clear: () => Promise.resolve(),
  };
}

function conflict(blobName: string, options: { cause: unknown }): TransientError {
  return new TransientError(
    'SNAPSHOT_CONFLICT',
    `The incremental snapshot (${blobName}) was replaced by another run while this run read the tenant; this run stopped before changing anything.`,
    'Nothing to do: the next run continues from the newer snapshot. If it repeats, check that only one Function App uses this storage account.',
    options,
  );
}
