/**
 * A small HTTPS server for client tests: certificate from the run's CA (trusted through
 * NODE_EXTRA_CA_CERTS, test/setup/global.ts), every request recorded, answers from a handler.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { createTlsMaterial } from 'tenant-sim/tls';

export interface Recorded {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  delayMs?: number;
}

export interface TestServer {
  origin: string;
  requests: Recorded[];
  /** Most requests in flight at once. */
  maxInFlight: number;
  handle: (req: Recorded, index: number) => Answer | Promise<Answer>;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const tls = await createTlsMaterial(process.env.SIM_CA_DIR!);
  let inFlight = 0;
  const state: TestServer = {
    origin: '',
    requests: [],
    maxInFlight: 0,
    handle: () => ({ status: 500, body: { error: { code: 'notSet', message: 'no handler' } } }),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      const recorded: Recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      state.requests.push(recorded);
      void (async () => {
        const answer = await state.handle(recorded, state.requests.length - 1);
        if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
        const isText = typeof answer.body === 'string';
        const headers: Record<string, string> = { ...(answer.body !== undefined && !isText ? { 'Content-Type': 'application/json' } : {}), ...(answer.headers ?? {}) };
        res.writeHead(answer.status, headers);
        inFlight--;
        res.end(answer.body === undefined ? undefined : isText ? (answer.body as string) : JSON.stringify(answer.body));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** A credential that returns a fixed token and records the scopes it was asked for. */
export function staticCredential(scopesSeen: string[] = []): TokenCredential {
  return {
    async getToken(scopes: string | string[]): Promise<AccessToken> {
      scopesSeen.push(...[scopes].flat());
      return { token: 'static-token', expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
}
