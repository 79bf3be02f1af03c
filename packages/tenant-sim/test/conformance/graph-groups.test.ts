/**
 * Conformance: groups and membership. Sources: Learn group-get.md, group-list-members.md,
 * group-post-members.md (incl. "Add multiple members", 20 at most, all or nothing),
 * group-delete-members.md (CAUTION on omitting /$ref);
 * learn.microsoft.com/graph/api/group-post-members.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

const G = 'a9000000-0000-0000-0000-000000000001';
const uid = (n: number) => `eeeeeeee-0000-0000-0000-${String(n).padStart(12, '0')}`;
const users = Array.from({ length: 260 }, (_, i) => ({ id: uid(i + 1), displayName: `User ${i + 1}`, mail: `u${i + 1}@vendor.com` }));
const ref = (id: string, base = 'https://graph.microsoft.com/v1.0') => `${base}/directoryObjects/${id}`;

const fixture = () => ({
  app: { roles: ['GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'User.Read.All'] },
  graph: { users, groups: [{ id: G, displayName: 'FS technicians', members: users.slice(0, 205).map((u) => u.id) }] },
});

let s: RunningSim;
let notified = 0;
beforeEach(async () => {
  await s?.stop();
  s = await startSim(fixture());
  notified = 0;
  // Counts the platform notifications (an own property on this simulator's user sync).
  const sync = s.sim.userSync;
  const original = sync.entraChanged.bind(sync);
  sync.entraChanged = (st) => {
    notified++;
    original(st);
  };
});
afterAll(() => s.stop());

const members = () => s.sim.state.graph.groups.get(G)!.members;

describe('GET /groups/{id} and its members (group-get.md, group-list-members.md)', () => {
  it('GET /groups/{id} returns the group; a missing group → 404 Request_ResourceNotFound', async () => {
    const res = await s.graph('GET', `/groups/${G}?$select=id,displayName`);
    expect(res.json).toEqual({ '@odata.context': `${s.info.graphBaseUrl}/$metadata#groups(id,displayName)/$entity`, id: G, displayName: 'FS technicians' });
    const missing = await s.graph('GET', '/groups/a9000000-0000-0000-0000-000000000099');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('Request_ResourceNotFound');
  });

  it('members: default page 100 with @odata.type, nextLink paging to the end', async () => {
    const pages: number[] = [];
    const seen: string[] = [];
    let res = await s.graph('GET', `/groups/${G}/members?$select=id,mail`);
    expect(res.json['@odata.context']).toBe(`${s.info.graphBaseUrl}/$metadata#directoryObjects(id,mail)`);
    expect(res.json.value[0]).toEqual({ '@odata.type': '#microsoft.graph.user', id: uid(1), mail: 'u1@vendor.com' });
    for (;;) {
      pages.push(res.json.value.length);
      seen.push(...res.json.value.map((m: any) => m.id));
      const next = res.json['@odata.nextLink'];
      if (!next) break;
      expect(next.startsWith(`${s.info.graphBaseUrl}/groups/${G}/members?`)).toBe(true);
      res = await s.graph('GET', next.slice(s.info.graphBaseUrl.length));
    }
    expect(pages).toEqual([100, 100, 5]);
    expect(seen).toEqual(users.slice(0, 205).map((u) => u.id));
  });

  it('members/microsoft.graph.user with $top=999 returns all in one page; $top=1000 → 400', async () => {
    const res = await s.graph('GET', `/groups/${G}/members/microsoft.graph.user?$select=id&$top=999`);
    expect(res.json.value).toHaveLength(205);
    expect(res.json['@odata.nextLink']).toBeUndefined();
    expect(res.json['@odata.context']).toBe(`${s.info.graphBaseUrl}/$metadata#users(id)`);
    const big = await s.graph('GET', `/groups/${G}/members?$top=1000`);
    expect(big.status).toBe(400);
    expect(big.json.error.message).toBe("Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
  });
});

describe('POST /groups/{id}/members/$ref (group-post-members.md)', () => {
  it('adds a member → 204, with the graph.microsoft.com base or the simulator\'s own', async () => {
    expect((await s.graph('POST', `/groups/${G}/members/$ref`, { body: { '@odata.id': ref(uid(250)) } })).status).toBe(204);
    expect((await s.graph('POST', `/groups/${G}/members/$ref`, { body: { '@odata.id': ref(uid(251), s.info.graphBaseUrl) } })).status).toBe(204);
    expect(members().has(uid(250)) && members().has(uid(251))).toBe(true);
    expect(notified).toBe(2);
  });

  it('already a member → 400 Request_BadRequest "One or more added object references already exist…" (learn.microsoft.com/graph/api/group-post-members [observed])', async () => {
    const res = await s.graph('POST', `/groups/${G}/members/$ref`, { body: { '@odata.id': ref(uid(1)) } });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'Request_BadRequest', message: "One or more added object references already exist for the following modified properties: 'members'." });
  });

  it('a missing object → 404; a missing group → 404', async () => {
    const res = await s.graph('POST', `/groups/${G}/members/$ref`, { body: { '@odata.id': ref('eeeeeeee-0000-0000-0000-000000009999') } });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('Request_ResourceNotFound');
    const noGroup = await s.graph('POST', '/groups/a9000000-0000-0000-0000-000000000099/members/$ref', { body: { '@odata.id': ref(uid(250)) } });
    expect(noGroup.status).toBe(404);
  });

  it('an @odata.id that is not a directoryObjects URL → 400', async () => {
    const res = await s.graph('POST', `/groups/${G}/members/$ref`, { body: { '@odata.id': uid(250) } });
    expect(res.status).toBe(400);
    expect(members().has(uid(250))).toBe(false);
  });
});

describe('DELETE /groups/{id}/members/{id}/$ref (group-delete-members.md)', () => {
  it('removes the membership → 204 and keeps the user', async () => {
    const res = await s.graph('DELETE', `/groups/${G}/members/${uid(1)}/$ref`);
    expect(res.status).toBe(204);
    expect(members().has(uid(1))).toBe(false);
    expect(s.sim.state.graph.users.has(uid(1))).toBe(true);
    expect(notified).toBe(1);
  });

  it('not a member → 404 Request_ResourceNotFound (learn.microsoft.com/graph/api/group-post-members)', async () => {
    const res = await s.graph('DELETE', `/groups/${G}/members/${uid(250)}/$ref`);
    expect(res.status).toBe(404);
    expect(res.json.error.message).toBe(`Resource '${uid(250)}' does not exist or one of its queried reference-property objects are not present.`);
  });

  it('without /$ref the simulator refuses loudly (Graph would delete the user: CAUTION in group-delete-members.md)', async () => {
    const res = await s.graph('DELETE', `/groups/${G}/members/${uid(1)}`);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('deletes the member object itself');
    expect(members().has(uid(1))).toBe(true);
    expect(s.sim.state.graph.users.has(uid(1))).toBe(true);
  });
});

describe('PATCH /groups/{id} with members@odata.bind (group-post-members.md, "Add multiple members")', () => {
  const bind = (ids: string[]) => s.graph('PATCH', `/groups/${G}`, { body: { 'members@odata.bind': ids.map((i) => ref(i)) } });

  it('adds up to 20 members → 204', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => uid(210 + i));
    expect((await bind(ids)).status).toBe(204);
    expect(ids.every((i) => members().has(i))).toBe(true);
  });

  it('21 references → 400 and nothing is added', async () => {
    const ids = Array.from({ length: 21 }, (_, i) => uid(210 + i));
    expect((await bind(ids)).status).toBe(400);
    expect(ids.some((i) => members().has(i))).toBe(false);
  });

  it('one existing member → 400 "…already exist…" and nothing is added (all or nothing)', async () => {
    const res = await bind([uid(240), uid(1), uid(241)]);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe("One or more added object references already exist for the following modified properties: 'members'.");
    expect(members().has(uid(240)) || members().has(uid(241))).toBe(false);
  });

  it('one missing object → 404 and nothing is added', async () => {
    const res = await bind([uid(240), 'eeeeeeee-0000-0000-0000-000000009999']);
    expect(res.status).toBe(404);
    expect(members().has(uid(240))).toBe(false);
  });
});
