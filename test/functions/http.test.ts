/**
 * The HTTP functions through the Functions adapter, called the way the host calls them: with
 * @azure/functions' HttpRequest and InvocationContext (the library's test mode: @azure/functions
 * runs its handlers outside the Functions host). The app is built from app settings as in Azure
 * (reconcilerAppFromEnv): the simulated demo tenant and an Azurite for AzureWebJobsStorage.
 * The tests run in order on one tenant: reports first, then a dry run, a scoped run, a whole-tenant
 * run and a timer run. POST /api/run puts the run on the run queue (AzureWebJobsStorage's queue
 * service); the tests deliver it to the queue function as the host does (./queue-host.ts).
 */
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_CSP_HEADER } from '../../src/report/html-script.js';
import { planHttp } from '../../src/functions/plan.js';
import { reconcileTimer } from '../../src/functions/reconcile.js';
import { runHttp } from '../../src/functions/run.js';
import { runStatusHttp } from '../../src/functions/runs.js';
import type { Plan } from '../../src/model/plan.js';
import type { RunRecord } from '../../src/model/run.js';
import { CSV_COLUMNS, CSV_GROUP_COLUMNS, CSV_TALLY_COLUMNS } from '../../src/report/csv.js';
import { deliverToRunQueueFunction } from './queue-host.js';
import { startQueueAzurite, type QueueAzurite } from './queue-azurite.js';
import { DEMO_FIXTURE, DEMO_SETTINGS, startTenant, type Tenant } from '../support/tenant.js';

const FABRIKAM = 'd7fb2863-4d86-5346-91a7-58f877939fed';
const SCRIPT_NAME = '<script>alert(1)</script>';

let tenant: Tenant;
let azurite: QueueAzurite;
let logs: string[] = [];

beforeAll(async () => {
  [tenant, azurite] = await Promise.all([startTenant(), startQueueAzurite()]);
  // App settings as the Function App gets them (docs/configuration.md).
  Object.assign(process.env, DEMO_SETTINGS, tenant.s.info.env, { AzureWebJobsStorage: azurite.connectionString, RECONCILE_MODE: 'apply' });
});
afterAll(async () => {
  await Promise.all([tenant?.stop(), azurite?.stop()]);
});

type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;
interface Res {
  status: number;
  headers: Record<string, string>;
  body: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
  json: any;
}

function context(functionName: string): InvocationContext {
  return new InvocationContext({ invocationId: `inv-${functionName}`, functionName, logHandler: (level, ...args) => void logs.push(`${level}: ${args.join(' ')}`) });
}

async function call(handler: Handler, method: string, path: string, init: { body?: string; params?: Record<string, string> } = {}): Promise<Res> {
  const request = new HttpRequest({
    method,
    url: `http://localhost:7071${path}`,
    ...(init.body !== undefined ? { body: { string: init.body } } : {}),
    ...(init.params ? { params: init.params } : {}),
  });
  const res = await handler(request, context(handler.name));
  const body = res.body as string;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: res.status ?? 200, headers: res.headers as Record<string, string>, body, json };
}

const planReport = async (query = ''): Promise<Res> => call(planHttp, 'GET', `/api/plan${query}`);
/** The host's side: every message on the run queue to the queue function, with its trigger metadata. */
async function deliverRuns(): Promise<void> {
  const drained = await deliverToRunQueueFunction(azurite.service, logs);
  expect(drained.failed).toBe(0);
}

/** POST /api/run: 202 with the queued run's id; delivered; its record from GET /api/runs/{id}. */
async function runViaQueue(body?: string): Promise<{ accepted: Res; record: Res }> {
  const accepted = await call(runHttp, 'POST', '/api/run', body === undefined ? {} : { body });
  expect(accepted.status).toBe(202);
  expect(accepted.json).toEqual({ runId: accepted.json.runId, status: 'queued', statusUrl: `/api/runs/${accepted.json.runId}` });
  await deliverRuns();
  return { accepted, record: await runStatus(accepted.json.runId as string) };
}

const runStatus = (id: string): Promise<Res> => call(runStatusHttp, 'GET', `/api/runs/${encodeURIComponent(id)}`, { params: { id } });

type Entry = { service: string; method: string; path: string; inner?: { method: string; path: string }[] };
async function writesSince(): Promise<{ method: string; path: string }[]> {
  const log = (await tenant.s.admin('GET', '/requests')).json.value as Entry[];
  const calls = log.filter((e) => e.service !== 'token').flatMap((e) => (e.path.includes('$batch') ? (e.inner ?? []) : [e]));
  return calls.filter((c) => c.method !== 'GET');
}

