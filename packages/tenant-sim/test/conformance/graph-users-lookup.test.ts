/**
 * Conformance: the reads that find a member before creating it (the pre-create lookup) —
 * `$filter=mailNickname in (…)`, `$filter=userPrincipalName in (…)` and GET /users/{userPrincipalName}.
 * Sources:
 * - Learn "Advanced query capabilities on Microsoft Entra ID objects"
 *   (learn.microsoft.com/graph/aad-advanced-queries) and includes/filter-directory-objects.md: on
 *   user, mailNickname and userPrincipalName support eq, in and startsWith by default (no
 *   ConsistencyLevel); ne and not need the advanced query parameters.
 * - Learn user-get (learn.microsoft.com/graph/api/user-get): GET /users/{id | userPrincipalName};
 *   an unknown one is 404 Request_ResourceNotFound.
 * - Learn resources/user: mailNickname is returned only with $select.
 * - $filter string comparisons ignore case [observed; docs/simulator-graph.md "$filter"].
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

const [A, B, C] = ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000003'];
const fixture = {
  tenant: { defaultDomain: 'contoso.onmicrosoft.com', verifiedDomains: ['contoso.onmicrosoft.com', 'contoso.com'] },
  app: { roles: ['User.Read.All'] },
  graph: {
    users: [
      { id: A, displayName: 'Ann', userPrincipalName: 'vendor-one_ann_0d9a3e1c@contoso.com', mailNickname: 'vr-0d9a3e1c7a9b4a639a511f2e3d4c5b6a' },
      { id: B, displayName: 'Bob', userPrincipalName: 'vendor-one_bob_7f00aa11@contoso.com', mailNickname: 'vr-7f00aa11000040008000000000000002' },
      { id: C, displayName: 'Guest', userPrincipalName: 'gus_vendor.example#EXT#@contoso.onmicrosoft.com', mailNickname: 'gus_vendor.example#EXT#', userType: 'Guest' },
    ],
  },
};

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(fixture);
});
afterAll(() => s.stop());
beforeEach(() => s.sim.reset(fixture));

const ids = async (filter: string, headers: Record<string, string> = {}): Promise<unknown> => {
  const res = await s.graph('GET', `/users?$filter=${encodeURIComponent(filter)}&$select=id,mailNickname`, { headers });
  return res.status === 200 ? (res.json.value as { id: string }[]).map((u) => u.id) : res.json.error;
};

describe('$filter … in (…) on mailNickname and userPrincipalName, by default', () => {
  it.each([
    { filter: "mailNickname in ('vr-0d9a3e1c7a9b4a639a511f2e3d4c5b6a','vr-7f00aa11000040008000000000000002')", want: [A, B], reason: 'both aliases match' },
    { filter: "mailNickname in ('VR-0D9A3E1C7A9B4A639A511F2E3D4C5B6A','vr-none')", want: [A], reason: 'case-insensitive; an alias nobody has matches nothing' },
    { filter: "mailNickname in ('vr-none')", want: [], reason: 'no match is an empty page, not an error' },
    { filter: "userPrincipalName in ('vendor-one_bob_7f00aa11@contoso.com','gus_vendor.example#EXT#@contoso.onmicrosoft.com')", want: [B, C], reason: 'UPNs of a member and a guest' },
    { filter: "userPrincipalName in ('VENDOR-ONE_ANN_0D9A3E1C@CONTOSO.COM')", want: [A], reason: 'UPNs compare case-insensitively' },
    { filter: "mailNickname eq 'vr-7f00aa11000040008000000000000002' or userPrincipalName in ('vendor-one_ann_0d9a3e1c@contoso.com')", want: [A, B], reason: 'in combines with or' },
  ])('$reason', async ({ filter, want }) => {
    expect(await ids(filter)).toEqual(want);
  });

  it('mailNickname is returned with $select', async () => {
    const res = await s.graph('GET', `/users?$filter=${encodeURIComponent("mailNickname in ('vr-0d9a3e1c7a9b4a639a511f2e3d4c5b6a')")}&$select=id,mailNickname`);
    expect(res.json.value).toEqual([{ id: A, mailNickname: 'vr-0d9a3e1c7a9b4a639a511f2e3d4c5b6a' }]);
  });

  it('ne on mailNickname needs the advanced query parameters (400 without them)', async () => {
    const err = (await ids("mailNickname ne 'x'")) as { code: string };
    expect(err.code).toBe('Request_UnsupportedQuery');
  });
});

describe('GET /users/{userPrincipalName}', () => {
  it.each([
    { key: 'vendor-one_ann_0d9a3e1c@contoso.com', id: A, reason: 'a member by its UPN' },
    { key: 'Vendor-One_Ann_0D9A3E1C@contoso.com', id: A, reason: 'the UPN matches case-insensitively' },
    { key: B, id: B, reason: 'and by its object id' },
  ])('$key ($reason)', async ({ key, id }) => {
    const res = await s.graph('GET', `/users/${encodeURIComponent(key)}?$select=id,userPrincipalName,mailNickname`);
    expect(res.status).toBe(200);
    expect(res.json.id).toBe(id);
  });

  it('a UPN nobody has is 404 Request_ResourceNotFound', async () => {
    const res = await s.graph('GET', `/users/${encodeURIComponent('vendor-two_zoe_00000000@contoso.com')}`);
    expect(res.status).toBe(404);
    expect(res.json.error).toMatchObject({ code: 'Request_ResourceNotFound', message: "Resource 'vendor-two_zoe_00000000@contoso.com' does not exist or one of its queried reference-property objects are not present." });
  });
});
