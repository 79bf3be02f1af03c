/**
 * The fingerprint a snapshot is valid for. Any change forces a full read:
 * - every setting (the tenant URLs, the technician group, the SKU, defaults and guard settings all
 *   shape what is read or how it is planned; hashing all of them is simpler and safe), and
 * - the shape of the tracked reads: path, key, columns, filter and read mode of every table with a
 *   token, from the table declarations (src/engine/tables/registry.ts trackedShapes). A deltaLink
 *   carries the $select it was opened with, so a release that reads a new column must start over
 *   from a full read.
 */
import { createHash } from 'node:crypto';
import type { Settings } from '../../config.js';
import { trackedShapes } from '../tables/registry.js';
import type { Table } from '../tables/table.js';
import { SNAPSHOT_FORMAT } from './snapshot-store.js';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/** `tables`: the declarations read, the union of the configured families' (src/engine/observe.ts tablesOf). */
export function settingsHash(settings: Settings, tables: readonly Table[]): string {
  const reads = { format: SNAPSHOT_FORMAT, tables: trackedShapes(tables) };
  return createHash('sha256').update(JSON.stringify(canonical({ settings, reads }))).digest('hex');
}
