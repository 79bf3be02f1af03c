/**
 * The Azure Monitor exporter inside applicationinsights starts a worker that polls Microsoft's
 * settings service (settings.sdk.monitor.azure.com) a few seconds after the first exporter is made,
 * and no setting turns it off. Tests must not send traffic off the machine, so they plant an idle
 * worker in the exporter's singleton before the SDK is loaded: its initialize() then returns at once.
 * (The exporter is CommonJS, as applicationinsights loads it.)
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function disableOneSettingsPolling(): void {
  const entry = require.resolve('@azure/monitor-opentelemetry-exporter');
  const { ConfigurationManager } = require(entry.replace(/index\.js$/, '_configuration/configurationManager.js')) as {
    ConfigurationManager: { getInstance(): { worker?: unknown } };
  };
  ConfigurationManager.getInstance().worker = { shutdown: () => undefined };
}
