/**
 * Conformance: the `tenant-sim` command (issue 2, "The simulator": the first stdout line is one JSON
 * object with graphBaseUrl, dataverseUrl, authorityHost, tenantId, clientId, clientSecret,
 * caCertPath and env; it runs until SIGINT/SIGTERM; docs/simulator.md "Starting it"). The authority,
 * Graph and Dataverse are three origins (issue 10): dataverseUrl is an origin with no path, like a
 * real environment URL (https://org.crm.dynamics.com).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeDemoFixtureFile } from '../support/demo-file.js';

const ROOT = resolve(import.meta.dirname, '../..');
const demoFile = writeDemoFixtureFile();
const demo = demoFile.fixture;
afterAll(() => demoFile.remove());

const children: ChildProcessWithoutNullStreams[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start(args: string[]): { child: ChildProcessWithoutNullStreams; firstLine: Promise<string>; caDir: string } {
  const caDir = mkdtempSync(join(tmpdir(), 'tenant-sim-cli-'));
  dirs.push(caDir);
  const child = spawn(process.execPath, ['bin/tenant-sim.mjs', '--fixture', demoFile.path, '--port', '0', '--ca-dir', caDir, ...args], { cwd: ROOT });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const firstLine = new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout }).once('line', res);
    child.once('exit', (code) => rej(new Error(`tenant-sim exited with ${code}: ${stderr}`)));
  });
  return { child, firstLine, caDir };
}

function get(url: string, ca: Buffer, method = 'GET', body?: string): Promise<{ status: number; json: any }> {
  return new Promise((res, rej) => {
    const req = httpsRequest(url, { method, ca, headers: body ? { 'Content-Type': 'application/json' } : {} }, (r) => {
      let text = '';
      r.on('data', (d: Buffer) => (text += d.toString()));
      r.on('end', () => res({ status: r.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', rej);
    req.end(body);
  });
}

describe('tenant-sim', () => {
  it('prints the connection JSON first, serves the fixture over https with its own CA, and exits on SIGTERM', async () => {
    const { child, firstLine, caDir } = start([]);
    const info = JSON.parse(await firstLine);
    const origin = info.authorityHost as string;
    const graph = new URL(info.graphBaseUrl).origin;
    const dataverse = info.dataverseUrl as string;
    const powerPlatform = info.powerPlatformUrl as string;
    for (const o of [origin, graph, dataverse, powerPlatform]) expect(o).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set([origin, graph, dataverse, powerPlatform]).size).toBe(4);
    expect(info).toEqual({
      graphBaseUrl: `${graph}/v1.0`,
      dataverseUrl: dataverse,
      authorityHost: origin,
      tenantId: demo.tenant.id,
      clientId: demo.app.clientId,
      clientSecret: demo.app.clientSecret,
      caCertPath: info.caCertPath,
      adminUrl: `${origin}/_sim`,
      powerPlatformUrl: powerPlatform,
      env: {
        AZURE_TENANT_ID: demo.tenant.id,
        AZURE_CLIENT_ID: demo.app.clientId,
        AZURE_CLIENT_SECRET: demo.app.clientSecret,
        AZURE_AUTHORITY_HOST: origin,
        GRAPH_BASE_URL: `${graph}/v1.0`,
        DATAVERSE_URL: dataverse,
        NODE_EXTRA_CA_CERTS: info.caCertPath,
        POWER_PLATFORM_ENVIRONMENT_ID: '0e5c2f3a-7b1d-4e8f-9a6c-5d4b3a2f1e0d',
        POWER_PLATFORM_API_URL: powerPlatform,
      },
    });
    expect(info.caCertPath.startsWith(caDir)).toBe(true);

    const ca = readFileSync(info.caCertPath);
    const state = await get(`${info.adminUrl}/state`, ca);
    expect(state.status).toBe(200);
    expect(state.json.tenant).toEqual(demo.tenant);
    expect(state.json.dataverse.contacts).toHaveLength(demo.dataverse.contacts.length);
    expect(state.json.graph.users).toHaveLength(demo.graph.users.length);
    expect(state.json.invitations).toEqual([]);
    // Limits on by default, no faults.
    const platform = await get(`${info.adminUrl}/limits`, ca, 'PUT', '{}');
    expect(platform.json.limits.graph.enabled).toBe(true);
    expect(platform.json.faults.graph.latencyMs).toBe(0);

    const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('--no-limits and --latency-ms set the platform at start; --user-sync-delay-ms and --add-user-delay-ms override the fixture', async () => {
    const { child, firstLine } = start(['--no-limits', '--latency-ms', '15', '--user-sync-delay-ms', '0', '--add-user-delay-ms', '750']);
    const info = JSON.parse(await firstLine);
    const ca = readFileSync(info.caCertPath);
    const platform = await get(`${info.adminUrl}/faults`, ca, 'PUT', '{}');
    expect(platform.json.limits.graph.enabled).toBe(false);
    expect(platform.json.limits.dataverse.enabled).toBe(false);
    expect(platform.json.faults.graph.latencyMs).toBe(15);
    expect(platform.json.faults.dataverse.latencyMs).toBe(15);
    const state = (await get(`${info.adminUrl}/state`, ca)).json;
    expect(state.environment.userSyncDelayMs).toBe(0);
    expect(state.powerPlatform.addUserDelayMs).toBe(750);
    const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('a bad argument exits 2 with the usage on stderr', async () => {
    const child = spawn(process.execPath, ['bin/tenant-sim.mjs', '--fixture', demoFile.path, '--port', 'abc'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((res) => child.once('exit', res));
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be a whole number');
    expect(stderr).toContain('usage: tenant-sim --fixture FILE');
  });

  it('--port N leaves room for the four origins (N to N + 3): 65533 is refused', async () => {
    const child = spawn(process.execPath, ['bin/tenant-sim.mjs', '--fixture', demoFile.path, '--port', '65533'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((res) => child.once('exit', res));
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be a whole number from 0 to 65532, got "65533"');
  });
});
