/**
 * A simulated tenant for the doctor and setup tests: the demo tenant, made to differ from a ready
 * one through the simulator's fixture options (packages/tenant-sim/docs/simulator-dataverse.md
 * "Table definitions and RetrieveUserPrivileges"), and the product's real clients and credential
 * pointed at it.
 */
import { ClientSecretCredential } from '@azure/identity';
import type { Fixture } from 'tenant-sim';
import { startSim, type RunningSim } from 'tenant-sim/testing';
import { createClients } from '../../src/clients/index.js';
import type { DataverseApi, ServiceRequest } from '../../src/clients/types.js';
import type { Settings } from '../../src/config.js';
import { createEngine } from '../../src/engine/compose.js';
import { loadSettings } from '../../src/families.js';
import type { RunRecord } from '../../src/model/run.js';
import type { SetupClients } from '../../src/setup/doctor.js';
import { DEMO_FIXTURE, DEMO_SETTINGS } from '../support/tenant.js';

export interface SetupTenant {
  s: RunningSim;
  settings: Settings;
  clients: SetupClients;
  /** A dry run of the product's engine against the tenant (its run record). */
  dryRun(): Promise<RunRecord>;
  /** Every request the Dataverse client was asked to send, in order. */
  sent: ServiceRequest[];
  /** The simulator's log of the Graph and Dataverse requests (token requests left out). */
  serviceRequests(): Promise<{ service: string; method: string; path: string; status: number }[]>;
  stop(): Promise<void>;
}

export async function startSetupTenant(change: (f: Fixture) => Fixture = (f) => f, settingsEnv: Record<string, string> = DEMO_SETTINGS): Promise<SetupTenant> {
  const s = await startSim(change(structuredClone(DEMO_FIXTURE)));
  const settings = loadSettings({ ...settingsEnv, GRAPH_BASE_URL: s.info.graphBaseUrl, DATAVERSE_URL: s.info.dataverseUrl });
  const credential = new ClientSecretCredential(s.info.tenantId, s.info.clientId, s.info.clientSecret, { authorityHost: s.info.authorityHost, disableInstanceDiscovery: true });
  const real = createClients(settings, credential);
  const sent: ServiceRequest[] = [];
  const dataverse: DataverseApi = {
    list: (set, query) => real.dataverse.list(set, query),
    send: (request) => {
      sent.push(request);
      return real.dataverse.send(request);
    },
    sendMany: (requests) => real.dataverse.sendMany(requests),
  };
  return {
    s,
    settings,
    clients: { graph: real.graph, dataverse, credential },
    sent,
    dryRun: () => createEngine(settings, { credential }).run({ scope: { kind: 'tenant' }, dryRun: true, trigger: 'cli' }),
    serviceRequests: async () => ((await s.admin('GET', '/requests')).json.value as { service: string; method: string; path: string; status: number }[]).filter((e) => e.service !== 'token'),
    stop: () => s.stop(),
  };
}

/** The demo fixture with the technician licence's units all used. */
export const allUnitsUsed = (f: Fixture): Fixture => {
  const sku = f.graph!.subscribedSkus!.find((x) => x.skuPartNumber === 'DYN365_FS_CONTRACTOR')!;
  sku.consumedUnits = (sku.prepaidUnits as { enabled: number }).enabled;
  return f;
};
