/**
 * Runs on the run queue against Azurite (blob and queue services): POST /api/run enqueues and
 * answers 202 with the run id, the queue trigger's handler (src/app/queue-run.ts) runs the message
 * as the host delivers it (test/functions/queue-host.ts: dequeueCount, visibility, the poison queue
 * after host.json maxDequeueCount), and GET /api/runs/{id} follows it: queued, running, finished.
 * Duplicate deliveries change nothing twice; a message that fails every delivery is recorded as
 * failed by the poison handler; a run that reaches its deadline is recorded as stopped; a run whose
 * scope's lock is taken waits on the queue instead of failing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeRunMessage } from '../../src/app/queue-message.js';
import { executeRunMessage, recordPoisonedRun } from '../../src/app/queue-run.js';
import type { Logger } from '../../src/app/types.js';
import { BlobRunLock } from '../../src/history/run-lock.js';
import { runQueueFromEnv } from '../../src/history/run-queue.js';
import type { RunRecord } from '../../src/model/run.js';
import { drainQueue, hostQueueSettings } from './queue-host.js';
import { startQueueAzurite, type QueueAzurite } from './queue-azurite.js';
import { appRequest, recordingLogger, startHarness, type Harness } from './harness.js';

const FABRIKAM = 'd7fb2863-4d86-5346-91a7-58f877939fed';

let h: Harness;
let qa: QueueAzurite;
beforeAll(async () => {
  [h, qa] = await Promise.all([startHarness(), startQueueAzurite()]);
});
afterAll(async () => {
  await Promise.all([h?.stop(), qa?.stop()]);
});

type Entry = { service: string; method: string; path: string; inner?: { method: string; path: string }[] };
async function writes(): Promise<{ method: string; path: string }[]> {
  const log = (await h.tenant.s.admin('GET', '/requests')).json.value as Entry[];
  return log.filter((e) => e.service !== 'token').flatMap((e) => (e.path.includes('$batch') ? (e.inner ?? []) : [e])).filter((c) => c.method !== 'GET');
}

function queuedApp(options: Parameters<Harness['app']>[0] = {}) {
  const queues = qa.queues();
  // No follow-up runs here (test/functions/webhook.test.ts has them): the drains wait for an empty queue.
  const built = h.app({ queue: queues.run, queueRetry: { delaySeconds: 1, maxDeferrals: 3 }, followUp: { max: 0 }, ...options });
  const status = async (runId: string): Promise<RunRecord & { status: string }> => JSON.parse((await built.handlers.runStatus(appRequest('GET', `/api/runs/${runId}`))).body) as RunRecord & { status: string };
  const runHandler = (log: Logger = recordingLogger()) => (item: unknown, meta: { dequeueCount: number; id: string }) => executeRunMessage(built.app, item, { dequeueCount: meta.dequeueCount, messageId: meta.id }, log);
  return { ...built, ...queues, status, runHandler };
}

async function uninvited(): Promise<string[]> {
  const plan = (await h.tenant.engine().plan({ kind: 'tenant' })).plan;
  return plan.subjects.filter((s) => plan.changes.some((c) => c.subject.id === s.subject.id && c.kind === 'user.invite')).map((s) => s.subject.id);
}

describe('the run queue', () => {
  it('uses host.json\'s documented queue settings: base64 messages, 5 deliveries before the poison queue, at most 4 runs at once per instance', () => {
    expect(hostQueueSettings()).toEqual({ batchSize: 1, newBatchThreshold: 3, maxDequeueCount: 5, visibilityTimeoutSeconds: 30, messageEncoding: 'base64' });
  });

  it('POST /api/run answers 202 with the run id; GET /api/runs/{id} follows it from queued through running to finished', async () => {
    const q = queuedApp();
    const [contact] = await uninvited();
    const res = await q.handlers.run(appRequest('POST', '/api/run', { body: JSON.stringify({ contactIds: [contact] }) }));
    expect(res.status).toBe(202);
    const body = JSON.parse(res.body) as { runId: string; status: string; statusUrl: string };
    expect(body).toEqual({ runId: body.runId, status: 'queued', statusUrl: `/api/runs/${body.runId}` });
    expect(res.headers.Location).toBe(`http://127.0.0.1:7071/api/runs/${body.runId}`);
    expect(await q.status(body.runId)).toMatchObject({ status: 'queued', runId: body.runId, mode: 'apply', trigger: 'manual', scope: { kind: 'subjects', family: 'technicians', subjectIds: [contact] } });

    // The message on the queue is the run, base64 as the host reads it.
    const [peeked] = (await q.main.peekMessages()).peekedMessageItems;
    expect(JSON.parse(Buffer.from(peeked!.messageText, 'base64').toString('utf8'))).toEqual({ runId: body.runId, scope: { kind: 'subjects', family: 'technicians', subjectIds: [contact] }, trigger: 'manual', mode: 'apply' });

    await h.tenant.s.admin('PUT', '/faults', { graph: { latencyMs: 150 } });
    const seen: string[] = [];
    try {
      const handler = q.runHandler();
      const drained = await drainQueue(q.main, q.poison, async (item, meta) => {
        const run = handler(item, meta);
        await vi.waitFor(async () => {
          const s = (await q.status(body.runId)).status;
          seen.push(s);
          expect(s).not.toBe('queued');
        }, { timeout: 20_000, interval: 20 });
        return run;
      });
      expect(drained).toMatchObject({ completed: 1, failed: 0, poisoned: 0 });
    } finally {
      await h.tenant.s.admin('PUT', '/faults', { graph: { latencyMs: 0 } });
    }
    expect(seen).toContain('running');
    const record = await q.status(body.runId);
    expect(record).toMatchObject({ status: 'finished', runId: body.runId, trigger: 'manual', outcome: 'succeeded' });
    expect(record.results.some((r) => r.changeId.endsWith('/user.invite') && r.outcome === 'applied')).toBe(true);
    expect(await q.app.lock.holder(record.scope)).toBeNull();
  });

  it('duplicate deliveries, at once and after the run, change nothing twice: one invitation, one record', async () => {
    const q = queuedApp();
    const [contact] = await uninvited();
    const runId = JSON.parse((await q.handlers.run(appRequest('POST', '/api/run', { body: JSON.stringify({ contactIds: [contact] }) }))).body).runId as string;
    const [peeked] = (await q.main.peekMessages()).peekedMessageItems;
    // The host delivers at least once: the same message twice more, both in flight with the first.
    await q.main.sendMessage(peeked!.messageText);
    await q.main.sendMessage(peeked!.messageText);
    await h.tenant.s.admin('DELETE', '/requests');
    const log = recordingLogger();
    const drained = await drainQueue(q.main, q.poison, q.runHandler(log));
    expect(drained.failed).toBe(0);
    expect(drained.maxInFlight).toBeGreaterThan(1);
    expect((await writes()).filter((w) => w.path.endsWith('/invitations'))).toHaveLength(1);
    const first = await q.status(runId);
    expect(first).toMatchObject({ status: 'finished', outcome: 'succeeded' });

    // Delivered again after the run: recorded already, so nothing runs and the record stays.
    await q.main.sendMessage(peeked!.messageText);
    await h.tenant.s.admin('DELETE', '/requests');
    await drainQueue(q.main, q.poison, q.runHandler(log));
    expect(await writes()).toEqual([]);
    expect(await q.status(runId)).toEqual(first);
    expect(log.lines).toContain(`info: run ${runId}: already recorded (succeeded); this delivery 1 does nothing`);
  });

  it('a message that fails every delivery goes to the poison queue after maxDequeueCount; the poison handler records the run as failed with the reason', async () => {
    const q = queuedApp();
    const runId = JSON.parse((await q.handlers.run(appRequest('POST', '/api/run', { body: JSON.stringify({ vendorId: FABRIKAM }) }))).body).runId as string;
    const queuedAt = (await q.status(runId) as unknown as { queuedAt: string }).queuedAt;
    // Every delivery fails as when storage refuses the run's marker.
    const start = vi.spyOn(q.app.runs, 'start').mockRejectedValue(new Error('storage unreachable'));
    const drained = await drainQueue(q.main, q.poison, q.runHandler(), { retryAfterSeconds: 0 });
    start.mockRestore();
    expect(drained).toMatchObject({ completed: 0, failed: 5, poisoned: 1 });
    expect(await q.status(runId)).toMatchObject({ status: 'queued' });

    const log = recordingLogger();
    const poisoned = await drainQueue(q.poison, qa.service.getQueueClient(`${q.poison.name}-poison`), (item, meta) => recordPoisonedRun(q.app, item, { dequeueCount: meta.dequeueCount, messageId: meta.id }, log));
    expect(poisoned).toMatchObject({ completed: 1, failed: 0 });
    const record = await q.status(runId);
    expect(record).toMatchObject({ status: 'finished', outcome: 'failed', startedAt: queuedAt, scope: { kind: 'group', family: 'technicians', groupId: FABRIKAM }, results: [] });
    expect(record.error).toMatchObject({ class: 'transient', code: 'RUN_POISONED' });
    expect(record.error!.message).toContain('maxDequeueCount');
    expect(log.lines).toContain(`error: run ${runId} failed: RUN_POISONED`);
  });

  it('a message that is no run message is poisoned too, and the poison handler drops it with a log line naming only its id', async () => {
    const q = queuedApp();
    await q.run.send('{"runId":"not a run","trigger":"manual"}');
    const drained = await drainQueue(q.main, q.poison, q.runHandler(), { retryAfterSeconds: 0 });
    expect(drained).toMatchObject({ failed: 5, poisoned: 1 });
    const log = recordingLogger();
    await drainQueue(q.poison, qa.service.getQueueClient(`${q.poison.name}-poison`), (item, meta) => recordPoisonedRun(q.app, item, { dequeueCount: meta.dequeueCount, messageId: meta.id }, log));
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(/^error: poison message [0-9a-f-]+ is no run message \(the queue message has no run id \(a GUID\)\); it is dropped$/);
    expect((await q.poison.getProperties()).approximateMessagesCount).toBe(0);
  });

  it('a queued run that reaches its deadline is recorded as stopped (RUN_DEADLINE) and its message is done', async () => {
    const q = queuedApp({ runDeadlineMs: 1_000 });
    const runId = JSON.parse((await q.handlers.run(appRequest('POST', '/api/run'))).body).runId as string;
    await h.tenant.s.admin('PUT', '/faults', { graph: { latencyMs: 400 }, dataverse: { latencyMs: 400 } });
    try {
      const drained = await drainQueue(q.main, q.poison, q.runHandler());
      expect(drained).toMatchObject({ completed: 1, failed: 0, poisoned: 0 });
    } finally {
      await h.tenant.s.admin('PUT', '/faults', { graph: { latencyMs: 0 }, dataverse: { latencyMs: 0 } });
    }
    const record = await q.status(runId);
    expect(record).toMatchObject({ status: 'finished', outcome: 'stopped', error: { code: 'RUN_DEADLINE' } });
  });

  it('a run whose scope is locked waits on the queue (sent again, invisible for a while) and runs once the lock is free', async () => {
    const q = queuedApp();
    const tenantRun = await new BlobRunLock(q.container).acquire('0b7c8f0e-0000-4000-8000-00000000000a');
    if (!tenantRun.acquired) throw new Error('the test could not take the tenant lock');
    const runId = JSON.parse((await q.handlers.run(appRequest('POST', '/api/run', { body: JSON.stringify({ vendorId: FABRIKAM, dryRun: false }) }))).body).runId as string;
    const log = recordingLogger();
    const handler = q.runHandler(log);
    let deliveries = 0;
    const drained = await drainQueue(q.main, q.poison, async (item, meta) => {
      deliveries++;
      // The whole-tenant run ends after the vendor run was put back once.
      if (deliveries === 2) await tenantRun.lock.release();
      return handler(item, meta);
    });
    expect(drained).toMatchObject({ completed: 2, failed: 0, poisoned: 0 });
    expect(log.lines).toContain(`warn: run ${runId} waits: run 0b7c8f0e-0000-4000-8000-00000000000a holds the lock of its scope; it is tried again in 1 s`);
    expect(await q.status(runId)).toMatchObject({ status: 'finished', outcome: 'succeeded', scope: { kind: 'group', groupId: FABRIKAM } });
  });

  it('a run that finds its lock taken at every try is recorded as stopped with RUN_LOCK_BUSY, after maxDeferrals re-sends', async () => {
    const q = queuedApp();
    const holder = await new BlobRunLock(q.container).acquire('0b7c8f0e-0000-4000-8000-00000000000b');
    if (!holder.acquired) throw new Error('the test could not take the tenant lock');
    try {
      const runId = JSON.parse((await q.handlers.run(appRequest('POST', '/api/run', { body: JSON.stringify({ vendorId: FABRIKAM }) }))).body).runId as string;
      const drained = await drainQueue(q.main, q.poison, q.runHandler());
      expect(drained).toMatchObject({ completed: 4, failed: 0, poisoned: 0 });
      const record = await q.status(runId);
      expect(record).toMatchObject({ status: 'finished', outcome: 'stopped', results: [], error: { code: 'RUN_LOCK_BUSY' } });
      expect(record.error!.message).toBe("The run did not start: its scope's lock was taken (last by run 0b7c8f0e-0000-4000-8000-00000000000b) at each of its 4 tries, 1 s apart.");
    } finally {
      await holder.lock.release();
    }
  });
});

// Reference encodeRunMessage so a change to its format shows up here as well as in the queue.
describe('run messages', () => {
  it('are the JSON of the run: id, scope, trigger, mode', () => {
    expect(JSON.parse(encodeRunMessage({ runId: '0b7c8f0e-0000-4000-8000-00000000000c', scope: { kind: 'tenant' }, trigger: 'timer', mode: 'dry-run' }))).toEqual({
      runId: '0b7c8f0e-0000-4000-8000-00000000000c', scope: { kind: 'tenant' }, trigger: 'timer', mode: 'dry-run',
    });
  });

  it('a connection string without a queue endpoint fails the first send with STORAGE_NOT_SET saying what to set, not the app\'s start', async () => {
    const queue = runQueueFromEnv({ AzureWebJobsStorage: qa.blobs.connectionString });
    await expect(queue.send('{}')).rejects.toMatchObject({
      code: 'STORAGE_NOT_SET',
      message: expect.stringMatching(/^AzureWebJobsStorage gives no usable queue endpoint \(.+\): runs go through the run queue\.$/) as unknown,
    });
    await expect(async () => runQueueFromEnv({}).client).rejects.toMatchObject({ code: 'STORAGE_NOT_SET' });
  });
});
