/**
 * Quarantine: a contact that fails run after run is backed off, so one broken technician does not
 * cost requests (and log noise) every hour
 * (learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-quarantine-status,
 * learn.microsoft.com/entra/identity/app-provisioning/how-provisioning-works: Entra retries a failing
 * object "gradually scaling back the frequency", 6 h → 12 h → 24 h then daily).
 *
 * Scaled to an hourly loop: after QUARANTINE_AFTER_FAILURES failed runs in a row (default 3) the
 * contact waits 1 h before its next attempt, then 2 h, 4 h, 8 h, 16 h, and 24 h from then on. The
 * state lives on the contact (o25fs_consecutivefailures, o25fs_nextattemptat), written with the
 * status and only when it changes, so it survives between runs and the vendor admin sees it.
 *
 * - The guard (before apply) holds back every change of a contact whose next attempt is still to
 *   come (code QUARANTINED, status quarantined). A run scoped to named contacts is not held back:
 *   an admin who asks for a contact explicitly wants it tried now.
 * - After apply, `afterRun` counts the run for each contact: failed, succeeded (resets the counter)
 *   or neither (held back by another guard, not reached, throttled: the counter stays).
 */
import type { SubjectPlan, ErrorInfo, Plan, ProvisioningStatus } from '../../model/plan.js';
import type { ChangeResult } from '../../model/run.js';
import type { PlanGuard } from '../seams.js';
import { applyGuardEdits, NO_LICENCE_UNITS, QUARANTINED, type Hold } from './hold.js';
import { guardPolicy } from './policy.js';

export const QUARANTINE_FIRST_BACKOFF_MS = 60 * 60_000;
export const QUARANTINE_MAX_BACKOFF_MS = 24 * 60 * 60_000;

/** The wait after the `failures`-th failed run in a row (failures ≥ after): 1 h doubling, at most 24 h. */
export function backoffMs(failures: number, after: number): number {
  const doublings = Math.max(0, failures - after);
  return Math.min(QUARANTINE_FIRST_BACKOFF_MS * 2 ** Math.min(doublings, 16), QUARANTINE_MAX_BACKOFF_MS);
}

/** ISO 8601 UTC to the second, as Dataverse stores a date and time. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Whether this contact's changes wait: failed often enough and its next attempt is still to come. */
export function isQuarantined(contact: SubjectPlan, now: Date, after: number): boolean {
  const next = Date.parse(contact.storedNextAttemptAt ?? '');
  return (contact.storedFailures ?? 0) >= after && !Number.isNaN(next) && next > now.getTime();
}

export function retryAction(contactId: string, nextAttemptAt: string): string {
  return (
    `Fix what the last error says; the first run after ${nextAttemptAt} tries again, and a success ends the quarantine. ` +
    `To try now, run for this contact alone: \`vendor-reconciler apply --contact ${contactId}\` or POST /api/run with {"contactIds": ["${contactId}"]}.`
  );
}

export const quarantineGuard: PlanGuard = {
  guard(plan: Plan, { settings, now }) {
    if (plan.scope.kind === 'subjects') return plan;
    const after = guardPolicy(settings).quarantineAfterFailures;
    const holds = new Map<string, Hold>();
    const subjects = new Map<string, Partial<SubjectPlan>>();
    for (const cp of plan.subjects) {
      if (cp.error || !isQuarantined(cp, now, after)) continue;
      const own = plan.changes.filter((c) => c.subject.id === cp.subject.id && !c.blocked);
      if (own.length === 0) continue; // nothing left to do: the contact has converged, the run resets it
      const next = cp.storedNextAttemptAt!;
      const failures = cp.storedFailures ?? 0;
      const action = retryAction(cp.subject.id, next);
      const hold: Hold = { code: QUARANTINED, reason: `Quarantined after ${failures} failed runs in a row; not attempted before ${next}.`, action };
      for (const c of own) holds.set(c.id, hold);
      const error: ErrorInfo = {
        class: 'contact',
        code: QUARANTINED,
        message: `Failed in ${failures} runs in a row, so it is quarantined: no attempt before ${next}. Last error: ${cp.storedError ?? 'not recorded'}`,
        action,
      };
      subjects.set(cp.subject.id, { status: 'quarantined', error });
    }
    return applyGuardEdits(plan, { holds, subjects });
  },
};

