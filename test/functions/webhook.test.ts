/**
 * The Dataverse webhook to queue to scoped run path (issue 15 item 2) against Azurite: a contact's
 * notification (the RemoteExecutionContext Dataverse posts: Learn "Use Webhooks to create external
 * handlers for server events", PrimaryEntityName / PrimaryEntityId / MessageName) queues a run of
 * that contact; the queue trigger runs it; a run that leaves the technician waiting for Dataverse's
 * user queues a follow-up run a few minutes later (here 1 s), and the follow-ups finish the
 * technician once the simulator's user sync created the user (its delay set per test), up to a
 * chain's limit. Duplicate and out-of-order notifications change nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactWebhook } from '../../src/app/queue-webhook.js';
import { executeRunMessage } from '../../src/app/queue-run.js';
import type { RunRecord } from '../../src/model/run.js';
import { expectNoDuplicates } from '../badinput/small-tenant.js';
import { DEMO_FIXTURE, GUEST_SETTINGS } from '../support/tenant.js';
import { appRequest, recordingLogger, startHarness, type Harness } from './harness.js';
import { drainQueue } from './queue-host.js';
import { startQueueAzurite, type QueueAzurite } from './queue-azurite.js';

let h: Harness;
let qa: QueueAzurite;
beforeAll(async () => {
  [h, qa] = await Promise.all([startHarness(DEMO_FIXTURE, GUEST_SETTINGS), startQueueAzurite()]);
});
afterAll(async () => {
  await Promise.all([h?.stop(), qa?.stop()]);
});

/** What Dataverse posts for a contact's Update (trimmed to the fields the route reads, plus a few it ignores). */
const notification = (contactId: string, message = 'Update', createdOn = '/Date(1764700000000)/'): string =>
  JSON.stringify({ BusinessUnitId: '6f9619ff-8b86-d011-b42d-00c04fc964ff', Depth: 1, MessageName: message, Mode: 1, OperationCreatedOn: createdOn, PrimaryEntityId: contactId, PrimaryEntityName: 'contact', Stage: 40, InputParameters: [{ key: 'Target', value: { LogicalName: 'contact', Id: contactId, Attributes: [{ key: 'o25fs_setuptechnician', value: true }] } }] });

type Entry = { service: string; method: string; path: string; inner?: { method: string; path: string }[] };
async function writes(): Promise<{ method: string; path: string }[]> {
  const log = (await h.tenant.s.admin('GET', '/requests')).json.value as Entry[];
  return log.filter((e) => e.service !== 'token').flatMap((e) => (e.path.includes('$batch') ? (e.inner ?? []) : [e])).filter((c) => c.method !== 'GET');
}

function webhookApp() {
  const queues = qa.queues();
  const built = h.app({ queue: queues.run, queueRetry: { delaySeconds: 1, maxDeferrals: 10 }, followUp: { delaySeconds: 1, max: 3 } });
  const post = (body: string) => contactWebhook(() => built.app, appRequest('POST', '/api/dataverse/contacts', { body }));
  const status = async (runId: string): Promise<RunRecord & { status: string }> => JSON.parse((await built.handlers.runStatus(appRequest('GET', `/api/runs/${runId}`))).body) as RunRecord & { status: string };
  const log = recordingLogger();
  const ran: RunRecord[] = [];
  const drain = () => drainQueue(queues.main, queues.poison, async (item, meta) => {
    const record = await executeRunMessage(built.app, item, { dequeueCount: meta.dequeueCount, messageId: meta.id }, log);
    if (record) ran.push(record);
  });
  return { ...built, ...queues, post, status, drain, log, ran };
}

async function uninvited(): Promise<string[]> {
  const plan = (await h.tenant.engine().plan({ kind: 'tenant' })).plan;
  return plan.subjects.filter((s) => plan.changes.some((c) => c.subject.id === s.subject.id && c.kind === 'user.invite')).map((s) => s.subject.id);
}

