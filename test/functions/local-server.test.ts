/**
 * `serve`'s local adapter (src/server/local-server.ts): the Functions app's routes on 127.0.0.1,
 * answered by the same handlers; anything else is 404 or 405 with Allow.
 */
import { request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, type AppRequest, type AppResponse } from '../../src/app/types.js';
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
    expect(plan.scope).toEqual({ kind: 'group', family: 'technicians', groupId: 'd7fb2863-4d86-5346-91a7-58f877939fed' });
    expect(plan.subjects.every((c) => c.subject.group?.id === 'd7fb2863-4d86-5346-91a7-58f877939fed')).toBe(true);
  });

  it('POST /api/run passes the body through (a bad body is the handler\'s 400); GET /api/runs/{id} reads the run', async () => {
    const headers = { 'Content-Type': 'application/json' };
    const bad = await fetch(`${server.url}/api/run`, { method: 'POST', headers, body: '{"dryrun":true}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'Unknown field "dryrun"; the body takes contactIds, vendorId, dryRun, releaseRemovals.', code: 'BAD_REQUEST' });

    const ok = await fetch(`${server.url}/api/run`, { method: 'POST', headers, body: '{"dryRun":true}' });
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
    { method: 'POST', path: '/api/bookings', status: 405, allow: 'GET', reason: 'the booking feed is read-only' },
    { method: 'GET', path: '/api/bookings/6f9619ff-8b86-d011-b42d-00c04fc964ff/stage', status: 405, allow: 'POST', reason: 'a stage is set with POST only' },
    { method: 'GET', path: '/api/runs/%E0%A4%A', status: 400, reason: 'a malformed percent-encoding is the caller\'s error, not a 500' },
  ])('$method $path answers $status: $reason', async ({ method, path, status, location, allow }) => {
    const res = await fetch(`${server.url}${path}`, { method, redirect: 'manual' });
    expect(res.status).toBe(status);
    if (location) expect(res.headers.get('location')).toBe(location);
    if (allow) expect(res.headers.get('allow')).toBe(allow);
  });

  it('GET /api/bookings and POST /api/bookings/{id}/stage reach the booking handlers (the demo has the project-work-orders family on and one booking of its own)', async () => {
    const feed = await fetch(`${server.url}/api/bookings?changedSince=2020-01-01T00:00:00Z`);
    expect(feed.status).toBe(200);
    expect(((await feed.json()) as { count: number }).count).toBeGreaterThan(0);
    const stage = await fetch(`${server.url}/api/bookings/6f9619ff-8b86-d011-b42d-00c04fc964ff/stage`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"stage":"Travel"}' });
    expect(stage.status).toBe(404);
    expect(await stage.json()).toMatchObject({ code: 'BOOKING_NOT_FOUND' });
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const res = await fetch(`${server.url}/api/run`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'x'.repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
  });
});

/**
 * Issue 9, item 8: a web page in the admin's browser can reach 127.0.0.1 too. A server with
 * recording handlers shows that a refused request never reaches a handler (nothing is planned or
 * started) and what the caller is told. node:http sends the requests, because fetch does not let a
 * caller set Host. Sources: the Host check is the DNS-rebinding defence; Origin and Sec-Fetch-Site
 * are the headers browsers send (W3C Fetch Metadata); application/json is the one body type a page
 * cannot POST cross-origin without a CORS preflight (WHATWG Fetch, "CORS-safelisted request-header").
 */
describe('local server: requests a web page could send', () => {
  let guarded: LocalServer;
  let port = 0;
  const calls: string[] = [];
  const handler = (name: string) => (request: AppRequest): Promise<AppResponse> => {
    calls.push(`${name} ${request.method}`);
    return Promise.resolve({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' });
  };
  beforeAll(async () => {
    guarded = await startLocalServer({ plan: handler('plan'), run: handler('run'), runStatus: handler('runStatus'), runs: handler('runs'), vendorPlan: handler('vendorPlan'), bookings: handler('bookings'), bookingStage: handler('bookingStage') }, { port: 0, log: silentLogger });
    port = (guarded.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await guarded?.close();
  });

  interface Sent {
    status: number;
    body: { error?: string; code?: string; action?: string; ok?: boolean };
  }

  /** One request with exactly these headers (Host too: `host: null` sends none). */
  function send(method: string, path: string, headers: Record<string, string | null>, body?: string): Promise<Sent> {
    const { host = `127.0.0.1:${port}`, ...rest } = headers;
    const set = Object.fromEntries(Object.entries(rest).filter((e): e is [string, string] => e[1] !== null));
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method, path, setHost: false, headers: host === null ? set : { ...set, Host: host } },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Sent['body'] }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  const JSON_TYPE = { 'content-type': 'application/json' };

  it.each([
    { host: 'evil.example:PORT', reason: 'DNS rebinding: the attacker\'s host name now resolves to 127.0.0.1, its Host header still names it' },
    { host: 'evil.example', reason: 'a rebound name on the default port' },
    { host: '127.0.0.1', reason: 'the port is part of the origin; without it the name is another origin\'s' },
    { host: '127.0.0.1:PORT1', reason: 'another port is another origin' },
    { host: 'localhost.:PORT', reason: 'a trailing dot is another host name to the browser' },
    { host: '127.0.0.2:PORT', reason: 'only the loopback names the server prints are accepted' },
    { host: '0.0.0.0:PORT', reason: 'a wildcard address is not this server\'s name' },
  ])('refuses Host $host with 400 HOST_NOT_LOOPBACK and runs nothing: $reason', async ({ host }) => {
    calls.length = 0;
    const name = host.replace('PORT1', String(port + 1)).replace('PORT', String(port));
    for (const [method, path, headers, body] of [['GET', '/api/plan', {}, undefined], ['POST', '/api/run', JSON_TYPE, '{}']] as const) {
      const r = await send(method, path, { host: name, ...headers }, body);
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('HOST_NOT_LOOPBACK');
      expect(r.body.error).toContain(`127.0.0.1:${port}, localhost:${port}, [::1]:${port}`);
      expect(r.body.action).toContain(`http://127.0.0.1:${port}/api/plan`);
    }
    expect(calls).toEqual([]);
  });

  it('refuses a request without Host: HTTP/1.0 gets 400 HOST_NOT_LOOPBACK, HTTP/1.1 node:http\'s own 400', async () => {
    calls.length = 0;
    const exchange = (head: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(head));
        let text = '';
        socket.on('data', (d: Buffer) => (text += d.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
    const old = await exchange('GET /api/plan HTTP/1.0\r\n\r\n');
    expect(old).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(old.slice(old.indexOf('\r\n\r\n') + 4)) as { code: string; error: string };
    expect(body).toMatchObject({ code: 'HOST_NOT_LOOPBACK', error: `The request has no Host header; this server answers only to 127.0.0.1:${port}, localhost:${port}, [::1]:${port}.` });
    // node:http refuses an HTTP/1.1 request without Host itself (requireHostHeader, on by default).
    expect(await exchange('GET /api/plan HTTP/1.1\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(calls).toEqual([]);
  });

  it.each([
    { host: '127.0.0.1:PORT', reason: 'the address serve prints' },
    { host: 'localhost:PORT', reason: 'localhost with the port' },
    { host: 'LOCALHOST:PORT', reason: 'host names are case-insensitive' },
    { host: '[::1]:PORT', reason: 'the IPv6 loopback address with the port' },
  ])('accepts Host $host: $reason', async ({ host }) => {
    calls.length = 0;
    const r = await send('GET', '/api/plan', { host: host.replace('PORT', String(port)) });
    expect(r.status).toBe(200);
    expect(calls).toEqual(['plan GET']);
  });

  it.each([
    { headers: { origin: 'https://evil.example' }, reason: 'a script or form on another site' },
    { headers: { origin: 'null' }, reason: 'a sandboxed frame or a file: page sends Origin: null' },
    { headers: { origin: 'http://localhost:PORT' }, reason: 'another name of the same server is another origin' },
    { headers: { origin: 'http://127.0.0.1:PORT1' }, reason: 'a local app on another port' },
    { headers: { 'sec-fetch-site': 'cross-site' }, reason: 'the browser says another site sent it (a link, an img, a form)' },
    { headers: { 'sec-fetch-site': 'same-site' }, reason: 'same-site is still another origin (another local port)' },
    { headers: { 'sec-fetch-site': 'sideways' }, reason: 'an unknown Fetch Metadata value is refused' },
    { headers: { origin: 'http://127.0.0.1:PORT', 'sec-fetch-site': 'cross-site' }, reason: 'a right Origin does not excuse a cross-site Sec-Fetch-Site' },
  ])('refuses a cross-site request with 403 CROSS_SITE_REQUEST and runs nothing: $reason', async ({ headers }) => {
    calls.length = 0;
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('PORT1', String(port + 1)).replace('PORT', String(port))]));
    for (const [method, path, extra, body] of [['GET', '/api/plan', {}, undefined], ['POST', '/api/run', JSON_TYPE, '{"dryRun":true}']] as const) {
      const r = await send(method, path, { ...h, ...extra }, body);
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('CROSS_SITE_REQUEST');
      expect(r.body.action).toMatch(/typing its address or from a bookmark/);
    }
    expect(calls).toEqual([]);
  });

  it.each([
    { headers: { origin: 'http://127.0.0.1:PORT' }, reason: 'the server\'s own origin' },
    { headers: { 'sec-fetch-site': 'same-origin' }, reason: 'the browser says the server\'s own page sent it' },
    { headers: { 'sec-fetch-site': 'none' }, reason: 'the admin typed the address or used a bookmark' },
    { headers: {}, reason: 'curl and scripts send neither header' },
  ])('accepts a same-origin request: $reason', async ({ headers }) => {
    calls.length = 0;
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('PORT', String(port))]));
    expect((await send('GET', '/api/plan', h)).status).toBe(200);
    expect((await send('POST', '/api/run', { ...h, ...JSON_TYPE }, '{"dryRun":true}')).status).toBe(200);
    expect(calls).toEqual(['plan GET', 'run POST']);
  });

  it.each([
    { type: null, reason: 'no Content-Type (a page\'s fetch with no body, or curl -X POST)' },
    { type: 'text/plain', reason: 'text/plain needs no CORS preflight' },
    { type: 'text/plain;charset=UTF-8', reason: 'what fetch sends for a string body' },
    { type: 'application/x-www-form-urlencoded', reason: 'an HTML form' },
    { type: 'multipart/form-data; boundary=x', reason: 'an HTML form with a file input' },
    { type: 'application/json; charset=iso-8859-1', reason: 'the body is read as UTF-8' },
    { type: 'application/jsonp', reason: 'only application/json itself' },
  ])('refuses a POST with Content-Type $type with 415 UNSUPPORTED_MEDIA_TYPE and runs nothing: $reason', async ({ type }) => {
    calls.length = 0;
    const r = await send('POST', '/api/run', { 'content-type': type }, '{"dryRun":true}');
    expect(r.status).toBe(415);
    expect(r.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(r.body.error).toMatch(/^A POST needs Content-Type: application\/json/);
    expect(r.body.action).toContain("-H 'Content-Type: application/json'");
    expect(calls).toEqual([]);
  });

  it.each([
    { type: 'application/json', reason: 'the media type alone' },
    { type: 'Application/JSON; charset="UTF-8"', reason: 'media types and the charset are case-insensitive' },
  ])('accepts a POST with Content-Type $type: $reason', async ({ type }) => {
    calls.length = 0;
    expect((await send('POST', '/api/run', { 'content-type': type }, '{}')).status).toBe(200);
    expect(calls).toEqual(['run POST']);
  });

  it('a request target of //host/path is a path on this server, not another host', async () => {
    calls.length = 0;
    const r = await send('POST', '//evil.example/api/run', JSON_TYPE, '{}');
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/^No route \/evil\.example\/api\/run;/);
    expect(calls).toEqual([]);
  });
});
