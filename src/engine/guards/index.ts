/**
 * The guards every run passes between plan and apply, in this order:
 *
 * 1. quarantine: a contact failing run after run waits (its changes are held back);
 * 2. licence capacity: no more licence.assign than free units (the oldest contacts first);
 * 3. removal threshold: too many contacts losing access at once → every removal is held back.
 *
 * Each guard sees only changes no earlier guard held back: a quarantined contact's removal is not
 * counted against the threshold, and its licence does not take a unit. docs/operations.md.
 */
import type { PlanGuard } from '../seams.js';
import { licenceCapacityGuard } from './licence-capacity.js';
import { quarantineGuard } from './quarantine.js';
import { removalThresholdGuard } from './removal-threshold.js';

export { NO_LICENCE_UNITS, QUARANTINED, REMOVALS_HELD } from './hold.js';
export { guardPolicy, type GuardPolicy } from './policy.js';
export { licenceCapacityGuard, quarantineGuard, removalThresholdGuard };

export function combineGuards(...guards: PlanGuard[]): PlanGuard {
  return { guard: (plan, context) => guards.reduce((p, g) => g.guard(p, context), plan) };
}

export const defaultGuard: PlanGuard = combineGuards(quarantineGuard, licenceCapacityGuard, removalThresholdGuard);
