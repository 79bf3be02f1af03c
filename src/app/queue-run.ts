/**
 * Runs on the run queue (issue 15): what POST /api/run and the sharded timer enqueue, what the queue
 * trigger does with a message, and what the poison trigger records. The Functions registrations
 * (src/functions/run-queue.ts) only adapt; the host's rules these handlers rely on are in host.json
 * and docs/scale.md:
 *
 * - The host deletes a message when the function returns and makes it visible again when it throws;
 *   a message that failed `maxDequeueCount` times goes to `<queue>-poison`. So the run handler
 *   throws only when the run could not be started or recorded (storage unreachable): a run that
 *   ended (succeeded, partial, failed, stopped at its deadline) is recorded and the message is done.
 * - Delivery is at least once: a message whose run is already recorded is done at once, and one
 *   whose run goes on right now (its scope's lock names it) is left to that run.
 * - A run whose scope's lock is taken is not failed (that would poison it): the message is sent
 *   again, invisible for `queueRetry.delaySeconds`, at most `queueRetry.maxDeferrals` times, and
 *   then the run is recorded as stopped with RUN_LOCK_BUSY.
 */
import { randomUUID } from 'node:crypto';
import type { RunOverrides } from '../engine/seams.js';
import { emptyPlan } from '../engine/engine.js';
import { asReconcilerError, TransientError, type ReconcilerError } from '../model/errors.js';
import type { RunScope } from '../model/plan.js';
import type { RunOutcome, RunRecord } from '../model/run.js';
import { encodeRunMessage, NotARunMessage, parseRunMessage, type RunMessage } from './queue-message.js';
import type { ReconcilerApp } from './reconciler-app.js';
import { MAX_CONTACT_IDS } from './requests.js';
import type { Logger } from './types.js';

/** What the host tells the function about the delivery (its trigger metadata). */
export interface QueueDelivery {
  /** 1 on the first delivery. */
  dequeueCount: number;
  messageId?: string;
}

export interface EnqueueRequest {
  scope: RunScope;
  dryRun: boolean;
  trigger: RunRecord['trigger'];
  overrides?: RunOverrides;
  /** Invisible this long first (a follow-up run). */
  delaySeconds?: number;
  /** A follow-up's place in its chain. */
  followUps?: number;
}

/** Records the run as queued, then enqueues it; answers its run id. */
export async function enqueueRun(app: ReconcilerApp, request: EnqueueRequest): Promise<string> {
  const queue = requireQueue(app);
  const message: RunMessage = {
    runId: randomUUID(),
    scope: request.scope,
    trigger: request.trigger,
    mode: request.dryRun ? 'dry-run' : 'apply',
    ...(request.overrides?.releaseRemovals ? { releaseRemovals: true as const } : {}),
    ...(request.followUps ? { followUps: request.followUps } : {}),
  };
  // The marker first: a run that starts at once overwrites it with "running", never the other way round.
  const queuedAt = new Date().toISOString();
  await app.history.markQueued({ runId: message.runId, mode: message.mode, trigger: message.trigger, scope: message.scope, queuedAt });
  try {
    await queue.send(encodeRunMessage(message), request.delaySeconds ?? 0);
  } catch (err) {
    // Not left "queued" for ever: the record says it never went on the queue.
    const error = new TransientError('SERVICE_UNAVAILABLE', 'The run could not be put on the run queue (the storage account did not take the message).', 'Check that the storage account is reachable, then start the run again.', { cause: err });
    await app.history.save(endedRecord(message, queuedAt, 'stopped', error)).catch(() => undefined);
    throw error;
  }
  return message.runId;
}

/** The queue trigger's work: one delivery of one run message. Resolves with the record when it ran. */
export async function executeRunMessage(app: ReconcilerApp, raw: unknown, delivery: QueueDelivery, log: Logger): Promise<RunRecord | undefined> {
  const message = parseRunMessage(raw);
  const { runId, scope } = message;
  const entry = await app.history.read(runId);
  if (entry?.status === 'finished') {
    log.info(`run ${runId}: already recorded (${entry.outcome}); this delivery ${delivery.dequeueCount} does nothing`);
    return undefined;
  }
  if (entry?.status === 'running' && entry.mode === 'apply' && (await app.lock.holder(scope)) === runId) {
    log.info(`run ${runId}: going on elsewhere (it holds its lock); this delivery ${delivery.dequeueCount} does nothing`);
    return undefined;
  }
  if (delivery.dequeueCount > 1) log.warn(`run ${runId}: delivery ${delivery.dequeueCount} (an earlier one failed or its host stopped); the run starts again`);
  const started = await app.runs.start(
    { runId, scope, dryRun: message.mode === 'dry-run', trigger: message.trigger, ...(message.releaseRemovals ? { overrides: { releaseRemovals: true } } : {}) },
    log,
  );
  if (started.started) {
    const record = await started.done;
    // The run service logs a record it could not store; here the delivery fails instead, so the
    // host delivers it again (and the poison handler records it at the end) rather than lose it.
    if ((await app.history.read(runId))?.status !== 'finished') throw new Error(`run ${runId}: the run record could not be stored; the message is delivered again`);
    await scheduleFollowUp(app, message, record, log);
    return record;
  }
  await defer(app, message, started.runningRunId, log);
  return undefined;
}

/** Statuses a run leaves a technician in that clear on their own within minutes (Dataverse's user sync, replication, licence propagation). */
const WAITING: ReadonlySet<string> = new Set(['pending', 'invited', 'waiting_for_dataverse_user']);
const FOLLOW_UP_FAMILY = 'technicians';

/** The longest a follow-up waits: past it the hourly run comes first anyway. */
const MAX_FOLLOW_UP_DELAY_SECONDS = 1800;

