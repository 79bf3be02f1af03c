/**
 * Conformance: Graph's identity throttles besides the write quota.
 * Source: Learn "Microsoft Graph service-specific throttling limits"
 * (learn.microsoft.com/graph/throttling-limits):
 * - "Identity and access service limits": a token bucket of resource units per app and tenant,
 *   S 3,500 / M 5,000 / L 8,000 per 10 s by tenant size (S under 50 users, M 50–500, L above 500);
 *   the base request costs (GET users 2, GET groups/{id}/members 3, GET subscribedSkus 3, any other
 *   GET 1, POST/PATCH/PUT/DELETE 1 + 1 write) and the modifiers ($select −1, $expand +1, $top < 20
 *   −1, never below 1); headers x-ms-resource-unit and x-ms-throttle-limit-percentage on regular
 *   responses, x-ms-throttle-scope and x-ms-throttle-information on throttled ones.
 * The invitation manager's limit is in graph-invitation-rules.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlatformGate, type Fixture } from '../../src/index.js';
import { requestCost, tenantSize } from '../../src/platform/read-budget.js';
import type { SimRequest } from '../../src/types.js';
import { startSim, type RunningSim } from '../support/sim.js';

const TENANT = '5b2d7c3e-0000-4000-8000-000000000001';
const GROUP = '5b2d7c3e-0000-4000-8000-0000000000a1';
const userId = (i: number): string => `5b2d7c3e-0000-4000-8000-${String(100 + i).padStart(12, '0')}`;
const fixture = (users: number): Fixture => ({
  tenant: { id: TENANT },
  app: { roles: ['User.Invite.All', 'User.ReadWrite.All', 'GroupMember.ReadWrite.All'] },
  graph: {
    users: Array.from({ length: users }, (_, i) => ({ id: userId(i), displayName: `User ${i}`, userPrincipalName: `user${i}@contoso.onmicrosoft.com` })),
    groups: [{ id: GROUP, displayName: 'Technicians', members: [] }],
  },
});

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(fixture(5));
});
afterAll(() => s.stop());
beforeEach(async () => {
  // The documented defaults and fresh buckets, whatever the previous test set.
  await s.admin('PUT', '/limits', {
    graph: { enabled: true, writesPerWindow: 3000, windowMs: 150000, resourceUnitsSmall: 3500, resourceUnitsMedium: 5000, resourceUnitsLarge: 8000, resourceUnitWindowMs: 10000, invitationsPerWindow: 150, invitationWindowMs: 5000 },
  });
  await s.admin('POST', '/reset', fixture(5));
});

const graphUsage = async () => (await s.admin('PUT', '/limits', {})).json.usage.graph;

describe('resource-unit costs (throttling-limits, identity and access: base costs and modifiers)', () => {
  it.each([
    { method: 'GET', path: '/users', query: '', units: 2, write: false, reason: 'GET users is listed at 2' },
    { method: 'GET', path: '/users', query: '$select=id,mail&$top=999', units: 1, write: false, reason: '$select takes 1 off; $top 999 is not below 20' },
    { method: 'GET', path: '/users', query: '$select=id&$top=5', units: 1, write: false, reason: '2 − 1 − 1 = 0, but a cost is never below 1' },
    { method: 'GET', path: '/users', query: '$expand=manager', units: 3, write: false, reason: '$expand adds 1' },
    { method: 'GET', path: `/users/${userId(1)}`, query: '', units: 1, write: false, reason: 'a path not listed costs 1' },
    { method: 'GET', path: '/users/delta', query: '$select=id', units: 1, write: false, reason: 'users/delta is not the listed users path: 1, and 1 − 1 stays 1' },
    { method: 'GET', path: `/groups/${GROUP}/members`, query: '', units: 3, write: false, reason: 'GET groups/{id}/members is listed at 3' },
    { method: 'GET', path: `/groups/${GROUP}/members/microsoft.graph.user`, query: '$select=id', units: 2, write: false, reason: 'the cast segment reads the same members (3), $select −1' },
    { method: 'GET', path: '/subscribedSkus', query: '', units: 3, write: false, reason: 'GET subscribedSkus is listed at 3' },
    { method: 'GET', path: '/users/abc/licenseDetails', query: '', units: 2, write: false, reason: 'me/licenseDetails costs 2, and so does users/{id}/licenseDetails' },
    { method: 'POST', path: '/invitations', query: '', units: 1, write: true, reason: 'any POST costs 1 and 1 write' },
    { method: 'PATCH', path: `/users/${userId(1)}`, query: '', units: 1, write: true, reason: 'any PATCH costs 1 and 1 write' },
    { method: 'DELETE', path: `/groups/${GROUP}/members/${userId(1)}/$ref`, query: '', units: 1, write: true, reason: 'any DELETE costs 1 and 1 write' },
    { method: 'POST', path: '/directoryObjects/getByIds', query: '', units: 3, write: false, reason: 'POST directoryObjects/getByIds is listed at 3 with write cost 0' },
  ])('$method $path?$query costs $units ($reason)', ({ method, path, query, units, write }) => {
    expect(requestCost(method, path, query)).toEqual({ units, write });
  });

  it.each([
    { users: 0, size: 'S', reason: 'an empty tenant is small' },
    { users: 49, size: 'S', reason: 'S is under 50 users' },
    { users: 50, size: 'M', reason: 'M is between 50 and 500' },
    { users: 500, size: 'M', reason: '500 is still M' },
    { users: 501, size: 'L', reason: 'L is above 500' },
  ])('$users users is tenant size $size ($reason)', ({ users, size }) => {
    expect(tenantSize(users)).toBe(size);
  });

  it('answers carry x-ms-resource-unit with the request\'s cost; the $batch envelope has none, its inner requests each have theirs', async () => {
    expect((await s.graph('GET', '/users')).headers.get('x-ms-resource-unit')).toBe('2');
    expect((await s.graph('GET', '/users?$select=id')).headers.get('x-ms-resource-unit')).toBe('1');
    const res = await s.graph('POST', '/$batch', { body: { requests: [{ id: '1', method: 'GET', url: '/subscribedSkus' }, { id: '2', method: 'GET', url: `/users/${userId(2)}` }] } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ms-resource-unit')).toBeNull();
    const inner = Object.fromEntries((res.json.responses as { id: string; headers: Record<string, string> }[]).map((r) => [r.id, r.headers['x-ms-resource-unit']]));
    expect(inner).toEqual({ 1: '3', 2: '1' });
    expect(await graphUsage()).toMatchObject({ tenantSize: 'S', resourceUnitQuota: 3500, resourceUnits: 7, throttledResourceUnits: 0 });
  });
});

describe('resource-unit quota per app and tenant (token bucket)', () => {
  it('the request the bucket cannot pay for gets 429 with Retry-After, x-ms-throttle-scope Tenant_Application/ReadWrite/<app>/<tenant> and ResourceUnitLimitExceeded; it spends nothing', async () => {
    await s.admin('PUT', '/limits', { graph: { resourceUnitsSmall: 5, resourceUnitWindowMs: 60000 } });
    expect((await s.graph('GET', '/users')).status).toBe(200); // 2, 3 left
    expect((await s.graph('GET', '/users')).status).toBe(200); // 2, 1 left
    const refused = await s.graph('GET', '/users');
    expect(refused.status).toBe(429);
    // One unit is missing; 5 units come back per 60 s, so one takes 12 s.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(11);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(12);
    expect(refused.headers.get('x-ms-throttle-scope')).toBe(`Tenant_Application/ReadWrite/${s.info.clientId}/${TENANT}`);
    expect(refused.headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded');
    expect(refused.json.error).toMatchObject({ code: 'TooManyRequests', message: 'Please retry again later.' });
    // "Only the requests exceeding the limits will be throttled": a 1-unit request still fits.
    const cheap = await s.graph('GET', `/users/${userId(1)}`);
    expect(cheap.status).toBe(200);
    // Above 0.8 of the quota the answer says how much is used.
    expect(cheap.headers.get('x-ms-throttle-limit-percentage')).toBe('1.00');
    expect(await graphUsage()).toMatchObject({ resourceUnits: 5, throttledResourceUnits: 1 });
  });

  it('writes cost resource units too: a write the bucket cannot pay for is refused and changes nothing', async () => {
    await s.admin('PUT', '/limits', { graph: { resourceUnitsSmall: 2, resourceUnitWindowMs: 60000 } });
    expect((await s.graph('GET', '/users')).status).toBe(200);
    const res = await s.graph('PATCH', `/users/${userId(0)}`, { body: { jobTitle: 'Engineer' } });
    expect(res.status).toBe(429);
    expect(s.sim.state.graph.users.get(userId(0))!.jobTitle).toBeNull();
    expect(await graphUsage()).toMatchObject({ writes: 0, throttled: 0, throttledResourceUnits: 1 });
  });

  it('the quota follows the tenant size: 50 users make a medium tenant with 5,000 units', async () => {
    await s.admin('POST', '/reset', fixture(50));
    expect(await graphUsage()).toMatchObject({ tenantSize: 'M', resourceUnitQuota: 5000 });
    await s.admin('POST', '/reset', fixture(501));
    expect(await graphUsage()).toMatchObject({ tenantSize: 'L', resourceUnitQuota: 8000 });
  });

  it('the bucket refills at the quota per window (a gate on a test clock)', async () => {
    let now = 1_000_000;
    const gate = new PlatformGate({ now: () => now });
    gate.userCount = () => 10;
    gate.setLimits({ graph: { resourceUnitsSmall: 4, resourceUnitWindowMs: 10_000 } });
    const get: SimRequest = { service: 'graph', method: 'GET', path: '/users', rawQuery: '', headers: {}, body: '', inner: false, claims: { aud: 'a', tid: 't', appid: 'app', roles: [], exp: 0 } };
    expect((await gate.enter('graph', get)).reject).toBeUndefined();
    expect((await gate.enter('graph', { ...get })).reject).toBeUndefined();
    const refused = (await gate.enter('graph', { ...get })).reject!;
    expect(refused.headers).toMatchObject({ 'Retry-After': '5', 'x-ms-throttle-scope': 'Tenant_Application/ReadWrite/app/t' });
    now += 5000; // 2 units back
    expect((await gate.enter('graph', { ...get })).reject).toBeUndefined();
    // Another app in the same tenant has its own bucket.
    expect((await gate.enter('graph', { ...get, claims: { ...get.claims, appid: 'other' } })).reject).toBeUndefined();
  });
});

describe('write quota headers', () => {
  it('a write past the write quota carries x-ms-throttle-scope Tenant_Application/Write/<app>/<tenant> and WriteLimitExceeded', async () => {
    await s.admin('PUT', '/limits', { graph: { writesPerWindow: 1, windowMs: 60000 } });
    expect((await s.graph('PATCH', `/users/${userId(0)}`, { body: { jobTitle: 'A' } })).status).toBe(204);
    const res = await s.graph('PATCH', `/users/${userId(1)}`, { body: { jobTitle: 'B' } });
    expect(res.status).toBe(429);
    expect(res.headers.get('x-ms-throttle-scope')).toBe(`Tenant_Application/Write/${s.info.clientId}/${TENANT}`);
    expect(res.headers.get('x-ms-throttle-information')).toBe('WriteLimitExceeded');
  });
});

describe('a multi-member add is one write (throttling-limits.md: the Write limit counts write requests, "POST, PATCH, PUT, DELETE..."; group-post-members example 2: up to 20 members in one PATCH)', () => {
  it('PATCH /groups/{id} binding 20 members uses one write of the quota; the next write past it is refused', async () => {
    await s.admin('POST', '/reset', fixture(21));
    await s.admin('PUT', '/limits', { graph: { writesPerWindow: 2, windowMs: 60000 } });
    const before = (await graphUsage()).writes as number;
    const refs = Array.from({ length: 20 }, (_, i) => `https://graph.microsoft.com/v1.0/directoryObjects/${userId(i)}`);
    expect((await s.graph('PATCH', `/groups/${GROUP}`, { body: { 'members@odata.bind': refs } })).status).toBe(204);
    expect((await graphUsage()).writes).toBe(before + 1);
    expect((await s.graph('PATCH', `/users/${userId(20)}`, { body: { jobTitle: 'A' } })).status).toBe(204);
    expect((await s.graph('PATCH', `/users/${userId(20)}`, { body: { jobTitle: 'B' } })).status).toBe(429);
  });
});
