/**
 * The timer's work: one whole-tenant apply. When a manual run holds the lock, this firing is
 * skipped (logged, not queued): the next firing runs. A run that failed outright (a configuration
 * error) throws after it is recorded, so the invocation shows as failed in Application Insights and
 * alerts can fire on it; a partial or stopped run is logged as a warning or an error and the next
 * firing continues.
 */
import type { RunRecord } from '../model/run.js';
import type { ReconcilerApp } from './reconciler-app.js';
import type { Logger } from './types.js';

export type ScheduledOutcome = { skipped: true; runningRunId: string | null } | { skipped: false; record: RunRecord };

export async function runScheduled(app: ReconcilerApp, log: Logger): Promise<ScheduledOutcome> {
  const started = await app.runs.start({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'timer' }, log);
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
