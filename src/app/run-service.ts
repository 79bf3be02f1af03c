/**
 * Starts runs under the run lock and records them. Every entry point that applies (the timer, POST
 * /api/run, `serve`) goes through here, so the lock, the deadline and the history work the same.
 *
 * - An apply takes the lock of its scope first (src/history/scoped-run-lock.ts); when another run
 *   holds it, nothing starts and the caller learns the holder's run id. A dry run writes nothing, so
 *   it takes no lock.
 * - The run gets a deadline (RUN_DEADLINE_SECONDS) and the lock's AbortSignal: the clients refuse
 *   every request once the lock is lost, so the engine stops; the record then says RUN_LOCK_LOST.
 * - A "running" marker is stored before the run starts and the record replaces it when it ends,
 *   whatever the outcome (a run that threw is stored as failed or stopped, with its error).
 * - The lock is released in `finally`, after a failed run too.
 * - Each run gets its own observer from `observer` (the app's: incremental over the snapshot blob;
 *   an apply run saves it under the lock and with the lock's signal, a dry run only reads it).
 */
import { randomUUID } from 'node:crypto';
import type { ComposeOptions } from '../engine/compose.js';
import { emptyPlan, type ReconcileEngine } from '../engine/engine.js';
import type { Observer, RunOverrides } from '../engine/seams.js';
import type { BlobRunStore } from '../history/run-store.js';
import type { HeldLock, RunLock } from '../history/run-lock.js';
import { asReconcilerError, TransientError } from '../model/errors.js';
import type { RunScope } from '../model/plan.js';
import type { RunRecord } from '../model/run.js';
import type { Logger } from './types.js';

export interface RunServiceDeps {
  /** A fresh engine per run (fresh clients: the deadline and the signal live in them). */
  engine(options: ComposeOptions): ReconcileEngine;
  history: BlobRunStore;
  lock: RunLock;
  runDeadlineMs: number;
  /** How each run reads the tenant (incremental in the app); default: the engine's bulk read. */
  observer?(run: { dryRun: boolean; signal?: AbortSignal }): Observer;
}

export interface StartRequest {
  /** A queued run's id (src/app/queue-run.ts); default: a new one. */
  runId?: string;
  scope: RunScope;
  dryRun: boolean;
  trigger: RunRecord['trigger'];
  overrides?: RunOverrides;
}

export type StartResult =
  | { started: false; runningRunId: string | null }
  /** `done` never rejects: it resolves with the stored record, whatever happened. */
  | { started: true; runId: string; done: Promise<RunRecord> };

export class RunService {
  constructor(private readonly deps: RunServiceDeps) {}

  async start(request: StartRequest, log: Logger): Promise<StartResult> {
    const runId = request.runId ?? randomUUID();
    let lock: HeldLock | undefined;
    if (!request.dryRun) {
      const got = await this.deps.lock.acquire(runId, request.scope);
      if (!got.acquired) {
        log.warn(`run not started: run ${got.runningRunId ?? '(unknown id)'} holds the run lock`);
        return { started: false, runningRunId: got.runningRunId };
      }
      lock = got.lock;
    }
    const startedAt = new Date().toISOString();
    try {
      await this.deps.history.markRunning({ runId, mode: request.dryRun ? 'dry-run' : 'apply', trigger: request.trigger, scope: request.scope, startedAt });
    } catch (err) {
      await lock?.release();
      throw err;
    }
    log.info(`run ${runId} started (${request.trigger}, ${request.dryRun ? 'dry run' : 'apply'}, scope ${request.scope.kind})`);
    return { started: true, runId, done: this.execute(runId, startedAt, request, lock, log) };
  }

  private async execute(runId: string, startedAt: string, request: StartRequest, lock: HeldLock | undefined, log: Logger): Promise<RunRecord> {
    const deadline = Date.now() + this.deps.runDeadlineMs;
    let record: RunRecord;
    try {
      try {
        // The snapshot is the whole tenant's: only a run under the tenant's lock saves it. Scoped
        // applies (vendor runs go on side by side) read through it, as dry runs do, so two of them
        // never race to save it (SNAPSHOT_CONFLICT); the next tenant run's delta covers their writes.
        const savesSnapshot = !request.dryRun && request.scope.kind === 'tenant';
        const observer = this.deps.observer?.({ dryRun: !savesSnapshot, ...(lock ? { signal: lock.signal } : {}) });
        const engine = this.deps.engine({ deadline, ...(observer ? { observer } : {}), ...(lock ? { clientOptions: { signal: lock.signal } } : {}) });
        record = await engine.run({ runId, scope: request.scope, dryRun: request.dryRun, trigger: request.trigger, deadline, ...(request.overrides ? { overrides: request.overrides } : {}) });
      } catch (err) {
        // The engine throws only when it cannot observe at all (services unreachable after retries).
        const error = asReconcilerError(err);
        record = {
          runId,
          mode: request.dryRun ? 'dry-run' : 'apply',
          trigger: request.trigger,
          scope: request.scope,
          startedAt,
          finishedAt: new Date().toISOString(),
          outcome: error.errorClass === 'configuration' ? 'failed' : 'stopped',
          error: error.toJSON(),
          plan: emptyPlan(request.scope, new Date()),
          results: [],
          statuses: {},
        };
      }
      const lost = lock?.lostReason();
      if (lost && record.outcome !== 'succeeded' && record.outcome !== 'partial') {
        record = { ...record, outcome: 'stopped', error: lockLost(lost).toJSON() };
      }
      try {
        await this.deps.history.save(record);
      } catch (err) {
        log.error(`run ${runId}: the run record could not be stored (${asReconcilerError(err).code})`);
      }
    } finally {
      await lock?.release();
    }
    const counts = new Map<string, number>();
    for (const r of record.results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
    const line = `run ${runId} ${record.outcome}: ${record.results.length} change(s)${counts.size ? ` (${[...counts].map(([o, n]) => `${n} ${o}`).join(', ')})` : ''}${record.error ? `; ${record.error.code}` : ''}`;
    if (record.outcome === 'succeeded') log.info(line);
    else if (record.outcome === 'partial') log.warn(line);
    else log.error(line);
    return record;
  }
}

function lockLost(reason: string): TransientError {
  return new TransientError(
    'RUN_LOCK_LOST',
    `The run stopped because it lost the run lock: ${reason}.`,
    'Nothing to do: the next run continues. If it repeats, check that nothing else breaks the lease on vendor-reconciler/run.lock and that the storage account is reachable.',
  );
}
