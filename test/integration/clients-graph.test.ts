/**
 * The product's credential and GraphClient through the real tenant simulator, configured only by the
 * environment variables the app reads in production (s.info.env).
 * Sources: learn.microsoft.com/javascript/api/@azure/identity/defaultazurecredential
 * (DefaultAzureCredential → EnvironmentCredential), learn.microsoft.com/graph/json-batching
 * ($batch),
 * learn.microsoft.com/graph/api/group-post-members (already a member),
 * learn.microsoft.com/graph/paging (paging), learn.microsoft.com/graph/throttling (429 with
 * Retry-After).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients, createCredential, isAlreadyDone, type Clients } from '../../src/clients/index.js';
import type { TokenCredential } from '../../src/clients/credential.js';
import type { ServiceRequest } from '../../src/clients/types.js';
import { startSim, type RunningSim } from 'tenant-sim/testing';

const G = 'a9000000-0000-0000-0000-000000000001';
const uid = (n: number) => `eeeeeeee-0000-0000-0000-${String(n).padStart(12, '0')}`;
const users = Array.from({ length: 230 }, (_, i) => ({ id: uid(i + 1), displayName: `U${i + 1}`, mail: `u${i + 1}@vendor.example`, userType: 'Guest', usageLocation: 'GB' }));

const ENV_KEYS = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_AUTHORITY_HOST'] as const;
const saved = new Map<string, string | undefined>();

let s: RunningSim;
let credential: TokenCredential;
let clients: Clients;

beforeAll(async () => {
  s = await startSim({
    app: { roles: ['User.Read.All', 'GroupMember.ReadWrite.All', 'User.ReadWrite.All'] },
    graph: { users, groups: [{ id: G, displayName: 'Technicians', members: [uid(3)] }] },
  });
  for (const k of ENV_KEYS) {
    saved.set(k, process.env[k]);
    process.env[k] = s.info.env[k];
  }
  credential = createCredential();
  clients = createClients({ graphBaseUrl: s.info.env.GRAPH_BASE_URL!, dataverseUrl: s.info.env.DATAVERSE_URL! }, credential);
});
afterAll(async () => {
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await s.stop();
});

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { aud: string; tid: string };

describe('credential from the environment only', () => {
  it('DefaultAzureCredential gets Graph and Dataverse tokens from the simulator authority, with no call elsewhere', async () => {
    s.sim.requests.length = 0;
    const graph = await credential.getToken(`${new URL(s.info.graphBaseUrl).origin}/.default`);
    const dataverse = await credential.getToken(`${s.info.dataverseUrl}/.default`);
    expect(claims(graph!.token)).toMatchObject({ aud: new URL(s.info.graphBaseUrl).origin, tid: s.info.tenantId });
    expect(claims(dataverse!.token).aud).toBe(s.info.dataverseUrl);
    const tokenCalls = s.sim.requests.filter((r) => r.service === 'token');
    expect(tokenCalls.length).toBeGreaterThanOrEqual(2);
    expect(tokenCalls.every((r) => r.status === 200)).toBe(true);
  });
});

describe('GraphClient through the simulator', () => {
  it('list follows every nextLink: 230 users in pages of 100 (paging.md)', async () => {
    s.sim.requests.length = 0;
    const all = await clients.graph.list<{ id: string; mail: string }>('/users?$select=id,mail&$top=100');
    expect(all).toHaveLength(230);
    expect(all[229]).toEqual({ id: uid(230), mail: 'u230@vendor.example' });
    const pages = s.sim.requests.filter((r) => r.service === 'graph');
    expect(pages.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('sendMany adds 25 members as two PATCHes of 20 and 5 members@odata.bind; the first, refused for its one member already there, falls back to single adds in one $batch, and "already a member" is done', async () => {
    s.sim.requests.length = 0;
    const requests: ServiceRequest[] = Array.from({ length: 25 }, (_, i) => ({
      method: 'POST',
      url: `/groups/${G}/members/$ref`,
      body: { '@odata.id': `${s.info.graphBaseUrl}/directoryObjects/${uid(i + 1)}` },
    }));
    const responses = await clients.graph.sendMany(requests);
    const sent = s.sim.requests.filter((r) => r.service === 'graph');
    const patches = sent.filter((r) => r.method === 'PATCH');
    // The request log keeps no bodies: which members each PATCH bound is test/unit/clients/graph-member-coalesce.test.ts's.
    expect(patches.map((r) => [r.path, r.status]).sort()).toEqual([
      [`/v1.0/groups/${G}`, 204],
      [`/v1.0/groups/${G}`, 400],
    ]);
    // Only the refused PATCH's members go again, one add each, in one envelope.
    expect(sent.filter((r) => r.path === '/v1.0/$batch').map((r) => [r.status, r.inner?.length])).toEqual([[200, 20]]);
    expect(responses.map((r, i) => (i === 2 ? isAlreadyDone(requests[i]!, r) : r.status))).toEqual(responses.map((_, i) => (i === 2 ? true : 204)));
    expect([...s.sim.state.graph.groups.get(G)!.members].sort()).toEqual(Array.from({ length: 25 }, (_, i) => uid(i + 1)).sort());
  });

  it('with 25% injected 429s (Retry-After: 1) a sendMany still gets every answer (issue 5, chaos)', async () => {
    await s.admin('PUT', '/faults', { graph: { rate429: 0.25, seed: 7 } });
    s.sim.requests.length = 0;
    try {
      const requests: ServiceRequest[] = Array.from({ length: 10 }, (_, i) => ({ method: 'PATCH', url: `/users/${uid(100 + i)}`, body: { usageLocation: 'FR' } }));
      const responses = await clients.graph.sendMany(requests);
      expect(responses.map((r) => r.status)).toEqual(requests.map(() => 204));
      for (let i = 0; i < 10; i++) expect(s.sim.state.graph.users.get(uid(100 + i))!.usageLocation).toBe('FR');
      // The faults did hit: some envelope or inner request was answered 429 and retried.
      const statuses = s.sim.requests.flatMap((r) => [r.status, ...(r.inner ?? []).map((i) => i.status)]);
      expect(statuses).toContain(429);
    } finally {
      await s.admin('PUT', '/faults', { graph: { rate429: 0 } });
    }
  });
});
