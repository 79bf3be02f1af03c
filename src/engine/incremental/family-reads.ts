/**
 * What a family gives the incremental observer (src/engine/incremental/observer.ts). The core reads
 * the union of every configured family's tables once (shared-read.ts): one delta token per tracked
 * table, followed once per run whatever number of families declare it, and each change-tracked
 * table's changes merged into every family's own rows of it with that family's declaration (its key
 * and filter). A family builds its part of the observation from those rows plus its own lookups, and
 * keeps tokens of its own beside the tables' (the technicians: the technician group's members;
 * reconcilers/technicians/incremental.ts).
 *
 * Graph delta tables are handed over as the round's raw changes: a delta answer leaves out
 * properties that did not change and the rows the snapshot holds for such a table are the family's
 * business (the technicians keep anchored non-guests beside the guests), so the family that declares
 * the table merges them.
 */
import type { Settings } from '../../config.js';
import type { ObservationPart } from '../family.js';
import type { TableServices } from '../tables/read.js';
import type { TableRows } from '../tables/table.js';
import type { DeltaTokens, Snapshot } from './snapshot-store.js';

/** What a family's read adds to the snapshot: its observation part, its own tokens, the ids it looked up in vain. */
export interface FamilyRead {
  part: ObservationPart;
  tokens: DeltaTokens;
  missingUserIds: string[];
}

/** A tracked table whose saved token the service refused. */
export interface Refusal {
  table: string;
  mode: 'delta' | 'change-tracked';
  reason: string;
}

/** An incremental round of the shared tables, as one family sees it. */
export type SharedRound =
  /** `rows`: the family's own rows of its change-tracked and `full` tables; `changes`: every tracked table's round. */
  | { ok: true; rows: TableRows; changes: ReadonlyMap<string, readonly unknown[]> }
  | { ok: false; refused: Refusal[] };

export interface IncrementalReads<S> {
  /**
   * Full read, before any table is read: the family's own tokens, taken first so a change made
   * while the tables page comes again in the next delta.
   */
  openTokens(services: TableServices, settings: S): Promise<DeltaTokens>;
  /** Its part from the full read's rows (every table whole, filtered as the bulk read filters). */
  fullRead(rows: Promise<TableRows>, services: TableServices, settings: S, core: Settings, at: Date): Promise<FamilyRead>;
  /**
   * Its part from the shared round: its rows of each change-tracked table with the changes merged,
   * the `full` tables read again, the delta tables' raw changes; or why a full read is needed.
   */
  incrementalRead(shared: Promise<SharedRound>, services: TableServices, settings: S, core: Settings, snapshot: Snapshot, at: Date): Promise<FamilyRead | string>;
  /** Its rows of its change-tracked tables in the snapshot's observation, by table name: what the changes merge into. */
  snapshotRows(snapshot: Snapshot): TableRows;
}
