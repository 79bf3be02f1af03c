/**
 * The local adapter behind `vendor-reconciler serve`: a node:http server on 127.0.0.1 that maps the
 * Functions app's routes to the same handlers (src/app/http-handlers.ts). It has no function keys,
 * which is why it listens on the loopback interface only: it is for an admin's own machine. A web
 * page in the admin's browser can reach 127.0.0.1 too, so request-guard.ts refuses what a page can
 * send (a rebound Host, a cross-site request, a form or text/plain POST) before any handler runs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Handlers } from '../app/http-handlers.js';
import type { AppRequest, AppResponse, Logger } from '../app/types.js';
import { contentTypeRefusal, originRefusal, type Refusal } from './request-guard.js';

const MAX_BODY_BYTES = 1024 * 1024;

interface Route {
  method: string;
  pattern: RegExp;
  handle: (request: AppRequest) => Promise<AppResponse>;
}

export interface LocalServer {
  /** e.g. http://127.0.0.1:7071 */
  url: string;
  server: Server;
  close(): Promise<void>;
}

export function routesFor(handlers: Handlers): Route[] {
  return [
    { method: 'GET', pattern: /^\/api\/plan$/, handle: handlers.plan },
    { method: 'POST', pattern: /^\/api\/run$/, handle: handlers.run },
    { method: 'GET', pattern: /^\/api\/runs$/, handle: handlers.runs },
    { method: 'GET', pattern: /^\/api\/vendors\/(?<vendorId>[^/]+)\/plan$/, handle: handlers.vendorPlan },
    { method: 'GET', pattern: /^\/api\/runs\/(?<id>[^/]+)$/, handle: handlers.runStatus },
    { method: 'GET', pattern: /^\/api\/bookings$/, handle: handlers.bookings },
    { method: 'POST', pattern: /^\/api\/bookings\/(?<id>[^/]+)\/stage$/, handle: handlers.bookingStage },
  ];
}

export async function startLocalServer(handlers: Handlers, options: { port: number; log: Logger }): Promise<LocalServer> {
  const routes = routesFor(handlers);
  let listeningPort = options.port;
  const server = createServer((req, res) => {
    dispatch(routes, req, res, listeningPort, options.log).catch((err: unknown) => {
      options.log.error(`local server: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) send(res, { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Internal error\n' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  listeningPort = port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function dispatch(routes: Route[], req: IncomingMessage, res: ServerResponse, port: number, log: Logger): Promise<void> {
  const refused = originRefusal(req, port);
  if (refused) {
    refuse(req, res, refused, log);
    return;
  }
  // A request target of //other/path would make other the URL's host (and the 202's Location).
  const url = new URL((req.url ?? '/').replace(/^\/{2,}/, '/'), `http://${req.headers.host ?? '127.0.0.1'}`);
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/' && req.method === 'GET') {
    send(res, { status: 302, headers: { Location: '/api/plan' }, body: '' });
    return;
  }
  const matching = routes.filter((r) => r.pattern.test(path));
  if (matching.length === 0) {
    send(res, json(404, { error: `No route ${path}; the routes are GET /api/plan, GET /api/vendors/{vendorId}/plan, POST /api/run, GET /api/runs, GET /api/runs/{id}, GET /api/bookings and POST /api/bookings/{id}/stage.` }));
    return;
  }
  const route = matching.find((r) => r.method === req.method);
  if (!route) {
    send(res, { ...json(405, { error: `${req.method ?? ''} is not allowed on ${path}.` }), headers: { 'Content-Type': 'application/json; charset=utf-8', Allow: matching.map((r) => r.method).join(', ') } });
    return;
  }
  const badType = contentTypeRefusal(req);
  if (badType) {
    refuse(req, res, badType, log);
    return;
  }
  const body = await readBody(req);
  if (body === null) {
    send(res, json(413, { error: `The body is larger than ${MAX_BODY_BYTES} bytes.` }));
    return;
  }
  const params = decodedParams(route.pattern.exec(path)?.groups ?? {});
  if (!params) {
    send(res, json(400, { error: `The path ${path} is not valid percent-encoding.`, code: 'BAD_REQUEST' }));
    return;
  }
  const response = await route.handle({
    method: req.method ?? 'GET',
    url: url.toString(),
    query: url.searchParams,
    params,
    text: () => Promise.resolve(body),
    ...(req.headers['content-type'] !== undefined ? { contentType: req.headers['content-type'] } : {}),
    log,
  });
  send(res, response);
}

/** Route parameters percent-decoded, or null when one is malformed (a 400, not a 500). */
function decodedParams(groups: Record<string, string>): Record<string, string> | null {
  try {
    return Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, decodeURIComponent(v)]));
  } catch {
    return null;
  }
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A 4xx with what was refused and what to do; the log line has the code only (no header values). */
function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal, log: Logger): void {
  log.warn(`local server: refused a request (${refusal.status} ${refusal.code})`);
  // The body is discarded unread, and the connection closes after the answer.
  req.resume();
  send(res, { ...json(refusal.status, { error: refusal.error, code: refusal.code, action: refusal.action }), headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' } });
}

function json(status: number, value: unknown): AppResponse {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: `${JSON.stringify(value)}\n` };
}

function send(res: ServerResponse, response: AppResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}
