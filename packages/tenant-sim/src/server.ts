/**
 * The tenant simulator's core: three HTTPS origins on 127.0.0.1 (listeners.ts), each with its routes,
 *
 *   authority  /{tenant}/oauth2/v2.0/token, /{tenant}/v2.0/.well-known/openid-configuration,
 *              /common/discovery/instance; and the admin routes /_sim/… (loopback only)
 *   graph      /v1.0/…            Microsoft Graph (the origin is Graph's, like https://graph.microsoft.com)
 *   dataverse  /api/data/v9.2/…   Dataverse Web API (the origin is the environment URL, like
 *                                 https://org.crm.dynamics.com)
 *
 * and the request log, the gate (limits and faults) and the token check. A Graph or Dataverse
 * request without a valid token for its resource (token-scope.ts) gets 401 before any handler runs.
 */
import { handleAuthority, verifyToken } from './auth.js';
import { handleAdmin } from './admin.js';
import { graphHandler } from './graph/index.js';
import { dataverseHandler } from './dataverse/index.js';
import { Webhooks } from './dataverse/webhooks.js';
import { Listeners, type IncomingSimRequest, type OriginName, type Origins } from './listeners.js';
import { noopGate, noopUserSync, type RequestGate, type UserSync } from './platform.js';
import { stateFromFixture } from './state.js';
import { createTlsMaterial, type TlsMaterial } from './tls.js';
import { acceptsAudience, tenantResources, type ResourcePrincipal } from './token-scope.js';
import type { Fixture, RequestLogEntry, ServiceName, SimContext, SimRequest, SimResponse, SimState } from './types.js';

export const GRAPH_VERSION_PATH = '/v1.0';
export const DATAVERSE_API = '/api/data/v9.2/';

export interface SimulatorOptions {
  fixture: Fixture;
  /** The authority's port; Graph and Dataverse listen on the next two. 0 or absent: free ports. */
  port?: number;
  /** Where the CA lives (created when missing). */
  caDir: string;
  gate?: RequestGate;
  userSync?: UserSync;
}

export interface SimulatorInfo {
  /** The Graph origin + /v1.0. */
  graphBaseUrl: string;
  /** The Dataverse origin: the environment URL, no path. */
  dataverseUrl: string;
  /** The authority origin (AZURE_AUTHORITY_HOST). */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  caCertPath: string;
  /** The authority origin + /_sim. */
  adminUrl: string;
  env: Record<string, string>;
}

type LoggedService = RequestLogEntry['service'];
interface Routed {
  /** The log entry's service; undefined for admin calls, which are not logged. */
  service?: LoggedService;
  response: SimResponse;
}
type Inner = NonNullable<RequestLogEntry['inner']>;

const notFound = (method: string, path: string): SimResponse => ({ status: 404, body: { error: { code: 'NotFound', message: `No simulator route for ${method} ${path}` } } });

export class Simulator {
  state: SimState;
  readonly requests: RequestLogEntry[] = [];
  readonly gate: RequestGate;
  readonly userSync: UserSync;
  /** Webhook registrations and their deliveries (PUT/GET /_sim/webhooks). */
  readonly webhooks = new Webhooks();
  private readonly listeners = new Listeners();
  private tls?: TlsMaterial;
  private origins: Origins = { authority: '', graph: '', dataverse: '' };
  private resources: ResourcePrincipal[] = [];
  /** One route per origin: a new origin in listeners.ts does not compile until it has one here. */
  private readonly routes: Record<OriginName, (r: IncomingSimRequest, inner: Inner) => Promise<Routed>> = {
    authority: (r) => this.routeAuthority(r),
    graph: (r, inner) => this.routeService('graph', GRAPH_VERSION_PATH + '/', r, inner),
    dataverse: (r, inner) => this.routeService('dataverse', DATAVERSE_API, r, inner),
  };

  constructor(private readonly options: SimulatorOptions) {
    this.state = stateFromFixture(options.fixture);
    this.gate = options.gate ?? noopGate;
    this.userSync = options.userSync ?? noopUserSync;
  }

  async start(): Promise<SimulatorInfo> {
    this.tls = await createTlsMaterial(this.options.caDir);
    this.origins = await this.listeners.start(this.tls, this.options.port ?? 0, (origin, r) => this.onRequest(origin, r));
    this.resources = tenantResources(this.origins);
    return this.info();
  }