describe('the Dataverse webhook', () => {
  it.each([
    { body: 'not json', error: 'The body must be the RemoteExecutionContext JSON that Dataverse posts to a webhook.' },
    { body: JSON.stringify({ PrimaryEntityName: 'account', MessageName: 'Update', PrimaryEntityId: '6f9619ff-8b86-d011-b42d-00c04fc964ff' }), error: 'PrimaryEntityName must be "contact"; got "account". Register the step on the contact table only.' },
    { body: JSON.stringify({ PrimaryEntityName: 'contact', MessageName: 'Delete', PrimaryEntityId: '6f9619ff-8b86-d011-b42d-00c04fc964ff' }), error: 'MessageName must be Create or Update; got "Delete". Register the steps on Create and Update only.' },
    { body: JSON.stringify({ PrimaryEntityName: 'contact', MessageName: 'Create', PrimaryEntityId: 'x' }), error: 'PrimaryEntityId must be the contact id (a GUID).' },
  ])('answers 400 and queues nothing for $body', async ({ body, error }) => {
    const w = webhookApp();
    const res = await w.post(body);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error, code: 'BAD_REQUEST' });
    expect(await w.main.exists()).toBe(false);
  });

  it('a notification queues a run of that contact; while Dataverse has no user for it, follow-up runs come every few minutes and the chain stops after its limit', { timeout: 60_000 }, async () => {
    const w = webhookApp();
    const [contact] = await uninvited();
    // A user sync slower than the whole chain: every follow-up still finds the technician waiting.
    const env = h.tenant.s.sim.state.environment;
    const syncDelay = env.userSyncDelayMs;
    env.userSyncDelayMs = 600_000;
    try {
      const res = await w.post(notification(contact!, 'Create'));
      expect(res.status).toBe(202);
      const { runId } = JSON.parse(res.body) as { runId: string };
      expect(await w.status(runId)).toMatchObject({ status: 'queued', trigger: 'webhook', mode: 'apply', scope: { kind: 'subjects', family: 'technicians', subjectIds: [contact] } });
      await w.drain();
      const first = await w.status(runId);
      expect(first).toMatchObject({ status: 'finished', outcome: 'succeeded', trigger: 'webhook' });
      expect(first.statuses[`technicians/${contact}`]).toBe('invited');
      expect(first.results.map((r) => r.changeId.split('/').pop())).toEqual(expect.arrayContaining(['user.invite', 'licence.assign', 'group.add']));
      const followUps = w.ran.filter((r) => r.trigger === 'follow-up');
      expect(followUps).toHaveLength(3);
      for (const r of followUps) {
        expect(r).toMatchObject({ outcome: 'succeeded', results: [], scope: { kind: 'subjects', family: 'technicians', subjectIds: [contact] } });
        expect(r.statuses[`technicians/${contact}`]).toBe('waiting_for_dataverse_user');
      }
      expect(w.log.lines).toContain(`info: run ${runId}: 1 technician(s) waiting; follow-up run ${followUps[0]!.runId} queued in 1 s`);
      expect(w.log.lines).toContain(`info: run ${followUps[2]!.runId}: 1 technician(s) still waiting after 3 follow-up runs; the next scheduled run continues`);
    } finally {
      env.userSyncDelayMs = syncDelay;
    }
  });

  it('the follow-ups finish a technician once Dataverse created its user: the bookable resource in the next follow-up, and then no more', { timeout: 60_000 }, async () => {
    const w = webhookApp();
    const [contact] = await uninvited();
    const env = h.tenant.s.sim.state.environment;
    const syncDelay = env.userSyncDelayMs;
    env.userSyncDelayMs = 1_500;
    try {
      await h.tenant.s.admin('DELETE', '/requests');
      const { runId } = JSON.parse((await w.post(notification(contact!, 'Create'))).body) as { runId: string };
      await w.drain();
      expect((await w.status(runId)).statuses[`technicians/${contact}`]).toBe('invited');
    } finally {
      env.userSyncDelayMs = syncDelay;
    }
    const followUps = w.ran.filter((r) => r.trigger === 'follow-up');
    expect(followUps.length).toBeGreaterThan(0);
    expect(followUps.length).toBeLessThanOrEqual(3);
    const last = followUps[followUps.length - 1]!;
    expect(last.statuses[`technicians/${contact}`]).toBe('active');
    expect(last.results.some((r) => r.changeId.endsWith('/bookableresource.create') && r.outcome === 'applied')).toBe(true);
    for (const r of followUps.slice(0, -1)) expect(r.statuses[`technicians/${contact}`]).toBe('waiting_for_dataverse_user');
    expect((await writes()).filter((x) => x.path.endsWith('/invitations'))).toHaveLength(1);
  });

  it('duplicate and out-of-order notifications are harmless: one invitation, one resource, every run recorded', { timeout: 60_000 }, async () => {
    const w = webhookApp();
    const [contact] = await uninvited();
    h.tenant.s.sim.userSync.runNow(h.tenant.s.sim.state);
    await h.tenant.s.admin('DELETE', '/requests');
    // Dataverse may deliver a notification twice, and an older one after a newer one.
    const bodies = [notification(contact!, 'Update', '/Date(1764700002000)/'), notification(contact!, 'Update', '/Date(1764700002000)/'), notification(contact!, 'Create', '/Date(1764700001000)/')];
    const runIds = [];
    for (const body of bodies) runIds.push((JSON.parse((await w.post(body)).body) as { runId: string }).runId);
    const drained = await w.drain();
    expect(drained.failed).toBe(0);
    expect(drained.maxInFlight).toBeGreaterThan(1);
    for (const runId of runIds) expect(await w.status(runId)).toMatchObject({ status: 'finished', outcome: 'succeeded' });
    expect((await writes()).filter((x) => x.path.endsWith('/invitations'))).toHaveLength(1);
    const applied = w.ran.flatMap((r) => r.results).filter((r) => r.outcome === 'applied').map((r) => r.changeId);
    expect(applied.filter((id, i) => applied.indexOf(id) !== i), 'no change applied twice').toEqual([]);
    expectNoDuplicates(h.tenant);
    const plan = (await h.tenant.engine().plan({ kind: 'subjects', family: 'technicians', subjectIds: [contact!] })).plan;
    expect(plan.changes).toEqual([]);
  });
});
