/**
 * The run history in blobs: runs/{id}.json holds a run's record (plan and results, the RunRecord
 * exactly) once it finished, and a small "running" marker before that, so GET /api/runs/{id} can
 * answer while a run goes on. runs/latest.json points at the newest finished apply run, so the
 * report's "last run" line costs two reads instead of a listing.
 *
 * Each run's blob also carries its summary as blob metadata (status, mode, trigger, times, outcome),
 * so GET /api/runs lists the recent runs from one blob listing without downloading any record; a
 * blob stored before the metadata existed is read once to summarise it.
 */
import type { ContainerClient } from '@azure/storage-blob';
import type { RunHistory } from '../engine/seams.js';
import type { RunScope } from '../model/plan.js';
import { upgradeRunRecord, upgradeScope, type RunRecordV1, type RunScopeV1 } from '../model/plan-v1.js';
import type { RunRecord } from '../model/run.js';
import { ensureContainer, statusOf } from './storage.js';

/** What is stored while a run goes on. */
export interface RunningMarker {
  status: 'running';
  runId: string;
  mode: RunRecord['mode'];
  trigger: RunRecord['trigger'];
  scope: RunScope;
  startedAt: string;
}

/** What is stored from the moment a run is enqueued (src/app/queue-run.ts) until it starts. */
export interface QueuedMarker {
  status: 'queued';
  runId: string;
  mode: RunRecord['mode'];
  trigger: RunRecord['trigger'];
  scope: RunScope;
  queuedAt: string;
}

export type RunEntry = QueuedMarker | RunningMarker | ({ status: 'finished' } & RunRecord);

/** A running marker as stored before families (a v1 scope). */
type StoredRunningMarkerV1 = Omit<RunningMarker, 'scope'> & { scope: RunScope | RunScopeV1 };

/** One run of the history list (GET /api/runs): what the run was, not its plan. */
export interface RunSummary {
  runId: string;
  status: 'queued' | 'running' | 'finished';
  mode: RunRecord['mode'];
  trigger: RunRecord['trigger'];
  /** When the run started; for a queued run, when it was queued (the list's order). */
  startedAt: string;
  finishedAt: string | null;
  outcome: RunRecord['outcome'] | null;
}

/** The newest runs GET /api/runs lists by default, and at most. */
export const RUN_LIST_DEFAULT = 50;
export const RUN_LIST_MAX = 200;

interface LatestPointer {
  runId: string;
  finishedAt: string;
}

const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Run ids are GUIDs; anything else never names a blob (ids come from URLs). */
export function isRunId(value: string): boolean {
  return RUN_ID.test(value);
}

export class BlobRunStore implements RunHistory {
  constructor(private readonly container: ContainerClient) {}

  async markRunning(marker: Omit<RunningMarker, 'status'>): Promise<void> {
    await this.write(`runs/${marker.runId}.json`, { status: 'running', ...marker }, metadataOf({ ...marker, status: 'running', finishedAt: null, outcome: null }));
  }

  async markQueued(marker: Omit<QueuedMarker, 'status'>): Promise<void> {
    await this.write(`runs/${marker.runId}.json`, { status: 'queued', ...marker }, metadataOf({ ...marker, status: 'queued', startedAt: marker.queuedAt, finishedAt: null, outcome: null }));
  }

  async save(record: RunRecord): Promise<void> {
    await this.write(`runs/${record.runId}.json`, record, metadataOf({ ...record, status: 'finished' }));
    if (record.mode === 'apply') {
      const pointer: LatestPointer = { runId: record.runId, finishedAt: record.finishedAt };
      await this.write('runs/latest.json', pointer);
    }
  }

  /** The run, finished or running; undefined when no run has this id. */
  async read(runId: string): Promise<RunEntry | undefined> {
    if (!isRunId(runId)) return undefined;
    const stored = await this.readJson<QueuedMarker | StoredRunningMarkerV1 | RunRecord | RunRecordV1>(`runs/${runId.toLowerCase()}.json`);
    if (!stored) return undefined;
    if ('status' in stored && stored.status === 'queued') return stored;
    // Records and markers stored before families are read as today's (src/model/plan-v1.ts): plan
    // version 2, results by subject key, statuses keyed by subject key.
    if ('status' in stored && stored.status === 'running') return { ...stored, scope: upgradeScope(stored.scope) };
    return { status: 'finished', ...upgradeRunRecord(stored as RunRecord | RunRecordV1) };
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    const entry = await this.read(runId);
    if (!entry || entry.status !== 'finished') return undefined;
    const { status: _status, ...record } = entry;
    return record;
  }

