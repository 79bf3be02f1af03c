/**
 * `tenant-sim --fixture FILE [--port N] [--ca-dir DIR] [--latency-ms N] [--no-limits]
 *            [--user-sync-delay-ms N] [--add-user-delay-ms N] [--replication-lag-ms N]`
 *
 * Starts the simulator and prints one JSON line first (graphBaseUrl, dataverseUrl, authorityHost,
 * tenantId, clientId, clientSecret, caCertPath, adminUrl, powerPlatformUrl, env), then runs until
 * SIGINT or SIGTERM. `env` holds every setting the product needs to reach it, POWER_PLATFORM_ENVIRONMENT_ID
 * and POWER_PLATFORM_API_URL included (DATAVERSE_USER_ON_DEMAND=true is the operator's choice).
 * The authority, Graph, Dataverse and the Power Platform admin API are four origins: --port N puts
 * them on N to N + 3 (0: free ports). Without --ca-dir it generates a fresh CA in a temporary folder. A fixture that
 * describes a state Graph never returns is refused (exit 2). docs/simulator.md.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSimulator, ORIGIN_NAMES, type Simulator } from './index.js';
import { MAX_REPLICATION_LAG_MS } from './platform/faults.js';
import { MAX_POWER_PLATFORM_DELAY_MS } from './platform/power-platform-fixture.js';
import type { Fixture } from './types.js';

const USAGE = 'usage: tenant-sim --fixture FILE [--port N] [--ca-dir DIR] [--latency-ms N] [--no-limits] [--user-sync-delay-ms N] [--add-user-delay-ms N] [--replication-lag-ms N]\n';

function fail(message: string): never {
  process.stderr.write(`tenant-sim: ${message}\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      fixture: { type: 'string' },
      port: { type: 'string', default: '0' },
      'ca-dir': { type: 'string' },
      'latency-ms': { type: 'string' },
      'no-limits': { type: 'boolean' },
      'user-sync-delay-ms': { type: 'string' },
      'add-user-delay-ms': { type: 'string' },
      'replication-lag-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (err) {
  fail((err as Error).message);
}

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!values.fixture) fail('--fixture is required');

function wholeNumber(name: string, raw: string | undefined, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) fail(`--${name} must be a whole number from 0 to ${max}, got "${raw}"`);
  return n;
}

let fixture: Fixture;
try {
  fixture = JSON.parse(readFileSync(values.fixture, 'utf8')) as Fixture;
} catch (err) {
  fail(`cannot read the fixture ${values.fixture}: ${(err as Error).message}`);
}
const port = wholeNumber('port', values.port, 65536 - ORIGIN_NAMES.length) ?? 0;
const latencyMs = wholeNumber('latency-ms', values['latency-ms'], 600_000);
const syncDelay = wholeNumber('user-sync-delay-ms', values['user-sync-delay-ms'], 86_400_000);
const replicationLagMs = wholeNumber('replication-lag-ms', values['replication-lag-ms'], MAX_REPLICATION_LAG_MS);
if (syncDelay !== undefined) fixture = { ...fixture, environment: { ...fixture.environment, userSyncDelayMs: syncDelay } };
const addUserDelay = wholeNumber('add-user-delay-ms', values['add-user-delay-ms'], MAX_POWER_PLATFORM_DELAY_MS);
if (addUserDelay !== undefined) fixture = { ...fixture, powerPlatform: { ...fixture.powerPlatform, addUserDelayMs: addUserDelay } };

const caDir = values['ca-dir'] ?? mkdtempSync(join(tmpdir(), 'tenant-sim-ca-'));
let sim: Simulator;
try {
  sim = createSimulator({
    fixture,
    port,
    caDir,
    platform: {
      limitsEnabled: !values['no-limits'],
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(replicationLagMs !== undefined ? { replicationLagMs } : {}),
    },
  });
} catch (err) {
  fail(`the fixture ${values.fixture} is not a possible tenant: ${(err as Error).message}`);
}
const info = await sim.start();
process.stdout.write(JSON.stringify(info) + '\n');

const stop = (): void => {
  void sim.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
