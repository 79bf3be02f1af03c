/**
 * Conformance: application permissions per operation and Graph's error shape. Sources: the
 * permissions tables of Learn invitation-post, user-list, user-get, user-post-users, user-update,
 * user-assignlicense, subscribedsku-list, group-get, group-list-members, group-post-members,
 * group-delete-members (api-reference/v1.0/includes/permissions/*.md); concepts/errors.md;
 * learn.microsoft.com/graph/errors (error body), learn.microsoft.com/graph/permissions-reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

const G = 'a9000000-0000-0000-0000-000000000001';
const U = 'eeeeeeee-0000-0000-0000-000000000001';
const SKU = 'f5000000-0000-0000-0000-000000000001';
const fixture = (roles: string[]) => ({
  app: { roles },
  graph: {
    users: [{ id: U, displayName: 'U', usageLocation: 'GB' }, { id: 'eeeeeeee-0000-0000-0000-000000000002', displayName: 'V' }, { id: 'eeeeeeee-0000-0000-0000-000000000003', displayName: 'W' }],
    groups: [{ id: G, displayName: 'G', members: [U] }],
    subscribedSkus: [{ skuId: SKU, consumedUnits: 0, prepaidUnits: { enabled: 10 } }],
  },
});

const ref = { '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/eeeeeeee-0000-0000-0000-000000000002' };
/** Each operation with the application roles its Learn permissions table accepts (least and higher privileged). */
const OPS = [
  { op: 'POST /invitations', method: 'POST', path: '/invitations', body: { invitedUserEmailAddress: 'x@fabrikam.com', inviteRedirectUrl: 'https://x.example' }, roles: ['User.Invite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'] },
  { op: 'GET /users', method: 'GET', path: '/users', roles: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  { op: 'GET /users/{id}', method: 'GET', path: `/users/${U}`, roles: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  { op: 'POST /users', method: 'POST', path: '/users', body: { accountEnabled: true, displayName: 'SA', mailNickname: 'sa1', userPrincipalName: 'sa1@contoso.onmicrosoft.com', passwordProfile: { password: 'xWwvJ]6NMw+bWH-d' } }, roles: ['User.ReadWrite.All', 'Directory.ReadWrite.All'] },
  { op: 'PATCH /users/{id}', method: 'PATCH', path: `/users/${U}`, body: { jobTitle: 'x' }, roles: ['User.ReadWrite.All', 'Directory.ReadWrite.All'] },
  { op: 'assignLicense', method: 'POST', path: `/users/${U}/assignLicense`, body: { addLicenses: [], removeLicenses: [] }, roles: ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'] },
  { op: 'GET /subscribedSkus', method: 'GET', path: '/subscribedSkus', roles: ['LicenseAssignment.Read.All', 'Organization.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  // group-get lists no GroupMember.ReadWrite.All: the write permission does not read the group.
  { op: 'GET /groups/{id}', method: 'GET', path: `/groups/${G}`, roles: ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  // group-delta: the same roles as group-get.
  { op: 'GET /groups/delta', method: 'GET', path: `/groups/delta?$filter=${encodeURIComponent(`id eq '${G}'`)}&$select=members`, roles: ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  { op: 'GET members', method: 'GET', path: `/groups/${G}/members`, roles: ['GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All'] },
  { op: 'POST members/$ref', method: 'POST', path: `/groups/${G}/members/$ref`, body: ref, roles: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'] },
  { op: 'DELETE members/{id}/$ref', method: 'DELETE', path: `/groups/${G}/members/${U}/$ref`, roles: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'] },
  { op: 'PATCH members@odata.bind', method: 'PATCH', path: `/groups/${G}`, body: { 'members@odata.bind': ['https://graph.microsoft.com/v1.0/directoryObjects/eeeeeeee-0000-0000-0000-000000000003'] }, roles: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'] },
];
const ALL_ROLES = [...new Set(OPS.flatMap((o) => o.roles)), 'Mail.Read'];

describe('each operation needs one of its documented application roles', () => {
  it.each(ALL_ROLES.map((role) => ({ role })))('with only $role, exactly the operations whose table lists it are allowed', async ({ role }) => {
    const s = await startSim(fixture([role]));
    try {
      const outcome: Record<string, boolean> = {};
      const expected: Record<string, boolean> = {};
      for (const o of OPS) {
        const res = await s.graph(o.method, o.path, { body: o.body });
        outcome[o.op] = res.status !== 403;
        expected[o.op] = o.roles.includes(role);
        if (res.status === 403) expect(res.json.error.code).toBe('Authorization_RequestDenied');
        else expect(res.status).toBeLessThan(300);
      }
      expect(outcome).toEqual(expected);
    } finally {
      await s.stop();
    }
  });
});

describe("Graph's error shape (concepts/errors.md)", () => {
  let s: RunningSim;
  beforeAll(async () => {
    s = await startSim(fixture(['User.Read.All']));
  });
  afterAll(() => s.stop());

  it('403 Authorization_RequestDenied with innerError date, request-id and the echoed client-request-id', async () => {
    const res = await s.graph('PATCH', `/users/${U}`, { body: { jobTitle: 'x' }, headers: { 'client-request-id': 'my-correlation-id' } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({
      error: {
        code: 'Authorization_RequestDenied',
        message: 'Insufficient privileges to complete the operation.',
        innerError: { date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/), 'request-id': res.headers.get('request-id'), 'client-request-id': 'my-correlation-id' },
      },
    });
    expect(res.headers.get('client-request-id')).toBe('my-correlation-id');
  });

  it('every response carries a request-id header', async () => {
    const res = await s.graph('GET', `/users/${U}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an unknown segment → 400 "Resource not found for the segment …"; a wrong method → 405', async () => {
    const res = await s.graph('GET', '/contacts');
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe("Resource not found for the segment 'contacts'.");
    const wrong = await s.graph('DELETE', `/users/${U}`);
    expect(wrong.status).toBe(405);
  });
});
