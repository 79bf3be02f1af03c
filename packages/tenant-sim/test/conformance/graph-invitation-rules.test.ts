/**
 * Conformance: POST /invitations, the rules around the call itself.
 * - invitedUserMessageInfo.ccRecipients. Source: Learn resources/invitedusermessageinfo
 *   ("ccRecipients: Additional recipients the invitation message should be sent to. Currently only
 *   one additional recipient is supported."). The service was seen to accept more and mail the
 *   first only (microsoftgraph/microsoft-graph-docs issue #637, which led to that sentence); the
 *   simulator refuses a second recipient (stricter, docs/simulator-graph.md).
 * - The invitation manager's limit. Source: Learn "Microsoft Graph service-specific throttling
 *   limits", "Invitation manager service limits": any request on /invitations, 150 requests per
 *   5 seconds, limit per tenant for all apps.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlatformGate } from '../../src/index.js';
import type { SimRequest } from '../../src/types.js';
import { startSim, type RunningSim } from '../support/sim.js';

const TENANT = '5c3e8d4f-0000-4000-8000-000000000001';
const USER = '5c3e8d4f-0000-4000-8000-000000000101';

let s: RunningSim;
beforeAll(async () => {
  s = await startSim({
    tenant: { id: TENANT },
    app: { roles: ['User.Invite.All', 'User.ReadWrite.All'] },
    graph: { users: [{ id: USER, displayName: 'Staff', userPrincipalName: 'staff@contoso.onmicrosoft.com' }] },
  });
});
afterAll(() => s.stop());
beforeEach(async () => {
  await s.admin('PUT', '/limits', { graph: { enabled: true, invitationsPerWindow: 150, invitationWindowMs: 5000, resourceUnitsSmall: 3500, writesPerWindow: 3000 } });
});

const graphUsage = async () => (await s.admin('PUT', '/limits', {})).json.usage.graph;

let guests = 0;
const recipient = (address: string) => ({ emailAddress: { name: address.split('@')[0], address } });
const invite = (email: string, info: unknown) =>
  s.graph('POST', '/invitations', { body: { invitedUserEmailAddress: email, inviteRedirectUrl: 'https://contoso.example', sendInvitationMessage: true, invitedUserMessageInfo: info } });

describe('ccRecipients: at most one (invitedusermessageinfo.md)', () => {
  it.each([
    { cc: [], status: 201, reason: 'no additional recipient' },
    { cc: [recipient('manager@vendor.example')], status: 201, reason: 'one additional recipient is supported' },
    { cc: [recipient('a@vendor.example'), recipient('b@vendor.example')], status: 400, reason: 'only one additional recipient is supported' },
    { cc: recipient('a@vendor.example'), status: 400, reason: 'ccRecipients is a collection' },
  ])('$cc.length recipient(s) → $status ($reason)', async ({ cc, status }) => {
    const email = `guest.${(guests += 1)}@vendor.example`;
    const res = await invite(email, { ccRecipients: cc });
    expect(res.status).toBe(status);
    if (status === 400) {
      expect(res.json.error.code).toBe('BadRequest');
      // Nothing happened: no guest for the address.
      expect([...s.sim.state.graph.users.values()].some((u) => u.mail === email)).toBe(false);
    } else {
      expect(res.json.invitedUserMessageInfo.ccRecipients).toEqual(cc);
    }
  });

  it('the refusal names the rule', async () => {
    const res = await invite('guest.two@vendor.example', { ccRecipients: [recipient('a@vendor.example'), recipient('b@vendor.example')] });
    expect(res.json.error.message).toBe('invitedUserMessageInfo.ccRecipients holds 2 recipients; only one additional recipient is supported.');
  });
});

describe('invitation manager: 150 requests per 5 s per tenant (throttling-limits, "Invitation manager service limits")', () => {
  const invite = (n: number) => s.graph('POST', '/invitations', { body: { invitedUserEmailAddress: `guest${n}@vendor.example`, inviteRedirectUrl: 'https://contoso.example' } });

  it('the request past the limit gets 429 with Retry-After and scope Tenant/Write; it invites nobody', async () => {
    await s.admin('PUT', '/limits', { graph: { invitationsPerWindow: 3, invitationWindowMs: 60000 } });
    for (let i = 0; i < 3; i++) expect((await invite(i)).status).toBe(201);
    const res = await invite(3);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect(res.headers.get('x-ms-throttle-scope')).toBe(`Tenant/Write/${s.info.clientId}/${TENANT}`);
    expect(res.json.error.code).toBe('TooManyRequests');
    expect(s.sim.state.invitations.map((i) => i.invitedUserEmailAddress).filter((e) => /^guest\d@/.test(e))).toEqual(['guest0@vendor.example', 'guest1@vendor.example', 'guest2@vendor.example']);
    expect(await graphUsage()).toMatchObject({ invitations: 3, throttledInvitations: 1, writes: 3 });
  });

  it('inner $batch invitations count one by one; other writes are not invitations', async () => {
    await s.admin('PUT', '/limits', { graph: { invitationsPerWindow: 1, invitationWindowMs: 60000 } });
    const body = (n: number) => ({ invitedUserEmailAddress: `batch${n}@vendor.example`, inviteRedirectUrl: 'https://contoso.example' });
    const res = await s.graph('POST', '/$batch', {
      body: { requests: [0, 1].map((n) => ({ id: String(n), method: 'POST', url: '/invitations', headers: { 'Content-Type': 'application/json' }, body: body(n) })) },
    });
    expect((res.json.responses as { status: number }[]).map((r) => r.status).sort()).toEqual([201, 429]);
    expect((await s.graph('PATCH', `/users/${USER}`, { body: { jobTitle: 'A' } })).status).toBe(204);
  });

  it('the documented default: the 151st invitation within 5 s waits (a gate on a test clock)', async () => {
    let now = 0;
    const gate = new PlatformGate({ now: () => now });
    const post: SimRequest = { service: 'graph', method: 'POST', path: '/invitations', rawQuery: '', headers: {}, body: '', inner: false, claims: { aud: 'a', tid: 't', appid: 'app', roles: [], exp: 0 } };
    for (let i = 0; i < 150; i++) {
      now = i * 10;
      expect((await gate.enter('graph', { ...post })).reject).toBeUndefined();
    }
    now = 1500;
    const refused = (await gate.enter('graph', { ...post, claims: { ...post.claims, appid: 'another app' } })).reject!;
    expect(refused.status).toBe(429); // per tenant for all apps
    expect(refused.headers!['Retry-After']).toBe('4');
    now = 5001;
    expect((await gate.enter('graph', { ...post })).reject).toBeUndefined();
  });

  it('"enabled": false switches every Graph limit off, and the headers with them', async () => {
    await s.admin('PUT', '/limits', { graph: { enabled: false, invitationsPerWindow: 1, resourceUnitsSmall: 1 } });
    for (let i = 0; i < 3; i++) expect((await invite(10 + i)).status).toBe(201);
    const res = await s.graph('GET', '/users');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ms-resource-unit')).toBeNull();
  });
});
