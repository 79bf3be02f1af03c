/**
 * Everything a handler needs, built once per process from settings: the engine factory (through
 * createEngine, the one composition root), the run history, the run lock and the run service. The
 * Functions app builds it from app settings (reconcilerAppFromEnv); `serve` and the tests build it
 * with their own storage and credential.
 */
import type { TokenCredential } from '@azure/identity';
import type { ContainerClient } from '@azure/storage-blob';
import { createClients, createCredential } from '../clients/index.js';
import type { DataverseApi } from '../clients/types.js';
import { loadRunSettings, type Settings } from '../config.js';
import { loadSettings } from '../families.js';
import { createEngine, type ComposeOptions } from '../engine/compose.js';
import type { ReconcileEngine } from '../engine/engine.js';
import { createIncrementalObserver, fullResyncHoursFrom } from '../engine/incremental/index.js';
import type { Observer, RunTelemetry } from '../engine/seams.js';
import type { BlobRunLockOptions, RunLock } from '../history/run-lock.js';
import { runQueueFromEnv, type RunQueue } from '../history/run-queue.js';
import { ScopedRunLock } from '../history/scoped-run-lock.js';
import { BlobRunStore } from '../history/run-store.js';
import { BlobSnapshotStore, readOnlySnapshots } from '../history/snapshot-store.js';
import { containerFromEnv } from '../history/storage.js';
import { ConfigurationError } from '../model/errors.js';
import type { ReconcileMode } from './reconcile-mode.js';
import { RunService } from './run-service.js';
import { consoleLogger, type Logger } from './types.js';

export interface ReconcilerAppOptions {
  settings: Settings;
  /** The container for the lock and the history (storage.ts CONTAINER_NAME in the app's account). */
  container: ContainerClient;
  /** Default: DefaultAzureCredential (managed identity in Azure). */
  credential?: TokenCredential;
  telemetry?: RunTelemetry;
  /**
   * Further composition (guards, observer) for every engine this app builds. An `observer` here
   * replaces the incremental observer for every run.
   */
  compose?: Omit<ComposeOptions, 'credential' | 'telemetry' | 'deadline'>;
  /** FULL_RESYNC_HOURS (docs/incremental.md); default: the observer's (24 h). */
  fullResyncHours?: number;
  runDeadlineMs: number;
  /** How long POST /api/run waits for the result before answering 202. */
  httpWaitMs: number;
  lease?: BlobRunLockOptions;
  /** Where lock problems are told outside any request (default: console). */
  log?: Logger;
  /** RECONCILE_MODE (src/app/reconcile-mode.ts): in plan mode the dry-run report says the timer only reports. */
  reconcileMode?: ReconcileMode;
  /** The run queue: with it, POST /api/run enqueues (src/app/queue-run.ts). The Functions app has one; `serve` runs in process. */
  queue?: RunQueue;
  /** A queued run whose lock is taken is tried again this much later, this many times (default 60 s, 60 times). */
  queueRetry?: Partial<QueueRetry>;
  /** Follow-up runs of contacts a queued run left waiting (the first 60 s later, then backing off; at most 6 in a chain). */
  followUp?: Partial<FollowUp>;
}

export interface FollowUp {
  delaySeconds: number;
  max: number;
}

export interface QueueRetry {
  delaySeconds: number;
  maxDeferrals: number;
}

export interface ReconcilerApp {
  settings: Settings;
  engine(options?: ComposeOptions): ReconcileEngine;
  history: BlobRunStore;
  lock: RunLock;
  runs: RunService;
  httpWaitMs: number;
  /** RECONCILE_MODE, when the app was built from app settings. */
  reconcileMode?: ReconcileMode;
  queue?: RunQueue;
  queueRetry: QueueRetry;
  followUp: FollowUp;
  /**
   * The observer for one run: incremental over the snapshot blob beside the run history
   * (src/history/snapshot-store.ts). Apply runs save the snapshot (under the run lock, `signal` is the
   * lock's); dry runs read through it without saving, so they never advance the stored tokens.
   */
  observer(run: { dryRun: boolean; signal?: AbortSignal }): Observer;
  /**
   * A Dataverse client built as the engines' are (same settings, credential and client options),
   * for the handlers that read or write Dataverse outside a run (src/app/booking-handlers.ts).
   */
  dataverse(options?: { deadline?: number }): DataverseApi;
}

