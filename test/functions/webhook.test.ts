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
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookFilteringAttributes } from '../../reconcilers/technicians/webhook-columns.js';
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
    { body: 'not json', error: 'The body must be the JSON execution context a Dataverse webhook posts.' },
    { body: JSON.stringify({ PrimaryEntityName: 'contact', MessageName: 'Create', PrimaryEntityId: 'x' }), error: 'The execution context\'s PrimaryEntityId must be the contact id (a GUID).' },
  ])('answers 400 and queues nothing for $body', async ({ body, error }) => {
    const w = webhookApp();
    const res = await w.post(body);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error, code: 'BAD_REQUEST' });
    expect(await w.main.exists()).toBe(false);
  });

  it.each([
    { body: JSON.stringify({ PrimaryEntityName: 'account', MessageName: 'Update', PrimaryEntityId: '6f9619ff-8b86-d011-b42d-00c04fc964ff' }), reason: 'notifications about account rows start nothing; register the webhook on contact only' },
    { body: JSON.stringify({ PrimaryEntityName: 'contact', MessageName: 'Delete', PrimaryEntityId: '6f9619ff-8b86-d011-b42d-00c04fc964ff' }), reason: 'the delete message starts nothing; register the webhook on Create and Update of contact' },
  ])('answers 200 ignored (nothing for Dataverse to retry) and queues nothing: $reason', async ({ body, reason }) => {
    const w = webhookApp();
    const res = await w.post(body);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ignored', reason });
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

  it('end to end from the simulator: a vendor admin turns a contact into a technician, Dataverse posts the webhook with its key, the queued run invites them; the product\'s own writes notify nobody; a wrong key gets 401', { timeout: 60_000 }, async () => {
    const w = webhookApp();
    const KEY = 'function-key-dataverse';
    let received = 0;
    // The Functions host's side of authLevel 'function': a request without the function's key never reaches the handler.
    const server: Server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => {
        void (async () => {
          received++;
          const url = new URL(req.url ?? '/', 'http://127.0.0.1');
          if (url.searchParams.get('code') !== KEY) {
            res.statusCode = 401;
            res.end();
            return;
          }
          const answer = await contactWebhook(() => w.app, appRequest('POST', '/api/dataverse/contacts', { body: text, log: w.log }));
          res.statusCode = answer.status;
          res.end(answer.body);
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/dataverse/contacts`;
    const register = (key: string) => h.tenant.s.admin('PUT', '/webhooks', { value: [{ name: 'vendor-reconciler', url: endpoint, auth: { type: 'WebhookKey', value: key }, table: 'contact', messages: ['Create', 'Update'], filteringAttributes: webhookFilteringAttributes(), delayMs: 20 }] });
    const ADAM = 'de36f74c-4456-5d70-82c0-a8cbecfb2c31';
    try {
      await register(KEY);
      const saved = await h.tenant.s.dataverse('PATCH', `contacts(${ADAM})`, { body: { o25fs_setuptechnician: true } });
      expect(saved.status).toBe(204);
      await h.tenant.s.sim.webhooks.settle();
      expect(h.tenant.s.sim.webhooks.deliveries).toMatchObject([{ message: 'Update', id: ADAM, status: 202 }]);
      const queuedLine = w.log.lines.find((l) => l.startsWith('info: webhook: run '));
      const runId = /run ([0-9a-f-]{36}) queued for one contact \(update\)/.exec(queuedLine ?? '')?.[1];
      expect(runId).toBeDefined();

      await h.tenant.s.admin('DELETE', '/requests');
      const drained = await drainQueue(w.main, w.poison, (item, meta) => executeRunMessage(w.app, item, { dequeueCount: meta.dequeueCount, messageId: meta.id }, w.log), { visibleOnly: true });
      expect(drained).toMatchObject({ completed: 1, failed: 0 });
      const record = await w.status(runId!);
      expect(record).toMatchObject({ status: 'finished', outcome: 'succeeded', trigger: 'webhook', scope: { kind: 'subjects', subjectIds: [ADAM] } });
      expect(record.results.some((r) => r.changeId === `${ADAM}/user.invite` && r.outcome === 'applied')).toBe(true);
      // The run wrote the contact's anchor and status back: the step filters those columns out.
      expect((await writes()).some((x) => x.method === 'PATCH' && x.path.includes(ADAM))).toBe(true);
      await h.tenant.s.sim.webhooks.settle();
      expect(h.tenant.s.sim.webhooks.deliveries).toHaveLength(1);

      // A registration holding a wrong key is refused before any product code runs.
      await register('not-the-key');
      await h.tenant.s.dataverse('PATCH', `contacts(${ADAM})`, { body: { firstname: 'Adam' } });
      await h.tenant.s.sim.webhooks.settle();
      expect(h.tenant.s.sim.webhooks.deliveries.map((d) => d.status)).toEqual([202, 401]);
      expect(received).toBe(2);
      expect(w.log.lines.filter((l) => l.startsWith('info: webhook: run '))).toHaveLength(1);
    } finally {
      await h.tenant.s.admin('PUT', '/webhooks', { value: [] });
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('docs/deploy.md §14 registers the Update step on exactly the columns of reconcilers/technicians/webhook-columns.ts', () => {
    const deploy = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
    const section = deploy.slice(deploy.indexOf('## 14. Event-driven runs'));
    const listed = /reconcilers\/technicians\/webhook-columns\.ts\): `([^`]+)`/.exec(section)?.[1];
    expect(listed?.split(',')).toEqual(webhookFilteringAttributes());
  });
});
