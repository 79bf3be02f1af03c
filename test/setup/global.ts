/**
 * Runs once before the test workers start. Creates one CA for the whole run and exports it through
 * NODE_EXTRA_CA_CERTS, which Node reads at process start: the forked workers inherit it, so the
 * product's clients trust every simulator the tests start, with no test-only code path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTlsMaterial } from 'tenant-sim/tls';

export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'vr-test-ca-'));
  const tls = await createTlsMaterial(dir);
  process.env.SIM_CA_DIR = dir;
  process.env.NODE_EXTRA_CA_CERTS = tls.caCertPath;
  return () => rmSync(dir, { recursive: true, force: true });
}
