/**
 * The Functions app's registrations (src/functions/index.ts), captured with a mock of
 * @azure/functions' `app`: outside the host the library is in test mode and registers nothing, so
 * the registration options are checked here (names, schedule, routes, methods, authLevel) and the
 * handlers are tested directly in the other files. Source for the options:
 * @azure/functions' type definitions and Learn "Azure Functions Node.js developer guide" (v4).
 */
import type * as AzureFunctions from '@azure/functions';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppRequest, AppResponse } from '../../src/app/types.js';

interface Captured {
  setup: unknown[];
  timer: Record<string, Record<string, unknown>>;
  http: Record<string, Record<string, unknown>>;
  storageQueue: Record<string, Record<string, unknown>>;
}
const captured: Captured = { setup: [], timer: {}, http: {}, storageQueue: {} };

/** The handlers the registrations are bound to, recording which one a function reached. */
const recording = vi.hoisted(() => ({ reached: [] as string[], contentTypes: [] as (string | undefined)[] }));
vi.mock('../../src/functions/handlers.js', () => {
  const reach = (name: string) => (request: AppRequest): Promise<AppResponse> => {
    recording.reached.push(name);
    recording.contentTypes.push(request.contentType);
    return Promise.resolve({ status: 299, headers: {}, body: '' });
  };
  return { handlers: { plan: reach('plan'), run: reach('run'), runStatus: reach('runStatus'), runs: reach('runs'), vendorPlan: reach('vendorPlan'), bookings: reach('bookings'), bookingStage: reach('bookingStage') } };
});

vi.mock('@azure/functions', async (importOriginal) => {
  const original = await importOriginal<typeof AzureFunctions>();
  return {
    ...original,
    app: {
      ...original.app,
      setup: (options: unknown) => void captured.setup.push(options),
      timer: (name: string, options: Record<string, unknown>) => void (captured.timer[name] = options),
      http: (name: string, options: Record<string, unknown>) => void (captured.http[name] = options),
      storageQueue: (name: string, options: Record<string, unknown>) => void (captured.storageQueue[name] = options),
    },
  };
});

