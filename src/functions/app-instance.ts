/**
 * The one ReconcilerApp of this Functions worker, built from app settings on first use. A settings
 * problem is not cached: every invocation reports it (HTTP 500 with the message, a failed timer
 * invocation) until the settings are fixed, and the app picks the fix up without a code change.
 */
import type { InvocationContext } from '@azure/functions';
import { reconcilerAppFromEnv, type ReconcilerApp } from '../app/reconciler-app.js';
import type { Logger } from '../app/types.js';
import { createTelemetry } from '../telemetry/index.js';

/** Application Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is set; no-op otherwise. */
export const telemetry = createTelemetry(process.env);

let instance: ReconcilerApp | undefined;

export function reconcilerApp(): ReconcilerApp {
  instance ??= reconcilerAppFromEnv(process.env, { telemetry });
  return instance;
}

/** Logs go to the invocation (Application Insights traces); handlers never log names or emails. */
export function loggerFor(context: InvocationContext): Logger {
  return { info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) };
}
