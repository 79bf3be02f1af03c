/**
 * Integration-test helper: a simulated tenant plus the product's real engine pointed at it, with a
 * real ClientSecretCredential (no process.env changes, so tests can run side by side).
 */
import { ClientSecretCredential } from '@azure/identity';
import { readFileSync } from 'node:fs';
import { type Settings } from '../../src/config.js';
import { loadSettings } from '../../src/families.js';
import { createEngine, type ComposeOptions } from '../../src/engine/compose.js';
import type { ReconcileEngine } from '../../src/engine/engine.js';
import type { Fixture } from 'tenant-sim';
import { startSim, type RunningSim } from 'tenant-sim/testing';

export const DEMO_FIXTURE = JSON.parse(readFileSync(new URL('../../fixtures/demo.json', import.meta.url), 'utf8')) as Fixture;
export const DEMO_SETTINGS = JSON.parse(readFileSync(new URL('../../fixtures/demo.settings.json', import.meta.url), 'utf8')) as Record<string, string>;

export interface Tenant {
  s: RunningSim;
  settings: Settings;
  /** A fresh engine (fresh clients) for one run; options as for createEngine. */
  engine(options?: ComposeOptions): ReconcileEngine;
  /** The same, with other settings (a setting changed between runs). */
  engineWith(settings: Settings, options?: ComposeOptions): ReconcileEngine;
  stop(): Promise<void>;
}

/** Starts a simulator with `fixture` and builds settings from `settingsEnv` (default: the demo's for the demo tenant, else GUEST_SETTINGS). */
/**
 * The demo settings without service accounts, the customer portal and the project's work orders: the
 * default for tenants other than the demo (they carry neither the service accounts' SKUs and domain,
 * nor a portal website, nor a work order type).
 */
export const GUEST_SETTINGS: Record<string, string> = Object.fromEntries(Object.entries(DEMO_SETTINGS).filter(([k]) => !k.startsWith('SERVICE_ACCOUNT_') && !k.startsWith('PORTAL_') && !k.startsWith('WORK_ORDER_')));

export async function startTenant(fixture: Fixture = DEMO_FIXTURE, settingsEnv: Record<string, string> = fixture === DEMO_FIXTURE ? DEMO_SETTINGS : GUEST_SETTINGS): Promise<Tenant> {
  const s = await startSim(fixture);
  const settings = loadSettings({ ...settingsEnv, GRAPH_BASE_URL: s.info.graphBaseUrl, DATAVERSE_URL: s.info.dataverseUrl });
  const credential = new ClientSecretCredential(s.info.tenantId, s.info.clientId, s.info.clientSecret, {
    authorityHost: s.info.authorityHost,
    disableInstanceDiscovery: true,
  });
  return {
    s,
    settings,
    engine: (options = {}) => createEngine(settings, { credential, ...options }),
    engineWith: (other, options = {}) => createEngine(other, { credential, ...options }),
    stop: () => s.stop(),
  };
}
