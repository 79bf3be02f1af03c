/**
 * The tables of a run: the union of what each family declares (two families naming the same table
 * share one read), which of them carry a delta token, and the shape the snapshot is valid for.
 */
import { or, renderFilter, rowPredicate, rowsOf, type Filter, type Table, type TableRows } from './table.js';

/** What two declarations of one table must agree on to share a read. */
const MUST_AGREE = ['service', 'path', 'key', 'mode', 'field', 'top'] as const;

function sameFilter(a: Filter, b: Filter): boolean {
  return renderFilter(a) === renderFilter(b);
}

/**
 * One table from two declarations of it: the columns of both (the first's order, then the
 * second's new ones), and rows either filter keeps (no filter when either has none). Each family
 * then keeps its own rows with rowsFor. Declarations that disagree on where or how the table is
 * read are a programming error: thrown, so it shows in the first test run.
 */
function merge(a: Table, b: Table): Table {
  for (const p of MUST_AGREE) {
    if (a[p] !== b[p]) throw new Error(`table ${a.name} is declared twice with a different ${p} (${String(a[p])}, ${String(b[p])})`);
  }
  if ((a.columns === null) !== (b.columns === null)) throw new Error(`table ${a.name} is declared twice, once without $select`);
  const first = a.columns;
  const columns = first === null || b.columns === null ? null : [...first, ...b.columns.filter((c) => !first.includes(c))];
  const filter = a.filter === undefined || b.filter === undefined ? undefined : sameFilter(a.filter, b.filter) ? a.filter : or(a.filter, b.filter);
  const { filter: _dropped, ...rest } = a;
  return filter === undefined ? { ...rest, columns } : { ...rest, columns, filter };
}

/** The tables several families need, each read once, in the order they are first declared. */
export function unionTables(families: readonly (readonly Table[])[]): Table[] {
  const byName = new Map<string, Table>();
  for (const tables of families) {
    for (const t of tables) {
      const seen = byName.get(t.name);
      byName.set(t.name, seen ? merge(seen, t) : t);
    }
  }
  return [...byName.values()];
}

/** A family's rows of a shared table: those its own declaration's filter keeps. */
export function rowsFor<Row extends object>(rows: TableRows, table: Table<Row>): Row[] {
  return rowsOf(rows, table).filter(rowPredicate<Row>(table.filter));
}

/** Tables the incremental observer keeps a token for (Graph delta and Dataverse change tracking). */
export function trackedTables(tables: readonly Table[]): Table[] {
  return tables.filter((t) => t.mode !== 'full');
}

/**
 * What a saved token depends on, per tracked table: a deltaLink keeps the `$select` it was opened
 * with and the rows it returns are merged by key and filter, so a release that changes any of these
 * must start over from a full read. Tables read in full every run are left out: their shape never
 * outlives the run.
 */
export function trackedShapes(tables: readonly Table[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const t of trackedTables(tables)) {
    out[t.name] = { service: t.service, path: t.path, key: t.key, mode: t.mode, columns: t.columns, filter: t.filter === undefined ? null : renderFilter(t.filter) };
  }
  return out;
}
