/**
 * The hourly timer reads incrementally in the Functions app (issue 6 "Incremental runs": "tokens kept
 * with the run history; a full run at least once a day and whenever a token has expired or the
 * settings changed"; docs/incremental.md). Called as the host calls the functions, with the app
 * built from app settings (reconcilerAppFromEnv): the simulated demo tenant and an Azurite for
 * AzureWebJobsStorage. The snapshot is the blob state/observation.json.gz in the run history's
 * container. The tests run in order on one tenant.
 */
import { quietIncrementalPages } from '../support/incremental-pages.js';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planHttp } from '../../src/functions/plan.js';
import { reconcileTimer } from '../../src/functions/reconcile.js';
import { runHttp } from '../../src/functions/run.js';
import { runStatusHttp } from '../../src/functions/runs.js';
import { WORK_ORDER_TABLES } from '../../reconcilers/project-work-orders/tables.js';
import { BlobSnapshotStore, SNAPSHOT_BLOB_NAME } from '../../src/history/snapshot-store.js';
import { CONTAINER_NAME } from '../../src/history/storage.js';
import type { RunRecord } from '../../src/model/run.js';
import { deliverToRunQueueFunction } from './queue-host.js';
import { startQueueAzurite, type QueueAzurite } from './queue-azurite.js';
import { DEMO_SETTINGS, startTenant, type Tenant } from '../support/tenant.js';
import { requestCounts } from '../unit/incremental/scaled-tenant.js';

let tenant: Tenant;
let azurite: QueueAzurite;
let container: ContainerClient;

beforeAll(async () => {
  [tenant, azurite] = await Promise.all([startTenant(), startQueueAzurite()]);
  Object.assign(process.env, DEMO_SETTINGS, tenant.s.info.env, { AzureWebJobsStorage: azurite.connectionString, RECONCILE_MODE: 'apply' });
  delete process.env.FULL_RESYNC_HOURS;
  // The demo's customer portal is read in full every run (reconcilers/portal/tables.ts): these pages are the technicians'.
  delete process.env.PORTAL_WEBSITE_ID;
  container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(CONTAINER_NAME);
});
afterAll(async () => {
  await Promise.all([tenant?.stop(), azurite?.stop()]);
});

function context(name: string, logs: string[]): InvocationContext {
  return new InvocationContext({ invocationId: `inv-${name}`, functionName: name, logHandler: (level, ...args) => void logs.push(`${level}: ${args.join(' ')}`) });
}

type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
async function call(handler: Handler, method: string, path: string, init: { body?: string; params?: Record<string, string> } = {}): Promise<{ status: number; json: any }> {
  const request = new HttpRequest({
    method,
    url: `http://localhost:7071${path}`,
    ...(init.body !== undefined ? { body: { string: init.body } } : {}),
    ...(init.params ? { params: init.params } : {}),
  });
  const res = await handler(request, context(handler.name, []));
  return { status: res.status ?? 200, json: JSON.parse(res.body as string) as unknown };
}

async function stored(runId: string): Promise<RunRecord> {
  const res = await call(runStatusHttp, 'GET', `/api/runs/${runId}`, { params: { id: runId } });
  expect(res.status).toBe(200);
  return res.json as RunRecord;
}

/** One firing of the timer function; the run record as GET /api/runs/{id} answers it. */
async function timer(): Promise<RunRecord> {
  const logs: string[] = [];
  await reconcileTimer({ isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: '', next: '', lastUpdated: '' } }, context('reconcile', logs));
  const started = logs.map((l) => /run ([0-9a-f-]{36}) started \(timer, apply, scope tenant\)/.exec(l)).find((m) => m);
  expect(started, logs.join('\n')).toBeTruthy();
  const record = await stored(started![1]!);
  expect(record).toMatchObject({ trigger: 'timer', mode: 'apply' });
  return record;
}

const snapshotBlob = () => container.getBlockBlobClient(SNAPSHOT_BLOB_NAME);
const INCREMENTAL = /^changes since \d{4}-\d\d-\d\dT/;

/**
 * The technicians' and the portal's 12 pages, and the demo project's: the project-work-orders family
 * reads each of its 7 tables in full every run (reconcilers/project-work-orders/tables.ts), one page
 * each in the demo tenant.
 */
const QUIET_PAGES = [...quietIncrementalPages(DEMO_SETTINGS.TECHNICIAN_GROUP_ID!), ...WORK_ORDER_TABLES.map((t) => `dataverse GET ${t.path}`)].sort();

async function quietPages(): Promise<{ pages: string[]; writes: number }> {
  const { gets, writes } = await requestCounts(tenant);
  return { pages: gets.map((g) => `${g.service} ${g.method} ${g.path.split('?')[0]}`).sort(), writes: writes.length };
}