export function createReconcilerApp(options: ReconcilerAppOptions): ReconcilerApp {
  const log = options.log ?? consoleLogger;
  const engine = (extra: ComposeOptions = {}): ReconcileEngine =>
    createEngine(options.settings, {
      ...(options.credential ? { credential: options.credential } : {}),
      ...(options.telemetry ? { telemetry: options.telemetry } : {}),
      ...options.compose,
      ...extra,
      clientOptions: { ...options.compose?.clientOptions, ...extra.clientOptions },
    });
  let routeCredential: TokenCredential | undefined;
  const history = new BlobRunStore(options.container);
  const lock = new ScopedRunLock(options.container, { onProblem: (m) => log.warn(m), ...options.lease });
  const observer = (run: { dryRun: boolean; signal?: AbortSignal }): Observer => {
    if (options.compose?.observer) return options.compose.observer;
    // A store per run: it saves against the ETag of the snapshot this run loaded.
    const store = new BlobSnapshotStore(options.container, run.signal ? { signal: run.signal } : {});
    return createIncrementalObserver({
      store: run.dryRun ? readOnlySnapshots(store) : store,
      settings: options.settings,
      ...(options.fullResyncHours !== undefined ? { fullResyncHours: options.fullResyncHours } : {}),
    });
  };
  return {
    settings: options.settings,
    engine,
    history,
    lock,
    runs: new RunService({ engine, history, lock, runDeadlineMs: options.runDeadlineMs, observer }),
    httpWaitMs: options.httpWaitMs,
    ...(options.reconcileMode ? { reconcileMode: options.reconcileMode } : {}),
    ...(options.queue ? { queue: options.queue } : {}),
    queueRetry: { delaySeconds: 60, maxDeferrals: 60, ...options.queueRetry },
    followUp: { delaySeconds: 60, max: 6, ...options.followUp },
    observer,
    dataverse: (extra = {}) => {
      // One credential for every request of this process: a route the mobility app polls should not
      // fetch a new token each time (the credential caches it).
      routeCredential ??= options.credential ?? createCredential();
      return createClients(options.settings, routeCredential, { ...options.compose?.clientOptions, ...(extra.deadline !== undefined ? { deadline: extra.deadline } : {}) }).dataverse;
    },
  };
}

type Env = Record<string, string | undefined>;

/** From app settings (docs/configuration.md); throws ConfigurationError naming every bad setting. */
export function reconcilerAppFromEnv(env: Env = process.env, extra: Pick<ReconcilerAppOptions, 'telemetry' | 'log'> = {}): ReconcilerApp {
  const settings = loadSettings(env);
  const runSettings = loadRunSettings(env);
  return createReconcilerApp({
    settings,
    container: containerFromEnv(env),
    runDeadlineMs: runSettings.runDeadlineSeconds * 1000,
    httpWaitMs: runSettings.runHttpWaitSeconds * 1000,
    fullResyncHours: fullResyncHoursOf(env),
    reconcileMode: runSettings.reconcileMode,
    queue: runQueueFromEnv(env),
    ...extra,
  });
}

/** FULL_RESYNC_HOURS, checked when the app starts like the other settings. */
function fullResyncHoursOf(env: Env): number {
  try {
    return fullResyncHoursFrom(env);
  } catch (err) {
    throw new ConfigurationError(
      'SETTINGS_INVALID',
      `The app settings are not valid:\n- ${(err as Error).message}`,
      'Fix these app settings (docs/configuration.md lists them all) and restart.',
    );
  }
}
