/**
 * The timer: a whole-tenant apply on RECONCILE_SCHEDULE (default hourly, `0 0 * * * *`). The
 * schedule is read when the app registers its functions; an invalid one stops the app from starting
 * with a message that names the setting. No runOnStartup: a restart must not trigger a run.
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { runScheduled } from '../app/scheduled-run.js';
import { loadRunSettings } from '../config.js';
import { loggerFor, reconcilerApp, telemetry } from './app-instance.js';

export async function reconcileTimer(timer: Timer, context: InvocationContext): Promise<void> {
  const log = loggerFor(context);
  if (timer.isPastDue) log.warn('the reconcile timer fired late (the previous run or a restart delayed it)');
  try {
    await runScheduled(reconcilerApp(), log);
  } finally {
    await telemetry.flush();
  }
}

app.timer('reconcile', { schedule: loadRunSettings().reconcileSchedule, runOnStartup: false, handler: reconcileTimer });
