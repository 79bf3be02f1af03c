/**
 * createTelemetry(env): Application Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is set, the
 * no-op telemetry otherwise. Create it once per process (module scope of the Functions entry point)
 * and pass it to createEngine / createReconcilerApp as `telemetry`.
 *
 * The SDK is set up with its own (not global) OpenTelemetry providers and no auto-collection: no
 * console, no requests (the Functions host records invocations itself), no node:http dependencies,
 * no unhandled exceptions (their messages may hold email addresses), no performance counters. What
 * it sends is what this module gives it: the run event, sanitised exceptions, and the product's
 * fetch calls as dependencies (dependencies.ts).
 */
import { createRequire } from 'node:module';
import type * as AppInsights from 'applicationinsights';
import { AppInsightsTelemetry, noopAppTelemetry, type Telemetry, type TelemetrySink } from './app-insights.js';
import { trackFetchDependencies } from './dependencies.js';

export { AppInsightsTelemetry, noopAppTelemetry, type Telemetry, type TelemetrySink } from './app-insights.js';
export { RUN_EVENT_NAME, runEvent } from './run-event.js';
export { redact, redactMeasurements, redactProperties, errorFields, sanitisedError, safeUrl } from './redact.js';

export const CONNECTION_STRING_SETTING = 'APPLICATIONINSIGHTS_CONNECTION_STRING';
/** cloud_RoleName of everything this module sends. */
export const SERVICE_NAME = 'vendor-reconciler';

type Env = Record<string, string | undefined>;

export interface TelemetryOptions {
  /** Use this client instead of the SDK's (tests capture every call with it). */
  sink?: TelemetrySink;
  /** Track the product's fetch calls as dependencies (default true). */
  trackDependencies?: boolean;
  /** Keep unsent telemetry on disk and retry it when ingestion fails (the SDK's default: true). */
  offlineStorage?: boolean;
}

export function createTelemetry(env: Env = process.env, options: TelemetryOptions = {}): Telemetry {
  const connectionString = env[CONNECTION_STRING_SETTING]?.trim();
  if (!connectionString) return noopAppTelemetry;
  const sink = options.sink ?? appInsightsClient(connectionString, options.offlineStorage ?? true);
  let stop = (): void => undefined;
  const telemetry = new AppInsightsTelemetry(sink, () => stop());
  if (options.trackDependencies ?? true) {
    stop = trackFetchDependencies((d) => telemetry.dependency(d), { ignoreHosts: ingestionHosts(connectionString) });
  }
  return telemetry;
}

/** The SDK's TelemetryClient, loaded only when telemetry is on (it is large and slow to import). */
function appInsightsClient(connectionString: string, offlineStorage: boolean): TelemetrySink {
  const require = createRequire(import.meta.url);
  const ai = require('applicationinsights') as typeof AppInsights;
  const client = new ai.TelemetryClient(connectionString, { useGlobalProviders: false });
  const resource = serviceResource(require.resolve('applicationinsights'));
  if (resource) client.config.azureMonitorOpenTelemetryOptions = { resource };
  client.config.enableAutoCollectConsole = false;
  client.config.enableAutoCollectRequests = false;
  client.config.enableAutoCollectDependencies = false;
  client.config.enableAutoCollectExceptions = false;
  client.config.enableAutoCollectPerformance = false;
  client.config.enableAutoCollectPreAggregatedMetrics = false;
  client.config.enableAutoCollectHeartbeat = false;
  client.config.enableAutoCollectExternalLoggers = false;
  client.config.enableSendLiveMetrics = false;
  client.config.enableUseDiskRetryCaching = offlineStorage;
  return client;
}

type Resource = NonNullable<AppInsights.AzureMonitorOpenTelemetryOptions['resource']>;

/**
 * cloud_RoleName `vendor-reconciler` (the SDK's default is `unknown_service:<path to node>`). The
 * resource is built with the @opentelemetry/resources that applicationinsights itself resolves, so
 * the versions match; without it the default role stays.
 */
function serviceResource(sdkPath: string): Resource | undefined {
  try {
    const fromSdk = createRequire(sdkPath)('@opentelemetry/resources') as { resourceFromAttributes(attributes: Record<string, string>): Resource };
    return fromSdk.resourceFromAttributes({ 'service.name': SERVICE_NAME });
  } catch {
    return undefined;
  }
}

/** Hosts named in the connection string: the exporter's own calls are not dependencies of a run. */
function ingestionHosts(connectionString: string): string[] {
  const hosts: string[] = [];
  for (const part of connectionString.split(';')) {
    const [key, value] = part.split('=', 2);
    if (!key || !value || !/Endpoint$/i.test(key.trim())) continue;
    try {
      hosts.push(new URL(value.trim()).host);
    } catch {
      // not a URL: nothing to ignore
    }
  }
  return hosts;
}
