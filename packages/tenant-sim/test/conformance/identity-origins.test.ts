/**
 * Conformance: the authority, Graph and Dataverse are three origins, as in Azure
 * (https://login.microsoftonline.com, https://graph.microsoft.com, https://org.crm.dynamics.com).
 * Sources (Learn): Dataverse "Use the Microsoft Dataverse Web API" (the Web API root is
 * `{environment URL}/api/data/v9.2/`, the environment URL an origin such as
 * https://org.crm.dynamics.com); Graph "Use the Microsoft Graph API" (`https://graph.microsoft.com/{version}/…`);
 * "OpenID Connect on the Microsoft identity platform" (the discovery document names the token
 * endpoint). The admin routes live on the authority origin (docs/simulator.md, "Origins").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type SimulatorInfo } from '../../src/index.js';
import { request, startSim, type RunningSim } from '../support/sim.js';

let s: RunningSim;
beforeAll(async () => {
  s = await startSim({ app: { roles: ['User.Read.All'] } });
});
afterAll(() => s.stop());

const origin = (url: string): string => new URL(url).origin;

describe('three origins on 127.0.0.1', () => {
  it('authority, Graph and Dataverse each have their own port; dataverseUrl is an origin with no path', () => {
    const { authorityHost, graphBaseUrl, dataverseUrl, adminUrl, env } = s.info;
    const origins = [authorityHost, origin(graphBaseUrl), dataverseUrl];
    for (const o of origins) expect(o).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set(origins.map((o) => new URL(o).port)).size).toBe(3);
    expect(graphBaseUrl).toBe(`${origin(graphBaseUrl)}/v1.0`);
    expect(adminUrl).toBe(`${authorityHost}/_sim`);
    expect(env).toMatchObject({ AZURE_AUTHORITY_HOST: authorityHost, GRAPH_BASE_URL: graphBaseUrl, DATAVERSE_URL: dataverseUrl });
  });

  it("the OpenID configuration's token endpoint is on the authority origin", async () => {
    const res = await request('GET', `${s.info.authorityHost}/${s.info.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.json.token_endpoint).toBe(`${s.info.authorityHost}/${s.info.tenantId}/oauth2/v2.0/token`);
  });

  it('each origin serves only its own routes: a path of another service is 404 there', async () => {
    const graph = origin(s.info.graphBaseUrl);
    const dv = s.info.dataverseUrl;
    const bearer = (t: string) => ({ headers: { Authorization: `Bearer ${t}` } });
    const cases = [
      { reason: 'Graph is not on the Dataverse origin', url: `${dv}/v1.0/users`, init: bearer(await s.token('graph')) },
      { reason: 'the Web API is not on the Graph origin', url: `${graph}/api/data/v9.2/contacts`, init: bearer(await s.token('dataverse')) },
      { reason: 'the old /dataverse path prefix is gone: the environment URL is the origin', url: `${dv}/dataverse/api/data/v9.2/contacts`, init: bearer(await s.token('dataverse')) },
      { reason: 'the token endpoint is on the authority only', url: `${graph}/${s.info.tenantId}/oauth2/v2.0/token`, init: {} },
      { reason: 'the admin routes are on the authority only (Graph origin)', url: `${graph}/_sim/state`, init: {} },
      { reason: 'the admin routes are on the authority only (Dataverse origin)', url: `${dv}/_sim/state`, init: {} },
      { reason: 'Graph is not on the authority origin', url: `${s.info.authorityHost}/v1.0/users`, init: bearer(await s.token('graph')) },
    ];
    for (const c of cases) {
      const res = await request(c.url.includes('/token') ? 'POST' : 'GET', c.url, c.init);
      expect({ reason: c.reason, status: res.status }).toEqual({ reason: c.reason, status: 404 });
    }
  });

  it('each service answers on its own origin with a token for its own resource', async () => {
    expect((await s.graph('GET', '/users')).status).toBe(200);
    expect((await s.dataverse('GET', 'contacts')).status).toBe(200);
    expect((await s.admin('GET', '/state')).status).toBe(200);
  });
});

describe('ports', () => {
  it('with a base port N the authority listens on N, Graph on N + 1 and Dataverse on N + 2; stop closes all three', async () => {
    const caDir = process.env.SIM_CA_DIR!;
    let info: SimulatorInfo | undefined;
    let sim;
    // A random base, retried when one of the three ports is taken.
    for (let attempt = 0; attempt < 10 && !info; attempt++) {
      const base = 20_000 + Math.floor(Math.random() * 40_000);
      sim = createSimulator({ fixture: {}, caDir, port: base });
      try {
        info = await sim.start();
        expect([info.authorityHost, origin(info.graphBaseUrl), info.dataverseUrl]).toEqual([`https://127.0.0.1:${base}`, `https://127.0.0.1:${base + 1}`, `https://127.0.0.1:${base + 2}`]);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      }
    }
    expect(info).toBeDefined();
    expect((await request('GET', `${info!.authorityHost}/common/discovery/instance`)).status).toBe(200);
    await sim!.stop();
    for (const url of [info!.authorityHost, info!.graphBaseUrl, info!.dataverseUrl]) {
      await expect(fetch(url)).rejects.toThrow();
    }
  });
});
