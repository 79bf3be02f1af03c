/**
 * What a family gives the incremental observer (src/engine/incremental/observer.ts): how it reads
 * the tables every configured family declares, and its own lookups, on a full read and from saved
 * tokens. The core keeps the snapshot, its settings hash and the choice between the two reads; the
 * family knows which lookups its observation needs (the technicians': group members, accounts,
 * anchored users) and how a delta of its lookups merges (reconcilers/technicians/incremental.ts).
 *
 * Only one configured family can read incrementally today (the observer refuses more): composing
 * two families' delta reads over shared tables is left to the first second family.
 */
import type { Settings } from '../../config.js';
import type { TableServices } from '../tables/read.js';
import type { Table } from '../tables/table.js';
import type { Snapshot } from './snapshot-store.js';

/** What a read gives the snapshot: the observation, the tokens and the ids looked up in vain. */
export type IncrementalRead = Pick<Snapshot, 'observation' | 'tokens' | 'missingUserIds'>;

export interface IncrementalReads<S> {
  /** Every table whole with a token for each tracked one, and the lookups. */
  fullRead(services: TableServices, tables: readonly Table[], settings: S, core: Settings, at: Date): Promise<IncrementalRead>;
  /** The snapshot with the changes since its tokens merged in, or why a full read is needed instead. */
  incrementalRead(services: TableServices, tables: readonly Table[], settings: S, core: Settings, snapshot: Snapshot, at: Date): Promise<IncrementalRead | string>;
}
