/**
 * The removal threshold: a circuit breaker on access removals, evaluated per run.
 *
 * Like Entra provisioning's accidental-deletions prevention and Entra Connect's "prevent accidental
 * deletes" (learn.microsoft.com/entra/identity/app-provisioning/accidental-deletions,
 * learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-sync-feature-prevent-accidental-deletes),
 * it blocks the whole destructive batch, never a
 * random part of it: when more contacts would lose access in one run than the limit, EVERY removal
 * of the run (licence.remove, group.remove, bookableresource.deactivate) is held back and listed,
 * while every other change still applies. An admin releases them explicitly (a CLI flag, a field in
 * POST /api/run's body, or RELEASE_HELD_REMOVALS for one run).
 *
 * The unit is the contact, not the call: a technician losing licence, membership and bookable
 * resource counts once ("deprovisions per run"). The limit is exceeded when the count is above
 * MAX_DEPROVISIONS_PER_RUN, or above MAX_DEPROVISIONS_PERCENT of the technicians with access
 * today, counted as the technician group's direct members at the start of the run (tenant-wide,
 * whatever the run's scope, so a run for one vendor is judged against the same number). The
 * percentage never holds back a single deprovision (its limit is at least 1); the count does when
 * MAX_DEPROVISIONS_PER_RUN=0, which makes every removal wait for an admin.
 */
import type { Plan, SubjectPlan } from '../../model/plan.js';
import { kindRegistryOf } from '../kind-registry.js';
import type { Observation } from '../../model/observation.js';
import type { ConfiguredFamily } from '../family.js';
import type { PlanGuard } from '../seams.js';
import { applyGuardEdits, REMOVALS_HELD, type Hold } from './hold.js';
import { guardPolicy, type GuardPolicy } from './policy.js';

export interface RemovalCount {
  /** Subjects (of every family) with at least one removal not already held back by another guard, in plan order. */
  subjectIds: string[];
  /** Subjects with access today, summed over the families (technicians: direct members of the technician group). */
  withAccess: number;
  /** The percentage as a number of contacts: floor(withAccess × percent / 100), at least 1. */
  percentLimit: number;
  over: boolean;
}

/** The change kinds the families' kinds declare as removals (src/engine/kind.ts `removal`). */
function removalKinds(families: readonly ConfiguredFamily[]): ReadonlySet<string> {
  return new Set(families.flatMap((f) => [...kindRegistryOf([f.family]).removals]));
}

export function countRemovals(plan: Plan, observation: Observation, policy: GuardPolicy, families: readonly ConfiguredFamily[]): RemovalCount {
  const removals = removalKinds(families);
  const subjectIds = [...new Set(plan.changes.filter((c) => removals.has(c.kind) && !c.blocked).map((c) => c.subject.id))];
  const withAccess = families.reduce((n, f) => n + f.family.withAccess(observation, f.settings), 0);
  // At least one: a tenant of a handful of technicians can still lose one without an admin.
  const percentLimit = Math.max(1, Math.floor((withAccess * policy.maxDeprovisionsPercent) / 100));
  const n = subjectIds.length;
  return { subjectIds, withAccess, percentLimit, over: n > 0 && (n > policy.maxDeprovisionsPerRun || n > percentLimit) };
}

export const RELEASE_ACTION =
  'Check the removals listed in the report. If they are right, release them: run `vendor-reconciler apply --release-removals`, ' +
  'POST /api/run with {"releaseRemovals": true}, or set RELEASE_HELD_REMOVALS=true for one run and unset it after. ' +
  'If they are not right, fix what caused them (contacts deactivated by mistake, a bad import); the next run no longer plans them.';

/**
 * Written on every held contact, so it names only what an admin changes (the count, the settings),
 * not the number of technicians with access, which moves a little every run and would rewrite them all.
 */
export function heldReason(count: RemovalCount, policy: GuardPolicy): string {
  const n = count.subjectIds.length;
  const who = n === 1 ? '1 contact would lose access' : `${n} contacts would lose access`;
  return (
    `${who} in this run (limit ${policy.maxDeprovisionsPerRun} per run / ${policy.maxDeprovisionsPercent}% of everyone ` +
    'with access); every removal is held back until an admin releases them.'
  );
}

export const removalThresholdGuard: PlanGuard = {
  guard(plan, { observation, settings, overrides, families }) {
    const policy = guardPolicy(settings);
    const count = countRemovals(plan, observation, policy, families);
    if (!count.over || overrides.releaseRemovals === true || policy.releaseHeldRemovals) return plan;
    const hold: Hold = { code: REMOVALS_HELD, reason: heldReason(count, policy), action: RELEASE_ACTION };
    const affected = new Set(count.subjectIds);
    const removals = removalKinds(families);
    const holds = new Map(plan.changes.filter((c) => removals.has(c.kind) && !c.blocked && affected.has(c.subject.id)).map((c) => [c.id, hold]));
    const subjects = new Map<string, Partial<SubjectPlan>>([...affected].map((id) => [id, { status: 'removal_blocked' }]));
    return applyGuardEdits(plan, { holds, subjects });
  },
};
