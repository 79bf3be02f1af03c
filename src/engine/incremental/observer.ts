/**
 * IncrementalObserver: the hourly run reads only what changed since the last run (docs/incremental.md).
 *
 * The core's part is generic: it keeps the snapshot (snapshot-store.ts), fingerprints the settings
 * and the shapes of the tables every configured family declares (settings-hash.ts), and decides
 * between a full read (no snapshot, snapshot older than FULL_RESYNC_HOURS, settings or read shapes
 * changed, a token refused, or the family's own reason such as the technician group appearing) and
 * an incremental one. The reads themselves are the family's (Family.incremental,
 * src/engine/incremental/family-reads.ts; the technicians': reconcilers/technicians/incremental.ts),
 * over the union of the families' tables and with the generic table reads and merges of
 * tracked-read.ts and merge.ts. Either way the observation and the new tokens are saved before the
 * observation is returned.
 */
import type { DataverseApi, GraphApi } from '../../clients/types.js';
import type { Settings } from '../../config.js';
import type { Observation } from '../../model/observation.js';
import type { ConfiguredFamily } from '../family.js';
import { tablesOf } from '../observe.js';
import type { Observer } from '../seams.js';
import type { IncrementalRead, IncrementalReads } from './family-reads.js';
import { settingsHash } from './settings-hash.js';
import { SNAPSHOT_FORMAT, type Snapshot, type SnapshotStore } from './snapshot-store.js';

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

/** The one configured family that reads incrementally, with its settings. */
function incrementalFamily(families: readonly ConfiguredFamily[]): { reads: IncrementalReads<unknown>; settings: unknown } {
  if (families.length !== 1) throw new Error(`the incremental observer reads for one family; ${families.length} are configured (${families.map((f) => f.family.name).join(', ')})`);
  const [only] = families as [ConfiguredFamily];
  if (!only.family.incremental) throw new Error(`the ${only.family.name} family has no incremental reads`);
  return { reads: only.family.incremental, settings: only.settings };
}

export class IncrementalObserver implements Observer {
  last: ObservationMode | undefined;

  constructor(private readonly options: IncrementalObserverOptions) {}

  async observe(graph: GraphApi, dataverse: DataverseApi, settings: Settings, now: Date, families: readonly ConfiguredFamily[]): Promise<Observation> {
    const at = this.options.now?.() ?? now;
    const services = { graph, dataverse };
    const tables = tablesOf(families);
    const { reads, settings: own } = incrementalFamily(families);
    const hash = settingsHash(settings, tables);
    const full = async (): Promise<Snapshot> => {
      const iso = at.toISOString();
      return { format: SNAPSHOT_FORMAT, settingsHash: hash, fullReadAt: iso, takenAt: iso, ...(await reads.fullRead(services, tables, own, settings, at)) };
    };
    const snapshot = await this.options.store.load();
    const stale = this.whyFull(snapshot, hash, at);
    let result: { snapshot: Snapshot; mode: ObservationMode };
    if (stale !== null || !snapshot) {
      result = { snapshot: await full(), mode: { mode: 'full', reason: stale ?? 'no snapshot' } };
    } else {
      const incremental: IncrementalRead | string = await reads.incrementalRead(services, tables, own, settings, snapshot, at);
      result =
        typeof incremental === 'string'
          ? { snapshot: await full(), mode: { mode: 'full', reason: incremental } }
          : { snapshot: { ...snapshot, takenAt: at.toISOString(), ...incremental }, mode: { mode: 'incremental', reason: `changes since ${snapshot.takenAt}` } };
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
