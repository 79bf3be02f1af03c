/**
 * The clients of one run: Graph and Dataverse (and the Power Platform admin API when
 * DATAVERSE_USER_ON_DEMAND is on) over the same credential, retry policy settings and run deadline. Create them once per run (the Dataverse concurrency limit adapts for the run).
 */
import type { TokenCredential } from '@azure/identity';
import type { Settings } from '../config.js';
import { createCredential } from './credential.js';
import { DataverseClient } from './dataverse-client.js';
import { GraphClient } from './graph-client.js';
import { PowerPlatformClient } from './power-platform-client.js';
import type { ClientOptions, DataverseApi, GraphApi, PowerPlatformApi } from './types.js';

export interface Clients {
  graph: GraphApi;
  dataverse: DataverseApi;
  /** Only with Settings.powerPlatform (DATAVERSE_USER_ON_DEMAND=true). */
  powerPlatform?: PowerPlatformApi;
}

/** `credential` defaults to createCredential() (DefaultAzureCredential from the environment). */
export function createClients(
  settings: Pick<Settings, 'graphBaseUrl' | 'dataverseUrl' | 'powerPlatform'>,
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
    ...(settings.powerPlatform ? { powerPlatform: new PowerPlatformClient({ ...shared, apiUrl: settings.powerPlatform.apiUrl, credential }) } : {}),
  };
}

export { createCredential };
export { classify, isAlreadyDone, listError } from './classify.js';
export { GraphClient } from './graph-client.js';
export { DataverseClient } from './dataverse-client.js';
export { PowerPlatformClient } from './power-platform-client.js';
export type * from './types.js';
