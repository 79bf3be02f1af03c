/**
 * The tenant simulator in its own process (the tenant-sim package's bin/tenant-sim.mjs,
 * packages/tenant-sim/docs/simulator.md), and the admin
 * calls the benchmark makes to it: the request log, limits, the user sync, the state. Admin calls
 * are not logged by the simulator, so they never count as the reconciler's requests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Fixture, RequestLogEntry, SimulatorInfo } from 'tenant-sim';

export const ROOT = new URL('..', import.meta.url).pathname;
/** The command, found through the package name (its exports map lists package.json), not a path into packages/. */
const SIM_BIN = join(dirname(createRequire(import.meta.url).resolve('tenant-sim/package.json')), 'bin/tenant-sim.mjs');

export interface SimProcess {
  info: SimulatorInfo;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  requests(): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSimProcess(fixture: Fixture, opts: { workDir: string; caDir: string; latencyMs: number; name: string; replicationLagMs?: number }): Promise<SimProcess> {
  const fixturePath = join(opts.workDir, `${opts.name}.fixture.json`);
  writeFileSync(fixturePath, JSON.stringify(fixture));
  const lag = opts.replicationLagMs ? ['--replication-lag-ms', String(opts.replicationLagMs)] : [];
  const child = spawn(process.execPath, ['--max-old-space-size=8192', SIM_BIN, '--fixture', fixturePath, '--ca-dir', opts.caDir, '--latency-ms', String(opts.latencyMs), ...lag], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await firstLine(child);
  const ca = readFileSync(info.caCertPath);
  const admin = <T>(method: string, path: string, body?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const url = new URL(`${info.adminUrl}${path}`);
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(url, { method, ca, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`admin ${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
          else resolve((text ? JSON.parse(text) : undefined) as T);
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  return {
    info,
    admin,
    requests: async () => (await admin<{ value: RequestLogEntry[] }>('GET', '/requests')).value,
    clearRequests: () => admin('DELETE', '/requests'),
    // The fixture file goes with the simulator (a 100,000-technician one is ~360 MB).
    stop: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          rmSync(fixturePath, { force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

function firstLine(child: ChildProcess): Promise<SimulatorInfo> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null): void => reject(new Error(`tenant-sim exited with ${code} before it started`));
    child.once('exit', onExit);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      try {
        resolve(JSON.parse(line) as SimulatorInfo);
      } catch (err) {
        reject(new Error(`tenant-sim's first line is not JSON: ${line} (${(err as Error).message})`));
      }
    });
  });
}

/** Runs `node --import tsx <script>` with the simulator's CA trusted; resolves with its last stdout line as JSON. */
export function runTsChild<T>(script: string, input: unknown, caCertPath: string, extraArgs: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', join(ROOT, script), ...extraArgs], {
      cwd: ROOT,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caCertPath },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${script} exited with ${code}: ${last.slice(0, 500)}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no JSON result: ${last.slice(0, 500)}`));
      }
    });
    child.stdin!.end(JSON.stringify(input));
  });
}
