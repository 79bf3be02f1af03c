/**
 * Test helpers: start an in-process simulator on the run's CA, get tokens the way any client would
 * (the authority's token endpoint), and send plain HTTPS requests to the Graph and Dataverse origins
 * (conformance tests never use the product's clients, so they check the simulator, not our own
 * assumptions). The admin routes are on the authority origin (`info.adminUrl`).
 */
import { createSimulator, type Fixture, type Simulator, type SimulatorInfo } from '../../src/index.js';

export interface RunningSim {
  sim: Simulator;
  info: SimulatorInfo;
  /** Bearer token for Graph (default) or Dataverse. */
  token(service?: 'graph' | 'dataverse'): Promise<string>;
  /** Plain HTTPS request to a URL relative to the service root (Graph: /users; Dataverse: contacts). */
  graph(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string>; token?: string | null }): Promise<HttpResult>;
  dataverse(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string>; token?: string | null }): Promise<HttpResult>;
  admin(method: string, path: string, body?: unknown): Promise<HttpResult>;
  stop(): Promise<void>;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: any;
}

export async function request(method: string, url: string, init: { body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  let body: string | undefined;
  if (typeof init.body === 'string') body = init.body;
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function startSim(fixture: Fixture): Promise<RunningSim> {
  const caDir = process.env.SIM_CA_DIR;
  if (!caDir) throw new Error('SIM_CA_DIR is not set: run the tests through vitest (test/setup/global.ts)');
  const sim = createSimulator({ fixture, caDir });
  const info = await sim.start();
  const tokens = new Map<string, string>();
  const token = async (service: 'graph' | 'dataverse' = 'graph'): Promise<string> => {
    const cached = tokens.get(service);
    if (cached) return cached;
    // The canonical Graph scope, as Microsoft's samples send it; Dataverse's is the environment URL.
    const scope = service === 'graph' ? 'https://graph.microsoft.com/.default' : `${info.dataverseUrl}/.default`;
    const res = await request('POST', `${info.authorityHost}/${info.tenantId}/oauth2/v2.0/token`, {
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: info.clientId, client_secret: info.clientSecret, scope }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
    tokens.set(service, res.json.access_token as string);
    return res.json.access_token as string;
  };
  const call = (service: 'graph' | 'dataverse') => async (method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {}) => {
    const t = init.token === undefined ? await token(service) : init.token;
    const base = service === 'graph' ? info.graphBaseUrl : `${info.dataverseUrl}/api/data/v9.2/`;
    const url = service === 'graph' ? `${base}${path}` : `${base}${path.replace(/^\//, '')}`;
    return request(method, url, { body: init.body, headers: { ...(t ? { Authorization: `Bearer ${t}` } : {}), ...(init.headers ?? {}) } });
  };
  return {
    sim,
    info,
    token,
    graph: call('graph'),
    dataverse: call('dataverse'),
    admin: (method, path, body) => request(method, `${info.adminUrl}${path}`, { body }),
    stop: () => sim.stop(),
  };
}
