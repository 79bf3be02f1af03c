/**
 * IncrementalObserver: the hourly run reads only what changed since the last run (docs/incremental.md).
 *
 * The core keeps the snapshot (snapshot-store.ts), fingerprints the settings and the shapes of the
 * tables every configured family declares (settings-hash.ts), and decides between a full read (no
 * snapshot, snapshot older than FULL_RESYNC_HOURS, settings or read shapes changed, a token refused,
 * or a family's own reason such as the technician group appearing) and an incremental one. It reads
 * the union of the families' tables once, each tracked table with one token (shared-read.ts), and
 * hands each family its rows; each family builds its part of the observation from them plus its own
 * lookups and tokens (Family.incremental, family-reads.ts; the technicians':
 * reconcilers/technicians/incremental.ts). Either way the observation and the new tokens are saved
 * before the observation is returned.
 */
import type { DataverseApi, GraphApi } from '../../clients/types.js';
import type { Settings } from '../../config.js';
import type { Observation } from '../../model/observation.js';
import type { ConfiguredFamily, Family } from '../family.js';
import { baseObservation, tablesOf } from '../observe.js';
import type { Observer } from '../seams.js';
import type { TableServices } from '../tables/read.js';
import type { Table } from '../tables/table.js';
import type { FamilyRead, IncrementalReads } from './family-reads.js';
import { settingsHash } from './settings-hash.js';
import { followTables, missingToken, openTableTokens, readAllWhole, refusals, roundFor, roundTokens } from './shared-read.js';
import { SNAPSHOT_FORMAT, type DeltaTokens, type Snapshot, type SnapshotStore } from './snapshot-store.js';

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

/** The longest FULL_RESYNC_HOURS: a week. Change tracking keeps changes for a limited time, so a longer gap only risks an expired token. */
export const MAX_FULL_RESYNC_HOURS = 168;

/** FULL_RESYNC_HOURS from the environment: whole hours from 1 to 168, default 24. */
export function fullResyncHoursFrom(env: Record<string, string | undefined>): number {
  const raw = env.FULL_RESYNC_HOURS?.trim();
  if (!raw) return DEFAULT_FULL_RESYNC_HOURS;
  // Digits only: Number() would also read "1e3" as 1000 and "0.0001" as a read every 0.4 s.
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_FULL_RESYNC_HOURS) throw new Error(`FULL_RESYNC_HOURS must be a whole number of hours from 1 to ${MAX_FULL_RESYNC_HOURS} (default 24), not '${raw}'.`);
  return n;
}

/** A configured family with its incremental reads. */
interface Reader {
  family: Family;
  reads: IncrementalReads<unknown>;
  settings: unknown;
}

function readersOf(families: readonly ConfiguredFamily[]): Reader[] {
  return families.map(({ family, settings }) => {
    if (!family.incremental) throw new Error(`the ${family.name} family has no incremental reads`);
    return { family, reads: family.incremental, settings };
  });
}

/** A promise a family may return without awaiting (it gave up early): its rejection is still the run's, via the original. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

type Read = Pick<Snapshot, 'observation' | 'tokens' | 'missingUserIds'>;

/** The families' parts over the core's, their tokens beside the tables', their missing ids together. */
function compose(at: Date, reads: readonly FamilyRead[], tableTokens: DeltaTokens): Read {
  const tokens: DeltaTokens = {};
  for (const r of reads) Object.assign(tokens, r.tokens);
  Object.assign(tokens, tableTokens);
  // Each family's part completes the fields it declared; the type cannot see that, hence the assertion.
  const observation = Object.assign(baseObservation(at), ...reads.map((r) => r.part)) as Observation;
  return { observation, tokens, missingUserIds: [...new Set(reads.flatMap((r) => r.missingUserIds))].sort() };
}

async function fullRead(services: TableServices, tables: readonly Table[], readers: readonly Reader[], core: Settings, at: Date): Promise<Read> {
  // Every token before any table is read: a change made while the tables page comes again next time.
  const [tableTokens, ...own] = await Promise.all([openTableTokens(services, tables), ...readers.map((r) => r.reads.openTokens(services, r.settings))]);
  const whole = readAllWhole(services, tables);
  const rows = handled(whole.then((w) => w.rows));
  const [read, ...parts] = await Promise.all([whole, ...readers.map((r) => r.reads.fullRead(rows, services, r.settings, core, at))]);
  const withOwn = parts.map((p, i) => ({ ...p, tokens: { ...own[i], ...p.tokens } }));
  return compose(at, withOwn, { ...tableTokens, ...read.tokens });
}

/** The merged snapshot, or why a full read is needed instead (a token missing or refused, a family's reason). */
async function incrementalRead(services: TableServices, tables: readonly Table[], readers: readonly Reader[], core: Settings, snapshot: Snapshot, at: Date): Promise<Read | string> {
  const missing = missingToken(tables, snapshot.tokens);
  if (missing !== null) return `no ${missing} token`;
  const round = followTables(services, tables, snapshot.tokens);
  const [tablesRound, ...reads] = await Promise.all([
    round,
    ...readers.map((r) => r.reads.incrementalRead(handled(round.then((t) => roundFor(t, r.family, r.reads, snapshot))), services, r.settings, core, snapshot, at)),
  ]);
  const why = reads.find((r): r is string => typeof r === 'string');
  if (why !== undefined) return why;
  const [refused] = refusals(tablesRound);
  if (refused) return `the ${refused.table} token was refused (${refused.reason})`;
  return compose(at, reads as FamilyRead[], roundTokens(tablesRound));
}

export class IncrementalObserver implements Observer {
  last: ObservationMode | undefined;

  constructor(private readonly options: IncrementalObserverOptions) {}

  async observe(graph: GraphApi, dataverse: DataverseApi, settings: Settings, now: Date, families: readonly ConfiguredFamily[]): Promise<Observation> {
    const at = this.options.now?.() ?? now;
    const services = { graph, dataverse };
    const tables = tablesOf(families);
    const readers = readersOf(families);
    const hash = settingsHash(settings, tables);
    const full = async (): Promise<Snapshot> => {
      const iso = at.toISOString();
      return { format: SNAPSHOT_FORMAT, settingsHash: hash, fullReadAt: iso, takenAt: iso, ...(await fullRead(services, tables, readers, settings, at)) };
    };
    const snapshot = await this.options.store.load();
    const stale = this.whyFull(snapshot, hash, at);
    let result: { snapshot: Snapshot; mode: ObservationMode };
    if (stale !== null || !snapshot) {
      result = { snapshot: await full(), mode: { mode: 'full', reason: stale ?? 'no snapshot' } };
    } else {
      const incremental = await incrementalRead(services, tables, readers, settings, snapshot, at);
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
