/**
 * The reconcile loop: observe → desired → diff → plan → guard → apply → report, over every
 * configured family (src/engine/family.ts): one observation, each family's plan merged into one
 * Plan, the guards once over the merged plan, one apply, then each family's status writes.
 *
 * One options object carries every dependency (settings, clients, clock, ids), so the timer
 * function, the HTTP trigger, the CLI and the tests build the same engine. A run never throws for a
 * contact's problem: it returns a RunRecord whose outcome and results say what happened. It throws
 * only when it cannot observe at all (the services are unreachable after retries).
 */
import { randomUUID } from 'node:crypto';
import type { DataverseApi, GraphApi, PowerPlatformApi } from '../clients/types.js';
import { noFamilyError, type Settings } from '../config.js';
import { asReconcilerError, ReconcilerError } from '../model/errors.js';
import type { Observation } from '../model/observation.js';
import { PLAN_VERSION, type Plan, type RunScope } from '../model/plan.js';
import type { ChangeResult, RunObservation, RunOutcome, RunRecord } from '../model/run.js';
import { applyPlan } from './apply.js';
import { configuredFamilies, type Family } from './family.js';
import { kindRegistryOf } from './kind-registry.js';
import { guardPolicy } from './guards/policy.js';
import { observe } from './observe.js';
import { tallied, type ReadTally } from './read-tally.js';
import { createApplyDeps } from './operations.js';
import { buildPlan } from './plan.js';
import { noopGuard, noopHistory, noopTelemetry, type Observer, type PlanGuard, type RunHistory, type RunOverrides, type RunProgress, type RunTelemetry } from './seams.js';
import { finalStatuses, statusWrites, WAITING_CODES } from './status.js';

export interface EngineOptions {
  settings: Settings;
  graph: GraphApi;
  dataverse: DataverseApi;
  /** The Power Platform admin API, when DATAVERSE_USER_ON_DEMAND is on (src/clients/power-platform-client.ts). */
  powerPlatform?: PowerPlatformApi;
  guard?: PlanGuard;
  history?: RunHistory;
  telemetry?: RunTelemetry;
  observer?: Observer;
  now?: () => Date;
  newRunId?: () => string;
  /**
   * The families the engine knows; those whose settings are absent are off. The engine imports no
   * family: src/engine/compose.ts passes the product's (src/families.ts).
   */
  families: readonly Family[];
}

export interface RunRequest {
  scope: RunScope;
  dryRun: boolean;
  trigger: RunRecord['trigger'];
  /** Epoch ms after which the run starts nothing new. */
  deadline?: number;
  overrides?: RunOverrides;
  /** Use this run id (the HTTP trigger announces it before the run starts). */
  runId?: string;
  /**
   * Called with the guarded plan before anything is applied (dry runs too): returns the plan to
   * execute, or throws a ConfigurationError, which fails the run before any write. The CLI checks
   * its scope and a saved plan here (src/cli/saved-plan.ts); the engine knows nothing of either.
   */
  checkPlan?: (plan: Plan) => Plan | Promise<Plan>;
  /** Told where the run is (src/engine/seams.ts RunProgress); the CLI draws its progress line from it. */
  progress?: (event: RunProgress) => void;
}

const bulkObserver: Observer = { observe, last: { mode: 'full', reason: 'bulk read (no snapshot kept)' } };

