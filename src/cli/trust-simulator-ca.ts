/**
 * The demo and `serve --demo` run the product against a simulator started in the same command.
 * Node reads NODE_EXTRA_CA_CERTS only when a process starts, so the command makes the simulator's
 * CA first and then runs itself again in a child process that trusts it. The product's clients
 * stay exactly as in production; only the trusted CA differs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTlsMaterial } from 'tenant-sim/tls';
import { exitWhenFlushed } from './output.js';

const MARKER = 'VENDOR_RECONCILER_SIM_CA_DIR';

/**
 * Returns the CA directory to start the simulator with. In the parent process it never returns:
 * it re-runs the same command in a child that trusts the CA and exits with the child's code.
 */
export async function trustSimulatorCa(): Promise<string> {
  const existing = process.env[MARKER];
  if (existing) return existing;
  const dir = mkdtempSync(join(tmpdir(), 'vendor-reconciler-ca-'));
  const tls = await createTlsMaterial(dir);
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.caCertPath, [MARKER]: dir },
  });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 130 : 1))));
  rmSync(dir, { recursive: true, force: true });
  return exitWhenFlushed(code);
}