const saved = { RECONCILE_SCHEDULE: process.env.RECONCILE_SCHEDULE, RECONCILE_MODE: process.env.RECONCILE_MODE };
beforeEach(() => {
  captured.setup = [];
  captured.timer = {};
  captured.http = {};
  captured.storageQueue = {};
  delete process.env.RECONCILE_SCHEDULE;
  delete process.env.RECONCILE_MODE;
  vi.resetModules();
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

async function register(): Promise<void> {
  await import('../../src/functions/index.js');
}

describe('Functions registrations', () => {
  it('registers one timer and seven HTTP functions, with HTTP streaming off', async () => {
    await register();
    expect(Object.keys(captured.timer)).toEqual(['reconcile']);
    expect(Object.keys(captured.http).sort()).toEqual(['bookingStage', 'bookings', 'dataverseWebhook', 'plan', 'run', 'runStatus', 'vendorPlan']);
    expect(captured.setup).toEqual([{ enableHttpStream: false }]);
  });

  it('two queue functions on the app\'s storage account: runQueue on the run queue, runPoison on its poison queue, each with its exported handler', async () => {
    await register();
    const queue = await import('../../src/functions/run-queue.js');
    expect(captured.storageQueue).toEqual({
      runQueue: { queueName: 'vendor-reconciler-runs', connection: 'AzureWebJobsStorage', handler: queue.runQueueItem },
      runPoison: { queueName: 'vendor-reconciler-runs-poison', connection: 'AzureWebJobsStorage', handler: queue.runPoisonItem },
    });
  });

  it('the queue function reads the delivery count and the message id from the host\'s trigger metadata', async () => {
    const { deliveryOf } = await import('../../src/functions/run-queue.js');
    expect(deliveryOf(new InvocationContext({ triggerMetadata: { dequeueCount: 3, id: 'm-1' } }))).toEqual({ dequeueCount: 3, messageId: 'm-1' });
    expect(deliveryOf(new InvocationContext({ triggerMetadata: { dequeueCount: '2' } }))).toEqual({ dequeueCount: 2 });
    expect(deliveryOf(new InvocationContext({}))).toEqual({ dequeueCount: 1 });
  });

  it('the timer runs hourly by default, never on startup, and its handler is the exported reconcileTimer', async () => {
    await register();
    const { reconcileTimer } = await import('../../src/functions/reconcile.js');
    const timer = captured.timer.reconcile!;
    expect(timer.schedule).toBe('0 0 * * * *');
    expect(timer.runOnStartup).toBe(false);
    expect(timer.handler).toBe(reconcileTimer);
  });

  it('RECONCILE_SCHEDULE overrides the schedule', async () => {
    process.env.RECONCILE_SCHEDULE = '0 */15 * * * *';
    await register();
    expect(captured.timer.reconcile?.schedule).toBe('0 */15 * * * *');
  });

  it('an invalid RECONCILE_SCHEDULE stops the app from starting, naming the setting', async () => {
    process.env.RECONCILE_SCHEDULE = 'every hour';
    await expect(register()).rejects.toThrow(/RECONCILE_SCHEDULE must be an NCRONTAB expression with six fields.*got "every hour"/);
  });

  it('an invalid RECONCILE_MODE stops the app from starting, listed with the other run-setting problems and naming both values', async () => {
    process.env.RECONCILE_SCHEDULE = 'every hour';
    process.env.RECONCILE_MODE = 'Apply';
    const failure = register();
    await expect(failure).rejects.toMatchObject({ code: 'SETTINGS_INVALID' });
    await expect(failure).rejects.toThrow(/- RECONCILE_SCHEDULE must be .*\n- RECONCILE_MODE must be "plan" \(the timer only reports\) or "apply" \(the timer changes the tenant\); got "Apply"\./);
    expect(captured.timer).toEqual({});
  });

  it('HTTP routes, methods and authLevel function on every one, each with its exported handler', async () => {
    await register();
    const plan = await import('../../src/functions/plan.js');
    const run = await import('../../src/functions/run.js');
    const runs = await import('../../src/functions/runs.js');
    const bookings = await import('../../src/functions/bookings.js');
    const webhook = await import('../../src/functions/dataverse-webhook.js');
    expect(captured.http).toEqual({
      plan: { route: 'plan', methods: ['GET'], authLevel: 'function', handler: plan.planHttp },
      run: { route: 'run', methods: ['POST'], authLevel: 'function', handler: run.runHttp },
      vendorPlan: { route: 'vendors/{vendorId}/plan', methods: ['GET'], authLevel: 'function', handler: plan.vendorPlanHttp },
      runStatus: { route: 'runs/{id?}', methods: ['GET'], authLevel: 'function', handler: runs.runStatusHttp },
      bookings: { route: 'bookings', methods: ['GET'], authLevel: 'function', handler: bookings.bookingsHttp },
      bookingStage: { route: 'bookings/{id}/stage', methods: ['POST'], authLevel: 'function', handler: bookings.bookingStageHttp },
      // The Dataverse webhook's registration sends this function's key as ?code= (WebhookKey).
      dataverseWebhook: { route: 'dataverse/contacts', methods: ['POST'], authLevel: 'function', handler: webhook.dataverseWebhookHttp },
    });
  });
});

/**
 * Issue 9, item 9: reading is not running. An Azure Functions function key opens one function only;
 * a host key opens every function (Learn: "Work with access keys in Azure Functions"). So the
 * report's key can't start an apply or release held removals only if the read-only routes and the
 * trigger are separate functions, each with authLevel 'function', and each function reaches only its
 * own handler. docs/deploy.md §12 and docs/deploy/function-keys.bicep hand out keys per function.
 */
describe('reading is not running: one function per capability', () => {
  // The mobility app's routes are functions of their own too (docs/mobility-routes.md "Function keys").
  const READS = ['plan', 'vendorPlan', 'runStatus', 'bookings'];
  const WRITES = ['run', 'bookingStage', 'dataverseWebhook'];
  const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

  it('the read-only routes (plan, runs/{id}, bookings) are GET-only functions; the run trigger and the stage route are POST-only functions of their own', async () => {
    await register();
    const methods = (name: string): string[] => captured.http[name]!.methods as string[];
    expect(Object.keys(captured.http).filter((n) => methods(n).some((m) => WRITE_METHODS.includes(m)))).toEqual(WRITES);
    for (const name of READS) expect(methods(name), name).toEqual(['GET']);
    for (const name of WRITES) expect(methods(name), name).toEqual(['POST']);
    expect(captured.http.plan!.route).toBe('plan');
    // The optional id: GET /api/runs lists the runs, GET /api/runs/{id} reads one, with the same key.
    expect(captured.http.runStatus!.route).toBe('runs/{id?}');
    expect(captured.http.vendorPlan!.route).toBe('vendors/{vendorId}/plan');
    expect(captured.http.run!.route).toBe('run');
    expect(captured.http.bookings!.route).toBe('bookings');
    expect(captured.http.bookingStage!.route).toBe('bookings/{id}/stage');
  });

  it('every HTTP function takes a function key (authLevel function: never anonymous, never admin-only)', async () => {
    await register();
    for (const [name, options] of Object.entries(captured.http)) expect(options.authLevel, name).toBe('function');
  });

  it('no route of a read-only function can be reached by the run function\'s route, or the reverse', async () => {
    await register();
    const pattern = (route: string): RegExp => new RegExp(`^${route.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const read of READS) {
      for (const write of WRITES) {
        const r = captured.http[read]!.route as string;
        const w = captured.http[write]!.route as string;
        expect(pattern(r).test(w), `${read} ↔ ${write}`).toBe(false);
        expect(pattern(w).test(r), `${write} ↔ ${read}`).toBe(false);
      }
    }
  });

  it('each function reaches only its own handler: plan the report, runStatus the run record, run the trigger, bookings the feed, bookingStage the stage move', async () => {
    await register();
    const reached: string[] = [];
    recording.reached = reached;
    for (const name of ['plan', 'runStatus', 'run', 'bookings', 'bookingStage']) {
      reached.length = 0;
      const handler = captured.http[name]!.handler as (r: HttpRequest, c: InvocationContext) => Promise<{ status?: number }>;
      const post = name === 'run' || name === 'bookingStage';
      const request = new HttpRequest({ method: post ? 'POST' : 'GET', url: `http://localhost:7071/api/${name}`, ...(name === 'runStatus' || name === 'bookingStage' ? { params: { id: 'x' } } : {}) });
      const res = await handler(request, new InvocationContext({ functionName: name }));
      expect(res.status).toBe(299);
      expect(reached, name).toEqual([name]);
    }
    // runStatus without an id is the list of runs; vendorPlan is the vendor's view.
    const call = async (name: string, params: Record<string, string>): Promise<string[]> => {
      reached.length = 0;
      const handler = captured.http[name]!.handler as (r: HttpRequest, c: InvocationContext) => Promise<{ status?: number }>;
      await handler(new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/${name}`, params }), new InvocationContext({ functionName: name }));
      return [...reached];
    };
    expect(await call('runStatus', {})).toEqual(['runs']);
    expect(await call('vendorPlan', { vendorId: 'x' })).toEqual(['vendorPlan']);
  });

  it('the Functions adapter hands the stage handler the Content-Type (it refuses a body that is not JSON), and no Content-Type as none', async () => {
    await register();
    recording.contentTypes = [];
    const handler = captured.http.bookingStage!.handler as (r: HttpRequest, c: InvocationContext) => Promise<{ status?: number }>;
    const url = 'http://localhost:7071/api/bookings/6f9619ff-8b86-d011-b42d-00c04fc964ff/stage';
    await handler(new HttpRequest({ method: 'POST', url, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: { string: '{"stage":"Travel"}' } }), new InvocationContext({ functionName: 'bookingStage' }));
    await handler(new HttpRequest({ method: 'POST', url }), new InvocationContext({ functionName: 'bookingStage' }));
    expect(recording.contentTypes).toEqual(['application/json; charset=utf-8', undefined]);
  });

  it('docs/deploy/function-keys.bicep puts the reader key on the read-only functions only, the operator key on run only, the mobility key on the booking routes only and the webhook key on the webhook only', async () => {
    await register();
    const bicep = readFileSync(new URL('../../docs/deploy/function-keys.bicep', import.meta.url), 'utf8');
    const functions = Object.fromEntries(
      [...bicep.matchAll(/resource (\w+) 'Microsoft\.Web\/sites\/functions@[\d-]+' existing = \{\s*parent: site\s*name: '(\w+)'/g)].map((m) => [m[1]!, m[2]!]),
    );
    const keys = [...bicep.matchAll(/'Microsoft\.Web\/sites\/functions\/keys@[\d-]+' = (?:if \([^\n]*\) )?\{\s*parent: (\w+)\s*name: (\w+)\s*value: (\w+)/g)].map((m) => ({
      fn: functions[m[1]!],
      name: m[2],
      value: m[3],
    }));
    expect(keys).toEqual([
      { fn: 'plan', name: 'readerKeyName', value: 'readerKey' },
      { fn: 'runStatus', name: 'readerKeyName', value: 'readerKey' },
      { fn: 'run', name: 'operatorKeyName', value: 'operatorKey' },
      { fn: 'bookings', name: 'mobilityKeyName', value: 'mobilityKey' },
      { fn: 'bookingStage', name: 'mobilityKeyName', value: 'mobilityKey' },
      { fn: 'dataverseWebhook', name: 'webhookKeyName', value: 'webhookKey' },
    ]);
    // Each function the template names is one the app registers; the optional keys are set only when given.
    for (const fn of Object.values(functions)) expect(Object.keys(captured.http), fn).toContain(fn);
    expect(bicep).toMatch(/resource dataverseWebhookKey '[^']+' = if \(!empty\(webhookKey\)\) \{/);
    expect(bicep).toMatch(/@secure\(\)\nparam webhookKey string = ''/);
    // No host key: a host key would open every function.
    expect(bicep).not.toMatch(/Microsoft\.Web\/sites\/host/);
  });
});