/**
 * The n-th follow-up of a chain waits base × 2^(n−1) seconds (60, 120, 240, … by default), at most 30
 * minutes: what a technician waits for usually clears within a minute (addUser's user appears in
 * 10–20 s, a new guest replicates in seconds), while licence propagation can take about 9 minutes,
 * so the chain looks soon first and then less and less often.
 */
export function followUpDelaySeconds(base: number, n: number): number {
  return Math.min(MAX_FOLLOW_UP_DELAY_SECONDS, base * 2 ** Math.max(0, n - 1));
}

/**
 * A queued apply that leaves technicians waiting queues one run of just those contacts, invisible
 * for followUpDelaySeconds, so they need not wait for the next hourly run. A chain stops after
 * `followUp.max` follow-ups (the hourly run takes over), and past MAX_CONTACT_IDS waiting contacts
 * (a big onboarding is the hourly run's work). Failing to queue it is logged, not fatal: the run is
 * recorded.
 */
async function scheduleFollowUp(app: ReconcilerApp, message: RunMessage, record: RunRecord, log: Logger): Promise<void> {
  if (record.mode !== 'apply' || (record.outcome !== 'succeeded' && record.outcome !== 'partial')) return;
  const prefix = `${FOLLOW_UP_FAMILY}/`;
  const waiting = Object.entries(record.statuses).filter(([key, status]) => key.startsWith(prefix) && WAITING.has(status)).map(([key]) => key.slice(prefix.length)).sort();
  if (waiting.length === 0) return;
  const followUps = (message.followUps ?? 0) + 1;
  if (followUps > app.followUp.max) {
    log.info(`run ${record.runId}: ${waiting.length} technician(s) still waiting after ${app.followUp.max} follow-up runs; the next scheduled run continues`);
    return;
  }
  if (waiting.length > MAX_CONTACT_IDS) return;
  try {
    const delaySeconds = followUpDelaySeconds(app.followUp.delaySeconds, followUps);
    const runId = await enqueueRun(app, { scope: { kind: 'subjects', family: FOLLOW_UP_FAMILY, subjectIds: waiting }, dryRun: false, trigger: 'follow-up', delaySeconds, followUps });
    log.info(`run ${record.runId}: ${waiting.length} technician(s) waiting; follow-up run ${runId} queued in ${delaySeconds} s`);
  } catch (err) {
    log.warn(`run ${record.runId}: the follow-up run could not be queued (${asReconcilerError(err).code}); the next scheduled run continues`);
  }
}

async function defer(app: ReconcilerApp, message: RunMessage, holder: string | null, log: Logger): Promise<void> {
  const deferrals = message.deferrals ?? 0;
  const { delaySeconds, maxDeferrals } = app.queueRetry;
  if (deferrals >= maxDeferrals) {
    const error = new TransientError(
      'RUN_LOCK_BUSY',
      `The run did not start: its scope's lock was taken (last by run ${holder ?? '(unknown id)'}) at each of its ${deferrals + 1} tries, ${delaySeconds} s apart.`,
      'Start it again once the other run finished; if this repeats, look for a run that never ends.',
    );
    log.error(`run ${message.runId} stopped without running: RUN_LOCK_BUSY`);
    await app.history.save(endedRecord(message, new Date().toISOString(), 'stopped', error));
    return;
  }
  log.warn(`run ${message.runId} waits: run ${holder ?? '(unknown id)'} holds the lock of its scope; it is tried again in ${delaySeconds} s`);
  await requireQueue(app).send(encodeRunMessage({ ...message, deferrals: deferrals + 1 }), delaySeconds);
}

/** The poison trigger's work: a run whose message the host gave up on is recorded as failed. */
export async function recordPoisonedRun(app: ReconcilerApp, raw: unknown, delivery: QueueDelivery, log: Logger): Promise<RunRecord | undefined> {
  let message: RunMessage;
  try {
    message = parseRunMessage(raw);
  } catch (err) {
    if (!(err instanceof NotARunMessage)) throw err;
    // Nothing to record it under; the log says which message it was (its text can quote data: not logged).
    log.error(`poison message ${delivery.messageId ?? '(no id)'} is no run message (${err.message}); it is dropped`);
    return undefined;
  }
  const entry = await app.history.read(message.runId);
  if (entry?.status === 'finished') {
    log.warn(`run ${message.runId}: its message reached the poison queue, but the run is recorded (${entry.outcome}); nothing to do`);
    return undefined;
  }
  const error = new TransientError(
    'RUN_POISONED',
    `The run's queue message failed every delivery the host allows (host.json maxDequeueCount) and went to the poison queue${entry?.status === 'running' ? '; the run had started and did not finish' : ''}.`,
    'Read the failed invocations in Application Insights (storage unreachable, the function stopped at its timeout), fix the cause, then start the run again.',
  );
  const startedAt = entry?.status === 'running' ? entry.startedAt : entry?.status === 'queued' ? entry.queuedAt : new Date().toISOString();
  const record = endedRecord(message, startedAt, 'failed', error);
  await app.history.save(record);
  log.error(`run ${message.runId} failed: RUN_POISONED`);
  return record;
}

function endedRecord(message: RunMessage, startedAt: string, outcome: RunOutcome, error: ReconcilerError): RunRecord {
  return {
    runId: message.runId,
    mode: message.mode,
    trigger: message.trigger,
    scope: message.scope,
    startedAt,
    finishedAt: new Date().toISOString(),
    outcome,
    error: error.toJSON(),
    plan: emptyPlan(message.scope, new Date()),
    results: [],
    statuses: {},
  };
}

function requireQueue(app: ReconcilerApp): NonNullable<ReconcilerApp['queue']> {
  if (!app.queue) throw new Error('this app has no run queue (only the Functions app runs on the queue)');
  return app.queue;
}