// ── After the run ────────────────────────────────────────────────────────────────────────────

export interface QuarantineState {
  failures: number;
  nextAttemptAt: string | null;
}

/**
 * Failures that are not the contact's doing: capacity (the licence guard's business), the run's
 * deadline, Entra still replicating a new guest, and the Dataverse user on its way (waiting is a
 * state, not an error).
 */
const NOT_THE_CONTACT = new Set([NO_LICENCE_UNITS, 'RUN_DEADLINE', 'OBJECT_NOT_FOUND_YET', 'DATAVERSE_USER_NOT_LICENSED', 'DATAVERSE_USER_NOT_CREATED_YET']);

/** A transient failure counts for the contact, unless the run saw a service-wide outage (see `isOutage`). */
function counts(error: ErrorInfo | undefined, outage: boolean): boolean {
  if (!error || NOT_THE_CONTACT.has(error.code)) return false;
  return error.class === 'contact' || (error.class === 'transient' && !outage);
}

/**
 * More than 40 % of the contacts that had changes applied failed with a transient error, and at
 * least 5 of them: the service is down, not these contacts (Entra quarantines the job, not each
 * object, past a 40 % failure share:
 * learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-quarantine-status).
 * Such a run counts for nobody.
 */
export function isOutage(results: readonly ChangeResult[]): boolean {
  const attempted = new Set<string>();
  const transient = new Set<string>();
  for (const r of results) {
    if (r.outcome === 'applied' || r.outcome === 'failed') attempted.add(r.subjectKey);
    if (r.outcome === 'failed' && r.error?.class === 'transient') transient.add(r.subjectKey);
  }
  return transient.size >= 5 && transient.size * 100 > attempted.size * 40;
}

export type RunVerdict = 'failed' | 'succeeded' | 'neither';

export function verdictOf(contact: SubjectPlan, results: readonly ChangeResult[], outage: boolean): RunVerdict {
  // A contact the plan could not handle (bad email, ambiguous match) costs no request: it is
  // re-checked for free every run and shown as an error; a fix takes effect on the next run.
  if (contact.error) return 'neither';
  if (results.some((r) => r.outcome === 'failed' && counts(r.error, outage))) return 'failed';
  if (results.every((r) => r.outcome === 'applied')) return 'succeeded';
  return 'neither';
}

/**
 * The contact's status and counters after an apply. `final` is what status.ts decided without
 * quarantine; a contact that reaches the limit becomes `quarantined` (its error stays the last error).
 */
export function afterRun(
  contact: SubjectPlan,
  final: { status: ProvisioningStatus; error: string | null },
  results: readonly ChangeResult[],
  context: { now: Date; after: number; outage: boolean },
): { status: ProvisioningStatus; error: string | null } & QuarantineState {
  const stored: QuarantineState = { failures: contact.storedFailures ?? 0, nextAttemptAt: contact.storedNextAttemptAt ?? null };
  if (contact.error?.code === QUARANTINED) return { ...final, ...stored };
  const verdict = verdictOf(contact, results, context.outage);
  if (verdict === 'succeeded') return { ...final, failures: 0, nextAttemptAt: null };
  if (verdict === 'neither') return { ...final, ...stored };
  const failures = stored.failures + 1;
  if (failures < context.after) return { ...final, failures, nextAttemptAt: null };
  const nextAttemptAt = isoSeconds(context.now.getTime() + backoffMs(failures, context.after));
  return { status: 'quarantined', error: final.error, failures, nextAttemptAt };
}
