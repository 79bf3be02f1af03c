/**
 * GET /api/runs (the run history: JSON and its HTML page) and the per-vendor view (?vendor= on
 * GET /api/plan and GET /api/runs/{id}, and GET /api/vendors/{vendorId}/plan) through the Functions
 * adapter, on the simulated demo tenant and an Azurite, as test/functions/http.test.ts does. The
 * vendor view is checked for what it must never hold: another vendor's people, anywhere in the page.
 */
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planHttp, vendorPlanHttp } from '../../src/functions/plan.js';
import { runHttp } from '../../src/functions/run.js';
import { runStatusHttp } from '../../src/functions/runs.js';
import type { Plan } from '../../src/model/plan.js';
import { escapeHtml } from '../../src/report/escape.js';
import { REPORT_CSP_HEADER } from '../../src/report/html-script.js';
import { BlobRunStore } from '../../src/history/run-store.js';
import { CONTAINER_NAME } from '../../src/history/storage.js';
import { deliverToRunQueueFunction } from './queue-host.js';
import { startQueueAzurite, type QueueAzurite } from './queue-azurite.js';
import { DEMO_SETTINGS, startTenant, type Tenant } from '../support/tenant.js';

const FABRIKAM = 'd7fb2863-4d86-5346-91a7-58f877939fed';

let tenant: Tenant;
let azurite: QueueAzurite;
let tenantPlan: Plan;

beforeAll(async () => {
  [tenant, azurite] = await Promise.all([startTenant(), startQueueAzurite()]);
  Object.assign(process.env, DEMO_SETTINGS, tenant.s.info.env, { AzureWebJobsStorage: azurite.connectionString, RECONCILE_MODE: 'apply' });
  tenantPlan = (await tenant.engine().plan({ kind: 'tenant' })).plan;
});
afterAll(async () => {
  await Promise.all([tenant?.stop(), azurite?.stop()]);
});

type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;
interface Res {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: unknown;
}

async function call(handler: Handler, method: string, path: string, params?: Record<string, string>, body?: string): Promise<Res> {
  const request = new HttpRequest({ method, url: `http://localhost:7071${path}`, ...(params ? { params } : {}), ...(body !== undefined ? { body: { string: body } } : {}) });
  const res = await handler(request, new InvocationContext({ invocationId: 'inv', functionName: handler.name }));
  const text = res.body as string;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status ?? 200, headers: res.headers as Record<string, string>, body: text, json };
}

interface Listed {
  runs: { runId: string; status: string; mode: string; trigger: string; startedAt: string; finishedAt: string | null; outcome: string | null; url: string }[];
}
const runsList = (query = ''): Promise<Res> => call(runStatusHttp, 'GET', `/api/runs${query}`, {});

/** Every other vendor's contacts' names, as the HTML would spell them. */
function otherPeople(vendorId: string): string[] {
  return tenantPlan.subjects.filter((s) => s.subject.group?.id !== vendorId && s.subject.displayName.trim().length > 3).map((s) => escapeHtml(s.subject.displayName));
}
const fabrikamIds = (): string[] => tenantPlan.subjects.filter((s) => s.subject.group?.id === FABRIKAM).map((s) => s.subject.id);

