/**
 * From a final answer to an error of the closed set (src/model/errors.ts), per change.
 *
 * Rules match on status and the service's error code first; message text is only a hint where the
 * services give no other distinction (learn.microsoft.com/graph/errors: `error.code` values;
 * "already a member"
 * and the assignLicense refusals share Request_BadRequest and differ only in the message).
 *
 * `null` means success: a 2xx, or an answer that says the change was already in place
 * (isAlreadyDone), which desired-state apply treats as converged.
 */
import { ConfigurationError, ThrottledError, TransientError, type ReconcilerError } from '../model/errors.js';
import { classifyDataverse } from './classify-dataverse.js';
import { classifyGraph } from './classify-graph.js';
import { classifyPowerPlatform } from './classify-power-platform.js';
import { retryAfterMs } from './retry-after.js';
import { SERVICE_LABEL, THROTTLED_CODE, type ServiceName } from './retry-policy.js';
import { causeOf, describeRequest } from './service-error.js';
import type { ServiceRequest, ServiceResponse } from './types.js';
import { isAlreadyDone } from './already-done.js';

export { isAlreadyDone };

export function classify(service: ServiceName, request: ServiceRequest, response: ServiceResponse): ReconcilerError | null {
  if (response.status < 300 || isAlreadyDone(request, response)) return null;
  const common = classifyCommon(service, request, response);
  if (common) return common;
  if (service === 'powerPlatform') return classifyPowerPlatform(request, response);
  return service === 'graph' ? classifyGraph(request, response) : classifyDataverse(request, response);
}

/** Answers that mean the same in both services: authentication, throttling, server faults. */
function classifyCommon(service: ServiceName, request: ServiceRequest, response: ServiceResponse): ReconcilerError | undefined {
  const label = SERVICE_LABEL[service];
  const cause = causeOf(request, response);
  const what = describeRequest(request);
  if (response.status === 401) {
    return new ConfigurationError(
      'AUTHENTICATION_FAILED',
      `${label} refused the app's token for ${what} (401${cause.code ? ` ${cause.code}` : ''}: ${cause.message || 'no message'}).`,
      service === 'graph'
        ? 'Check AZURE_TENANT_ID, AZURE_CLIENT_ID and the secret or managed identity, and that the app registration exists in this tenant.'
        : service === 'powerPlatform'
          ? 'Check that the app may call the PowerApps service (docs/deploy.md, the management-application registration) and that POWER_PLATFORM_API_URL is right.'
          : 'Check that the app has an application user in this Dataverse environment (Power Platform admin center → Users → App users) and that DATAVERSE_URL is right.',
      { cause },
    );
  }
  if (response.status === 429 || (response.status === 503 && retryAfterMs(response.headers) !== undefined)) {
    return new ThrottledError(
      THROTTLED_CODE[service],
      `${label} throttled ${what} (${response.status}) and the retries ran out.`,
      'Nothing to do: the next run continues. If it happens every run, lower the concurrency or run less often.',
      retryAfterMs(response.headers),
      { cause },
    );
  }
  if (response.status >= 500) {
    return new TransientError(
      'SERVICE_UNAVAILABLE',
      `${label} answered ${what} with ${response.status}${cause.message ? `: ${cause.message}` : ''}.`,
      'Nothing to do: the next run retries it. If it lasts, check the service health.',
      { cause },
    );
  }
  return undefined;
}

/** A paged read that did not answer 200: the error that stops the observation. */
export function listError(service: ServiceName, request: ServiceRequest, response: ServiceResponse): ReconcilerError {
  return (
    classify(service, request, response) ??
    new TransientError(
      'UNEXPECTED_ANSWER',
      `${SERVICE_LABEL[service]} answered ${describeRequest(request)} with ${response.status} instead of a page of results.`,
      'Nothing to do: the next run reads again. If it repeats, open an issue with the run id.',
      { cause: causeOf(request, response) },
    )
  );
}
