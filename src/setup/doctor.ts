/**
 * `vendor-reconciler doctor`: checks a tenant before the first run, read-only (only GET requests,
 * and the credential's token requests). A service whose token fails is not checked further: every
 * check behind it would fail for the same reason, and the credential line says what to do. Doctor
 * checks the app's own access, so it runs with the app's credential; signed in as a user it says
 * so instead of reporting the user's roles and privileges as the app's.
 */
import type { TokenCredential } from '@azure/identity';
import type { DataverseApi, GraphApi } from '../clients/types.js';
import type { Settings } from '../config.js';
import { checklist, type Checklist, type CheckResult } from './checklist.js';
import { changeTrackingChecks, columnChecks, keyChecks, privilegeChecks } from './checks-dataverse.js';
import { credentialChecks, groupChecks, isDelegated, licenceChecks, roleChecks } from './checks-graph.js';
import { requirementsFor, type Requirements } from './requirements.js';

export interface SetupClients {
  graph: GraphApi;
  dataverse: DataverseApi;
  /** The credential the clients use: doctor asks it for a token per service, and reads the Graph token's roles. */
  credential: TokenCredential;
}

export async function runDoctor(settings: Settings, clients: SetupClients, requirements: Requirements = requirementsFor(settings)): Promise<Checklist> {
  const { results, graphToken, dataverseOk } = await credentialChecks(clients.credential, settings);
  const out: CheckResult[] = [...results];
  if (graphToken !== null && (requirements.graphRoles.length > 0 || requirements.licences.length > 0 || requirements.groupId !== null)) {
    out.push(...roleChecks(graphToken, requirements));
    out.push(...(await licenceChecks(clients.graph, requirements)));
    out.push(...(await groupChecks(clients.graph, requirements)));
  }
  if (dataverseOk) {
    out.push(...(await columnChecks(clients.dataverse, requirements)));
    out.push(...(await keyChecks(clients.dataverse, requirements)));
    out.push(...(await changeTrackingChecks(clients.dataverse, requirements)));
    // As a user, RetrieveUserPrivileges would list the user's privileges: roleChecks said so once.
    if (graphToken === null || !isDelegated(graphToken)) out.push(...(await privilegeChecks(clients.dataverse, requirements)));
  }
  return checklist(out);
}
