/**
 * The Web API function and action the simulator serves beyond rows:
 * - `GET WhoAmI` (Learn WhoAmI Function and WhoAmIResponse ComplexType,
 *   learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/whoami): UserId is the
 *   caller's systemuser, the app's application user (ownership.ts appUserId, the same user that owns
 *   and creates what the app writes); BusinessUnitId and OrganizationId are fixed ids, as the simulator
 *   has no business units (docs/simulator-dataverse.md "WhoAmI").
 * - `POST workflows(<id>)/Microsoft.Dynamics.CRM.ExecuteWorkflow {"EntityId": "<guid>"}` (Learn
 *   ExecuteWorkflow Action: bound to workflow, EntityId Edm.Guid not nullable, returns the
 *   asyncoperation): 200 with a new asyncoperationid. A workflow that does not exist is 404 as any
 *   missing row; one that is not Activated (statecode 1) is refused 400: the docs give no error, the
 *   stricter choice; the EntityId must be a row of the workflow's primaryentity (404 otherwise). What
 *   the workflow does is simulated for one workflow only, the portal's Send Invitation (portal.ts).
 */
import { randomUUID } from 'node:crypto';
import type { SimResponse } from '../types.js';
import { sendInvitation, SEND_INVITATION } from '../portal.js';
import type { DvContext } from './context.js';
import { CODES, DataverseError, badRequest, jsonResponse, notFound, payloadError } from './errors.js';
import { allEntities } from './entities.js';
import { isGuid } from './options.js';
import { appUserId } from './ownership.js';

export const EXECUTE_WORKFLOW = 'Microsoft.Dynamics.CRM.ExecuteWorkflow';

/** The environment's organization and root business unit, as WhoAmI names them (no table holds them). */
export const ORGANIZATION_ID = '44444444-4444-4444-4444-444444444444';
export const BUSINESS_UNIT_ID = '55555555-5555-5555-5555-555555555555';

/** `WhoAmI` or `WhoAmI()`: the unbound function's path. */
export function isWhoAmI(path: string): boolean {
  return path === 'WhoAmI' || path === 'WhoAmI()';
}

export function whoAmI(dx: DvContext): SimResponse {
  return jsonResponse(200, {
    '@odata.context': `${dx.root}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
    BusinessUnitId: BUSINESS_UNIT_ID,
    UserId: appUserId(dx.store, dx.appId),
    OrganizationId: ORGANIZATION_ID,
  });
}

export function executeWorkflow(workflowId: string, body: string, dx: DvContext): SimResponse {
  const workflow = dx.store.get('workflows', workflowId);
  if (!workflow) throw notFound('workflow', workflowId);
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw payloadError('workflows', 'Invalid JSON. A token was not recognized in the JSON content.');
  }
  const entityId = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).EntityId : undefined;
  if (typeof entityId !== 'string' || !isGuid(entityId)) {
    throw badRequest(CODES.invalidArgument, "ExecuteWorkflow needs the parameter 'EntityId' (Edm.Guid, not nullable).");
  }
  if (workflow.statecode !== 1) {
    throw badRequest(CODES.invalidArgument, `The workflow ${workflowId} is not activated: only an Activated workflow (statecode 1) can be executed.`);
  }
  const primary = allEntities().find((e) => e.logicalName === workflow.primaryentity);
  if (!primary) throw new DataverseError(501, CODES.notSupported, `The simulator has no table '${String(workflow.primaryentity)}' to run workflow ${workflowId} on.`);
  const id = entityId.toLowerCase();
  if (!dx.store.get(primary.set, id)) throw notFound(primary.logicalName, id);
  const asyncoperationid = randomUUID();
  if (workflow.name === SEND_INVITATION && primary.logicalName === 'adx_invitation') sendInvitation(dx, id, asyncoperationid);
  return jsonResponse(200, { '@odata.context': `${dx.root}$metadata#asyncoperations/$entity`, asyncoperationid });
}
