/**
 * The engine's seams. Each is an interface with a no-op version (crossplane-runtime style), so the
 * engine runs with none of them and each can be tested and swapped alone:
 *
 * - PlanGuard: holds changes back before apply (removal threshold, licence capacity, quarantine).
 * - RunHistory: where run records live (blobs in Azure; memory in tests) and what earlier runs knew.
 * - RunTelemetry: one event per run, exceptions (Application Insights in Azure).
 * - Observer: how a run reads the tenant (bulk by default; incremental with delta tokens).
 */
import type { DataverseApi, GraphApi } from '../clients/types.js';
import type { Settings } from '../config.js';
import type { Observation } from '../model/observation.js';
import type { Plan } from '../model/plan.js';
import type { ConfiguredFamily } from './family.js';
import type { ChangeResult, RunObservation, RunRecord } from '../model/run.js';

/** What an admin asked for explicitly on this run. */
export interface RunOverrides {
  /** Release removals held back by the threshold guard (MAX_DEPROVISIONS_PER_RUN / percentage). */
  releaseRemovals?: boolean;
}

export interface GuardContext {
  observation: Observation;
  settings: Settings;
  /** The families the plan merged (src/engine/family.ts): the configured ones, their settings with them. */
  families: readonly ConfiguredFamily[];
  overrides: RunOverrides;
  now: Date;
}

export interface PlanGuard {
  /** Returns the plan with held-back changes marked `blocked` (and the summary updated). Pure. */
  guard(plan: Plan, context: GuardContext): Plan;
}

export const noopGuard: PlanGuard = { guard: (plan) => plan };

export interface RunHistory {
  save(record: RunRecord): Promise<void>;
  get(runId: string): Promise<RunRecord | undefined>;
  /** The newest finished apply run, for the report's "last run" line. */
  latest(): Promise<RunRecord | undefined>;
}

export const noopHistory: RunHistory = {
  save: () => Promise.resolve(),
  get: () => Promise.resolve(undefined),
  latest: () => Promise.resolve(undefined),
};

export interface RunTelemetry {
  runFinished(record: RunRecord, durationMs: number): void;
  exception(error: unknown, properties?: Record<string, string>): void;
}

export const noopTelemetry: RunTelemetry = { runFinished: () => undefined, exception: () => undefined };

export interface Observer {
  /** `families`: the configured families, whose tables and lookups make the observation (src/engine/observe.ts). */
  observe(graph: GraphApi, dataverse: DataverseApi, settings: Settings, now: Date, families: readonly ConfiguredFamily[]): Promise<Observation>;
  /** How the last observe() read (full or incremental, and why); the engine copies it into the run record. */
  readonly last?: RunObservation | undefined;
}

/**
 * Where a run is, for a caller that shows progress (the CLI's stderr line, src/cli/progress.ts).
 * Emitted by the engine when the caller asks (RunRequest.progress); a listener must not throw.
 * `apply` comes after each wave with every result so far; the plan says which service each change
 * goes to, so a listener can count per service.
 */
export type RunProgress =
  | { phase: 'observe'; state: 'started' | 'finished' }
  /** After each read while observing: what has been read so far (src/engine/read-tally.ts). */
  | { phase: 'observe'; state: 'progress'; reads: number; rows: number; requests: number }
  | { phase: 'plan'; state: 'finished'; plan: Plan }
  | { phase: 'apply'; state: 'started' | 'progress' | 'finished'; plan: Plan; results: readonly ChangeResult[] }
  | { phase: 'status'; state: 'started' | 'finished'; writes: number };
