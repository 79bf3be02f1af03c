/**
 * The Power Platform admin API's refusals of addUser (src/clients/classify.ts has the answers all
 * services share: 401, 429, 5xx). The contract is undocumented
 * (../shared facts: Terraform's provider and the PowerShell cmdlet are the sources); what is known:
 *
 * - `userNotLicensed` in the error body: the technician's licence has not reached the Power
 *   Platform yet. Terraform's provider retries it for about 9 minutes; an hourly run does not spin:
 *   it is a waiting state, asked again by the next run (DATAVERSE_USER_NOT_LICENSED, transient);
 * - 403: the app is not registered as a Power Platform management application (Learn "Creating a
 *   service principal application using API"): the deployment, not the technician;
 * - 404: POWER_PLATFORM_ENVIRONMENT_ID names no environment of the tenant;
 * - any other 4xx: this technician's call was refused.
 */
import { ConfigurationError, ContactError, TransientError, type ReconcilerError } from '../model/errors.js';
import { causeOf, describeRequest } from './service-error.js';
import type { ServiceRequest, ServiceResponse } from './types.js';

const NOT_LICENSED = /userNotLicensed/i;

function bodyText(body: unknown): string {
  if (body === undefined) return '';
  return typeof body === 'string' ? body : JSON.stringify(body);
}

export function classifyPowerPlatform(request: ServiceRequest, response: ServiceResponse): ReconcilerError {
  const cause = causeOf(request, response);
  const text = bodyText(response.body);
  const said = cause.message || (typeof response.body === 'string' ? response.body.slice(0, 300) : 'no message');
  if (NOT_LICENSED.test(text)) {
    return new TransientError(
      'DATAVERSE_USER_NOT_LICENSED',
      "The Power Platform does not see the technician's licence yet (userNotLicensed): a licence assigned in Entra takes a few minutes to reach it, so the Dataverse user is added on a later run.",
      'Nothing to do: the next run asks again. If it lasts for hours, check the licence in the Microsoft 365 admin center.',
      { cause },
    );
  }
  if (response.status === 403) {
    return new ConfigurationError(
      'POWER_PLATFORM_APP_NOT_REGISTERED',
      `The Power Platform admin API refused ${describeRequest(request)} (403: ${said}): the app is not registered as a Power Platform management application, so no Dataverse user can be added on demand.`,
      'Register it once as a Power Platform administrator: docs/deploy/grant-permissions.sh with DATAVERSE_USER_ON_DEMAND=true (or New-PowerAppManagementApp -ApplicationId <the app\'s client id>), docs/deploy.md; or set DATAVERSE_USER_ON_DEMAND=false to wait for Dataverse\'s own user sync.',
      { cause },
    );
  }
  if (response.status === 404) {
    return new ConfigurationError(
      'POWER_PLATFORM_ENVIRONMENT_NOT_FOUND',
      `The Power Platform admin API knows no environment ${request.url.split('/environments/')[1]?.split('/')[0] ?? ''} (404: ${said}), so no Dataverse user can be added on demand.`,
      'Set POWER_PLATFORM_ENVIRONMENT_ID to the Environment ID the Power Platform admin center shows for the environment of DATAVERSE_URL (not the organisation id), then run again.',
      { cause },
    );
  }
  return new ContactError(
    'POWER_PLATFORM_REJECTED',
    `The Power Platform admin API refused to add the technician's Dataverse user (${response.status}: ${said}).`,
    "Check that the technician's account is enabled, licensed and a direct member of the environment's security group; the next run tries again.",
    { cause },
  );
}
