/**
 * The timer: a whole-tenant run on RECONCILE_SCHEDULE (default hourly, `0 0 * * * *`), a dry run
 * unless RECONCILE_MODE=apply (src/app/reconcile-mode.ts; docs/configuration.md). Both settings are
 * checked when the app registers its functions: an invalid one stops the app from starting with a
 * message that names the setting. The mode is read again at each firing, from the same app
 * settings, so what a firing does never depends on when this module was loaded. No runOnStartup: a
 * restart must not trigger a run. With SHARD_BY_VENDOR=true a firing queues one run per vendor
 * instead (src/app/queue-fanout.ts).
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { readShardByVendor } from '../app/queue-fanout.js';
import { runScheduled } from '../app/scheduled-run.js';
import { loadRunSettings } from '../config.js';
import { loggerFor, reconcilerApp, telemetry } from './app-instance.js';

export async function reconcileTimer(timer: Timer, context: InvocationContext): Promise<void> {
  const log = loggerFor(context);
  if (timer.isPastDue) log.warn('the reconcile timer fired late (the previous run or a restart delayed it)');
  try {
    await runScheduled(reconcilerApp(), log, loadRunSettings().reconcileMode, { shardByVendor: readShardByVendor() });
  } finally {
    await telemetry.flush();
  }
}

// SHARD_BY_VENDOR is checked here too, so a bad value stops the app from starting.
readShardByVendor();
app.timer('reconcile', { schedule: loadRunSettings().reconcileSchedule, runOnStartup: false, handler: reconcileTimer });
