/** The incremental observer (docs/incremental.md): delta queries and change tracking over a saved snapshot. */
export { createIncrementalObserver, DEFAULT_FULL_RESYNC_HOURS, fullResyncHoursFrom, IncrementalObserver } from './observer.js';
export type { IncrementalObserverOptions, ObservationMode } from './observer.js';
export type { FamilyRead, IncrementalReads, Refusal, SharedRound } from './family-reads.js';
export { FileSnapshotStore, MemorySnapshotStore, SNAPSHOT_FORMAT } from './snapshot-store.js';
export type { DeltaTokens, Snapshot, SnapshotStore } from './snapshot-store.js';
export { settingsHash } from './settings-hash.js';
