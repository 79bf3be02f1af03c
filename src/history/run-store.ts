/**
 * The run history in blobs: runs/{id}.json holds a run's record (plan and results, the RunRecord
 * exactly) once it finished, and a small "running" marker before that, so GET /api/runs/{id} can
 * answer while a run goes on. runs/latest.json points at the newest finished apply run, so the
 * report's "last run" line costs two reads instead of a listing.
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
    await this.write(`runs/${marker.runId}.json`, { status: 'running', ...marker });
  }

  async markQueued(marker: Omit<QueuedMarker, 'status'>): Promise<void> {
    await this.write(`runs/${marker.runId}.json`, { status: 'queued', ...marker });
  }

  async save(record: RunRecord): Promise<void> {
    await this.write(`runs/${record.runId}.json`, record);
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

  private async write(name: string, value: unknown): Promise<void> {
    await ensureContainer(this.container);
    const body = JSON.stringify(value);
    await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
      blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' },
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
