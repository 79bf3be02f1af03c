/**
 * The composition root: builds the engine for one run from settings. The timer function, the HTTP
 * trigger, `serve`, the CLI and the demo all call this, so they run the same engine. Clients are
 * made per run because the run deadline lives in them.
 */
import type { TokenCredential } from '@azure/identity';
import { createClients } from '../clients/index.js';
import type { ClientOptions } from '../clients/types.js';
import type { Settings } from '../config.js';
import { ReconcileEngine } from './engine.js';
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
}

export function createEngine(settings: Settings, options: ComposeOptions = {}): ReconcileEngine {
  const clients = createClients(settings, options.credential, {
    ...(options.clientOptions ?? {}),
    ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
  });
  return new ReconcileEngine({
    settings,
    ...clients,
    guard: options.guard ?? defaultGuard,
    ...(options.history ? { history: options.history } : {}),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
