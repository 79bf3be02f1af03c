/**
 * The composition root: builds the engine for one run from settings. The timer function, the HTTP
 * trigger, `serve`, the CLI and the demo all call this, so they run the same engine. Clients are
 * made per run because the run deadline lives in them.
 *
 * It is also the one place in src/engine/ that knows the product's families (src/families.ts): the
 * rest of the core takes them as an argument and never imports reconcilers/ (eslint.config.js).
 * `productFamilies` is that default, for the callers that plan or observe without an engine.
 */
import type { TokenCredential } from '@azure/identity';
import { createClients } from '../clients/index.js';
import type { ClientOptions } from '../clients/types.js';
import type { Settings } from '../config.js';
import { allFamilies } from '../families.js';
import type { Observation } from '../model/observation.js';
import type { Plan, RunScope } from '../model/plan.js';
import { ReconcileEngine } from './engine.js';
import { configuredFamilies, type ConfiguredFamily, type Family } from './family.js';
import { buildPlan as planFor, type PlanOptions } from './plan.js';
import { defaultGuard } from './guards/index.js';
import type { Observer, PlanGuard, RunHistory, RunTelemetry } from './seams.js';

export interface ComposeOptions {
  credential?: TokenCredential;
  /** Epoch ms: no request is started or retried past it. */
  deadline?: number;
  clientOptions?: Omit<ClientOptions, 'deadline'>;
  /** Default: the guards of docs/operations.md (quarantine, licence capacity, removal threshold). */
  guard?: PlanGuard;
  history?: RunHistory;
  telemetry?: RunTelemetry;
  observer?: Observer;
  /** The run's clock (quarantine times, report dates); tests inject it. Default: the system clock. */
  now?: () => Date;
  /** Default: every family of the product (src/families.ts); those whose settings are absent are off. */
  families?: readonly Family[];
}

/** The product's families (src/families.ts): the default of everything built here. */
export function productFamilies(): readonly Family[] {
  return allFamilies();
}

/** The product's families that are on for these settings, with their settings. */
export function productConfiguredFamilies(settings: Settings): ConfiguredFamily[] {
  return configuredFamilies(settings, allFamilies());
}

/**
 * The plan builder (src/engine/plan.ts) with the product's families unless `options` names others:
 * for the callers that plan an observation without an engine (the tests, the bench).
 */
export function buildPlan(observation: Observation, settings: Settings, scope: RunScope, options: Partial<PlanOptions> = {}): Plan {
  return planFor(observation, settings, scope, { ...options, families: options.families ?? allFamilies() });
}

export function createEngine(settings: Settings, options: ComposeOptions = {}): ReconcileEngine {
  const clients = createClients(settings, options.credential, {
    ...(options.clientOptions ?? {}),
    ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
  });
  return new ReconcileEngine({
    settings,
    families: options.families ?? allFamilies(),
    ...clients,
    guard: options.guard ?? defaultGuard,
    ...(options.history ? { history: options.history } : {}),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