function expectOnlyFabrikam(body: string): void {
  const shown = [...body.matchAll(/<tr class="contact" data-contact-id="([^"]+)"/g)].map((m) => m[1]!);
  expect(shown.length).toBeGreaterThan(0);
  expect(shown.sort()).toEqual(fabrikamIds().sort());
  expect([...body.matchAll(/<section class="vendor" data-vendor-id="([^"]*)"/g)].map((m) => m[1])).toEqual([FABRIKAM]);
  const leaked = otherPeople(FABRIKAM).filter((name) => body.includes(name));
  expect(leaked).toEqual([]);
  for (const o of tenantPlan.orphans) expect(body).not.toContain(o.id);
}

describe('GET /api/runs', () => {
  it('before any run: an HTML page that says so, and an empty JSON list', async () => {
    const html = await runsList();
    expect(html.status).toBe(200);
    expect(html.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(html.headers['Content-Security-Policy']).toBe(REPORT_CSP_HEADER);
    expect(html.body).toContain('<p class="none">No run recorded yet');
    expect((await runsList('?format=json')).json).toEqual({ runs: [] });
  });

  it('lists the runs newest first, each with its summary and a link to its record; the key carries over', async () => {
    const dry = (await call(runHttp, 'POST', '/api/run', undefined, '{"dryRun":true}')).json as { runId: string };
    const queued = (await call(runHttp, 'POST', '/api/run')).json as { runId: string };
    // Before the host delivers them, both runs are listed as queued.
    const waiting = (await runsList('?format=json')).json as Listed;
    expect(waiting.runs.map((r) => [r.runId, r.status])).toEqual(expect.arrayContaining([[dry.runId, 'queued'], [queued.runId, 'queued']]));
    expect((await deliverToRunQueueFunction(azurite.service, [])).failed).toBe(0);
    const applied = (await call(runStatusHttp, 'GET', `/api/runs/${queued.runId}`, { id: queued.runId })).json as { runId: string; outcome: string };
    const all = (await runsList('?format=json')).json as Listed;
    // The apply left the demo's new technicians waiting: it queued a follow-up run of them (src/app/queue-run.ts).
    expect(all.runs.filter((r) => r.runId !== applied.runId && r.runId !== dry.runId).map((r) => [r.status, r.trigger])).toEqual([['queued', 'follow-up']]);
    const listed: Listed = { runs: all.runs.filter((r) => r.trigger !== 'follow-up') };
    expect(listed.runs.map((r) => r.runId)).toEqual([applied.runId, dry.runId]);
    expect(listed.runs[0]).toMatchObject({ status: 'finished', mode: 'apply', trigger: 'manual', outcome: applied.outcome, url: `/api/runs/${applied.runId}` });
    expect(listed.runs[1]).toMatchObject({ status: 'finished', mode: 'dry-run', trigger: 'manual', url: `/api/runs/${dry.runId}` });
    expect(listed.runs[0]!.finishedAt! >= listed.runs[0]!.startedAt).toBe(true);

    const html = (await runsList('?code=reader-key%26x')).body;
    const rows = [...html.matchAll(/<tr class="run" data-run-id="([^"]+)" data-status="finished" data-outcome="([a-z]+)">/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([[applied.runId, applied.outcome], [dry.runId, 'succeeded']]);
    expect(html).toContain(`<a href="/api/runs/${applied.runId}?format=html&amp;code=reader-key%26x">`);
    // Each link opens the run's report.
    const record = await call(runStatusHttp, 'GET', `/api/runs/${applied.runId}?format=html`, { id: applied.runId });
    expect(record.body).toContain(`<section id="run" aria-labelledby="run-title" data-run-id="${applied.runId}">`);
  });

  it('a running apply whose run holds no lock (its host stopped) is listed as interrupted', async () => {
    const store = new BlobRunStore(azurite.blobs.container(CONTAINER_NAME));
    const runId = 'dead0000-0000-4000-8000-000000000001';
    await store.markRunning({ runId, mode: 'apply', trigger: 'timer', scope: { kind: 'tenant' }, startedAt: '2099-01-01T00:00:00.000Z' });
    const listed = (await runsList('?format=json')).json as Listed;
    expect(listed.runs[0]).toMatchObject({ runId, status: 'interrupted', finishedAt: null, outcome: null });
    expect((await runsList()).body).toContain(`<tr class="run" data-run-id="${runId}" data-status="interrupted" data-outcome="interrupted">`);
  });

  it('?limit= takes the newest few; a bad limit or format is a 400 that says what to give', async () => {
    const one = (await runsList('?format=json&limit=1')).json as Listed;
    expect(one.runs).toHaveLength(1);
    const zero = await runsList('?limit=0');
    expect(zero.status).toBe(400);
    expect(zero.json).toEqual({ error: 'limit must be a whole number from 1 to 200; got "0".', code: 'BAD_REQUEST' });
    expect((await runsList('?format=csv')).status).toBe(400);
  });
});

describe('the per-vendor view', () => {
  it('?vendor= on the report shows that vendor\'s contacts only: no other vendor\'s people anywhere in the page', async () => {
    expect(otherPeople(FABRIKAM).length).toBeGreaterThan(3);
    const res = await call(planHttp, 'GET', `/api/plan?vendor=${FABRIKAM}`);
    expect(res.status).toBe(200);
    expectOnlyFabrikam(res.body);
    // The contents list the one vendor.
    expect([...res.body.matchAll(/<a href="#group-\d+">/g)]).toHaveLength(1);
  });

  it('GET /api/vendors/{vendorId}/plan is the same view, and takes no other scope', async () => {
    const res = await call(vendorPlanHttp, 'GET', `/api/vendors/${FABRIKAM}/plan`, { vendorId: FABRIKAM });
    expect(res.status).toBe(200);
    expectOnlyFabrikam(res.body);
    const json = (await call(vendorPlanHttp, 'GET', `/api/vendors/${FABRIKAM}/plan?format=json`, { vendorId: FABRIKAM })).json as Plan;
    expect(json.scope).toEqual({ kind: 'group', family: 'technicians', groupId: FABRIKAM });
    const contact = tenantPlan.subjects.find((s) => s.subject.group?.id !== FABRIKAM)!.subject.id;
    const widened = await call(vendorPlanHttp, 'GET', `/api/vendors/${FABRIKAM}/plan?contact=${contact}`, { vendorId: FABRIKAM });
    expect(widened.status).toBe(400);
    const other = tenantPlan.subjects.find((s) => s.subject.group && s.subject.group.id !== FABRIKAM)!.subject.group!.id;
    expect((await call(vendorPlanHttp, 'GET', `/api/vendors/${FABRIKAM}/plan?vendor=${other}`, { vendorId: FABRIKAM })).status).toBe(400);
    expect((await call(vendorPlanHttp, 'GET', '/api/vendors/not-a-guid/plan', { vendorId: 'not-a-guid' })).status).toBe(400);
  });

  it('?vendor= on a whole-tenant run\'s record shows that vendor\'s part only, as HTML and as JSON', async () => {
    const listed = (await runsList('?format=json')).json as Listed;
    const applied = listed.runs.find((r) => r.mode === 'apply' && r.status === 'finished')!;
    const html = await call(runStatusHttp, 'GET', `/api/runs/${applied.runId}?format=html&vendor=${FABRIKAM}`, { id: applied.runId });
    expect(html.status).toBe(200);
    expect(html.body).toContain(`data-run-id="${applied.runId}"`);
    expectOnlyFabrikam(html.body);
    const json = await call(runStatusHttp, 'GET', `/api/runs/${applied.runId}?vendor=${FABRIKAM}`, { id: applied.runId });
    // The JSON report: the (vendor's) plan with the run's record under `run`.
    const body = json.json as Plan & { run: { results: { changeId: string }[]; statuses: Record<string, string> } };
    expect(body.subjects.map((s) => s.subject.group?.id)).toEqual(fabrikamIds().map(() => FABRIKAM));
    expect(body.run.results.length).toBeGreaterThan(0);
    const ids = new Set(fabrikamIds());
    expect(body.run.results.every((r) => ids.has(r.changeId.split('/')[0]!))).toBe(true);
    expect(Object.keys(body.run.statuses).every((k) => ids.has(k.split('/')[1]!))).toBe(true);
    for (const name of otherPeople(FABRIKAM)) expect(json.body).not.toContain(JSON.stringify(name).slice(1, -1));
  });
});
