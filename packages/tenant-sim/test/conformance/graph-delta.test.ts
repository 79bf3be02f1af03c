/**
 * Conformance: Graph delta queries. Sources: Learn delta-query-overview.md, user-delta.md,
 * group-delta.md, delta-query-groups.md, paging.md, learn.microsoft.com/graph/delta-query-overview
 * ("/users/delta and /groups/delta with $select; members@delta with @removed; $deltatoken
 * expiry after 7 days → syncStateNotFound / 410"). Stricter choices are in docs/simulator-graph.md.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

const G = 'a9000000-0000-0000-0000-000000000001';
const OTHER = 'a9000000-0000-0000-0000-000000000002';
const uid = (n: number) => `eeeeeeee-0000-0000-0000-${String(n).padStart(12, '0')}`;
const users = Array.from({ length: 150 }, (_, i) => ({
  id: uid(i + 1),
  displayName: `User ${i + 1}`,
  mail: `u${i + 1}@vendor.com`,
  userType: 'Guest',
  usageLocation: i % 2 === 0 ? 'GB' : null,
}));
const fixture = () => ({
  app: { roles: ['GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'User.ReadWrite.All', 'LicenseAssignment.ReadWrite.All'] },
  graph: {
    users,
    groups: [
      { id: G, displayName: 'FS technicians', members: users.slice(0, 120).map((u) => u.id) },
      { id: OTHER, displayName: 'Other', members: [uid(150)] },
    ],
    subscribedSkus: [],
  },
});

let s: RunningSim;
beforeEach(async () => {
  await s?.stop();
  s = await startSim(fixture());
});
afterAll(() => s.stop());

const rel = (link: string): string => link.slice(s.info.graphBaseUrl.length);

/** Follows nextLinks from `path`; returns every item, the page count and the final deltaLink. */
async function drain(path: string, headers: Record<string, string> = {}): Promise<{ items: any[]; pages: number; deltaLink: string }> {
  const items: any[] = [];
  let pages = 0;
  let next: string | undefined = path;
  for (;;) {
    const res = await s.graph('GET', next, { headers });
    expect(res.status).toBe(200);
    pages++;
    items.push(...res.json.value);
    if (res.json['@odata.nextLink']) {
      expect(res.json['@odata.deltaLink']).toBeUndefined();
      next = rel(res.json['@odata.nextLink']);
      expect(next).toMatch(/^\/users\/delta\?\$skiptoken=|^\/groups\/delta\?\$skiptoken=/);
      continue;
    }
    expect(res.json['@odata.deltaLink']).toMatch(/\/delta\?\$deltatoken=/);
    return { items, pages, deltaLink: rel(res.json['@odata.deltaLink']) };
  }
}

