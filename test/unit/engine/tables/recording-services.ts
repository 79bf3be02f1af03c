/**
 * Test support for the table registry tests: clients that record every list call (Graph: the URL;
 * Dataverse: the entity set and query) and answer each with one row naming the call.
 */
import type { DataverseApi, DataverseQuery, GraphApi } from '../../../../src/clients/types.js';

export interface RecordingServices {
  graph: GraphApi;
  dataverse: DataverseApi;
  calls: string[];
}

export function recordingServices(): RecordingServices {
  const calls: string[] = [];
  const unused = (): never => {
    throw new Error('only list is expected');
  };
  const graph: GraphApi = {
    list: <T>(url: string) => {
      calls.push(`graph ${url}`);
      return Promise.resolve([{ from: url }] as T[]);
    },
    send: unused,
    sendMany: unused,
  };
  const dataverse: DataverseApi = {
    list: <T>(set: string, q: DataverseQuery) => {
      calls.push(`dataverse ${set} select=${q.select.join(',')}${'filter' in q ? ` filter=${q.filter}` : ''}`);
      return Promise.resolve([{ from: set }] as T[]);
    },
    send: unused,
    sendMany: unused,
  };
  return { graph, dataverse, calls };
}
