/**
 * SHARD_BY_VENDOR=true (src/app/queue-fanout.ts): the timer queues one run per vendor, the queue
 * trigger runs them side by side (at most host.json batchSize + newBatchThreshold at once, as
 * ./queue-host.ts delivers them), each under its vendor's lock. Under a low Graph write limit in the
 * simulator (the same budget for every run of the app: Learn "Microsoft Graph throttling limits",
 * "per app per tenant") the vendor runs are throttled, back off and converge: every run succeeds,
 * no change is applied twice, no invitation or resource is duplicated, and the tenant's plan is
 * empty afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readShardByVendor } from '../../src/app/queue-fanout.js';
import { executeRunMessage } from '../../src/app/queue-run.js';
import { runScheduled } from '../../src/app/scheduled-run.js';
import type { RunRecord } from '../../src/model/run.js';
import { expectNoDuplicates } from '../badinput/small-tenant.js';
import { DEMO_FIXTURE, GUEST_SETTINGS } from '../support/tenant.js';
import { appRequest, recordingLogger, startHarness, type Harness } from './harness.js';
import { drainQueue, hostQueueSettings } from './queue-host.js';
import { startQueueAzurite, type QueueAzurite } from './queue-azurite.js';

const VENDORS = [...new Set((DEMO_FIXTURE.dataverse?.contacts ?? []).filter((c) => c.o25fs_setuptechnician === true).map((c) => String(c._parentcustomerid_value).toLowerCase()))].sort();
const DATAVERSE_DEFAULTS = { enabled: true, requestsPerWindow: 6000, windowMs: 300000, concurrent: 52 };

let h: Harness;
let qa: QueueAzurite;
beforeAll(async () => {
  // The technicians family alone: vendor runs are the technicians family's groups.
  [h, qa] = await Promise.all([startHarness(DEMO_FIXTURE, GUEST_SETTINGS), startQueueAzurite()]);
});
afterAll(async () => {
  await Promise.all([h?.stop(), qa?.stop()]);
});

describe('SHARD_BY_VENDOR', () => {
  it('is true or false, default false; anything else stops the app with SETTINGS_INVALID', () => {
    expect(readShardByVendor({})).toBe(false);
    expect(readShardByVendor({ SHARD_BY_VENDOR: 'true' })).toBe(true);
    expect(() => readShardByVendor({ SHARD_BY_VENDOR: 'yes' })).toThrow('The app settings are not valid:\n- SHARD_BY_VENDOR must be true or false; got "yes".');
  });

  it('in plan mode the timer queues one dry run per vendor, from one Dataverse read of the vendor column', async () => {
    const queues = qa.queues();
    const { app } = h.app({ queue: queues.run });
    await h.tenant.s.admin('DELETE', '/requests');
    const log = recordingLogger();
    const outcome = await runScheduled(app, log, 'plan', { shardByVendor: true });
    expect(outcome).toEqual({ skipped: false, queued: expect.any(Array) as unknown });
    const queued = 'queued' in outcome ? outcome.queued : [];
    expect(queued).toHaveLength(VENDORS.length);
    const peeked = (await queues.main.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.map((m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as { runId: string; scope: { groupId: string }; mode: string; trigger: string });
    expect(peeked.map((m) => m.scope.groupId)).toEqual(VENDORS);
    expect(peeked.map((m) => m.runId)).toEqual(queued);
    expect(new Set(peeked.map((m) => `${m.mode} ${m.trigger}`))).toEqual(new Set(['dry-run timer']));
    type Entry = { service: string; method: string; path: string };
    const reads = ((await h.tenant.s.admin('GET', '/requests')).json.value as Entry[]).filter((e) => e.service !== 'token');
    expect(reads).toHaveLength(1);
    expect(decodeURIComponent(reads[0]!.path)).toMatch(/^\/api\/data\/v9\.2\/contacts\?\$select=_parentcustomerid_value&\$filter=/);
    expect(log.lines).toContain(`info: SHARD_BY_VENDOR=true: ${VENDORS.length} vendor run(s) queued (dry runs)`);
  });

  it('vendor runs in parallel under a low write limit are throttled, back off and converge with no duplicate change', { timeout: 240_000 }, async () => {
    const queues = qa.queues();
    // No follow-up runs: the second firing (after the user sync) is what finishes the technicians here.
    const { app, handlers } = h.app({ queue: queues.run, queueRetry: { delaySeconds: 1, maxDeferrals: 30 }, followUp: { max: 0 } });
    const log = recordingLogger();
    const handler = (item: unknown, meta: { dequeueCount: number; id: string }) => executeRunMessage(app, item, { dequeueCount: meta.dequeueCount, messageId: meta.id }, log);
    const low = await h.tenant.s.admin('PUT', '/limits', { graph: { enabled: true, writesPerWindow: 25, windowMs: 2000 }, dataverse: DATAVERSE_DEFAULTS });
    expect(low.status).toBe(200);
    const records: RunRecord[] = [];
    let usage: { graph: { throttled: number } };
    try {
      // Two firings: the second after Dataverse synced the new users, so their bookable resources follow.
      for (let firing = 0; firing < 2; firing++) {
        const outcome = await runScheduled(app, log, 'apply', { shardByVendor: true });
        const queued = 'queued' in outcome ? outcome.queued : [];
        expect(queued).toHaveLength(VENDORS.length);
        const drained = await drainQueue(queues.main, queues.poison, handler, { timeoutMs: 200_000 });
        expect(drained).toMatchObject({ completed: VENDORS.length, failed: 0, poisoned: 0 });
        // Side by side, never more than host.json allows per instance.
        const limit = hostQueueSettings().batchSize + hostQueueSettings().newBatchThreshold;
        expect(drained.maxInFlight).toBe(Math.min(limit, VENDORS.length));
        for (const runId of queued) {
          const record = JSON.parse((await handlers.runStatus(appRequest('GET', `/api/runs/${runId}`))).body) as RunRecord & { status: string };
          expect(record).toMatchObject({ status: 'finished', trigger: 'timer', mode: 'apply', outcome: 'succeeded', scope: { kind: 'group', family: 'technicians' } });
          records.push(record);
        }
        h.tenant.s.sim.userSync.runNow(h.tenant.s.sim.state);
      }
    } finally {
      usage = (await h.tenant.s.admin('PUT', '/limits', {})).json.usage as typeof usage;
      await h.tenant.s.admin('PUT', '/limits', { graph: { enabled: true, writesPerWindow: 3000, windowMs: 150000 }, dataverse: DATAVERSE_DEFAULTS });
    }
    // The shared budget refused some writes, and the runs waited instead of failing.
    expect(usage.graph.throttled).toBeGreaterThan(0);
    expect(records.map((r) => (r.scope.kind === 'group' ? r.scope.groupId : '')).sort()).toEqual([...VENDORS, ...VENDORS].sort());
    const applied = records.flatMap((r) => r.results).filter((r) => r.outcome === 'applied').map((r) => r.changeId);
    expect(applied.length).toBeGreaterThan(VENDORS.length * 10);
    expect(applied.filter((id, i) => applied.indexOf(id) !== i), 'no change applied twice').toEqual([]);
    expect(records.flatMap((r) => r.results).filter((r) => r.outcome !== 'applied')).toEqual([]);
    expectNoDuplicates(h.tenant);
    expect((await h.tenant.engine().plan({ kind: 'tenant' })).plan.changes).toEqual([]);
  });
});
