/**
 * Dataverse rows held by the simulator: one table per entity set, each row a plain object of logical
 * column names (lookups as `_x_value`), plus a version number per row that backs `@odata.etag`
 * (W/"<version>") and increases on every write, as Dataverse's versionnumber does.
 */

export type Row = Record<string, unknown>;

/** Entity set name → primary key column (`contacts` → `contactid`). */
export function primaryKeyOf(entitySet: string): string {
  return `${logicalNameOf(entitySet)}id`;
}

/** Sets whose name is not the logical name plus `s` (bookingstatus → bookingstatuses). */
const IRREGULAR_SETS: Record<string, string> = { bookingstatuses: 'bookingstatus' };

/** Entity set name → logical name: the logical name plus `s`, but for IRREGULAR_SETS. */
export function logicalNameOf(entitySet: string): string {
  const irregular = IRREGULAR_SETS[entitySet];
  if (irregular) return irregular;
  return entitySet.endsWith('s') ? entitySet.slice(0, -1) : entitySet;
}

export class DataverseStore {
  private readonly tables = new Map<string, Map<string, Row>>();
  private readonly versions = new Map<string, number>();
  /** Per table: bumped on every insert, update, delete or restore (query caches compare it). */
  private readonly generations = new Map<string, number>();
  private versionCounter = 1000;
  /** Per table: deleted row id → the version its deletion got (change tracking's $deletedEntity rows). */
  private readonly tombstones = new Map<string, Map<string, number>>();

  constructor(initial: Record<string, Row[]> = {}) {
    for (const [set, rows] of Object.entries(initial)) {
      for (const row of rows) this.insert(set, { ...row });
    }
  }

  entitySets(): string[] {
    return [...this.tables.keys()];
  }

  table(entitySet: string): Map<string, Row> {
    let t = this.tables.get(entitySet);
    if (!t) {
      t = new Map();
      this.tables.set(entitySet, t);
    }
    return t;
  }

  get(entitySet: string, id: string): Row | undefined {
    return this.tables.get(entitySet)?.get(id.toLowerCase());
  }

  /** Inserts a row; its primary key must be set (lower-cased GUID). Returns the stored row. */
  insert(entitySet: string, row: Row): Row {
    const pk = primaryKeyOf(entitySet);
    const id = String(row[pk] ?? '').toLowerCase();
    if (id === '') throw new Error(`row for ${entitySet} has no ${pk}`);
    const stored = { ...row, [pk]: id };
    this.table(entitySet).set(id, stored);
    this.tombstones.get(entitySet)?.delete(id);
    this.bump(entitySet, id);
    return stored;
  }

  /** Merges `patch` into an existing row and bumps its version. Returns the row, or undefined. */
  update(entitySet: string, id: string, patch: Row): Row | undefined {
    const row = this.get(entitySet, id);
    if (!row) return undefined;
    Object.assign(row, patch);
    this.bump(entitySet, id);
    return row;
  }

  delete(entitySet: string, id: string): boolean {
    const deleted = this.tables.get(entitySet)?.delete(id.toLowerCase()) ?? false;
    if (deleted) {
      this.versions.delete(`${entitySet}/${id.toLowerCase()}`);
      this.tombstone(entitySet, id.toLowerCase());
      this.touch(entitySet);
    }
    return deleted;
  }

  /**
   * Puts a row back exactly as it was (or removes it when `row` is undefined), with its old version:
   * rolls back a $batch change set.
   */
  restore(entitySet: string, id: string, row: Row | undefined, version: number): void {
    const key = id.toLowerCase();
    if (row === undefined) {
      // Undoing a create: a change-tracking reader may have seen the row, so it leaves a tombstone.
      if (this.tables.get(entitySet)?.delete(key)) this.tombstone(entitySet, key);
      this.versions.delete(`${entitySet}/${key}`);
    } else {
      this.table(entitySet).set(key, row);
      this.versions.set(`${entitySet}/${key}`, version);
      this.tombstones.get(entitySet)?.delete(key);
    }
    this.touch(entitySet);
  }

  /** Changes whenever a row of the table is written through this store. */
  generation(entitySet: string): number {
    return this.generations.get(entitySet) ?? 0;
  }

  version(entitySet: string, id: string): number {
    return this.versions.get(`${entitySet}/${id.toLowerCase()}`) ?? 0;
  }

  etag(entitySet: string, id: string): string {
    return `W/"${this.version(entitySet, id)}"`;
  }

  /** The current highest version across all tables (change tracking uses it as a watermark). */
  currentVersion(): number {
    return this.versionCounter;
  }

  /** Rows deleted from the table: id → version of the deletion (for change tracking). */
  deletedRows(entitySet: string): ReadonlyMap<string, number> {
    return this.tombstones.get(entitySet) ?? new Map<string, number>();
  }

  /** All rows in fixture shape (no etags), for GET /_sim/state. */
  toJSON(): Record<string, Row[]> {
    const out: Record<string, Row[]> = {};
    for (const [set, t] of this.tables) out[set] = [...t.values()].map((r) => ({ ...r }));
    return out;
  }

  private bump(entitySet: string, id: string): void {
    this.versionCounter += 1;
    this.versions.set(`${entitySet}/${id}`, this.versionCounter);
    this.touch(entitySet);
  }

  private tombstone(entitySet: string, id: string): void {
    let t = this.tombstones.get(entitySet);
    if (!t) this.tombstones.set(entitySet, (t = new Map()));
    this.versionCounter += 1;
    t.set(id, this.versionCounter);
  }

  private touch(entitySet: string): void {
    this.generations.set(entitySet, (this.generations.get(entitySet) ?? 0) + 1);
  }
}