export class ReconcileEngine {
  private readonly now: () => Date;
  private readonly newRunId: () => string;
  private readonly families: readonly Family[];

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? (() => new Date());
    this.newRunId = options.newRunId ?? randomUUID;
    this.families = options.families;
  }

  /** Observe, plan and guard, with no write. `observed` says how the observer read (when it tells). */
  async plan(scope: RunScope, overrides: RunOverrides = {}, onRead?: (tally: Readonly<ReadTally>) => void): Promise<{ observation: Observation; plan: Plan; observed?: RunObservation }> {
    const { settings } = this.options;
    const tally: ReadTally = { reads: 0, rows: 0, requests: 0 };
    const changed = (): void => onRead?.(tally);
    const graph = onRead ? tallied(this.options.graph, tally, changed) : this.options.graph;
    const dataverse = onRead ? tallied(this.options.dataverse, tally, changed) : this.options.dataverse;
    const now = this.now();
    const families = configuredFamilies(settings, this.families);
    // With no family on there is nothing to read for: stop before the first request.
    if (families.length === 0) throw noFamilyError();
    const observer = this.options.observer ?? bulkObserver;
    const observation = await observer.observe(graph, dataverse, settings, now, families);
    const observed = observer.last ? { mode: observer.last.mode, reason: observer.last.reason } : undefined;
    const plan = buildPlan(observation, settings, scope, { families: this.families });
    return { observation, plan: (this.options.guard ?? noopGuard).guard(plan, { observation, settings, families, overrides, now }), ...(observed ? { observed } : {}) };
  }

  /** A run, recorded in the run history and reported to telemetry whatever its outcome. */
  async run(request: RunRequest): Promise<RunRecord> {
    const started = Date.now();
    const telemetry = this.options.telemetry ?? noopTelemetry;
    let record: RunRecord;
    try {
      record = await this.execute(request);
    } catch (err) {
      telemetry.exception(err, { trigger: request.trigger });
      throw err;
    }
    await (this.options.history ?? noopHistory).save(record);
    telemetry.runFinished(record, Date.now() - started);
    return record;
  }

  private async execute(request: RunRequest): Promise<RunRecord> {
    const runId = request.runId ?? this.newRunId();
    const startedAt = this.now().toISOString();
    const base = { runId, mode: request.dryRun ? ('dry-run' as const) : ('apply' as const), trigger: request.trigger, scope: request.scope, startedAt };

    let plan: Plan;
    let observed: RunObservation | undefined;
    const progress = request.progress ?? ((): void => undefined);
    try {
      progress({ phase: 'observe', state: 'started' });
      const onRead = request.progress ? (t: Readonly<ReadTally>): void => progress({ phase: 'observe', state: 'progress', ...t }) : undefined;
      ({ plan, observed } = await this.plan(request.scope, request.overrides, onRead));
      progress({ phase: 'observe', state: 'finished' });
      if (request.checkPlan) plan = await request.checkPlan(plan);
      progress({ phase: 'plan', state: 'finished', plan });
    } catch (err) {
      // A configuration error found while planning (unknown SKU, missing group) stops the run
      // with one message instead of failing every contact.
      if (!(err instanceof ReconcilerError) || err.errorClass !== 'configuration') throw err;
      return { ...base, finishedAt: this.now().toISOString(), outcome: 'failed', error: err.toJSON(), plan: emptyPlan(request.scope, this.now()), results: [], statuses: {} };
    }

    if (request.dryRun) {
      const statuses = finalStatuses(plan, null);
      return { ...base, finishedAt: this.now().toISOString(), outcome: plan.stoppedFamilies ? 'partial' : 'succeeded', plan, results: [], statuses: Object.fromEntries([...statuses].map(([id, s]) => [id, s.status])), ...(observed ? { observation: observed } : {}) };
    }

    const { graph, dataverse, settings } = this.options;
    const planned = plan;
    progress({ phase: 'apply', state: 'started', plan, results: [] });
    const applied = await applyPlan(plan, {
      ...createApplyDeps(settings, graph, dataverse, kindRegistryOf(this.families), this.options.powerPlatform),
      ...(request.deadline !== undefined ? { deadline: request.deadline } : {}),
      now: () => this.now().getTime(),
      ...(request.progress ? { onWave: (results: readonly ChangeResult[]) => progress({ phase: 'apply', state: 'progress', plan: planned, results }) } : {}),
    });
    progress({ phase: 'apply', state: 'finished', plan, results: applied.results });
    const statuses = finalStatuses(plan, applied.results, { now: this.now(), after: guardPolicy(settings).quarantineAfterFailures });
    let runError = applied.runError;
    try {
      const writes = statusWrites(plan, statuses, configuredFamilies(settings, this.families).map((f) => f.family));
      progress({ phase: 'status', state: 'started', writes: writes.length });
      if (writes.length > 0) await dataverse.sendMany(writes);
      progress({ phase: 'status', state: 'finished', writes: writes.length });
    } catch (err) {
      runError ??= asReconcilerError(err);
    }
    return {
      ...base,
      finishedAt: this.now().toISOString(),
      outcome: outcomeOf(applied.results, runError, plan),
      ...(runError ? { error: runError.toJSON() } : {}),
      plan,
      results: applied.results,
      statuses: Object.fromEntries([...statuses].map(([id, s]) => [id, s.status])),
      ...(observed ? { observation: observed } : {}),
    };
  }
}

/** The plan of a run that stopped before it could plan: nothing to do, nothing known. */
export function emptyPlan(scope: RunScope, now: Date): Plan {
  return {
    version: PLAN_VERSION,
    generatedAt: now.toISOString(),
    scope,
    changes: [],
    subjects: [],
    orphans: [],
    tallies: [],
    summary: { changesByKind: {}, subjectsByStatus: {}, licences: [], orphans: 0, blockedRemovals: 0, errors: 0 },
  };
}

/**
 * A family stopped by its configuration (plan.stoppedFamilies) makes the run partial at best. A
 * change that failed only because another system is not there yet (WAITING_CODES) leaves its
 * subject waiting, which is not a failed run.
 */
function outcomeOf(results: ChangeResult[], runError: ReconcilerError | undefined, plan: Plan): RunOutcome {
  if (runError?.errorClass === 'configuration') return 'failed';
  if (runError) return 'stopped';
  return results.some((r) => r.outcome === 'failed' && !WAITING_CODES.has(r.error?.code ?? '')) || plan.stoppedFamilies ? 'partial' : 'succeeded';
}
