/**
 * RECONCILE_MODE: whether the timer may change the tenant (issue 16, "Safe first deployment").
 *
 * - `plan` (the default, and what docs/deploy/main.bicep sets on a fresh deploy): each firing builds
 *   the dry-run report of the whole tenant and records it in the run history as a dry run with
 *   trigger `timer`. It changes nothing, so a first deployment cannot hurt before anyone has read
 *   a report.
 * - `apply`: each firing applies, as the timer always did.
 *
 * Only the timer reads it: a manual run (POST /api/run, the CLI) says `dryRun` itself. The value is
 * compared exactly (after trimming), because a near miss such as `Apply` or `applied` is more likely
 * a typo than a decision to change the tenant, and guessing either way would be wrong for someone.
 */
import type { Env } from '../config-readers.js';

export type ReconcileMode = 'plan' | 'apply';

export const RECONCILE_MODES: readonly ReconcileMode[] = ['plan', 'apply'];

/** What a fresh deployment does until an admin sets RECONCILE_MODE=apply. */
export const DEFAULT_RECONCILE_MODE: ReconcileMode = 'plan';

export type ReconcileModeReading = { mode: ReconcileMode; problem?: undefined } | { mode?: undefined; problem: string };

/**
 * The mode from the app settings, or the problem to list with the other run settings' problems
 * (src/config.ts loadRunSettings reports them together as SETTINGS_INVALID). Unset or blank is the
 * default, `plan`.
 */
export function readReconcileMode(env: Env): ReconcileModeReading {
  const raw = env.RECONCILE_MODE?.trim();
  if (raw === undefined || raw === '') return { mode: DEFAULT_RECONCILE_MODE };
  if ((RECONCILE_MODES as readonly string[]).includes(raw)) return { mode: raw as ReconcileMode };
  return {
    problem:
      `RECONCILE_MODE must be "plan" (the timer only reports) or "apply" (the timer changes the tenant); got "${raw}". ` +
      'Leave it "plan" until the reports read right, then set it to "apply".',
  };
}

/** Whether the timer's runs of this mode are dry runs. */
export function timerDryRun(mode: ReconcileMode): boolean {
  return mode !== 'apply';
}