  info(): SimulatorInfo {
    const { authority, graph, dataverse: dataverseUrl } = this.origins;
    const graphBaseUrl = graph + GRAPH_VERSION_PATH;
    const caCertPath = this.tls?.caCertPath ?? '';
    return {
      graphBaseUrl,
      dataverseUrl,
      authorityHost: authority,
      tenantId: this.state.tenant.id,
      clientId: this.state.app.clientId,
      clientSecret: this.state.app.clientSecret,
      caCertPath,
      adminUrl: `${authority}/_sim`,
      env: {
        AZURE_TENANT_ID: this.state.tenant.id,
        AZURE_CLIENT_ID: this.state.app.clientId,
        AZURE_CLIENT_SECRET: this.state.app.clientSecret,
        AZURE_AUTHORITY_HOST: authority,
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
    this.webhooks.stop();
    await this.listeners.stop();
  }

  private context(innerLog: RequestLogEntry['inner']): SimContext {
    return {
      state: this.state,
      graphBaseUrl: this.origins.graph + GRAPH_VERSION_PATH,
      dataverseUrl: this.origins.dataverse,
      now: () => Date.now(),
      dispatchInner: async (request) => {
        const res = await this.dispatch(request, innerLog, true);
        innerLog?.push({ method: request.method, path: request.path, status: res.status });
        return res;
      },
      entraChanged: () => this.userSync.entraChanged(this.state),
      dataverseWritten: (row) => this.webhooks.written(row),
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

  private async onRequest(origin: OriginName, r: IncomingSimRequest): Promise<SimResponse> {
    const inner: Inner = [];
    let routed: Routed;
    try {
      routed = await this.routes[origin](r, inner);
    } catch (err) {
      routed = { response: { status: 500, body: { error: { code: 'InternalServerError', message: `Simulator error: ${(err as Error).stack ?? String(err)}` } } } };
      if (origin !== 'authority') routed.service = origin;
    }
    if (routed.service !== undefined) {
      const path = r.path + (r.rawQuery ? `?${r.rawQuery}` : '');
      this.requests.push({ service: routed.service, method: r.method, path, status: routed.response.status, ...(inner.length > 0 ? { inner } : {}) });
    }
    return routed.response;
  }

  /** The authority's endpoints, and the admin routes (this origin holds them: docs/simulator.md). */
  private async routeAuthority(r: IncomingSimRequest): Promise<Routed> {
    if (r.path.startsWith('/_sim/')) {
      const response = r.loopback
        ? await handleAdmin(r.method, r.path, r.body, this)
        : { status: 403, body: { error: { code: 'Forbidden', message: 'The admin endpoints answer on loopback only.' } } };
      return { response };
    }
    const authority = handleAuthority(r.method, r.path, r.body, this.state, { authorityHost: this.origins.authority, resources: this.resources });
    return authority ? { service: 'token', response: authority } : { response: notFound(r.method, r.path) };
  }

  /** Graph under /v1.0/, Dataverse under /api/data/v9.2/; the handler sees the path below that root. */
  private async routeService(service: ServiceName, root: string, r: IncomingSimRequest, inner: Inner): Promise<Routed> {
    const bare = root.slice(0, -1);
    if (r.path !== bare && !r.path.startsWith(root)) return { service, response: notFound(r.method, r.path) };
    // Graph paths keep their leading slash (`/users`); Dataverse paths are relative (`contacts(…)`).
    const below = service === 'graph' ? r.path.slice(bare.length) || '/' : r.path.slice(root.length);
    const auth = r.headers.authorization ?? '';
    const claims = auth.startsWith('Bearer ') ? verifyToken(auth.slice(7), Date.now()) : null;
    if (!claims || !acceptsAudience(this.resources, service, claims.aud) || claims.tid !== this.state.tenant.id) {
      const why = claims ? 'The token is for another audience or tenant.' : auth ? 'Access token validation failure. Invalid or expired token.' : 'Access token is empty.';
      return { service, response: unauthorized(service, why) };
    }
    const request: SimRequest = { service, method: r.method, path: below, rawQuery: r.rawQuery, headers: r.headers, body: r.body, claims, inner: false };
    return { service, response: await this.dispatch(request, inner, false) };
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
