/**
 * The guards' settings with their documented defaults applied (docs/operations.md). Settings leave
 * a guard setting out when its app setting is not given, so the defaults live in one place.
 */
import { GUARD_DEFAULTS, type Settings } from '../../config.js';

export interface GuardPolicy {
  /** More contacts losing access in one run than this holds every removal of the run back. */
  maxDeprovisionsPerRun: number;
  /** The same, as a per cent of everyone with access today, summed over the families (technicians: the group's direct members; portal: the web role's contacts). */
  maxDeprovisionsPercent: number;
  /** Release held removals on every run (meant to be set for one run, then unset). */
  releaseHeldRemovals: boolean;
  /** Failed runs in a row after which a contact is quarantined. */
  quarantineAfterFailures: number;
}

export function guardPolicy(settings: Settings): GuardPolicy {
  return {
    maxDeprovisionsPerRun: settings.maxDeprovisionsPerRun ?? GUARD_DEFAULTS.MAX_DEPROVISIONS_PER_RUN,
    maxDeprovisionsPercent: settings.maxDeprovisionsPercent ?? GUARD_DEFAULTS.MAX_DEPROVISIONS_PERCENT,
    releaseHeldRemovals: settings.releaseHeldRemovals ?? GUARD_DEFAULTS.RELEASE_HELD_REMOVALS,
    quarantineAfterFailures: settings.quarantineAfterFailures ?? GUARD_DEFAULTS.QUARANTINE_AFTER_FAILURES,
  };
}
