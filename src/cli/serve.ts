/**
 * `vendor-reconciler serve [--port N] [--demo]`: the Functions app's HTTP routes on this machine.
 * The same handlers (src/app/http-handlers.ts) answer GET /api/plan, POST /api/run and
 * GET /api/runs/{id} through a small node:http adapter on 127.0.0.1 (no function keys: localhost
 * only; src/server/request-guard.ts refuses what a web page could send). The run lock and the run
 * history live in an Azurite started here and stopped on exit.
 * The timer does not run here; POST /api/run is the way to apply.
 *
 * With --demo it also starts the tenant simulator with the demo tenant (fixtures/demo.json and
 * demo.settings.json) and points the engine at it, as `npm start` does; without it the settings come
 * from the environment, as for `vendor-reconciler plan`. The simulator (the tenant-sim workspace
 * package, a dev dependency) is imported only then, so `serve` without --demo never loads it.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { readFileSync } from 'node:fs';
import { createHandlers } from '../app/http-handlers.js';
import { createReconcilerApp } from '../app/reconciler-app.js';
import { consoleLogger } from '../app/types.js';
import { loadRunSettings } from '../config.js';
import { loadSettings } from '../families.js';
import { CONTAINER_NAME } from '../history/storage.js';
import { startAzurite } from '../server/azurite.js';
import { startLocalServer } from '../server/local-server.js';
import { createTelemetry } from '../telemetry/index.js';
import type { Fixture, Simulator } from 'tenant-sim';
import type { ServeCommandOptions } from './program.js';

const root = new URL('../../', import.meta.url);
const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const say = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * A port the operating system will not give: what it means and what to do, in place of an
 * "unexpected error" that would advise opening an issue. Undefined for any other error.
 */
export function portRefused(err: unknown, port: number): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return `vendor-reconciler serve: port ${port} on 127.0.0.1 is already in use by another program.\nWhat to do: stop that program (an earlier serve?), or choose another port with --port N; --port 0 picks a free one.\n`;
  if (code === 'EACCES') return `vendor-reconciler serve: this user may not listen on port ${port}.\nWhat to do: choose a port above 1023 with --port N; --port 0 picks a free one.\n`;
  return undefined;
}

/** `values`: the options as program.ts parsed them (--port is a port number already). */
export async function serve(values: ServeCommandOptions): Promise<number> {
  const { port } = values;
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of cleanups.reverse()) await stop().catch(() => undefined);
  };
  try {
    let sim: Simulator | undefined;
    if (values.demo) {
      const [{ createSimulator }, { trustSimulatorCa }] = await Promise.all([import('tenant-sim'), import('./trust-simulator-ca.js')]);
      // Re-runs this command in a child process that trusts the simulator's CA (never returns here).
      const caDir = await trustSimulatorCa();
      sim = createSimulator({ fixture: read('fixtures/demo.json') as Fixture, caDir });
      const info = await sim.start();
      const running = sim;
      cleanups.push(() => running.stop());
      Object.assign(process.env, info.env, read('fixtures/demo.settings.json'));
      say(`Simulated tenant: Graph at ${info.graphBaseUrl}, Dataverse at ${info.dataverseUrl}`);
    }
    const settings = loadSettings();
    const runSettings = loadRunSettings();
    const azurite = await startAzurite();
    cleanups.push(() => azurite.stop());
    const telemetry = createTelemetry(process.env);
    cleanups.push(() => telemetry.dispose());
    const app = createReconcilerApp({
      settings,
      telemetry,
      container: BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(CONTAINER_NAME),
      runDeadlineMs: runSettings.runDeadlineSeconds * 1000,
      httpWaitMs: runSettings.runHttpWaitSeconds * 1000,
    });
    let server: Awaited<ReturnType<typeof startLocalServer>>;
    try {
      server = await startLocalServer(createHandlers(() => app), { port, log: consoleLogger });
    } catch (err) {
      const refused = portRefused(err, port);
      if (!refused) throw err;
      process.stderr.write(refused);
      return 1;
    }
    cleanups.push(() => server.close());

    say(`Run history and run lock in Azurite at ${azurite.blobEndpoint}`);
    say(`vendor-reconciler serve: listening on ${server.url} (localhost only, no function keys)`);
    say(`Open the report: ${server.url}/api/plan`);
    say(`Apply: curl -X POST -H 'Content-Type: application/json' -d '{}' ${server.url}/api/run   ({} = whole tenant, or {"contactIds":[…]}, {"vendorId":"…"}, {"dryRun":true})`);
    if (sim) say('Technicians licensed and in the group get their Dataverse user after the simulated user sync; reload the report after a run.');

    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    say('Stopping…');
    return 0;
  } finally {
    await stopAll();
  }
}
