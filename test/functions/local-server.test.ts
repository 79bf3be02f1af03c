/**
 * `serve`'s local adapter (src/server/local-server.ts): the Functions app's routes on 127.0.0.1,
 * answered by the same handlers; anything else is 404 or 405 with Allow.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/app/types.js';
import type { Plan } from '../../src/model/plan.js';
import { startLocalServer, type LocalServer } from '../../src/server/local-server.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let server: LocalServer;
beforeAll(async () => {
  h = await startHarness();
  server = await startLocalServer(h.app().handlers, { port: 0, log: silentLogger });
});
afterAll(async () => {
  await server?.close();
  await h?.stop();
});

describe('local server', () => {
  it('listens on the loopback interface only', () => {
    expect((server.server.address() as AddressInfo).address).toBe('127.0.0.1');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('GET /api/plan answers the report from the handlers, with their headers', async () => {
    const res = await fetch(`${server.url}/api/plan?format=json&vendor=d7fb2863-4d86-5346-91a7-58f877939fed`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const plan = (await res.json()) as Plan;
    expect(plan.scope).toEqual({ kind: 'vendor', vendorId: 'd7fb2863-4d86-5346-91a7-58f877939fed' });
    expect(plan.contacts.every((c) => c.vendorId === 'd7fb2863-4d86-5346-91a7-58f877939fed')).toBe(true);
  });

  it('POST /api/run passes the body through (a bad body is the handler\'s 400); GET /api/runs/{id} reads the run', async () => {
    const bad = await fetch(`${server.url}/api/run`, { method: 'POST', body: '{"dryrun":true}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'Unknown field "dryrun"; the body takes contactIds, vendorId, dryRun, releaseRemovals.', code: 'BAD_REQUEST' });

    const ok = await fetch(`${server.url}/api/run`, { method: 'POST', body: '{"dryRun":true}' });
    expect(ok.status).toBe(200);
    const { runId, statusUrl } = (await ok.json()) as { runId: string; statusUrl: string };
    const stored = await fetch(`${server.url}${statusUrl}`);
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({ status: 'finished', runId, mode: 'dry-run' });
  });

  it.each([
    { method: 'GET', path: '/', status: 302, location: '/api/plan', reason: 'the root opens the report' },
    { method: 'POST', path: '/api/plan', status: 405, allow: 'GET', reason: 'the report is read-only' },
    { method: 'GET', path: '/api/run', status: 405, allow: 'POST', reason: 'a run is started with POST only' },
    { method: 'DELETE', path: '/api/runs/6f9619ff-8b86-d011-b42d-00c04fc964ff', status: 405, allow: 'GET', reason: 'run records are not deleted over HTTP' },
    { method: 'GET', path: '/api/admin', status: 404, reason: 'no other route exists' },
  ])('$method $path answers $status: $reason', async ({ method, path, status, location, allow }) => {
    const res = await fetch(`${server.url}${path}`, { method, redirect: 'manual' });
    expect(res.status).toBe(status);
    if (location) expect(res.headers.get('location')).toBe(location);
    if (allow) expect(res.headers.get('allow')).toBe(allow);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const res = await fetch(`${server.url}/api/run`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
  });
});
