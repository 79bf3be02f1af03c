/**
 * The run history's list (BlobRunStore.list, behind GET /api/runs) against Azurite: each run's blob
 * carries its summary as metadata, so the list needs no record downloaded; a blob stored before the
 * metadata (or with metadata it does not recognise) is read and summarised instead; the newest run
 * comes first and runs/latest.json is no run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobRunStore, RUN_LIST_MAX } from '../../src/history/run-store.js';
import type { RunRecord } from '../../src/model/run.js';
import { startAzurite, type TestAzurite } from '../support/azurite.js';
import { runRecordV1, RUN_ID_V1 } from '../support/plan-v1.js';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

/** A store on a container of its own (the tests do not see each other's runs). */
function freshStore(): { store: BlobRunStore; container: ReturnType<TestAzurite['container']> } {
  const container = azurite.container();
  return { store: new BlobRunStore(container), container };
}

const runId = (i: number): string => `a1b2c3d4-0000-4000-8000-${String(i).padStart(12, '0')}`;

function record(i: number, over: Partial<RunRecord> = {}): RunRecord {
  const plan = { version: 2 as const, generatedAt: '2026-06-01T09:00:00.000Z', scope: { kind: 'tenant' as const }, changes: [], subjects: [], orphans: [], tallies: [], summary: { changesByKind: {}, subjectsByStatus: {}, licences: [], orphans: 0, blockedRemovals: 0, errors: 0 } };
  return {
    runId: runId(i), mode: 'apply', trigger: 'timer', scope: { kind: 'tenant' },
    startedAt: `2026-06-0${i}T09:00:00.000Z`, finishedAt: `2026-06-0${i}T09:01:00.000Z`, outcome: 'succeeded',
    plan, results: [], statuses: {}, ...over,
  };
}

describe('the run history list', () => {
  it('is empty when nothing ever ran (no container yet)', async () => {
    const { store } = freshStore();
    expect(await store.list()).toEqual([]);
  });

  it('lists finished and running runs newest first, from metadata, with latest.json left out', async () => {
    const { store } = freshStore();
    await store.save(record(1));
    await store.save(record(3, { mode: 'dry-run', trigger: 'manual', outcome: 'partial' }));
    await store.markRunning({ runId: runId(4), mode: 'apply', trigger: 'manual', scope: { kind: 'tenant' }, startedAt: '2026-06-04T09:00:00.000Z' });
    await store.save(record(2, { outcome: 'failed' }));
    const listed = await store.list();
    expect(listed).toEqual([
      { runId: runId(4), status: 'running', mode: 'apply', trigger: 'manual', startedAt: '2026-06-04T09:00:00.000Z', finishedAt: null, outcome: null },
      { runId: runId(3), status: 'finished', mode: 'dry-run', trigger: 'manual', startedAt: '2026-06-03T09:00:00.000Z', finishedAt: '2026-06-03T09:01:00.000Z', outcome: 'partial' },
      { runId: runId(2), status: 'finished', mode: 'apply', trigger: 'timer', startedAt: '2026-06-02T09:00:00.000Z', finishedAt: '2026-06-02T09:01:00.000Z', outcome: 'failed' },
      { runId: runId(1), status: 'finished', mode: 'apply', trigger: 'timer', startedAt: '2026-06-01T09:00:00.000Z', finishedAt: '2026-06-01T09:01:00.000Z', outcome: 'succeeded' },
    ]);
    expect((await store.list(2)).map((r) => r.runId)).toEqual([runId(4), runId(3)]);
    expect(RUN_LIST_MAX).toBe(200);
  });

  it('summarises a record stored before the metadata (here a version 1 record) by reading it', async () => {
    const { store, container } = freshStore();
    await container.createIfNotExists();
    const body = JSON.stringify(runRecordV1());
    await container.getBlockBlobClient(`runs/${RUN_ID_V1}.json`).upload(body, Buffer.byteLength(body));
    // Metadata that names no known outcome is not trusted either.
    await store.save(record(5));
    await container.getBlockBlobClient(`runs/${runId(5)}.json`).setMetadata({ status: 'finished', mode: 'apply', trigger: 'timer', startedat: '2026-06-05T09:00:00.000Z', finishedat: 'x', outcome: 'great' });
    const listed = await store.list();
    const v1 = runRecordV1();
    expect(listed.find((r) => r.runId === RUN_ID_V1)).toEqual({ runId: RUN_ID_V1, status: 'finished', mode: v1.mode, trigger: v1.trigger, startedAt: v1.startedAt, finishedAt: v1.finishedAt, outcome: v1.outcome });
    expect(listed.find((r) => r.runId === runId(5))).toMatchObject({ outcome: 'succeeded', finishedAt: '2026-06-05T09:01:00.000Z' });
  });
});
