/**
 * Conformance: JSON batching, POST /$batch. Sources: Learn concepts/json-batching.md (20 requests,
 * unique ids, relative urls, Content-Type with a body, dependsOn and 424, responses in any order,
 * per-request headers such as ConsistencyLevel), concepts/throttling.md (inner 429 with
 * Retry-After while the envelope is 200); learn.microsoft.com/graph/json-batching.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

const G = 'a9000000-0000-0000-0000-000000000001';
const uid = (n: number) => `eeeeeeee-0000-0000-0000-${String(n).padStart(12, '0')}`;
const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
const JSON_H = { 'Content-Type': 'application/json' };

const fixture = (roles = ['GroupMember.ReadWrite.All', 'User.ReadWrite.All']) => ({
  app: { roles },
  graph: {
    users: Array.from({ length: 30 }, (_, i) => ({ id: uid(i + 1), displayName: `U${i + 1}`, mail: `u${i + 1}@vendor.com`, usageLocation: 'GB' })),
    groups: [{ id: G, displayName: 'Techs', members: [uid(1)] }],
  },
});

let s: RunningSim;
beforeEach(async () => {
  await s?.stop();
  s = await startSim(fixture());
});
afterAll(() => s.stop());

const batch = (requests: unknown[]) => s.graph('POST', '/$batch', { body: { requests } });
const byId = (res: { json: any }) => Object.fromEntries(res.json.responses.map((r: any) => [r.id, r]));

describe('POST /$batch (json-batching.md)', () => {
  it('envelope 200; each response has id, status, headers (exact "Content-Type" spelling) and body; matched by id', async () => {
    const res = await batch([
      { id: '1', method: 'GET', url: `/users/${uid(1)}?$select=id,mail` },
      { id: '2', method: 'POST', url: `/groups/${G}/members/$ref`, headers: JSON_H, body: ref(uid(2)) },
      { id: '3', method: 'GET', url: '/users/eeeeeeee-0000-0000-0000-000000009999' },
    ]);
    expect(res.status).toBe(200);
    const r = byId(res);
    expect(r['1']).toMatchObject({ id: '1', status: 200, body: { id: uid(1), mail: 'u1@vendor.com' } });
    expect(r['1'].headers['Content-Type']).toMatch(/^application\/json/);
    expect(r['2'].status).toBe(204);
    expect(r['2'].body).toBeUndefined();
    expect(r['3'].status).toBe(404);
    expect(r['3'].body.error.code).toBe('Request_ResourceNotFound');
    expect(s.sim.state.graph.groups.get(G)!.members.has(uid(2))).toBe(true);
  });

  it('responses do not come back in request order (json-batching.md: match them by id)', async () => {
    const requests = Array.from({ length: 5 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: `/users/${uid(i + 1)}?$select=id` }));
    const res = await batch(requests);
    const order = res.json.responses.map((r: any) => r.id);
    expect(order.slice().sort()).toEqual(['1', '2', '3', '4', '5']);
    expect(order).not.toEqual(['1', '2', '3', '4', '5']);
    for (const r of res.json.responses) expect(r.body.id).toBe(uid(Number(r.id)));
  });

  it('a url without the leading slash is relative to the version root too', async () => {
    const res = await batch([{ id: 'a', method: 'GET', url: `users/${uid(3)}?$select=id` }]);
    expect(byId(res).a.body).toEqual(expect.objectContaining({ id: uid(3) }));
  });

  it('20 requests are accepted; 21 → 400 for the whole batch', async () => {
    const mk = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, method: 'GET', url: `/users/${uid(i + 1)}?$select=id` }));
    expect((await batch(mk(20))).status).toBe(200);
    const res = await batch(mk(21));
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('BadRequest');
  });

  it.each([
    { reason: 'duplicate ids', requests: [{ id: '1', method: 'GET', url: '/users' }, { id: '1', method: 'GET', url: '/users' }] },
    { reason: 'a body without Content-Type', requests: [{ id: '1', method: 'POST', url: `/groups/${G}/members/$ref`, body: ref(uid(5)) }] },
    { reason: 'an absolute url', requests: [{ id: '1', method: 'GET', url: 'https://graph.microsoft.com/v1.0/users' }] },
    { reason: 'a dependsOn on an unknown id', requests: [{ id: '1', method: 'GET', url: '/users', dependsOn: ['9'] }] },
    { reason: 'no requests array', requests: undefined },
  ])('400 for the whole batch on $reason, and nothing runs', async ({ requests }) => {
    const res = await s.graph('POST', '/$batch', { body: requests === undefined ? {} : { requests } });
    expect(res.status).toBe(400);
    expect(s.sim.state.graph.groups.get(G)!.members.has(uid(5))).toBe(false);
  });

  it('dependsOn: a dependent runs after its dependency and sees its effect', async () => {
    const res = await batch([
      { id: 'list', method: 'GET', url: `/groups/${G}/members?$select=id`, dependsOn: ['add'] },
      { id: 'add', method: 'POST', url: `/groups/${G}/members/$ref`, headers: JSON_H, body: ref(uid(7)) },
    ]);
    const r = byId(res);
    expect(r.add.status).toBe(204);
    expect(r.list.body.value.map((m: any) => m.id)).toEqual([uid(1), uid(7)]);
  });

  it('dependsOn: a failed dependency gives 424 Failed Dependency and the dependent does not run', async () => {
    const res = await batch([
      { id: '1', method: 'POST', url: `/groups/${G}/members/$ref`, headers: JSON_H, body: ref(uid(1)) },
      { id: '2', method: 'POST', url: `/users/${uid(8)}/assignLicense`, headers: JSON_H, body: { addLicenses: [], removeLicenses: [] }, dependsOn: ['1'] },
      { id: '3', method: 'PATCH', url: `/users/${uid(9)}`, headers: JSON_H, body: { jobTitle: 'Ran' }, dependsOn: ['2'] },
    ]);
    const r = byId(res);
    expect(r['1'].status).toBe(400);
    expect(r['2'].status).toBe(424);
    expect(r['3'].status).toBe(424);
    expect(s.sim.state.graph.users.get(uid(9))!.jobTitle).toBeNull();
  });

  it('ConsistencyLevel goes in the inner request headers for advanced queries (aad-advanced-queries.md note)', async () => {
    const f = encodeURIComponent("endsWith(mail,'@vendor.com')");
    const res = await batch([
      { id: 'no', method: 'GET', url: `/users?$filter=${f}&$count=true&$select=id` },
      { id: 'yes', method: 'GET', url: `/users?$filter=${f}&$count=true&$select=id`, headers: { ConsistencyLevel: 'eventual' } },
    ]);
    const r = byId(res);
    expect(r.no.status).toBe(400);
    expect(r.yes.status).toBe(200);
    expect(r.yes.body['@odata.count']).toBe(30);
  });

  it('each inner request is throttled on its own: an inner 429 with Retry-After inside a 200 envelope (throttling.md)', async () => {
    await s.admin('PUT', '/limits', { graph: { writesPerWindow: 2 } });
    const res = await batch([1, 2, 3].map((n) => ({ id: String(n), method: 'PATCH', url: `/users/${uid(n)}`, headers: JSON_H, body: { jobTitle: `T${n}` }, dependsOn: n > 1 ? [String(n - 1)] : undefined })));
    expect(res.status).toBe(200);
    const r = byId(res);
    expect([r['1'].status, r['2'].status, r['3'].status]).toEqual([204, 204, 429]);
    expect(Number(r['3'].headers['Retry-After'])).toBeGreaterThan(0);
    expect(r['3'].body.error.code).toBe('TooManyRequests');
    expect(s.sim.state.graph.users.get(uid(3))!.jobTitle).toBeNull();
  });

  it('each inner request is authorised on its own: a missing role gives an inner 403 (json-batching.md; permissions per API)', async () => {
    await s.stop();
    s = await startSim(fixture(['User.Read.All']));
    const res = await batch([
      { id: 'read', method: 'GET', url: `/users/${uid(1)}?$select=id` },
      { id: 'write', method: 'POST', url: `/groups/${G}/members/$ref`, headers: JSON_H, body: ref(uid(4)) },
    ]);
    const r = byId(res);
    expect(r.read.status).toBe(200);
    expect(r.write.status).toBe(403);
    expect(r.write.body.error.code).toBe('Authorization_RequestDenied');
  });

  it('inner requests are logged under the envelope in /_sim/requests', async () => {
    await s.admin('DELETE', '/requests');
    await batch([
      { id: '1', method: 'GET', url: `/users/${uid(1)}?$select=id` },
      { id: '2', method: 'GET', url: '/users/eeeeeeee-0000-0000-0000-000000009999' },
    ]);
    const log = (await s.admin('GET', '/requests')).json.value;
    const env = log.find((e: any) => e.path === '/v1.0/$batch');
    expect(env.status).toBe(200);
    expect(env.inner.map((i: any) => i.status).sort()).toEqual([200, 404]);
  });

  it('a $batch inside a $batch is refused', async () => {
    const res = await batch([{ id: '1', method: 'POST', url: '/$batch', headers: JSON_H, body: { requests: [] } }]);
    expect(byId(res)['1'].status).toBe(400);
  });
});
