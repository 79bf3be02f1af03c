/**
 * The Functions app's registrations (src/functions/index.ts), captured with a mock of
 * @azure/functions' `app`: outside the host the library is in test mode and registers nothing, so
 * the registration options are checked here (names, schedule, routes, methods, authLevel) and the
 * handlers are tested directly in the other files. Source for the options:
 * ../shared/reference/toolchain-notes.md §2 and Learn "Azure Functions Node.js developer guide" (v4).
 */
import type * as AzureFunctions from '@azure/functions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

interface Captured {
  setup: unknown[];
  timer: Record<string, Record<string, unknown>>;
  http: Record<string, Record<string, unknown>>;
}
const captured: Captured = { setup: [], timer: {}, http: {} };

vi.mock('@azure/functions', async (importOriginal) => {
  const original = await importOriginal<typeof AzureFunctions>();
  return {
    ...original,
    app: {
      ...original.app,
      setup: (options: unknown) => void captured.setup.push(options),
      timer: (name: string, options: Record<string, unknown>) => void (captured.timer[name] = options),
      http: (name: string, options: Record<string, unknown>) => void (captured.http[name] = options),
    },
  };
});

const saved = process.env.RECONCILE_SCHEDULE;
beforeEach(() => {
  captured.setup = [];
  captured.timer = {};
  captured.http = {};
  delete process.env.RECONCILE_SCHEDULE;
  vi.resetModules();
});
afterEach(() => {
  if (saved === undefined) delete process.env.RECONCILE_SCHEDULE;
  else process.env.RECONCILE_SCHEDULE = saved;
});

async function register(): Promise<void> {
  await import('../../src/functions/index.js');
}

describe('Functions registrations', () => {
  it('registers one timer and three HTTP functions, with HTTP streaming off', async () => {
    await register();
    expect(Object.keys(captured.timer)).toEqual(['reconcile']);
    expect(Object.keys(captured.http).sort()).toEqual(['plan', 'run', 'runStatus']);
    expect(captured.setup).toEqual([{ enableHttpStream: false }]);
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

  it('HTTP routes, methods and authLevel function on every one, each with its exported handler', async () => {
    await register();
    const plan = await import('../../src/functions/plan.js');
    const run = await import('../../src/functions/run.js');
    const runs = await import('../../src/functions/runs.js');
    expect(captured.http).toEqual({
      plan: { route: 'plan', methods: ['GET'], authLevel: 'function', handler: plan.planHttp },
      run: { route: 'run', methods: ['POST'], authLevel: 'function', handler: run.runHttp },
      runStatus: { route: 'runs/{id}', methods: ['GET'], authLevel: 'function', handler: runs.runStatusHttp },
    });
  });
});