describe('GET /api/plan', () => {
  it('answers the HTML report by default: summary first, contacts by vendor, the script name as text, no last run yet', async () => {
    const res = await planReport();
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type']).toBe('text/html; charset=utf-8');
    // Strict as before, plus exactly the report's own script by hash (src/report/html-script.ts).
    expect(res.headers['Content-Security-Policy']).toBe(REPORT_CSP_HEADER);
    expect(res.headers['Content-Security-Policy']).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
    expect(res.headers['Cache-Control']).toBe('no-store');
    expect(res.body.indexOf('id="summary"')).toBeGreaterThan(0);
    expect(res.body.indexOf('id="summary"')).toBeLessThan(res.body.indexOf('id="vendors"'));
    expect(res.body).toContain(`<section class="vendor" data-vendor-id="${FABRIKAM}"`);
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body).not.toContain(SCRIPT_NAME);
    expect(res.body).toContain('<p id="last-run">Last run: none recorded yet.</p>');
    // Contacts link to their records in the environment the app is set to (DATAVERSE_URL).
    expect(res.body).toContain(`<a class="d365" href="${new URL('/main.aspx', process.env.DATAVERSE_URL).toString()}?etn=contact&amp;id=`);
  });

  it('?format=json is the plan the engine makes, with the same summary and changes', async () => {
    const res = await planReport('?format=json');
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type']).toBe('application/json; charset=utf-8');
    const direct = (await tenant.engine().plan({ kind: 'tenant' })).plan;
    const served = res.json as Plan;
    expect(served.scope).toEqual({ kind: 'tenant' });
    expect(served.summary).toEqual(direct.summary);
    expect(served.changes.map((c) => c.id)).toEqual(direct.changes.map((c) => c.id));
    expect(served.subjects.map((c) => c.subject.id)).toEqual(direct.subjects.map((c) => c.subject.id));
    expect(served.changes.length).toBeGreaterThan(0);
  });

  it('?format=markdown and ?format=csv answer their content types; CSV is an attachment with a row per change or contact', async () => {
    const md = await planReport('?format=markdown');
    expect(md.status).toBe(200);
    expect(md.headers['Content-Type']).toBe('text/markdown; charset=utf-8');
    expect(md.body).toMatch(/^# /);
    expect(md.body).toContain('**Last run:** none recorded yet.');
    expect(md.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');

    const csv = await planReport('?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['Content-Type']).toBe('text/csv; charset=utf-8; header=present');
    expect(csv.headers['Content-Disposition']).toBe('attachment; filename="vendor-reconciler-plan.csv"');
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');
    // The demo has service accounts, so the plan has a tally (src/report/csv.ts: three columns and a
    // row per value), and a project, so the project section's three columns come before them.
    expect(lines[0]).toBe([...CSV_COLUMNS, ...CSV_GROUP_COLUMNS, ...CSV_TALLY_COLUMNS].map((c) => `"${c}"`).join(','));
    const plan = (await planReport('?format=json')).json as Plan;
    const contactsWithout = plan.subjects.filter((c) => !plan.changes.some((ch) => ch.subject.id === c.subject.id)).length;
    const tallyRows = plan.tallies.reduce((n, t) => n + t.rows.length, 0);
    expect(tallyRows).toBeGreaterThan(0);
    expect(lines.length - 1).toBe(plan.changes.length + contactsWithout + tallyRows);
  });

  it('?contact=ID (repeatable) narrows the report to those contacts', async () => {
    const all = (await planReport('?format=json')).json as Plan;
    const [a, b] = all.subjects.filter((c) => c.changeIds.length > 0).map((c) => c.subject.id);
    const res = await planReport(`?format=json&contact=${a}&contact=${b?.toUpperCase()}`);
    expect(res.status).toBe(200);
    const plan = res.json as Plan;
    expect(plan.scope).toEqual({ kind: 'subjects', family: 'technicians', subjectIds: [a, b] });
    expect(plan.subjects.map((c) => c.subject.id).sort()).toEqual([a, b].sort());
    expect(new Set(plan.changes.map((c) => c.subject.id))).toEqual(new Set([a, b]));
    expect(plan.changes.map((c) => c.id)).toEqual(all.changes.filter((c) => c.subject.id === a || c.subject.id === b).map((c) => c.id));
  });

  it('?vendor=ACCOUNT_ID narrows the report to that vendor\'s contacts', async () => {
    const all = (await planReport('?format=json')).json as Plan;
    const plan = (await planReport(`?format=json&vendor=${FABRIKAM}`)).json as Plan;
    expect(plan.scope).toEqual({ kind: 'group', family: 'technicians', groupId: FABRIKAM });
    const expected = all.subjects.filter((c) => c.subject.group?.id === FABRIKAM).map((c) => c.subject.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(plan.subjects.map((c) => c.subject.id)).toEqual(expected);
    expect(plan.changes.every((c) => expected.includes(c.subject.id))).toBe(true);
  });

  it.each([
    { query: '?format=pdf', error: 'format must be one of text, json, markdown, html, csv; got "pdf".', reason: 'an unknown format is refused, not guessed' },
    { query: '?contact=nope', error: 'contact must be contact ids (GUIDs, the contact\'s contactid); got "nope".', reason: 'ids are GUIDs' },
    { query: `?vendor=${FABRIKAM}&contact=${FABRIKAM}`, error: 'Give contact or vendor, not both: a run is scoped to some contacts or to one vendor\'s contacts.', reason: 'one scope at a time' },
    { query: '?vendor=x', error: 'vendor must be the vendor\'s account id (a GUID); got "x".', reason: 'vendor ids are GUIDs' },
  ])('400 for $query: $reason', async ({ query, error }) => {
    const res = await planReport(query);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error, code: 'BAD_REQUEST' });
  });
});

describe('POST /api/run and GET /api/runs/{id}', () => {
  it.each([
    { body: '{', error: 'The body must be JSON, e.g. {"contactIds":["<contact id>"],"dryRun":true}, or empty for the whole tenant.', reason: 'not JSON' },
    { body: '[]', error: 'The body must be a JSON object with any of contactIds, vendorId, dryRun, releaseRemovals.', reason: 'an array is not an object' },
    { body: '{"contacts":["x"]}', error: 'Unknown field "contacts"; the body takes contactIds, vendorId, dryRun, releaseRemovals.', reason: 'a misspelt field would otherwise run the whole tenant' },
    { body: '{"contactIds":"c44b12bd-35f4-5753-aaf3-54a259c98586"}', error: 'contactIds must be an array of contact ids (strings), e.g. ["3f2504e0-4f89-11d3-9a0c-0305e82c3301"].', reason: 'a single id must still be in an array' },
    { body: '{"contactIds":[]}', error: 'contactIds is empty: name at least one contact, or leave contactIds out to run for the whole tenant.', reason: 'an empty list must not mean the whole tenant' },
    { body: '{"contactIds":["x"]}', error: 'contactIds must be contact ids (GUIDs, the contact\'s contactid); got "x".', reason: 'ids are GUIDs' },
    { body: `{"vendorId":"${FABRIKAM}","contactIds":["${FABRIKAM}"]}`, error: 'Give contactIds or vendorId, not both: a run is scoped to some contacts or to one vendor\'s contacts.', reason: 'one scope at a time' },
    { body: '{"dryRun":"yes"}', error: 'dryRun must be true or false.', reason: 'no truthy strings' },
    { body: '{"releaseRemovals":1}', error: 'releaseRemovals must be true or false.', reason: 'no truthy numbers' },
  ])('400 for $body: $reason, and nothing runs', async ({ body, error }) => {
    await tenant.s.admin('DELETE', '/requests');
    const res = await call(runHttp, 'POST', '/api/run', { body });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error, code: 'BAD_REQUEST' });
    expect((await tenant.s.admin('GET', '/requests')).json.value).toEqual([]);
  });

  it('dryRun: answers the plan as a dry-run record and writes nothing', async () => {
    await tenant.s.admin('DELETE', '/requests');
    const { accepted, record: res } = await runViaQueue('{"dryRun":true}');
    expect(res.json).toMatchObject({ status: 'finished', runId: accepted.json.runId, mode: 'dry-run', trigger: 'manual', outcome: 'succeeded', results: [], scope: { kind: 'tenant' } });
    expect(res.json.plan.summary.changesByKind['user.invite']).toBeGreaterThan(0);
    expect(await writesSince()).toEqual([]);
  });

  it('a scoped run changes only the named contacts (the simulator\'s request log and the plan after it)', async () => {
    const before = (await tenant.engine().plan({ kind: 'tenant' })).plan;
    // Two invitees of different vendors: their invitation, licence, group and anchor changes.
    const invitees = before.subjects.filter((c) => before.changes.some((ch) => ch.subject.id === c.subject.id && ch.kind === 'user.invite'));
    const a = invitees[0]!;
    const b = invitees.find((c) => c.subject.group?.id !== a.subject.group?.id)!;
    const named = new Set([a.subject.id, b.subject.id]);
    const namedChanges = before.changes.filter((c) => named.has(c.subject.id));

    await tenant.s.admin('DELETE', '/requests');
    const { record: res } = await runViaQueue(JSON.stringify({ contactIds: [a.subject.id, b.subject.id] }));
    const result = res.json as { outcome: string; scope: unknown; results: RunRecord['results'] };
    expect(result.outcome).toBe('succeeded');
    expect(result.scope).toEqual({ kind: 'subjects', family: 'technicians', subjectIds: [a.subject.id, b.subject.id] });
    expect(result.results.map((r) => r.changeId)).toEqual(namedChanges.map((c) => c.id));
    expect(result.results.every((r) => r.outcome === 'applied')).toBe(true);

    // Every id in a write's path belongs to the named contacts (their contact, the users created
    // for them, the objects their changes target) or is the technician group.
    const ids = new Set<string>([...named, tenant.settings.families.technicians!.technicianGroupId]);
    for (const c of namedChanges) if (c.target.id) ids.add(c.target.id);
    for (const r of result.results) if (r.createdId) ids.add(r.createdId);
    const writes = await writesSince();
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) {
      for (const id of w.path.toLowerCase().match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? []) {
        expect(ids.has(id), `${w.method} ${w.path}`).toBe(true);
      }
    }
    expect(writes.filter((w) => w.path.endsWith('/invitations')).length).toBe(2);

    // Everyone else's plan is untouched.
    const after = (await tenant.engine().plan({ kind: 'tenant' })).plan;
    const others = (p: Plan): string[] => p.changes.filter((c) => !named.has(c.subject.id)).map((c) => c.id);
    expect(others(after)).toEqual(others(before));
    expect(after.changes.filter((c) => named.has(c.subject.id) && namedChanges.some((n) => n.id === c.id))).toEqual([]);
  });

  it('a whole-tenant run goes through the queue; GET /api/runs/{id} returns the stored plan and results; the report shows it as the last run', async () => {
    const { accepted, record: stored } = await runViaQueue();
    const runId = accepted.json.runId as string;
    expect(stored.status).toBe(200);
    const record = stored.json as RunRecord & { status: string };
    expect(record).toMatchObject({ status: 'finished', runId, mode: 'apply', trigger: 'manual', outcome: 'succeeded', scope: { kind: 'tenant' } });
    expect(record.results.length).toBeGreaterThan(50);
    expect(record.results.every((r) => r.outcome === 'applied')).toBe(true);
    expect(record.plan.changes.map((c) => c.id)).toEqual(record.results.map((r) => r.changeId));
    const res = { json: record };

    const html = await planReport();
    expect(html.body).toMatch(new RegExp(`<p id="last-run">Last run: [^<]*succeeded: ${res.json.results.length} changes applied, 0 errors \\(run ${runId}\\)\\.</p>`));
    const json = (await planReport('?format=json')).json as { lastRun: { runId: string; outcome: string; changesApplied: number } };
    expect(json.lastRun).toMatchObject({ runId, outcome: 'succeeded', changesApplied: res.json.results.length });

    const asHtml = await call(runStatusHttp, 'GET', `/api/runs/${runId}?format=html`, { params: { id: runId } });
    expect(asHtml.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(asHtml.body).toContain(`id="run"`);
  });

  it('GET /api/runs/{id} answers 404 for an unknown run and for an id that is no run id', async () => {
    for (const id of ['6f9619ff-8b86-d011-b42d-00c04fc964ff', '..%2Flatest', 'latest']) {
      const res = await runStatus(id);
      expect(res.status, id).toBe(404);
      expect(res.json.code).toBe('RUN_NOT_FOUND');
    }
  });

  it('the timer function runs the whole tenant under the lock and records the run as a timer run', async () => {
    tenant.s.sim.userSync.runNow(tenant.s.sim.state);
    logs = [];
    await reconcileTimer({ isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: '', next: '', lastUpdated: '' } }, context('reconcile'));
    const started = logs.find((l) => l.includes('started (timer, apply, scope tenant)'));
    expect(started).toBeDefined();
    const runId = /run ([0-9a-f-]{36}) started/.exec(started!)![1]!;
    const record = (await runStatus(runId)).json as RunRecord;
    expect(record).toMatchObject({ trigger: 'timer', mode: 'apply', outcome: 'succeeded' });
    expect(record.results.some((r) => r.changeId.endsWith('/bookableresource.create'))).toBe(true);
    expect(logs).toContain(`information: run ${runId} succeeded: ${record.results.length} change(s) (${record.results.length} applied)`);
  });

  it('logs name no contact: no email address or display name in any log line', () => {
    const names = DEMO_FIXTURE.dataverse?.contacts?.map((c) => String(c.fullname)) ?? [];
    expect(names.length).toBeGreaterThan(0);
    for (const line of logs) {
      expect(line).not.toMatch(/@/);
      for (const name of names) expect(line).not.toContain(name);
    }
  });
});
