/**
 * The Functions app's pieces against a simulated tenant and Azurite: the real engine, the blob run
 * lock and history, the run service and the HTTP handlers, built with createReconcilerApp as the
 * Functions app and `serve` build them (only the credential and the container are the test's).
 */
import { ClientSecretCredential } from '@azure/identity';
import type { ContainerClient } from '@azure/storage-blob';
import { createHandlers, type Handlers } from '../../src/app/http-handlers.js';
import { createReconcilerApp, type ReconcilerApp, type ReconcilerAppOptions } from '../../src/app/reconciler-app.js';
import { silentLogger, type AppRequest, type Logger } from '../../src/app/types.js';
import type { Fixture } from 'tenant-sim';
import { startAzurite, type TestAzurite } from '../support/azurite.js';
import { DEMO_FIXTURE, DEMO_SETTINGS, startTenant, type Tenant } from '../support/tenant.js';

export interface Harness {
  tenant: Tenant;
  azurite: TestAzurite;
  /** Builds an app on a fresh container (its own lock and history) unless one is given. */
  app(options?: Partial<ReconcilerAppOptions>): { app: ReconcilerApp; handlers: Handlers; container: ContainerClient };
  stop(): Promise<void>;
}

export async function startHarness(fixture: Fixture = DEMO_FIXTURE, settingsEnv: Record<string, string> = DEMO_SETTINGS): Promise<Harness> {
  const [tenant, azurite] = await Promise.all([startTenant(fixture, settingsEnv), startAzurite()]);
  const { info } = tenant.s;
  const credential = new ClientSecretCredential(info.tenantId, info.clientId, info.clientSecret, { authorityHost: info.authorityHost, disableInstanceDiscovery: true });
  return {
    tenant,
    azurite,
    app: (options = {}) => {
      const container = options.container ?? azurite.container();
      const app = createReconcilerApp({ settings: tenant.settings, credential, container, runDeadlineMs: 60_000, httpWaitMs: 30_000, log: silentLogger, ...options });
      return { app, handlers: createHandlers(() => app), container };
    },
    stop: async () => {
      await Promise.all([tenant.stop(), azurite.stop()]);
    },
  };
}

/** Records what the handlers log, to assert it (and that it names no contact). */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) };
}

export function appRequest(method: string, path: string, init: { body?: string; log?: Logger } = {}): AppRequest {
  const url = new URL(path, 'http://127.0.0.1:7071');
  const params: Record<string, string> = {};
  const m = /^\/api\/runs\/([^/]+)$/.exec(url.pathname);
  if (m?.[1]) params.id = decodeURIComponent(m[1]);
  return { method, url: url.toString(), query: url.searchParams, params, text: () => Promise.resolve(init.body ?? ''), log: init.log ?? silentLogger };
}