describe('GET /users/delta (user-delta.md, delta-query-overview.md)', () => {
  it('initial sync: every user with the $select properties, paged by nextLink ($skiptoken), deltaLink ($deltatoken) on the last page', async () => {
    const first = await s.graph('GET', '/users/delta?$select=displayName,mail,userType');
    expect(first.json['@odata.context']).toBe(`${s.info.graphBaseUrl}/$metadata#users(id,displayName,mail,userType)`);
    expect(first.json.value).toHaveLength(100);
    expect(first.json.value[0]).toEqual({ id: uid(1), displayName: 'User 1', mail: 'u1@vendor.com', userType: 'Guest' });
    const all = await drain('/users/delta?$select=displayName,mail,userType');
    expect(all.pages).toBe(2);
    expect(all.items.map((u) => u.id).sort()).toEqual(users.map((u) => u.id).sort());
  });

  it('Prefer: odata.maxpagesize sets the page size (up to 999)', async () => {
    const all = await drain('/users/delta?$select=displayName', { Prefer: 'odata.maxpagesize=40' });
    expect(all.pages).toBe(4);
    expect(all.items).toHaveLength(150);
  });

  it('user-delta.md: a property never set is left out; id is always there', async () => {
    const all = await drain('/users/delta?$select=usageLocation');
    expect(all.items.find((u) => u.id === uid(1))).toEqual({ id: uid(1), usageLocation: 'GB' });
    expect(all.items.find((u) => u.id === uid(2))).toEqual({ id: uid(2) });
  });

  it('$deltatoken=latest returns no users and a deltaLink (delta-query-overview.md "skip the initial sync")', async () => {
    const res = await s.graph('GET', '/users/delta?$select=displayName&$deltatoken=latest');
    expect(res.status).toBe(200);
    expect(res.json.value).toEqual([]);
    expect(res.json['@odata.nextLink']).toBeUndefined();
    expect(res.json['@odata.deltaLink']).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\/delta\?\$deltatoken=/);
  });

  it('a deltaLink with nothing changed returns no users and a new deltaLink', async () => {
    const latest = await s.graph('GET', '/users/delta?$select=displayName&$deltatoken=latest');
    const res = await s.graph('GET', rel(latest.json['@odata.deltaLink']));
    expect(res.status).toBe(200);
    expect(res.json.value).toEqual([]);
    expect(res.json['@odata.deltaLink']).toBeDefined();
  });

  it('the deltaLink returns users changed since, with every selected property; deleted users as {id, @removed}', async () => {
    const latest = await s.graph('GET', '/users/delta?$select=displayName,usageLocation,accountEnabled&$deltatoken=latest');
    expect((await s.graph('PATCH', `/users/${uid(3)}`, { body: { displayName: 'Renamed' } })).status).toBe(204);
    expect((await s.graph('PATCH', `/users/${uid(4)}`, { body: { usageLocation: 'FR' } })).status).toBe(204);
    s.sim.state.graph.users.delete(uid(5));
    const res = await s.graph('GET', rel(latest.json['@odata.deltaLink']));
    expect(res.status).toBe(200);
    expect(res.json.value).toEqual([
      { id: uid(3), displayName: 'Renamed', usageLocation: 'GB', accountEnabled: true },
      { id: uid(4), displayName: 'User 4', usageLocation: 'FR', accountEnabled: true },
      { id: uid(5), '@removed': { reason: 'changed' } },
    ]);
    // The next round starts after these changes.
    const again = await s.graph('GET', rel(res.json['@odata.deltaLink']));
    expect(again.json.value).toEqual([]);
  });

  it('Prefer: return=minimal returns only the changed properties (user-delta.md)', async () => {
    const latest = await s.graph('GET', '/users/delta?$select=displayName,usageLocation,mail&$deltatoken=latest');
    await s.graph('PATCH', `/users/${uid(4)}`, { body: { usageLocation: 'FR' } });
    const res = await s.graph('GET', rel(latest.json['@odata.deltaLink']), { headers: { Prefer: 'return=minimal' } });
    expect(res.json.value).toEqual([{ id: uid(4), usageLocation: 'FR' }]);
  });

  it('users created after the token come back in full; a change made directly to the state is seen too', async () => {
    const latest = await s.graph('GET', '/users/delta?$select=displayName,mail&$deltatoken=latest');
    const inv = await s.graph('POST', '/invitations', { body: { invitedUserEmailAddress: 'new@vendor.com', inviteRedirectUrl: 'https://example.com' } });
    expect(inv.status).toBe(201);
    (s.sim.state.graph.users.get(uid(7)) as Record<string, unknown>).mail = 'edited@vendor.com';
    const res = await s.graph('GET', rel(latest.json['@odata.deltaLink']));
    // Changes found by one scan come in store order (docs/simulator-graph.md): compare as a set.
    expect(res.json.value).toHaveLength(2);
    expect(res.json.value).toEqual(
      expect.arrayContaining([
        { id: inv.json.invitedUser.id, displayName: 'new', mail: 'new@vendor.com' },
        { id: uid(7), displayName: 'User 7', mail: 'edited@vendor.com' },
      ]),
    );
  });

  it('a change made while a client pages through a round is returned in the next round, and no user is skipped', async () => {
    const latest = await s.graph('GET', '/users/delta?$select=displayName&$deltatoken=latest');
    for (let i = 1; i <= 5; i++) s.sim.state.graph.users.get(uid(i))!.displayName = `Changed ${i}`;
    const p1 = await s.graph('GET', rel(latest.json['@odata.deltaLink']), { headers: { Prefer: 'odata.maxpagesize=2' } });
    expect(p1.json.value.map((u: any) => u.id)).toEqual([uid(1), uid(2)]);
    s.sim.state.graph.users.get(uid(1))!.displayName = 'Changed again';
    s.sim.state.graph.users.get(uid(3))!.displayName = 'Changed again';
    const rest = await drain(rel(p1.json['@odata.nextLink']), { Prefer: 'odata.maxpagesize=2' });
    expect(rest.items.map((u: any) => u.id)).toEqual([uid(3), uid(4), uid(5)]);
    const next = await s.graph('GET', rest.deltaLink);
    expect(next.json.value.map((u: any) => [u.id, u.displayName])).toEqual([
      [uid(1), 'Changed again'],
      [uid(3), 'Changed again'],
    ]);
  });

  it('$filter supports only id eq (up to 50, joined by or); $top, $orderby, $expand, $search → 400 (learn.microsoft.com/graph/delta-query-overview)', async () => {
    const ok = await drain(`/users/delta?$select=displayName&$filter=id eq '${uid(1)}' or id eq '${uid(2)}'`);
    expect(ok.items.map((u) => u.id)).toEqual([uid(1), uid(2)]);
    const bad = await s.graph('GET', `/users/delta?$filter=${encodeURIComponent("userType eq 'Guest'")}`);
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('Request_UnsupportedQuery');
    const tooMany = Array.from({ length: 51 }, (_, i) => `id eq '${uid(i + 1)}'`).join(' or ');
    expect((await s.graph('GET', `/users/delta?$filter=${encodeURIComponent(tooMany)}`)).status).toBe(400);
    for (const q of ['$top=10', '$orderby=displayName', '$expand=manager', '$search=%22displayName:a%22']) {
      const res = await s.graph('GET', `/users/delta?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.json.error.code, q).toBe('Request_UnsupportedQuery');
    }
  });

  it('a deltaLink or nextLink is called as returned: extra options or an altered token → 400 (stricter, paging.md)', async () => {
    const latest = await s.graph('GET', '/users/delta?$select=displayName&$deltatoken=latest');
    const link = rel(latest.json['@odata.deltaLink']);
    expect((await s.graph('GET', `${link}&$select=mail`)).status).toBe(400);
    expect((await s.graph('GET', `${link}x`)).status).toBe(400);
  });

  it('an expired token (older than 7 days) → 410 Gone, syncStateNotFound, Location = a new initial sync (learn.microsoft.com/graph/delta-query-overview)', async () => {
    const latest = await s.graph('GET', '/users/delta?$select=displayName,mail&$deltatoken=latest');
    const link = rel(latest.json['@odata.deltaLink']);
    expect((await s.admin('PUT', '/tracking', { clockOffsetMs: 6 * 86_400_000 })).status).toBe(200);
    expect((await s.graph('GET', link)).status).toBe(200);
    await s.admin('PUT', '/tracking', { clockOffsetMs: 7 * 86_400_000 + 60_000 });
    const res = await s.graph('GET', link);
    expect(res.status).toBe(410);
    expect(res.json.error.code).toBe('syncStateNotFound');
    expect(res.json.error.message).toBe('The sync state generation is not found. The delta token is expired and data must be synchronized again.');
    expect(res.headers.get('location')).toBe(`${s.info.graphBaseUrl}/users/delta?$select=id,displayName,mail`);
  });

  it('a token from before /_sim/reset → 410 (its sync state no longer exists)', async () => {
    const latest = await s.graph('GET', '/users/delta?$deltatoken=latest');
    await s.admin('POST', '/reset', fixture());
    const res = await s.graph('GET', rel(latest.json['@odata.deltaLink']));
    expect(res.status).toBe(410);
    expect(res.json.error.code).toBe('syncStateNotFound');
  });

  it('needs a role that reads users (user-delta.md permissions: User.Read.All) → else 403', async () => {
    await s.stop();
    s = await startSim({ ...fixture(), app: { roles: ['GroupMember.Read.All'] } });
    const res = await s.graph('GET', '/users/delta?$deltatoken=latest');
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('Authorization_RequestDenied');
    expect((await s.graph('GET', `/groups/delta?$select=members&$deltatoken=latest`)).status).toBe(200);
  });
});

describe('GET /groups/delta with members (group-delta.md, delta-query-groups.md, learn.microsoft.com/graph/delta-query-overview)', () => {
  const q = `/groups/delta?$filter=${encodeURIComponent(`id eq '${G}'`)}&$select=members`;

  it('initial sync: the group with members@delta listing its members, split across pages (the group repeats)', async () => {
    const all = await drain(q);
    expect(all.pages).toBe(2);
    expect(all.items.every((g) => g.id === G)).toBe(true);
    const members = all.items.flatMap((g) => g['members@delta']);
    expect(members).toHaveLength(120);
    expect(members[0]).toEqual({ '@odata.type': '#microsoft.graph.user', id: uid(1) });
  });

  it('$deltatoken=latest, then added members and removed ones marked @removed reason "deleted"', async () => {
    const latest = await s.graph('GET', `${q}&$deltatoken=latest`);
    expect(latest.json.value).toEqual([]);
    const del = await s.graph('DELETE', `/groups/${G}/members/${uid(2)}/$ref`);
    expect(del.status).toBe(204);
    const add = await s.graph('POST', `/groups/${G}/members/$ref`, { body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${uid(130)}` } });
    expect(add.status).toBe(204);
    // Another group's change is not reported for a filter on G.
    s.sim.state.graph.groups.get(OTHER)!.members.add(uid(1));
    const res = await s.graph('GET', rel(latest.json['@odata.deltaLink']));
    expect(res.status).toBe(200);
    expect(res.json.value).toHaveLength(1);
    expect(res.json.value[0].id).toBe(G);
    expect(res.json.value[0]['members@delta']).toHaveLength(2);
    expect(res.json.value[0]['members@delta']).toEqual(
      expect.arrayContaining([
        { '@odata.type': '#microsoft.graph.user', id: uid(2), '@removed': { reason: 'deleted' } },
        { '@odata.type': '#microsoft.graph.user', id: uid(130) },
      ]),
    );
    const again = await s.graph('GET', rel(res.json['@odata.deltaLink']));
    expect(again.json.value).toEqual([]);
  });

  it('a member removed and added back within one window is reported once, as its last state', async () => {
    const latest = await s.graph('GET', `${q}&$deltatoken=latest`);
    const members = s.sim.state.graph.groups.get(G)!.members;
    members.delete(uid(3));
    const mid = await s.graph('GET', `${q}&$deltatoken=latest`); // a scan in between records the removal
    expect(mid.status).toBe(200);
    members.add(uid(3));
    const res = await s.graph('GET', rel(latest.json['@odata.deltaLink']));
    expect(res.json.value).toEqual([{ id: G, 'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: uid(3) }] }]);
  });

  it('$filter other than id eq, and $top → 400; $expand=members is accepted instead of $select=members', async () => {
    expect((await s.graph('GET', `/groups/delta?$filter=${encodeURIComponent("displayName eq 'x'")}`)).status).toBe(400);
    expect((await s.graph('GET', '/groups/delta?$top=5')).status).toBe(400);
    const res = await drain(`/groups/delta?$filter=${encodeURIComponent(`id eq '${OTHER}'`)}&$expand=members`);
    expect(res.items).toEqual([{ id: OTHER, displayName: 'Other', description: null, 'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: uid(150) }] }]);
  });

  it('an expired group token → 410 syncStateNotFound', async () => {
    const latest = await s.graph('GET', `${q}&$deltatoken=latest`);
    await s.admin('PUT', '/tracking', { graphTokenLifetimeMs: 1000, clockOffsetMs: 5000 });
    const res = await s.graph('GET', rel(latest.json['@odata.deltaLink']));
    expect(res.status).toBe(410);
    expect(res.json.error.code).toBe('syncStateNotFound');
  });
});
