/**
 * A run message on the run queue (src/history/run-queue.ts): which run, of what, why and how. The
 * run id is made when the message is enqueued, so GET /api/runs/{id} can follow the run from
 * "queued" on, and every delivery of the message (the host delivers at least once) is the same run.
 *
 * The host hands the trigger the decoded text, parsed when it is JSON (Learn, "Azure Queue storage
 * trigger for Azure Functions", usage: "a JSON object is deserialized"); both forms are read here.
 * A message that is no run message is refused with an Error: the host then retries it and moves it
 * to the poison queue, where the poison handler logs it (src/app/queue-run.ts).
 */
import type { RunScope } from '../model/plan.js';
import type { RunRecord } from '../model/run.js';
import { isRunId } from '../history/run-store.js';

export interface RunMessage {
  runId: string;
  scope: RunScope;
  trigger: RunRecord['trigger'];
  mode: RunRecord['mode'];
  /** POST /api/run's releaseRemovals. */
  releaseRemovals?: true;
  /** How many times the run found its lock taken and was put back on the queue. */
  deferrals?: number;
  /** A follow-up run's place in its chain (1 for the first follow-up), src/app/queue-run.ts. */
  followUps?: number;
}

export class NotARunMessage extends Error {}

const TRIGGERS: readonly string[] = ['timer', 'manual', 'cli', 'webhook', 'follow-up'] satisfies RunRecord['trigger'][];
const FIELDS = ['runId', 'scope', 'trigger', 'mode', 'releaseRemovals', 'deferrals', 'followUps'];

export function encodeRunMessage(message: RunMessage): string {
  return JSON.stringify(message);
}

export function parseRunMessage(value: unknown): RunMessage {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw new NotARunMessage('the queue message is not JSON');
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new NotARunMessage('the queue message is not a JSON object');
  const m = v as Record<string, unknown>;
  const extra = Object.keys(m).filter((k) => !FIELDS.includes(k));
  if (extra.length > 0) throw new NotARunMessage(`the queue message has unknown fields (${extra.join(', ')})`);
  if (typeof m.runId !== 'string' || !isRunId(m.runId)) throw new NotARunMessage('the queue message has no run id (a GUID)');
  if (typeof m.trigger !== 'string' || !TRIGGERS.includes(m.trigger)) throw new NotARunMessage(`the queue message's trigger must be one of ${TRIGGERS.join(', ')}`);
  if (m.mode !== 'apply' && m.mode !== 'dry-run') throw new NotARunMessage("the queue message's mode must be apply or dry-run");
  if (m.releaseRemovals !== undefined && m.releaseRemovals !== true) throw new NotARunMessage("the queue message's releaseRemovals must be true or absent");
  for (const count of ['deferrals', 'followUps'] as const) {
    const v = m[count];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0)) throw new NotARunMessage(`the queue message's ${count} must be a whole number`);
  }
  return {
    runId: m.runId.toLowerCase(),
    scope: scopeOf(m.scope),
    trigger: m.trigger as RunRecord['trigger'],
    mode: m.mode,
    ...(m.releaseRemovals ? { releaseRemovals: true as const } : {}),
    ...(typeof m.deferrals === 'number' && m.deferrals > 0 ? { deferrals: m.deferrals } : {}),
    ...(typeof m.followUps === 'number' && m.followUps > 0 ? { followUps: m.followUps } : {}),
  };
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isId = (x: unknown): x is string => typeof x === 'string' && ID.test(x);
const isName = (x: unknown): x is string => typeof x === 'string' && /^[a-z][a-z0-9-]{0,63}$/i.test(x);

function scopeOf(value: unknown): RunScope {
  const s = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (s.kind === 'tenant') return { kind: 'tenant' };
  if (s.kind === 'group' && isName(s.family) && isId(s.groupId)) return { kind: 'group', family: s.family, groupId: s.groupId.toLowerCase() };
  if (s.kind === 'subjects' && isName(s.family) && Array.isArray(s.subjectIds) && s.subjectIds.length > 0 && s.subjectIds.every(isId)) {
    return { kind: 'subjects', family: s.family, subjectIds: s.subjectIds.map((id) => id.toLowerCase()) };
  }
  throw new NotARunMessage("the queue message's scope must be {kind:'tenant'}, {kind:'group',family,groupId} or {kind:'subjects',family,subjectIds}");
}
