/**
 * The tenant simulator's HTTPS server: one listener on 127.0.0.1 that serves
 *
 *   /{tenant}/oauth2/v2.0/token, /{tenant}/v2.0/.well-known/openid-configuration  the authority
 *   /v1.0/…                                                                         Microsoft Graph
 *   /dataverse/api/data/v9.2/…                                                      Dataverse Web API
 *   /_sim/…                                                                         admin (loopback only)
 *
 * Graph's audience is the origin (https://127.0.0.1:PORT, as https://graph.microsoft.com in Azure);
 * Dataverse's is the organisation URL (https://127.0.0.1:PORT/dataverse). A request without a valid
 * token for its service's audience gets 401 before any handler runs.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAuthority, verifyToken } from './auth.js';
import { handleAdmin } from './admin.js';
import { graphHandler } from './graph/index.js';
import { dataverseHandler } from './dataverse/index.js';
import { noopGate, noopUserSync, type RequestGate, type UserSync } from './platform.js';
import { stateFromFixture } from './state.js';
import { createTlsMaterial, type TlsMaterial } from './tls.js';
import type { Fixture, RequestLogEntry, ServiceName, SimContext, SimRequest, SimResponse, SimState } from './types.js';

export const DATAVERSE_PREFIX = '/dataverse';
export const DATAVERSE_API = '/api/data/v9.2/';

export interface SimulatorOptions {
  fixture: Fixture;
  port?: number;
  /** Where the CA lives (created when missing). */
  caDir: string;
  gate?: RequestGate;
  userSync?: UserSync;
}

export interface SimulatorInfo {
  graphBaseUrl: string;
  dataverseUrl: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  caCertPath: string;
  adminUrl: string;
  env: Record<string, string>;
}

export class Simulator {
  state: SimState;
  readonly requests: RequestLogEntry[] = [];
  readonly gate: RequestGate;
  readonly userSync: UserSync;
  private server?: Server;
  private tls?: TlsMaterial;
  private origin = '';

  constructor(private readonly options: SimulatorOptions) {
    this.state = stateFromFixture(options.fixture);
    this.gate = options.gate ?? noopGate;
    this.userSync = options.userSync ?? noopUserSync;
  }

