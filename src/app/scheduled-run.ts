/**
 * The timer's work: one whole-tenant run, an apply only when RECONCILE_MODE=apply
 * (src/app/reconcile-mode.ts). In `plan` mode, the default of a fresh deployment, it is a dry run:
 * recorded in the run history like any dry run (trigger `timer`), its report saying at the top that
 * the deployment only reports (src/report/model.ts), and nothing written to the tenant.
 *
 * When a manual run holds the lock, an apply firing is skipped (logged, not queued): the next firing
 * runs. A dry run takes no lock, so a plan-mode firing is never skipped. A run that failed outright
 * (a configuration error) throws after it is recorded, so the invocation shows as failed in
 * Application Insights and alerts can fire on it; a partial or stopped run is logged as a warning or
 * an error and the next firing continues.
 *
 * With SHARD_BY_VENDOR=true (and the Functions app's run queue) the firing runs nothing itself: it
 * queues one run per vendor (src/app/queue-fanout.ts), each then recorded like any run.
 */
import type { RunRecord } from '../model/run.js';
import { enqueueVendorRuns } from './queue-fanout.js';
import { timerDryRun, type ReconcileMode } from './reconcile-mode.js';
import type { ReconcilerApp } from './reconciler-app.js';
import type { Logger } from './types.js';

export type ScheduledOutcome =
  | { skipped: true; runningRunId: string | null }
  | { skipped: false; record: RunRecord }
  /** SHARD_BY_VENDOR=true: the vendor runs queued (src/app/queue-fanout.ts). */
  | { skipped: false; queued: string[] };

export async function runScheduled(app: ReconcilerApp, log: Logger, mode: ReconcileMode, options: { shardByVendor?: boolean } = {}): Promise<ScheduledOutcome> {
  const dryRun = timerDryRun(mode);
  // Said on every firing: the log is where an admin who expected changes looks first.
  if (dryRun) log.info('RECONCILE_MODE=plan: this scheduled run only reports (a dry run); set RECONCILE_MODE=apply to let it change the tenant');
  // Sharded: one queued run per vendor, run side by side by the queue trigger, each recorded on its own.
  if (options.shardByVendor && app.queue) return { skipped: false, queued: await enqueueVendorRuns(app, log, dryRun) };
  const started = await app.runs.start({ scope: { kind: 'tenant' }, dryRun, trigger: 'timer' }, log);
  if (!started.started) {
    log.warn(`scheduled run skipped: run ${started.runningRunId ?? '(unknown id)'} holds the run lock; the next firing runs`);
    return { skipped: true, runningRunId: started.runningRunId };
  }
  const record = await started.done;
  if (record.outcome === 'failed') {
    // The code only: messages can quote data; GET /api/runs/{id} has the full error and what to do.
    throw new Error(`run ${record.runId} failed: ${record.error?.code ?? 'UNKNOWN'} (GET /api/runs/${record.runId} says what to do)`);
  }
  return { skipped: false, record };
}
