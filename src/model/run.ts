/** What an apply did, change by change, and the run record stored with the run history. */
import type { ErrorInfo, Plan, ProvisioningStatus, RunScope, Subject } from './plan.js';

/**
 * A subject named across families: `${family}/${id}`, e.g. `technicians/3f2504e0-…`. A subject id is
 * unique within its family (a family plans one row per subject), not across families, so results
 * and statuses name the family too. Family names hold no `/`; the id is everything after the first.
 */
export type SubjectKey = string;

export function subjectKey(subject: Pick<Subject, 'family' | 'id'>): SubjectKey {
  return `${subject.family}/${subject.id}`;
}

/** The family and id a key names; null for a string that is no subject key (no `/`, e.g. a bare v1 id). */
export function parseSubjectKey(key: string): { family: string; id: string } | null {
  const slash = key.indexOf('/');
  if (slash <= 0 || slash === key.length - 1) return null;
  return { family: key.slice(0, slash), id: key.slice(slash + 1) };
}

export type ChangeOutcome =
  /** The service confirmed it. */
  | 'applied'
  /** The service refused it or it could not be sent; `error` says why and what to do. */
  | 'failed'
  /** A change it depends on failed, so it was not sent. */
  | 'skipped'
  /** Held back by a guard (threshold, licence capacity); `error` carries the guard's reason. */
  | 'blocked'
  /** The run stopped (deadline, lost lock, configuration error) before reaching it. */
  | 'not_reached';

export interface ChangeResult {
  changeId: string;
  /** The change's subject (subjectKey of Change.subject); run records before families had `contactId`. */
  subjectKey: SubjectKey;
  outcome: ChangeOutcome;
  error?: ErrorInfo;
  /** Id of the object the change created (user id from an invitation, bookable resource id). */
  createdId?: string;
}

export type RunOutcome = 'succeeded' | 'partial' | 'failed' | 'stopped';

/** How a run read the tenant: everything, or the changes since the last run (docs/incremental.md). */
export interface RunObservation {
  mode: 'full' | 'incremental';
  /** Why, e.g. `no snapshot`, `changes since <time>`, `the contacts token was refused (410 …)`. */
  reason: string;
}

export interface RunRecord {
  runId: string;
  mode: 'apply' | 'dry-run';
  /** `webhook`: a Dataverse notification; `follow-up`: re-run of contacts a queued run left waiting (src/app/queue-webhook.ts). */
  trigger: 'timer' | 'manual' | 'cli' | 'webhook' | 'follow-up';
  scope: RunScope;
  startedAt: string;
  finishedAt: string;
  outcome: RunOutcome;
  /** A run-level error (configuration, lost lock, deadline); a subject's errors live on its SubjectPlan and results. */
  error?: ErrorInfo;
  plan: Plan;
  results: ChangeResult[];
  /**
   * Each subject's status after the run (what its family wrote on its source row), by SubjectKey.
   * Records stored before families were keyed by the bare contact id; src/history/ upgrades them.
   */
  statuses: Record<SubjectKey, ProvisioningStatus>;
  /** How the run observed the tenant; absent when it could not observe, and on records stored before it existed. */
  observation?: RunObservation;
}
