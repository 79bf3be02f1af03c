/**
 * Apply: execute a plan's changes in dependency order, as few requests as the batch limits allow.
 *
 * Changes are grouped in waves by dependency depth (a change's wave is one more than the deepest
 * change it depends on). Each wave's Graph requests go out through GraphApi.sendMany ($batch of 20)
 * and its Dataverse requests through DataverseApi.sendMany ($batch, continue-on-error), both at
 * once. Ids created in one wave (the invited user's id) are resolved for the next.
 *
 * One subject's failure never stops the others: a failed change skips only its own dependents. A
 * ConfigurationError (missing permission, unknown SKU) stops the run after the current wave, and
 * a run deadline stops it cleanly; everything not reached is reported as such.
 */
import type { DataverseApi, GraphApi, ServiceRequest, ServiceResponse } from '../clients/types.js';
import { asReconcilerError, TransientError, type ReconcilerError } from '../model/errors.js';
import type { Change, Plan } from '../model/plan.js';
import { subjectKey, type ChangeResult } from '../model/run.js';

export interface ApplyDeps {
  graph: GraphApi;
  dataverse: DataverseApi;
  /** Builds the request for a change; ids created earlier in the run are resolved through `createdId`. */
  toRequest(change: Change, createdId: (changeId: string) => string | undefined): ServiceRequest;
  /** Reads the id of the object a successful create made (user id from an invitation, row id). */
  createdIdOf(change: Change, response: ServiceResponse): string | undefined;
  /** Null when the response means success (or "already done"), else the error for this change. */
  errorOf(change: Change, request: ServiceRequest, response: ServiceResponse): ReconcilerError | null;
  /**
   * Whether a change creates something that may already exist under another id (an invitation: a
   * user with the email may be there already); such changes are looked up with `findExisting` first.
   * Filled from the kinds' `findExisting` (src/engine/kind.ts). Optional, as is `findExisting`.
   */
  looksUp?(change: Change): boolean;
  /**
   * Called before a wave's changes that `looksUp`: returns, per change id, the id of the existing
   * object (adopted instead of created: crash safety, never invite twice) or the error that stops it.
   */
  findExisting?(changes: Change[]): Promise<Map<string, string | ReconcilerError>>;
  /** Epoch ms after which no new wave starts. */
  deadline?: number;
  now?: () => number;
  /** Called after each wave with every result so far (for progress; must not throw). */
  onWave?(results: readonly ChangeResult[]): void;
}

export interface ApplyOutcome {
  results: ChangeResult[];
  /** Set when the run stopped early (configuration error, deadline). */
  runError?: ReconcilerError;
}

export function waves(changes: Change[]): Change[][] {
  const depth = new Map<string, number>();
  const byId = new Map(changes.map((c) => [c.id, c]));
  const depthOf = (c: Change): number => {
    const known = depth.get(c.id);
    if (known !== undefined) return known;
    const d = c.dependsOn.reduce((max, dep) => {
      const parent = byId.get(dep);
      return parent ? Math.max(max, depthOf(parent) + 1) : max;
    }, 0);
    depth.set(c.id, d);
    return d;
  };
  const out: Change[][] = [];
  for (const c of changes) (out[depthOf(c)] ??= []).push(c);
  return out.filter((w) => w.length > 0);
}

