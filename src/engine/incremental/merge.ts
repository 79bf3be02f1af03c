/**
 * Pure merges of one round of changes into the last snapshot, for any declared table. Each must
 * leave the snapshot equal to what the bulk read (src/engine/observe.ts) would read now
 * (test/unit/incremental/merge.test.ts, and the property test in
 * test/integration/incremental-equivalence.test.ts):
 *
 * - Dataverse tables: a changed row replaces the stored one when it passes the same filter the bulk
 *   read applies on the server (the table's declared filter as a row predicate,
 *   src/engine/tables/table.ts), and is dropped when it no longer does; a `$deletedEntity` drops the
 *   row. The observer merges each family's rows of a shared table with that family's key column and
 *   predicate (shared-read.ts roundFor), so each keeps the rows its own filter keeps.
 *
 * The merges of a family's own lookups (the technicians' users and group members) are the family's:
 * reconcilers/technicians/incremental-merge.ts.
 */
import { isDeletedEntity } from './tracked-read.js';

type Keyed = object;

function keyOf(row: Keyed, pk: string): string {
  return String((row as Record<string, unknown>)[pk]).toLowerCase();
}

/** Sorted by primary key, so merged and freshly read collections compare equal. */
export function byKey<T extends Keyed>(rows: T[], pk: string): T[] {
  return [...rows].sort((a, b) => (keyOf(a, pk) < keyOf(b, pk) ? -1 : keyOf(a, pk) > keyOf(b, pk) ? 1 : 0));
}

/** Applies a Dataverse change-tracking round to a table's rows. */
export function mergeRows<T extends Keyed>(rows: T[], changes: unknown[], pk: string, keep: (row: T) => boolean): T[] {
  const map = new Map(rows.map((r) => [keyOf(r, pk), r]));
  for (const change of changes) {
    if (isDeletedEntity(change)) {
      map.delete(change.id.toLowerCase());
      continue;
    }
    const row = change as T;
    if (keep(row)) map.set(keyOf(row, pk), row);
    else map.delete(keyOf(row, pk));
  }
  return byKey([...map.values()], pk);
}

/** Full-read rows filtered on the client, as the server-side filter of the bulk read would. */
export function filterRows<T extends Keyed>(rows: T[], pk: string, keep: (row: T) => boolean): T[] {
  return byKey(rows.filter(keep), pk);
}
