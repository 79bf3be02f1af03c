/**
 * Where the incremental observer keeps what the last run saw: the Observation it returned and the
 * delta tokens (deltaLinks) to read the next changes from. One snapshot per tenant; it is replaced
 * as a whole after every observation, so the data and the tokens never disagree.
 *
 * Implementations: MemorySnapshotStore (tests, one process), FileSnapshotStore (the CLI, a JSON file).
 *
 * The Functions app keeps it in blob storage beside the run history: BlobSnapshotStore
 * (src/history/snapshot-store.ts) writes `state/observation.json.gz` in the run-history container,
 * gzipped, with an ETag condition; a blob that is missing or does not parse loads as no snapshot, so
 * the observer does a full read. Deleting the blob by hand forces a full read.
 * - Tokens are bearer-free URLs (no secrets): the blob needs no extra protection beyond the run history's.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Observation } from '../../model/observation.js';

export const SNAPSHOT_FORMAT = 1;

/**
 * The deltaLinks of the last observation: one per tracked table of the configured families, under
 * the table's name (the technicians' `delta` and `change-tracked` tables of
 * reconcilers/technicians/tables.ts: `users`, `contacts`, `vendorCharacteristics`, `systemUsers`,
 * `bookableResources`, `resourceCharacteristics`; one token per table however many families declare
 * it), and each family's own tokens (the technicians': `groupMembers`, the technician group's
 * members, null when the group did not exist).
 */
export type DeltaTokens = Record<string, string | null>;

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** settingsHash() of the settings and read shapes the snapshot was taken with. */
  settingsHash: string;
  /** When the last full read happened (ISO 8601); FULL_RESYNC_HOURS counts from here. */
  fullReadAt: string;
  /** When this snapshot was taken (ISO 8601). */
  takenAt: string;
  observation: Observation;
  tokens: DeltaTokens;
  /** Anchored users looked up by id that did not exist (not looked up again until a delta names them). */
  missingUserIds: string[];
}

export interface SnapshotStore {
  load(): Promise<Snapshot | undefined>;
  save(snapshot: Snapshot): Promise<void>;
  clear(): Promise<void>;
}

function valid(value: unknown): Snapshot | undefined {
  const s = value as Partial<Snapshot> | null;
  return s && s.format === SNAPSHOT_FORMAT && s.observation && s.tokens ? (s as Snapshot) : undefined;
}

/** Keeps a deep copy, so a caller mutating the observation never changes the stored snapshot. */
export class MemorySnapshotStore implements SnapshotStore {
  private snapshot: Snapshot | undefined;

  load(): Promise<Snapshot | undefined> {
    return Promise.resolve(this.snapshot ? structuredClone(this.snapshot) : undefined);
  }

  save(snapshot: Snapshot): Promise<void> {
    this.snapshot = structuredClone(snapshot);
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.snapshot = undefined;
    return Promise.resolve();
  }
}

/** One JSON file, written to a temporary name and renamed, so a crash never leaves half a snapshot. */
export class FileSnapshotStore implements SnapshotStore {
  constructor(private readonly path: string) {}

  async load(): Promise<Snapshot | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return valid(JSON.parse(text));
    } catch {
      return undefined;
    }
  }

  async save(snapshot: Snapshot): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(snapshot));
    await rename(tmp, this.path);
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
