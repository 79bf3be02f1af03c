/**
 * Global setup of the package's own test run (vitest.config.ts beside test/): one CA for the run,
 * exported as SIM_CA_DIR (test/support/sim.ts starts every simulator on it) and NODE_EXTRA_CA_CERTS
 * (Node reads it at process start, so the forked workers and the SDK clients of
 * client-interop.test.ts trust the simulator). The repository's root run has its own setup that
 * does the same.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTlsMaterial } from '../../src/tls.js';

export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'tenant-sim-test-ca-'));
  const tls = await createTlsMaterial(dir);
  process.env.SIM_CA_DIR = dir;
  process.env.NODE_EXTRA_CA_CERTS = tls.caCertPath;
  return () => rmSync(dir, { recursive: true, force: true });
}
