/**
 * Counts what observing reads, for a caller that shows progress (RunRequest.progress): the clients'
 * `list` calls and the rows they returned, and the other requests (look-ups, $batch reads). It wraps
 * the two service interfaces (src/clients/types.ts) rather than the observers, so the bulk and the
 * incremental observer, and every family's own look-ups, are counted alike. It only counts: what
 * the clients answer, and every error, passes through unchanged.
 */
import type { DataverseApi, GraphApi } from '../clients/types.js';

export interface ReadTally {
  /** Paged reads (`list`) finished. */
  reads: number;
  /** Rows those reads returned. */
  rows: number;
  /** Other requests answered (`send`, and each request of `sendMany`). */
  requests: number;
}

type Api = GraphApi | DataverseApi;

/** `api` with its answers counted into `tally`; `changed` is called after each count. */
export function tallied<T extends Api>(api: T, tally: ReadTally, changed: () => void): T {
  // Graph's list takes (url, options) and Dataverse's (entitySet, query): both pass through as given.
  const list = api.list.bind(api) as (target: string, options?: unknown) => Promise<unknown[]>;
  const wrapped = {
    list: async (target: string, options?: unknown): Promise<unknown[]> => {
      const rows = await list(target, options);
      tally.reads += 1;
      tally.rows += rows.length;
      changed();
      return rows;
    },
    send: async (request: Parameters<Api['send']>[0]) => {
      const response = await api.send(request);
      tally.requests += 1;
      changed();
      return response;
    },
    sendMany: async (requests: Parameters<Api['sendMany']>[0]) => {
      const responses = await api.sendMany(requests);
      tally.requests += requests.length;
      changed();
      return responses;
    },
  };
  return wrapped as unknown as T;
}
