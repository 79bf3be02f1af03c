/**
 * A table a family reads, declared once (docs/incremental.md, "Where the tables are declared"):
 * which service holds it, its path, key and columns, the server-side filter of the bulk read, and
 * how the incremental observer keeps it current. The bulk read (src/engine/observe.ts), the
 * incremental read and its tokens, the merge and the settings hash
 * (src/engine/incremental/) all work from these declarations, so a column or filter lives in one
 * place.
 *
 * The filter is a small expression tree rather than a string because it is used twice: rendered as
 * the OData `$filter` of the bulk read, and evaluated on the client where the service cannot filter
 * (Dataverse change tracking refuses `$filter`, so a tracked read returns the whole table and the
 * observer keeps the rows the bulk read would have returned). One tree keeps the two from drifting.
 */

/** A literal a filter compares with. Dataverse GUIDs are unquoted in OData and are not needed yet. */
export type FilterValue = null | boolean | number | string;

export interface Comparison {
  kind: 'eq' | 'ne';
  column: string;
  value: FilterValue;
}

export interface Logical {
  kind: 'and' | 'or';
  of: readonly Filter[];
}

export type Filter = Comparison | Logical;

const isLogical = (f: Filter): f is Logical => f.kind === 'and' || f.kind === 'or';

/**
 * - `change-tracked`: Dataverse change tracking (`Prefer: odata.track-changes`); the full read takes
 *   the whole table with its deltaLink, the filter is applied on the client.
 * - `delta`: a Graph delta query (`<path>/delta`); the full read takes a `$deltatoken=latest` token
 *   first and then reads the table with its filter.
 * - `full`: no token; read again, with its filter, on every run (cheap tables).
 */
export type ReadMode = 'change-tracked' | 'delta' | 'full';

export type Service = 'graph' | 'dataverse';

/**
 * `Row` only types the rows read for the table (rowsOf); nothing checks it at run time.
 * `columns: null` sends no `$select` (the service's default properties; Graph only).
 */
export interface Table<Row extends object = object> {
  /**
   * Unique across families: two families that declare the same name share one read (unionTables).
   * Also the name of the table's delta token in the snapshot.
   */
  readonly name: string;
  readonly service: Service;
  /** The Dataverse entity set (`contacts`) or the Graph collection path (`/users`). */
  readonly path: string;
  /** The primary key column: rows are merged and sorted by it. */
  readonly key: string;
  readonly columns: readonly string[] | null;
  readonly filter?: Filter;
  readonly mode: ReadMode;
  /** Graph `$top` of the bulk read; Dataverse pages by the `Prefer` header instead. */
  readonly top?: number;
  /** The Observation field the table's rows fill (src/model/observation.ts). */
  readonly field: string;
  /** Type only; never set. */
  readonly __row?: Row;
}

export const eq = (column: string, value: FilterValue): Filter => ({ kind: 'eq', column, value });
export const ne = (column: string, value: FilterValue): Filter => ({ kind: 'ne', column, value });
// At least one operand: an empty `or` would render as an empty $filter.
export const or = (first: Filter, ...rest: Filter[]): Filter => ({ kind: 'or', of: [first, ...rest] });
export const and = (first: Filter, ...rest: Filter[]): Filter => ({ kind: 'and', of: [first, ...rest] });

function literal(value: FilterValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return String(value);
}

/**
 * The OData `$filter` text. A nested `and`/`or` of the other kind is parenthesised, one of the
 * same kind is not (the operators are associative), so today's flat filters render unchanged.
 */
export function renderFilter(filter: Filter): string {
  if (!isLogical(filter)) return `${filter.column} ${filter.kind} ${literal(filter.value)}`;
  const kind = filter.kind;
  return filter.of.map((f) => (isLogical(f) && f.kind !== kind ? `(${renderFilter(f)})` : renderFilter(f))).join(` ${kind} `);
}

const isNull = (v: unknown): boolean => v === null || v === undefined;
const comparable = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);

/**
 * The filter as a row predicate, with the services' semantics: a missing property is null; strings
 * compare case-insensitively (Dataverse filter-rows.md; Graph's `eq` on directory strings); a
 * comparison of a null column with anything but `null` is false for `eq` and `ne` alike (SQL `<>`
 * leaves out nulls, as the simulator's Dataverse filter does). No filter keeps every row.
 */
export function rowPredicate<Row extends object>(filter: Filter | undefined): (row: Row) => boolean {
  if (filter === undefined) return () => true;
  if (isLogical(filter)) {
    const parts = filter.of.map((f) => rowPredicate<Row>(f));
    return filter.kind === 'and' ? (row) => parts.every((p) => p(row)) : (row) => parts.some((p) => p(row));
  }
  const { column, value, kind } = filter;
  if (value === null) return kind === 'eq' ? (row) => isNull(cell(row, column)) : (row) => !isNull(cell(row, column));
  const want = comparable(value);
  return (row) => {
    const v = cell(row, column);
    if (isNull(v)) return false;
    return (comparable(v) === want) === (kind === 'eq');
  };
}

function cell(row: object, column: string): unknown {
  return (row as Record<string, unknown>)[column];
}

/** The table's rows in a read's result, typed by the declaration. */
export type TableRows = ReadonlyMap<string, readonly object[]>;

export function rowsOf<Row extends object>(rows: TableRows, table: Table<Row>): Row[] {
  const found = rows.get(table.name);
  if (!found) throw new Error(`table ${table.name} was not read`);
  return found as Row[];
}
