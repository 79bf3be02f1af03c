/**
 * The clients of one run: Graph and Dataverse over the same credential, retry policy settings and
 * run deadline. Create them once per run (the Dataverse concurrency limit adapts for the run).
 */
import type { TokenCredential } from '@azure/identity';
import type { Settings } from '../config.js';
import { createCredential } from './credential.js';
import { DataverseClient } from './dataverse-client.js';
import { GraphClient } from './graph-client.js';
import type { ClientOptions, DataverseApi, GraphApi } from './types.js';

export interface Clients {
  graph: GraphApi;
  dataverse: DataverseApi;
}

/** `credential` defaults to createCredential() (DefaultAzureCredential from the environment). */
export function createClients(
  settings: Pick<Settings, 'graphBaseUrl' | 'dataverseUrl'>,
  credential: TokenCredential = createCredential(),
  options: ClientOptions = {},
): Clients {
  const shared = { deadline: options.deadline, signal: options.signal, maxAttempts: options.maxAttempts };
  return {
    graph: new GraphClient({ ...shared, baseUrl: settings.graphBaseUrl, credential, concurrency: options.graphConcurrency, replication: options.replication, ...(options.invitationPacing ? { invitationPacing: options.invitationPacing } : {}), ...(options.graphWritePacing ? { writePacing: options.graphWritePacing } : {}) }),
    dataverse: new DataverseClient({
      ...shared,
      url: settings.dataverseUrl,
      credential,
      concurrency: options.dataverseConcurrency,
      batchSize: options.dataverseBatchSize,
    }),
  };
}

export { createCredential };
export { classify, isAlreadyDone, listError } from './classify.js';
export { GraphClient } from './graph-client.js';
export { DataverseClient } from './dataverse-client.js';
export type * from './types.js';
