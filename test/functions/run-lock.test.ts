/**
 * The run lock (a blob lease in AzureWebJobsStorage, here Azurite) through the HTTP handlers and the
 * timer's logic: runs never overlap, a second run is told which run holds the lock (409, not
 * queued), the lock is released after a failed run, a run that cannot answer within the HTTP budget
 * answers 202 with a status URL, and a run that loses its lease stops. Lease behaviour: Learn "Lease
 * Blob" (REST): 409 LeaseAlreadyPresent on a leased blob, break ends the lease, a broken lease
 * cannot be renewed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RunService } from '../../src/app/run-service.js';
import { runScheduled } from '../../src/app/scheduled-run.js';
import { BlobRunLock } from '../../src/history/run-lock.js';
import { BlobRunStore } from '../../src/history/run-store.js';
import { TransientError } from '../../src/model/errors.js';
import type { ReconcileEngine } from '../../src/engine/engine.js';
import type { RunRecord } from '../../src/model/run.js';
import { DEMO_FIXTURE, GUEST_SETTINGS } from '../support/tenant.js';
import { appRequest, recordingLogger, startHarness, type Harness } from './harness.js';

let h: Harness;
let broken: Harness;
beforeAll(async () => {
  // `broken` names a technician group that does not exist, with the technicians its only family (the
  // demo's portal would go on beside a stopped family): every run fails with a configuration error.
  [h, broken] = await Promise.all([startHarness(), startHarness(undefined, { ...GUEST_SETTINGS, TECHNICIAN_GROUP_ID: randomUUID() })]);
});
afterAll(async () => {
  await Promise.all([h?.stop(), broken?.stop()]);
});

const slow = (harness: Harness, latencyMs: number) => harness.tenant.s.admin('PUT', '/faults', { graph: { latencyMs }, dataverse: { latencyMs } });

type Entry = { service: string; method: string; path: string; inner?: { method: string }[] };
async function writeCount(harness: Harness): Promise<number> {
  const log = (await harness.tenant.s.admin('GET', '/requests')).json.value as Entry[];
  return log.filter((e) => e.service !== 'token').flatMap((e) => (e.path.includes('$batch') ? (e.inner ?? []) : [e])).filter((c) => c.method !== 'GET').length;
}

async function waitFinished(handlers: ReturnType<Harness['app']>['handlers'], runId: string): Promise<RunRecord> {
  for (let i = 0; i < 600; i++) {
    const res = await handlers.runStatus(appRequest('GET', `/api/runs/${runId}`));
    const body = JSON.parse(res.body) as RunRecord & { status: string };
    if (body.status === 'finished') return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} did not finish`);
}

describe('run lock', () => {
  it('a run that outlasts the HTTP budget answers 202; a manual run meanwhile gets 409 with its id; the timer skips; afterwards a run starts', { timeout: 90_000 }, async () => {
    const { app, handlers, container } = h.app({ httpWaitMs: 100 });
    await slow(h, 100);
    try {
      const first = await handlers.run(appRequest('POST', '/api/run'));
      expect(first.status).toBe(202);
      const accepted = JSON.parse(first.body) as { runId: string; status: string; statusUrl: string };
      expect(accepted).toEqual({ runId: accepted.runId, status: 'running', statusUrl: `/api/runs/${accepted.runId}` });
      expect(first.headers.Location).toBe(`http://127.0.0.1:7071/api/runs/${accepted.runId}`);

      const running = await handlers.runStatus(appRequest('GET', accepted.statusUrl));
      expect(running.status).toBe(200);
      expect(JSON.parse(running.body)).toMatchObject({ status: 'running', runId: accepted.runId, mode: 'apply', trigger: 'manual', scope: { kind: 'tenant' } });
      expect(await app.lock.holder()).toBe(accepted.runId);

      const second = await handlers.run(appRequest('POST', '/api/run', { body: '{"contactIds":["c44b12bd-35f4-5753-aaf3-54a259c98586"]}' }));
      expect(second.status).toBe(409);
      expect(JSON.parse(second.body)).toEqual({
        error: `Another run is in progress (run ${accepted.runId}); runs never overlap, and this one was not queued.`,
        code: 'RUN_IN_PROGRESS',
        runningRunId: accepted.runId,
        statusUrl: accepted.statusUrl,
        action: 'Wait for it to finish (its status URL says when), then send this request again.',
      });

      const log = recordingLogger();
      expect(await runScheduled(app, log, 'apply')).toEqual({ skipped: true, runningRunId: accepted.runId });
      expect(log.lines).toContain(`warn: scheduled run skipped: run ${accepted.runId} holds the run lock; the next firing runs`);

      const record = await waitFinished(handlers, accepted.runId);
      expect(record.outcome).toBe('succeeded');
      expect(record.results.length).toBeGreaterThan(50);
      // The record is stored before the lease is released (in the run's finally), so the release
      // may come a moment after the status URL shows the run finished.
      await vi.waitFor(async () => expect(await app.lock.holder()).toBeNull(), { timeout: 10_000, interval: 50 });
    } finally {
      await slow(h, 0);
    }
    // The same lock and history, with the usual budget: the next run takes the lock and answers its result.
    const third = await h.app({ container }).handlers.run(appRequest('POST', '/api/run', { body: '{"contactIds":["c44b12bd-35f4-5753-aaf3-54a259c98586"]}' }));
    expect(third.status).toBe(200);
    expect(JSON.parse(third.body)).toMatchObject({ status: 'finished', mode: 'apply', outcome: 'succeeded' });
  });

  it('a dry run takes no lock: it runs while an apply holds it', async () => {
    const { app, handlers, container } = h.app();
    const other = await new BlobRunLock(container).acquire('0b7c8f0e-0000-4000-8000-000000000001');
    expect(other.acquired).toBe(true);
    try {
      const dry = await handlers.run(appRequest('POST', '/api/run', { body: '{"dryRun":true}' }));
      expect(dry.status).toBe(200);
      expect(JSON.parse(dry.body)).toMatchObject({ mode: 'dry-run', outcome: 'succeeded' });
      const apply = await handlers.run(appRequest('POST', '/api/run'));
      expect(apply.status).toBe(409);
      expect(JSON.parse(apply.body).runningRunId).toBe('0b7c8f0e-0000-4000-8000-000000000001');
      expect(await app.lock.holder()).toBe('0b7c8f0e-0000-4000-8000-000000000001');
    } finally {
      if (other.acquired) await other.lock.release();
    }
    expect(await app.lock.holder()).toBeNull();
  });

  it('the lock is released after a run that failed (a missing group is a configuration error); the next run acquires it', async () => {
    const { app, handlers } = broken.app();
    const failed = await handlers.run(appRequest('POST', '/api/run'));
    expect(failed.status).toBe(200);
    const body = JSON.parse(failed.body) as RunRecord;
    expect(body.outcome).toBe('failed');
    expect(body.error).toMatchObject({ class: 'configuration', code: 'GROUP_NOT_FOUND' });
    expect(await app.lock.holder()).toBeNull();

    const stored = JSON.parse((await handlers.runStatus(appRequest('GET', `/api/runs/${body.runId}`))).body) as RunRecord & { status: string };
    expect(stored).toMatchObject({ status: 'finished', outcome: 'failed', error: { code: 'GROUP_NOT_FOUND' } });

    const next = await handlers.run(appRequest('POST', '/api/run'));
    expect(next.status).toBe(200);
    expect(JSON.parse(next.body).runId).not.toBe(body.runId);
  });

  it('the timer throws after recording a failed run, so the invocation shows as failed; the lock is free again', async () => {
    const { app } = broken.app();
    const log = recordingLogger();
    await expect(runScheduled(app, log, 'apply')).rejects.toThrow(/^run ([0-9a-f-]{36}) failed: GROUP_NOT_FOUND \(GET \/api\/runs\/\1 says what to do\)$/);
    expect(log.lines.some((l) => l.startsWith('error: run ') && l.includes('GROUP_NOT_FOUND'))).toBe(true);
    expect(await app.lock.holder()).toBeNull();
    const latest = await app.history.latest();
    expect(latest).toMatchObject({ trigger: 'timer', outcome: 'failed' });
  });

  it('a running marker whose run no longer holds the lock reads as interrupted (its host died mid-run)', async () => {
    const { app, handlers } = h.app();
    const runId = randomUUID();
    await app.history.markRunning({ runId, mode: 'apply', trigger: 'timer', scope: { kind: 'tenant' }, startedAt: '2026-01-01T00:00:00.000Z' });
    const res = await handlers.runStatus(appRequest('GET', `/api/runs/${runId}`));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      status: 'interrupted',
      runId,
      mode: 'apply',
      trigger: 'timer',
      scope: { kind: 'tenant' },
      startedAt: '2026-01-01T00:00:00.000Z',
      error: 'The run ended without storing its result (the host stopped or restarted during the run).',
      action: 'Start another run; it continues where this one stopped.',
    });
  });

  it('a run whose engine throws is stored as stopped with the error, and the lock is released', async () => {
    const container = h.azurite.container();
    const history = new BlobRunStore(container);
    const lock = new BlobRunLock(container);
    const throwing = { run: () => Promise.reject(new TransientError('NETWORK_ERROR', 'Graph could not be reached.', 'Check the network.')) } as unknown as ReconcileEngine;
    const service = new RunService({ engine: () => throwing, history, lock, runDeadlineMs: 60_000 });
    const started = await service.start({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'manual' }, recordingLogger());
    if (!started.started) throw new Error('expected the run to start');
    const record = await started.done;
    expect(record).toMatchObject({ runId: started.runId, outcome: 'stopped', error: { class: 'transient', code: 'NETWORK_ERROR', message: 'Graph could not be reached.' }, results: [] });
    expect(await history.get(started.runId)).toEqual(record);
    expect(await lock.holder()).toBeNull();
    const again = await service.start({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'manual' }, recordingLogger());
    expect(again.started).toBe(true);
    if (again.started) await again.done;
  });

  it('a run that loses its lease stops: the clients refuse further requests and the record says RUN_LOCK_LOST', { timeout: 90_000 }, async () => {
    const log = recordingLogger();
    const { app, handlers, container } = h.app({ httpWaitMs: 100, lease: { leaseSeconds: 15, renewEveryMs: 200 }, log });
    await h.tenant.s.admin('POST', '/reset', DEMO_FIXTURE);
    await slow(h, 150);
    try {
      const res = await handlers.run(appRequest('POST', '/api/run'));
      expect(res.status).toBe(202);
      const { runId } = JSON.parse(res.body) as { runId: string };
      // Wait until the run applies (the first write reaches the simulator), then someone breaks the
      // lease (as an operator could in the portal): the next renewal fails.
      for (let i = 0; i < 300 && (await writeCount(h)) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await writeCount(h)).toBeGreaterThan(0);
      await container.getBlockBlobClient('run.lock').getBlobLeaseClient().breakLease(0);
      const record = await waitFinished(handlers, runId);
      expect(record.outcome).toBe('stopped');
      expect(record.error).toMatchObject({ class: 'transient', code: 'RUN_LOCK_LOST' });
      expect(record.error?.message).toMatch(/^The run stopped because it lost the run lock: the run lock's lease could not be renewed \(409/);
      // It stopped during apply: some changes were applied, the rest were not.
      expect(record.results.some((r) => r.outcome === 'applied')).toBe(true);
      expect(record.results.some((r) => r.outcome === 'not_reached' || r.outcome === 'failed')).toBe(true);
      expect(log.lines.some((l) => l.startsWith(`warn: run ${runId}: the run lock's lease could not be renewed`))).toBe(true);
    } finally {
      await slow(h, 0);
    }
    expect(await app.lock.holder()).toBeNull();
    // The lock is free again: the next run starts (200, or 202 when it outlasts the 100 ms wait on a
    // loaded machine) and finishes; 409 would mean the lost lock was still held.
    const next = await handlers.run(appRequest('POST', '/api/run', { body: '{"dryRun":true}' }));
    expect([200, 202]).toContain(next.status);
    const finished = next.status === 200 ? (JSON.parse(next.body) as RunRecord) : await waitFinished(handlers, (JSON.parse(next.body) as { runId: string }).runId);
    expect(finished.outcome).toBe('succeeded');
  });
});