  async start(): Promise<SimulatorInfo> {
    this.tls = await createTlsMaterial(this.options.caDir);
    this.server = createServer({ cert: this.tls.certPem, key: this.tls.keyPem }, (req, res) => {
      void this.onRequest(req, res);
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.origin = `https://127.0.0.1:${port}`;
    return this.info();
  }

  info(): SimulatorInfo {
    const graphBaseUrl = `${this.origin}/v1.0`;
    const dataverseUrl = `${this.origin}${DATAVERSE_PREFIX}`;
    const caCertPath = this.tls?.caCertPath ?? '';
    return {
      graphBaseUrl,
      dataverseUrl,
      authorityHost: this.origin,
      tenantId: this.state.tenant.id,
      clientId: this.state.app.clientId,
      clientSecret: this.state.app.clientSecret,
      caCertPath,
      adminUrl: `${this.origin}/_sim`,
      env: {
        AZURE_TENANT_ID: this.state.tenant.id,
        AZURE_CLIENT_ID: this.state.app.clientId,
        AZURE_CLIENT_SECRET: this.state.app.clientSecret,
        AZURE_AUTHORITY_HOST: this.origin,
        GRAPH_BASE_URL: graphBaseUrl,
        DATAVERSE_URL: dataverseUrl,
        NODE_EXTRA_CA_CERTS: caCertPath,
      },
    };
  }

  reset(fixture: Fixture): void {
    this.state = stateFromFixture(fixture);
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    this.userSync.stop();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private context(innerLog: RequestLogEntry['inner']): SimContext {
    return {
      state: this.state,
      graphBaseUrl: `${this.origin}/v1.0`,
      dataverseUrl: `${this.origin}${DATAVERSE_PREFIX}`,
      now: () => Date.now(),
      dispatchInner: async (request) => {
        const res = await this.dispatch(request, innerLog, true);
        innerLog?.push({ method: request.method, path: request.path, status: res.status });
        return res;
      },
      entraChanged: () => this.userSync.entraChanged(this.state),
    };
  }

  /** Runs a request through the gate (limits and faults) and then its service handler. */
  private async dispatch(request: SimRequest, innerLog: RequestLogEntry['inner'], inner: boolean): Promise<SimResponse> {
    // Dataverse counts a $batch once: its parts skip the gate.
    const gated = !(inner && request.service === 'dataverse');
    const decision = gated ? await this.gate.enter(request.service, request) : { release: () => undefined };
    let response: SimResponse;
    try {
      const handler = request.service === 'graph' ? graphHandler : dataverseHandler;
      response = decision.reject ?? (await handler(request, this.context(innerLog)));
    } finally {
      decision.release();
    }
    return this.gate.leave?.(request, response) ?? response;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;

    let response: SimResponse;
    let service: ServiceName | 'token' | 'admin' = 'admin';
    const inner: NonNullable<RequestLogEntry['inner']> = [];
    try {
      if (path.startsWith('/_sim/')) {
        const remote = req.socket.remoteAddress ?? '';
        response = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(remote)
          ? await handleAdmin(method, path, body, this)
          : { status: 403, body: { error: { code: 'Forbidden', message: 'The admin endpoints answer on loopback only.' } } };
      } else if (path === '/v1.0' || path.startsWith('/v1.0/')) {
        service = 'graph';
        response = await this.serve('graph', method, path.slice('/v1.0'.length) || '/', rawQuery, headers, body, inner);
      } else if (path.startsWith(DATAVERSE_PREFIX + DATAVERSE_API)) {
        service = 'dataverse';
        response = await this.serve('dataverse', method, path.slice((DATAVERSE_PREFIX + DATAVERSE_API).length), rawQuery, headers, body, inner);
      } else {
        const authority = handleAuthority(method, path, body, this.state, {
          authorityHost: this.origin,
          audiences: [this.origin, `${this.origin}${DATAVERSE_PREFIX}`],
        });
        if (authority) service = 'token';
        response = authority ?? { status: 404, body: { error: { code: 'NotFound', message: `No simulator route for ${method} ${path}` } } };
      }
    } catch (err) {
      response = { status: 500, body: { error: { code: 'InternalServerError', message: `Simulator error: ${(err as Error).stack ?? String(err)}` } } };
    }
    if (service !== 'admin') {
      this.requests.push({ service, method, path: path + (rawQuery ? `?${rawQuery}` : ''), status: response.status, ...(inner.length > 0 ? { inner } : {}) });
    }
    send(res, response);
  }

  private async serve(
    service: ServiceName,
    method: string,
    path: string,
    rawQuery: string,
    headers: Record<string, string>,
    body: string,
    innerLog: NonNullable<RequestLogEntry['inner']>,
  ): Promise<SimResponse> {
    const audience = service === 'graph' ? this.origin : `${this.origin}${DATAVERSE_PREFIX}`;
    const auth = headers.authorization ?? '';
    const claims = auth.startsWith('Bearer ') ? verifyToken(auth.slice(7), Date.now()) : null;
    if (!claims || claims.aud !== audience || claims.tid !== this.state.tenant.id) {
      return unauthorized(service, claims ? 'The token is for another audience or tenant.' : auth ? 'Access token validation failure. Invalid or expired token.' : 'Access token is empty.');
    }
    return this.dispatch({ service, method, path, rawQuery, headers, body, claims, inner: false }, innerLog, false);
  }
}

function unauthorized(service: ServiceName, message: string): SimResponse {
  if (service === 'graph') {
    return { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message, innerError: { date: new Date().toISOString() } } } };
  }
  return {
    status: 401,
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    body: { error: { code: '0x80072560', message } },
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