  async latest(): Promise<RunRecord | undefined> {
    const pointer = await this.readJson<LatestPointer>('runs/latest.json');
    return pointer ? this.get(pointer.runId) : undefined;
  }

  /** The newest runs first (by start time), at most `limit`: from the blobs' metadata. */
  async list(limit = RUN_LIST_DEFAULT): Promise<RunSummary[]> {
    const found: RunSummary[] = [];
    const unsummarised: string[] = [];
    try {
      for await (const blob of this.container.listBlobsFlat({ prefix: 'runs/', includeMetadata: true })) {
        const runId = /^runs\/(.+)\.json$/.exec(blob.name)?.[1];
        if (!runId || !isRunId(runId)) continue;
        const summary = summaryOf(runId, blob.metadata ?? {});
        if (summary) found.push(summary);
        else unsummarised.push(runId);
      }
    } catch (err) {
      if (statusOf(err) === 404) return [];
      throw err;
    }
    // Records stored before the metadata: read each once (their number only shrinks as runs go on).
    for (const runId of unsummarised) {
      const entry = await this.read(runId);
      if (!entry) continue;
      found.push({
        runId: entry.runId, status: entry.status, mode: entry.mode, trigger: entry.trigger, startedAt: entry.status === 'queued' ? entry.queuedAt : entry.startedAt,
        finishedAt: entry.status === 'finished' ? entry.finishedAt : null,
        outcome: entry.status === 'finished' ? entry.outcome : null,
      });
    }
    found.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.runId < b.runId ? -1 : 1));
    return found.slice(0, Math.max(0, Math.min(limit, RUN_LIST_MAX)));
  }

  private async write(name: string, value: unknown, metadata?: Record<string, string>): Promise<void> {
    await ensureContainer(this.container);
    const body = JSON.stringify(value);
    await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
      blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' },
      ...(metadata ? { metadata } : {}),
    });
  }

  private async readJson<T>(name: string): Promise<T | undefined> {
    try {
      const buffer = await this.container.getBlockBlobClient(name).downloadToBuffer();
      return JSON.parse(buffer.toString('utf8')) as T;
    } catch (err) {
      // No container yet (nothing ever ran) or no such blob.
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }
}

/** Blob metadata is ASCII name=value pairs: a run's summary fits (ids, codes, ISO times). */
function metadataOf(s: Omit<RunSummary, 'runId'>): Record<string, string> {
  const m: Record<string, string> = { status: s.status, mode: s.mode, trigger: s.trigger, startedat: s.startedAt };
  if (s.finishedAt) m.finishedat = s.finishedAt;
  if (s.outcome) m.outcome = s.outcome;
  return m;
}

const MODES: readonly string[] = ['apply', 'dry-run'];
const TRIGGERS: readonly string[] = ['timer', 'manual', 'cli', 'webhook', 'follow-up'] satisfies RunRecord['trigger'][];
const OUTCOMES: readonly string[] = ['succeeded', 'partial', 'failed', 'stopped'];

/** The summary the metadata holds, or undefined when it holds none (a blob stored before it) or a value it should not. */
function summaryOf(runId: string, m: Record<string, string>): RunSummary | undefined {
  const { status, mode, trigger, startedat, finishedat, outcome } = m;
  if ((status !== 'queued' && status !== 'running' && status !== 'finished') || !mode || !MODES.includes(mode) || !trigger || !TRIGGERS.includes(trigger) || !startedat) return undefined;
  if (status === 'finished' && (!outcome || !OUTCOMES.includes(outcome) || !finishedat)) return undefined;
  return {
    runId: runId.toLowerCase(), status, mode: mode as RunSummary['mode'], trigger: trigger as RunSummary['trigger'], startedAt: startedat,
    finishedAt: status === 'finished' ? finishedat! : null,
    outcome: status === 'finished' ? (outcome as RunSummary['outcome']) : null,
  };
}