describe('the hourly timer in the Functions app reads incrementally', () => {
  it('the first timer run reads everything (no snapshot) and saves the snapshot blob beside the run history', async () => {
    expect(await snapshotBlob().exists()).toBe(false);
    const record = await timer();
    expect(record.outcome).toBe('succeeded');
    expect(record.observation).toEqual({ mode: 'full', reason: 'no snapshot' });
    expect(await snapshotBlob().exists()).toBe(true);
    const props = await snapshotBlob().getProperties();
    expect(props.contentType).toBe('application/gzip');
    const snapshot = (await new BlobSnapshotStore(container).load())!;
    expect(snapshot.fullReadAt).toBe(snapshot.takenAt);
    expect(snapshot.observation.contacts.length).toBeGreaterThan(10);
    expect(snapshot.tokens.contacts).toContain('contacts');
  });

  it('the next runs are incremental; once converged, a run reads the same 19 pages, writes nothing and only replaces the snapshot', async () => {
    // The demo tenant needs the user sync between runs (systemusers appear after the invitation).
    for (let i = 0; i < 3; i++) {
      tenant.s.sim.userSync.runNow(tenant.s.sim.state);
      const record = await timer();
      expect(record.outcome).toBe('succeeded');
      expect(record.observation?.mode).toBe('incremental');
      expect(record.observation?.reason).toMatch(INCREMENTAL);
    }
    await timer(); // its own earlier writes come back once through the deltas

    const before = (await new BlobSnapshotStore(container).load())!;
    await tenant.s.admin('DELETE', '/requests');
    const quiet = await timer();
    expect(quiet.outcome).toBe('succeeded');
    expect(quiet.observation).toEqual({ mode: 'incremental', reason: `changes since ${before.takenAt}` });
    expect(quiet.plan.changes.filter((c) => !c.blocked)).toEqual([]);
    expect(quiet.results).toEqual([]);
    expect(await quietPages()).toEqual({ pages: QUIET_PAGES, writes: 0 });
    const after = (await new BlobSnapshotStore(container).load())!;
    expect(after.fullReadAt).toBe(before.fullReadAt);
    expect(after.takenAt > before.takenAt).toBe(true);
  });

  it('a change made in the tenant is repaired by the next incremental timer run', async () => {
    const dv = tenant.s.sim.state.dataverse;
    const contact = [...dv.table('contacts').values()].find((c) => c.o25fs_provisioningstatus === 808950003 && c._o25fs_bookableresourceid_value)!;
    expect(contact).toBeDefined();
    expect((await tenant.s.dataverse('PATCH', `contacts(${String(contact.contactid)})`, { body: { o25fs_hourlyrate: 77.25 } })).status).toBe(204);

    await tenant.s.admin('DELETE', '/requests');
    const record = await timer();
    expect(record.outcome).toBe('succeeded');
    expect(record.observation?.mode).toBe('incremental');
    expect(record.plan.changes.filter((c) => !c.blocked).map((c) => ({ contactId: c.subject.id, kind: c.kind }))).toEqual([
      { contactId: String(contact.contactid), kind: 'bookableresource.update' },
    ]);
    expect(record.results.map((r) => r.outcome)).toEqual(['applied']);
    expect(dv.get('bookableresources', String(contact._o25fs_bookableresourceid_value))!.msdyn_hourlyrate).toBe(77.25);
    // No full collection was read.
    const { gets } = await requestCounts(tenant);
    expect(gets.some((g) => g.path.startsWith('/users?'))).toBe(false);
    expect(gets.some((g) => g.path.includes('/members'))).toBe(false);
    await timer(); // the repair comes back once through the deltas
  });

  it('GET /api/plan and a dry run read through the snapshot without saving it; a manual whole-tenant run is incremental too', async () => {
    const etag = (await snapshotBlob().getProperties()).etag;
    const plan = await call(planHttp, 'GET', '/api/plan?format=json');
    expect(plan.status).toBe(200);
    // POST /api/run queues the run; the queue function runs it (./queue-host.ts delivers it as the host does).
    const dry = await call(runHttp, 'POST', '/api/run', { body: '{"dryRun":true}' });
    expect(dry.status).toBe(202);
    expect((await deliverToRunQueueFunction(azurite.service)).completed).toBe(1);
    expect(await stored(dry.json.runId as string)).toMatchObject({ mode: 'dry-run', outcome: 'succeeded', observation: { mode: 'incremental' } });
    expect((await snapshotBlob().getProperties()).etag).toBe(etag);

    const manual = await call(runHttp, 'POST', '/api/run');
    expect(manual.status).toBe(202);
    expect((await deliverToRunQueueFunction(azurite.service)).completed).toBe(1);
    const manualRecord = await stored(manual.json.runId as string);
    expect(manualRecord).toMatchObject({ mode: 'apply', trigger: 'manual', outcome: 'succeeded', observation: { mode: 'incremental' } });
    expect(manualRecord.observation?.reason).toMatch(INCREMENTAL);
    expect((await snapshotBlob().getProperties()).etag).not.toBe(etag);
  });

  it.each([
    { damage: 'deleted', reason: 'an operator deletes the blob to force a full read' },
    { damage: 'corrupted', reason: 'a blob that does not unzip or parse is no snapshot' },
  ])('a $damage snapshot makes the next timer run full, not failed, and the run after it incremental again ($reason)', async ({ damage }) => {
    if (damage === 'deleted') await snapshotBlob().delete();
    else await snapshotBlob().uploadData(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef]));

    await tenant.s.admin('DELETE', '/requests');
    const full = await timer();
    expect(full.outcome).toBe('succeeded');
    expect(full.observation).toEqual({ mode: 'full', reason: 'no snapshot' });
    const { gets, writes } = await requestCounts(tenant);
    expect(writes).toEqual([]);
    expect(gets.some((g) => g.path.startsWith('/users?$filter=userType'))).toBe(true);
    const saved = (await new BlobSnapshotStore(container).load())!;
    expect(saved.fullReadAt).toBe(saved.takenAt);

    const next = await timer();
    expect(next.observation).toEqual({ mode: 'incremental', reason: `changes since ${saved.takenAt}` });
    expect(next.results).toEqual([]);
  });
});
