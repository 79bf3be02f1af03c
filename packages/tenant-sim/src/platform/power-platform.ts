/**
 * The Power Platform admin API (BAP, https://api.bap.microsoft.com) on its own origin: the one
 * operation the product uses, addUser ("force sync user"):
 *
 *   POST /providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/{environmentId}/addUser?api-version=2023-06-01
 *   { "objectId": "<Entra user object id>" }
 *
 * Sources: the cmdlet Add-AdminPowerAppsSyncUser -EnvironmentName -PrincipalObjectId (Learn,
 * Microsoft.PowerApps.Administration.PowerShell, default api-version 2019-05-01), Terraform's
 * provider (api-version 2023-06-01, token scope https://service.powerapps.com/.default), and
 * Learn "Creating a service principal application using API": a service principal calls the API
 * only once an admin registered it as a management application (PUT …/adminApplications/{clientId}).
 * The sibling addAppUser page (create-dataverseapplicationuser.md) says its callers "must either be
 * Power Platform administrators or a Power Platform Service Principal application".
 *
 * Answers, in this order: 401 without a valid token for the PowerApps service; 404 for another
 * route; 405 for another method; 400 without a known api-version; 403 when the calling app is not a
 * registered management application; 404 for an unknown environment; 400 for a body without a
 * GUID objectId; 400 for a user Entra does not have (not 404, which
 * means the environment; the docs say neither); 400 (userNotLicensed, …: on-demand-users.ts)
 * while the user does not qualify; else 200 with no body, and the systemuser appears later. The
 * error bodies are ARM-shaped `{ "error": { "code", "message" } }` (the real shape is undocumented).
 */
import type { SimResponse, SimState, TokenClaims } from '../types.js';
import { addUserRefusal, type OnDemandUsers } from './on-demand-users.js';

export const ADD_USER_ROUTE = /^\/providers\/Microsoft\.BusinessAppPlatform\/scopes\/admin\/environments\/([^/]+)\/addUser$/i;
/** api-versions seen calling addUser: the cmdlet's default, Terraform's, and two in other public code. */
export const ADD_USER_API_VERSIONS: readonly string[] = ['2019-05-01', '2020-10-01', '2021-04-01', '2023-06-01'];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const error = (status: number, code: string, message: string): SimResponse => ({ status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: { error: { code, message } } });

export interface PowerPlatformRequest {
  method: string;
  path: string;
  rawQuery: string;
  body: string;
  /** The verified claims of a token for the PowerApps service, or null (then 401). */
  claims: TokenClaims | null;
  /** Why `claims` is null, for the 401's message. */
  unauthorised: string;
}

export function handlePowerPlatform(request: PowerPlatformRequest, state: SimState, users: OnDemandUsers, now: number): SimResponse {
  if (!request.claims) return error(401, 'InvalidAuthenticationToken', request.unauthorised);
  const route = ADD_USER_ROUTE.exec(request.path);
  if (!route) return error(404, 'NotFound', `No Power Platform admin API route for ${request.method} ${request.path} in the simulator.`);
  if (request.method !== 'POST') return error(405, 'MethodNotAllowed', `The addUser operation accepts POST only, not ${request.method}.`);
  const version = new URLSearchParams(request.rawQuery).get('api-version');
  if (version === null) return error(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  if (!ADD_USER_API_VERSIONS.includes(version)) {
    return error(400, 'InvalidApiVersionParameter', `The api-version '${version}' is invalid. The supported versions are '${ADD_USER_API_VERSIONS.join(',')}'.`);
  }
  const pp = state.powerPlatform;
  if (!pp.managementApplications.includes(request.claims.appid.toLowerCase())) {
    return error(
      403,
      'Forbidden',
      `The service principal with id '${request.claims.appid}' is not registered as a Power Platform management application, so it cannot call admin APIs (New-PowerAppManagementApp -ApplicationId ${request.claims.appid}).`,
    );
  }
  const environmentId = decodeURIComponent(route[1]!).toLowerCase();
  if (environmentId !== pp.environmentId) return error(404, 'EnvironmentNotFound', `The environment '${route[1]!}' could not be found in the tenant '${state.tenant.id}'.`);
  let objectId: unknown;
  try {
    objectId = (JSON.parse(request.body) as { objectId?: unknown } | null)?.objectId;
  } catch {
    return error(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  }
  if (typeof objectId !== 'string' || !GUID.test(objectId)) return error(400, 'InvalidRequestContent', 'The request body must have objectId, the Microsoft Entra object id of the user (a GUID).');
  const user = state.graph.users.get(objectId.toLowerCase());
  if (!user) return error(400, 'UserNotFound', `The user '${objectId}' was not found in Microsoft Entra ID.`);
  const refusal = addUserRefusal(state, user, now);
  if (refusal) return error(refusal.status, refusal.code, refusal.message);
  users.add(state, objectId.toLowerCase());
  return { status: 200 };
}
