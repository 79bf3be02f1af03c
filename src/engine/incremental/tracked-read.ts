/**
 * Reads through Graph delta queries and Dataverse change tracking: follow every nextLink of a round
 * and return its items with the round's deltaLink, or say the token was refused.
 *
 * A refused token is any 4xx answer to a deltaLink (Graph 410 syncStateNotFound, Dataverse 410 after
 * ExpireChangeTrackingInDays, 400 for a token the service no longer knows): the observer falls back to
 * a full read in the same run. 429/503 and transport errors are retried by the clients as for any
 * read; when retries run out the run fails, as observe.ts would.
 */
import { listError } from '../../clients/classify.js';
import type { DataverseApi, GraphApi, ServiceRequest, ServiceResponse } from '../../clients/types.js';
import { filterRows } from './merge.js';
import { listTable, type TableServices } from '../tables/read.js';
import { rowPredicate, type Table } from '../tables/table.js';

export interface Round<T> {
  items: T[];
  deltaLink: string;
  /** Pages read in this round (the steady-state target counts them). */
  pages: number;
}

export type RoundResult<T> = { ok: true; round: Round<T> } | { ok: false; status: number; reason: string };

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** Graph pages of up to 999 objects; Dataverse pages of up to 5,000 rows. */
const GRAPH_PREFER = 'odata.maxpagesize=999';
const DATAVERSE_PREFER = 'odata.track-changes,odata.maxpagesize=5000';

async function follow<T>(
  service: 'graph' | 'dataverse',
  send: (r: ServiceRequest) => Promise<ServiceResponse>,
  first: string,
  headers: Record<string, string>,
  fromToken: boolean,
): Promise<RoundResult<T>> {
  const items: T[] = [];
  let url = first;
  let pages = 0;
  for (;;) {
    const request: ServiceRequest = { method: 'GET', url, headers };
    const response = await send(request);
    if (response.status !== 200) {
      // A refused token: fall back to a full read. Anything else is an error like any read's.
      if (fromToken && response.status >= 400 && response.status < 500 && response.status !== 401 && response.status !== 403) {
        const body = response.body as { error?: { code?: string; message?: string } } | undefined;
        return { ok: false, status: response.status, reason: `${response.status} ${body?.error?.code ?? ''} ${body?.error?.message ?? ''}`.trim() };
      }
      throw listError(service, request, response);
    }
    pages += 1;
    const page = (response.body ?? {}) as Page<T>;
    items.push(...(page.value ?? []));
    if (page['@odata.nextLink']) {
      url = page['@odata.nextLink'];
      continue;
    }
    const deltaLink = page['@odata.deltaLink'];
    if (!deltaLink) throw new Error(`${service} ended a tracked read of ${first} without @odata.deltaLink`);
    return { ok: true, round: { items, deltaLink, pages } };
  }
}

/** Graph: a delta query from its first URL (or `$deltatoken=latest`), or a saved deltaLink. */
export function graphRound<T>(graph: GraphApi, url: string, fromToken: boolean): Promise<RoundResult<T>> {
  return follow<T>('graph', (r) => graph.send(r), url, { Prefer: GRAPH_PREFER }, fromToken);
}

/** Dataverse: `Prefer: odata.track-changes` on `set?$select=…`, or a saved deltaLink (same header). */
export function dataverseRound<T>(dataverse: DataverseApi, url: string, fromToken: boolean): Promise<RoundResult<T>> {
  return follow<T>('dataverse', (r) => dataverse.send(r), url, { Prefer: DATAVERSE_PREFER }, fromToken);
}

/**
 * The first URL of a table's tracked read, without a token: a Graph delta query (`<path>/delta`)
 * or a Dataverse entity set, with the table's `$select` and never its filter (track-changes
 * refuses `$filter`; Graph's users delta does not take the bulk read's `userType` filter).
 */
export function openingUrl(table: Table): string {
  const path = table.service === 'graph' ? `${table.path}/delta` : table.path;
  return table.columns === null ? path : `${path}?$select=${table.columns.join(',')}`;
}

/** `url` with one more query parameter. */
export function withParam(url: string, param: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${param}`;
}

/** One round of a declared table, on the service that holds it. */
export function tableRound<T>(services: TableServices, table: Table, url: string, fromToken: boolean): Promise<RoundResult<T>> {
  return table.service === 'graph' ? graphRound<T>(services.graph, url, fromToken) : dataverseRound<T>(services.dataverse, url, fromToken);
}

/** The round of a read without a token: a refusal there is not a stale token but an error. */
export function mustRound<T>(r: RoundResult<T>): Round<T> {
  if (!r.ok) throw new Error(`a tracked read without a token was refused: ${r.reason}`);
  return r.round;
}

/**
 * One table on a full read: a change-tracked table whole with its token, filtered on the client
 * (track-changes refuses $filter); any other table by the bulk read, its filter on the server.
 */
export async function readWhole(services: TableServices, table: Table): Promise<{ rows: object[]; token?: string }> {
  if (table.mode !== 'change-tracked') return { rows: await listTable(services, table) };
  const round = mustRound(await tableRound(services, table, openingUrl(table), false));
  return { rows: filterRows(round.items as object[], table.key, rowPredicate(table.filter)), token: round.deltaLink };
}

/** A Dataverse `$deletedEntity` entry of a delta round. */
export interface DeletedEntity {
  id: string;
  reason: string;
}

export function isDeletedEntity(item: unknown): item is DeletedEntity {
  const ctx = (item as Record<string, unknown>)['@odata.context'];
  return typeof ctx === 'string' && ctx.endsWith('/$deletedEntity');
}
