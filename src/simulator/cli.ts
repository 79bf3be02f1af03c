/**
 * `tenant-sim --fixture FILE [--port N] [--ca-dir DIR]`
 *
 * Starts the simulator and prints one JSON line first (graphBaseUrl, dataverseUrl, authorityHost,
 * tenantId, clientId, clientSecret, caCertPath, adminUrl, env), then runs until SIGINT or SIGTERM.
 * Without --ca-dir it generates a fresh CA in a temporary folder.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSimulator } from './index.js';
import type { Fixture } from './types.js';

const { values } = parseArgs({
  options: {
    fixture: { type: 'string' },
    port: { type: 'string', default: '0' },
    'ca-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help || !values.fixture) {
  process.stderr.write('usage: tenant-sim --fixture FILE [--port N] [--ca-dir DIR]\n');
  process.exit(values.help ? 0 : 2);
}

const fixture = JSON.parse(readFileSync(values.fixture, 'utf8')) as Fixture;
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`tenant-sim: --port must be a whole number from 0 to 65535, got "${values.port}"\n`);
  process.exit(2);
}
const caDir = values['ca-dir'] ?? mkdtempSync(join(tmpdir(), 'tenant-sim-ca-'));
const sim = createSimulator({ fixture, port, caDir });
const info = await sim.start();
process.stdout.write(JSON.stringify(info) + '\n');

const stop = (): void => {
  void sim.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