export async function applyPlan(plan: Plan, deps: ApplyDeps): Promise<ApplyOutcome> {
  const now = deps.now ?? Date.now;
  const results = new Map<string, ChangeResult>();
  const created = new Map<string, string>();
  let runError: ReconcilerError | undefined;
  const record = (c: Change, r: Omit<ChangeResult, 'changeId' | 'subjectKey'>): void => {
    results.set(c.id, { changeId: c.id, subjectKey: subjectKey(c.subject), ...r });
  };

  for (const wave of waves(plan.changes)) {
    if (!runError && deps.deadline !== undefined && now() >= deps.deadline) {
      runError = new TransientError(
        'RUN_DEADLINE',
        'The run reached its deadline before it finished; the changes it did not reach are listed as not reached.',
        'Nothing to do: the next run continues. If it keeps happening, raise RUN_DEADLINE_SECONDS or run more often.',
      );
    }
    const ready: Change[] = [];
    for (const c of wave) {
      if (c.blocked) record(c, { outcome: 'blocked', error: { class: 'contact', code: c.blocked.code, message: c.blocked.reason, action: c.blocked.action ?? 'An admin can release held-back removals with the override.' } });
      else if (runError) record(c, { outcome: 'not_reached' });
      else if (c.dependsOn.some((d) => results.get(d)?.outcome !== 'applied')) record(c, { outcome: 'skipped' });
      else ready.push(c);
    }
    if (ready.length === 0) continue;

    const toSend = await adoptExisting(ready, deps, created, record);
    const graphChanges = toSend.filter((c) => c.target.service === 'graph');
    const dataverseChanges = toSend.filter((c) => c.target.service === 'dataverse');
    const outcomes = await Promise.all([
      sendAll(graphChanges, (reqs) => deps.graph.sendMany(reqs), deps, created, record),
      sendAll(dataverseChanges, (reqs) => deps.dataverse.sendMany(reqs), deps, created, record),
    ]);
    runError ??= outcomes.find((e) => e !== undefined);
    deps.onWave?.([...results.values()]);
  }
  return { results: plan.changes.map((c) => results.get(c.id)!), ...(runError ? { runError } : {}) };
}

/** Creates of something that already exists (an invitation whose email has a user) are not sent: it is adopted instead. */
async function adoptExisting(
  ready: Change[],
  deps: ApplyDeps,
  created: Map<string, string>,
  record: (c: Change, r: Omit<ChangeResult, 'changeId' | 'subjectKey'>) => void,
): Promise<Change[]> {
  const lookups = deps.looksUp && deps.findExisting ? ready.filter((c) => deps.looksUp!(c)) : [];
  if (lookups.length === 0 || !deps.findExisting) return ready;
  const found = await deps.findExisting(lookups);
  return ready.filter((c) => {
    const hit = found.get(c.id);
    if (hit === undefined) return true;
    if (typeof hit === 'string') {
      created.set(c.id, hit);
      record(c, { outcome: 'applied', createdId: hit });
    } else {
      record(c, { outcome: 'failed', error: hit.toJSON() });
    }
    return false;
  });
}

async function sendAll(
  changes: Change[],
  send: (requests: ServiceRequest[]) => Promise<ServiceResponse[]>,
  deps: ApplyDeps,
  created: Map<string, string>,
  record: (c: Change, r: Omit<ChangeResult, 'changeId' | 'subjectKey'>) => void,
): Promise<ReconcilerError | undefined> {
  if (changes.length === 0) return undefined;
  const requests: ServiceRequest[] = [];
  const sendable: Change[] = [];
  for (const c of changes) {
    try {
      requests.push(deps.toRequest(c, (id) => created.get(id)));
      sendable.push(c);
    } catch (err) {
      record(c, { outcome: 'failed', error: asReconcilerError(err).toJSON() });
    }
  }
  let responses: ServiceResponse[];
  try {
    responses = await send(requests);
  } catch (err) {
    // The client could not get answers (throttled past its retries, deadline, network): these
    // changes did not happen as far as we know; the next run re-plans them.
    const e = asReconcilerError(err);
    for (const c of sendable) record(c, { outcome: 'failed', error: e.toJSON() });
    return e.errorClass === 'configuration' || e.code === 'RUN_DEADLINE' ? e : undefined;
  }
  let runError: ReconcilerError | undefined;
  sendable.forEach((c, i) => {
    const response = responses[i]!;
    const error = deps.errorOf(c, requests[i]!, response);
    if (!error) {
      const id = deps.createdIdOf(c, response);
      if (id) created.set(c.id, id);
      record(c, { outcome: 'applied', ...(id ? { createdId: id } : {}) });
      return;
    }
    record(c, { outcome: 'failed', error: error.toJSON() });
    if (error.errorClass === 'configuration') runError ??= error;
  });
  return runError;
}
