/**
 * A first deployment that can't hurt (issue 16, item 7): the timer function, called as the host calls
 * it with the app built from app settings, only reports until RECONCILE_MODE=apply. In plan mode (the
 * setting unset, as on a fresh deploy) a firing sends no write to the simulated tenant, records a dry
 * run with trigger `timer`, and that run's report opens with the plan-mode notice; with
 * RECONCILE_MODE=apply the next firing applies. The tests run in order on one tenant.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileTimer } from '../../src/functions/reconcile.js';
import { planHttp } from '../../src/functions/plan.js';
import { runStatusHttp } from '../../src/functions/runs.js';
import type { RunRecord } from '../../src/model/run.js';
import { PLAN_MODE_NOTICE } from '../../src/report/model.js';
import { startAzurite, type TestAzurite } from '../support/azurite.js';
import { DEMO_SETTINGS, startTenant, type Tenant } from '../support/tenant.js';
import { requestCounts } from '../unit/incremental/scaled-tenant.js';

let tenant: Tenant;
let azurite: TestAzurite;

beforeAll(async () => {
  [tenant, azurite] = await Promise.all([startTenant(), startAzurite()]);
  Object.assign(process.env, DEMO_SETTINGS, tenant.s.info.env, { AzureWebJobsStorage: azurite.connectionString });
  delete process.env.RECONCILE_MODE;
});
afterAll(async () => {
  delete process.env.RECONCILE_MODE;
  await Promise.all([tenant?.stop(), azurite?.stop()]);
});

function context(logs: string[]): InvocationContext {
  return new InvocationContext({ invocationId: 'inv-reconcile', functionName: 'reconcile', logHandler: (level, ...args) => void logs.push(`${level}: ${args.join(' ')}`) });
}

async function runStatus(runId: string, format?: string): Promise<{ status: number; body: string }> {
  const request = new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/runs/${runId}${format ? `?format=${format}` : ''}`, params: { id: runId } });
  const res = await runStatusHttp(request, new InvocationContext({ invocationId: 'inv-runs', functionName: 'runStatus' }));
  return { status: res.status ?? 200, body: res.body as string };
}

/** One firing; the run id from its "started" line, which says apply or dry run. */
async function fire(expected: 'apply' | 'dry run'): Promise<{ record: RunRecord; logs: string[] }> {
  const logs: string[] = [];
  await reconcileTimer({ isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: '', next: '', lastUpdated: '' } }, context(logs));
  const started = logs.map((l) => /run ([0-9a-f-]{36}) started \(timer, (apply|dry run), scope tenant\)/.exec(l)).find((m) => m);
  expect(started, logs.join('\n')).toBeTruthy();
  expect(started![2]).toBe(expected);
  const res = await runStatus(started![1]!);
  expect(res.status).toBe(200);
  return { record: JSON.parse(res.body) as RunRecord, logs };
}

describe('the timer on a fresh deployment (RECONCILE_MODE unset) only reports', () => {
  let planned: RunRecord;

  it('records a dry run with trigger timer, plans the demo tenant\'s changes and sends no write', async () => {
    await tenant.s.admin('DELETE', '/requests');
    const usersBefore = tenant.s.sim.state.graph.users.size;
    const { record, logs } = await fire('dry run');
    planned = record;
    expect(record).toMatchObject({ mode: 'dry-run', trigger: 'timer', scope: { kind: 'tenant' }, outcome: 'succeeded', status: 'finished' });
    // The demo tenant has technicians to set up: the plan is not empty, and none of it ran.
    expect(record.plan.changes.some((c) => c.kind === 'user.invite')).toBe(true);
    expect(record.results).toEqual([]);
    const { writes } = await requestCounts(tenant);
    expect(writes).toEqual([]);
    expect(tenant.s.sim.state.graph.users.size).toBe(usersBefore);
    expect(logs).toContain('information: RECONCILE_MODE=plan: this scheduled run only reports (a dry run); set RECONCILE_MODE=apply to let it change the tenant');
  });

  it('a second firing plans the same changes: nothing was applied in between', async () => {
    const { record } = await fire('dry run');
    expect(record.plan.changes.map((c) => c.id)).toEqual(planned.plan.changes.map((c) => c.id));
  });

  it.each([
    { format: 'text', line: `NOTE: ${PLAN_MODE_NOTICE}`, reason: 'the text report says so under its title' },
    { format: 'html', line: `<p id="plan-mode-notice" class="notice" data-notice="plan-mode">${PLAN_MODE_NOTICE}</p>`, reason: 'the page says so in its header' },
  ])('its stored report ($format) opens with the plan-mode notice ($reason)', async ({ format, line }) => {
    const res = await runStatus(planned.runId, format);
    expect(res.status).toBe(200);
    expect(res.body).toContain(line);
  });

  it('GET /api/plan says at the top that the deployment only reports (the app was built in plan mode)', async () => {
    const res = await planHttp(new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/plan?format=text' }), new InvocationContext({ invocationId: 'inv-plan', functionName: 'plan' }));
    expect(res.status ?? 200).toBe(200);
    const text = String(res.body);
    expect(text).toContain(PLAN_MODE_NOTICE);
    expect(text.indexOf(PLAN_MODE_NOTICE)).toBeLessThan(text.indexOf('PROJECTS'));
  });
});

describe('with RECONCILE_MODE=apply the timer changes the tenant', () => {
  it('the next firing applies under the lock, writes to the tenant, and its report has no plan-mode notice', async () => {
    process.env.RECONCILE_MODE = 'apply';
    await tenant.s.admin('DELETE', '/requests');
    const { record, logs } = await fire('apply');
    expect(record).toMatchObject({ mode: 'apply', trigger: 'timer', outcome: 'succeeded' });
    const invites = record.plan.changes.filter((c) => c.kind === 'user.invite' && !c.blocked).map((c) => c.id);
    expect(invites.length).toBeGreaterThan(0);
    expect(record.results.filter((r) => r.changeId.endsWith('/user.invite')).map((r) => [r.changeId, r.outcome])).toEqual(invites.map((id) => [id, 'applied']));
    const { writes } = await requestCounts(tenant);
    expect(writes.some((w) => w.method === 'POST' && w.path.startsWith('/invitations'))).toBe(true);
    const invited = record.results.find((r) => r.changeId.endsWith('/user.invite') && r.createdId)!;
    expect(tenant.s.sim.state.graph.users.get(invited.createdId!)).toBeDefined();
    expect(logs.some((l) => l.includes('RECONCILE_MODE=plan'))).toBe(false);
    expect((await runStatus(record.runId, 'text')).body).not.toContain('plan mode');
  });
});
