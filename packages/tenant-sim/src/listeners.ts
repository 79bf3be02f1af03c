/**
 * The simulator's origins: one HTTPS listener per service on 127.0.0.1, as in Azure, where the
 * authority (https://login.microsoftonline.com), Microsoft Graph (https://graph.microsoft.com) and
 * a Dataverse environment (https://org.crm.dynamics.com) are three hosts. A client that mixes them
 * up (a Graph token on Dataverse, a Web API path built on the wrong base) fails here as it would
 * there. docs/simulator.md, "Origins".
 *
 * The Power Platform admin API (https://api.bap.microsoft.com) is the fourth origin
 * (platform/power-platform.ts). Adding an origin is: a name in ORIGIN_NAMES, a route for it in
 * server.ts (the compiler asks for one), and its URL in SimulatorInfo.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TlsMaterial } from './tls.js';
import type { SimResponse } from './types.js';

/** In port order: with a base port N, the first listens on N, the next on N + 1, and so on. */
export const ORIGIN_NAMES = ['authority', 'graph', 'dataverse', 'powerPlatform'] as const;
export type OriginName = (typeof ORIGIN_NAMES)[number];
/** Each origin's URL, `https://127.0.0.1:PORT` (no path, no trailing slash). */
export type Origins = Record<OriginName, string>;

/** One HTTP request as the routes see it: the URL split at '?', headers lower-cased, body read. */
export interface IncomingSimRequest {
  method: string;
  /** The path, not decoded. */
  path: string;
  /** The query string without '?', exactly as sent. */
  rawQuery: string;
  headers: Record<string, string>;
  body: string;
  /** The peer's address is a loopback address (the admin routes answer only those). */
  loopback: boolean;
}

export type OriginHandler = (origin: OriginName, request: IncomingSimRequest) => Promise<SimResponse>;

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

async function readRequest(req: IncomingMessage): Promise<IncomingSimRequest> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    headers,
    body: Buffer.concat(chunks).toString('utf8'),
    loopback: LOOPBACK.has(req.socket.remoteAddress ?? ''),
  };
}

function send(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload: string | undefined;
  if (typeof response.body === 'string') payload = response.body;
  else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
    }
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The listeners of one simulator; all use the same server certificate (issued for 127.0.0.1). */
export class Listeners {
  private readonly servers: Server[] = [];

  /** Starts one listener per origin: basePort 0 gives each a free port, N gives N, N + 1, …. */
  async start(tls: TlsMaterial, basePort: number, handler: OriginHandler): Promise<Origins> {
    const origins: Partial<Origins> = {};
    try {
      for (const [i, name] of ORIGIN_NAMES.entries()) {
        const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
          void readRequest(req)
            .then((request) => handler(name, request))
            .then((response) => send(res, response))
            // A client that went away mid-request: nothing to answer.
            .catch(() => res.destroy());
        });
        server.keepAliveTimeout = 30_000;
        this.servers.push(server);
        const port = await listen(server, basePort === 0 ? 0 : basePort + i);
        origins[name] = `https://127.0.0.1:${port}`;
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    return origins as Origins;
  }

  async stop(): Promise<void> {
    const servers = this.servers.splice(0);
    await Promise.all(servers.map((s) => (s.listening ? close(s) : Promise.resolve())));
  }
}
