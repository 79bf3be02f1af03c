/**
 * The bulk read of declared tables: one paged `list` per table, with its `$select` and its filter
 * rendered as `$filter`, all at once (each client bounds its own concurrency). The request URLs are
 * exactly those the bulk read sent before the tables were declared (test/unit/engine/tables/read.test.ts).
 */
import type { DataverseApi, GraphApi } from '../../clients/types.js';
import { renderFilter, type Table, type TableRows } from './table.js';

export interface TableServices {
  graph: GraphApi;
  dataverse: DataverseApi;
}

/**
 * A Graph table's collection URL: `$filter`, `$select`, `$top` in that order, unencoded (the Graph
 * client sends the URL as given). No parameters, no `?`.
 */
export function graphListUrl(table: Table): string {
  const params: string[] = [];
  if (table.filter !== undefined) params.push(`$filter=${renderFilter(table.filter)}`);
  if (table.columns !== null) params.push(`$select=${table.columns.join(',')}`);
  if (table.top !== undefined) params.push(`$top=${table.top}`);
  return params.length === 0 ? table.path : `${table.path}?${params.join('&')}`;
}

/** Every row of one table the bulk read returns (the server applies the filter). */
export function listTable(services: TableServices, table: Table): Promise<object[]> {
  if (table.service === 'graph') return services.graph.list<object>(graphListUrl(table));
  if (table.columns === null) throw new Error(`Dataverse table ${table.name} needs its columns ($select)`);
  const select = [...table.columns];
  return services.dataverse.list<object>(table.path, table.filter === undefined ? { select } : { select, filter: renderFilter(table.filter) });
}

/** The bulk read of `tables`, keyed by table name (rowsOf reads them back typed). */
export async function readTables(services: TableServices, tables: readonly Table[]): Promise<TableRows> {
  const rows = await Promise.all(tables.map((t) => listTable(services, t)));
  return new Map(tables.map((t, i) => [t.name, rows[i] ?? []]));
}
