/** What an apply did, change by change, and the run record stored with the run history. */
import type { ErrorInfo, Plan, ProvisioningStatus, RunScope } from './plan.js';

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
  contactId: string;
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
  trigger: 'timer' | 'manual' | 'cli';
  scope: RunScope;
  startedAt: string;
  finishedAt: string;
  outcome: RunOutcome;
  /** A run-level error (configuration, lost lock, deadline); contact errors live on the contacts. */
  error?: ErrorInfo;
  plan: Plan;
  results: ChangeResult[];
  /** Each contact's status after the run (what was written on the contact). */
  statuses: Record<string, ProvisioningStatus>;
  /** How the run observed the tenant; absent when it could not observe, and on records stored before it existed. */
  observation?: RunObservation;
}
