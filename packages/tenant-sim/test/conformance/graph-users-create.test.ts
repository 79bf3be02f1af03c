/**
 * Conformance: POST /users, a Member user created in the tenant. Sources:
 * - Learn user-post-users (learn.microsoft.com/graph/api/user-post-users): the required properties
 *   accountEnabled, displayName, mailNickname, passwordProfile, userPrincipalName; 201 Created with
 *   the user object; application permission User.ReadWrite.All (least), Directory.ReadWrite.All;
 *   "To create external users, use the invitation API".
 * - Learn resources/user (learn.microsoft.com/graph/api/resources/user): the UPN alias characters
 *   A–Z a–z 0–9 ' . - _ ! # ^ ~, the domain one of the verified domains; mailNickname at most 64;
 *   creationType null for a work or school account.
 * - Learn resources/passwordprofile: password is required at create.
 * - Entra "Password policies and account restrictions"
 *   (learn.microsoft.com/entra/identity/authentication/concept-sspr-policy): UPN at most 64
 *   characters before @, 48 after, 113 in all, no period just before @; password 8–256
 *   characters, three of the four classes, no Unicode characters.
 * - The 400 Request_BadRequest messages for an existing UPN, an existing alias (reported as
 *   proxyAddresses) and a weak password are the ones the service was seen to answer [observed].
 * - Replication: "Designing for Eventual Consistency for Microsoft Entra" (linked from Learn
 *   group-post-members): a new object can be "Not Found" for a while.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

const STAFF = 'eeeeeeee-0000-0000-0000-000000000001';
const GROUP = 'a9000000-0000-0000-0000-000000000001';
const PASSWORD = 'xWwvJ]6NMw+bWH-d';
const WEAK = 'The specified password does not comply with password complexity requirements. Please provide a different password.';
/** Verified domains of 48 and 49 characters, to reach the limit after @. */
const D48 = `${'d'.repeat(44)}.com`;
const D49 = `${'d'.repeat(45)}.com`;
const fixture = {
  tenant: { defaultDomain: 'contoso.onmicrosoft.com', verifiedDomains: ['contoso.onmicrosoft.com', 'contoso.com', D48, D49] },
  app: { roles: ['User.ReadWrite.All', 'GroupMember.Read.All'] },
  graph: {
    users: [{ id: STAFF, displayName: 'Staff', userPrincipalName: 'staff@contoso.com', mailNickname: 'staff' }],
    groups: [{ id: GROUP, displayName: 'Technicians', members: [STAFF] }],
  },
};

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(fixture);
});
afterAll(() => s.stop());
beforeEach(async () => {
  await s.admin('PUT', '/faults', { graph: { replicationLagMs: 0 } });
  s.sim.reset(fixture);
});

const valid = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  accountEnabled: true,
  displayName: 'Vendor One A',
  mailNickname: 'Vendor1_A_SA',
  userPrincipalName: 'Vendor1_A_SA@contoso.com',
  passwordProfile: { forceChangePasswordNextSignIn: true, password: PASSWORD },
  ...over,
});
const create = (body: Record<string, unknown>) => s.graph('POST', '/users', { body });
const without = (prop: string): Record<string, unknown> => {
  const b = valid();
  delete b[prop];
  return b;
};
const userCount = () => s.sim.state.graph.users.size;

describe('201: a Member user with the given properties, never the password', () => {
  it('answers the default properties and stores a Member whose password only /_sim/state shows', async () => {
    const res = await create(valid({ givenName: 'Ann', surname: 'Vendor', usageLocation: 'GB', companyName: 'Vendor One', otherMails: ['ann@vendor.example'] }));
    expect(res.status).toBe(201);
    const id = res.json.id as string;
    expect(res.json).toEqual({
      '@odata.context': expect.stringMatching(/\/\$metadata#users\/\$entity$/),
      id,
      businessPhones: [],
      displayName: 'Vendor One A',
      givenName: 'Ann',
      jobTitle: null,
      mail: null,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
      surname: 'Vendor',
      userPrincipalName: 'Vendor1_A_SA@contoso.com',
    });
    expect(res.headers.get('location')).toMatch(new RegExp(`/users/${id}$`));
    expect(res.text).not.toContain(PASSWORD);
    const read = await s.graph('GET', `/users/${id}?$select=id,userType,creationType,accountEnabled,mailNickname,usageLocation,companyName,otherMails`);
    expect(read.json).toMatchObject({ id, userType: 'Member', creationType: null, accountEnabled: true, mailNickname: 'Vendor1_A_SA', usageLocation: 'GB', companyName: 'Vendor One', otherMails: ['ann@vendor.example'] });
    const state = (await s.admin('GET', '/state')).json;
    const stored = state.graph.users.find((u: { id: string }) => u.id === id);
    expect(stored.passwordProfile).toEqual({ password: PASSWORD, forceChangePasswordNextSignIn: true, forceChangePasswordNextSignInWithMfa: false });
  });

  it('Graph reads never return passwordProfile: $select on it is refused on get, list, delta and group members, and no read carries the password', async () => {
    const id = (await create(valid())).json.id as string;
    for (const path of [`/users/${id}?$select=passwordProfile`, '/users?$select=id,passwordProfile', '/users/delta?$select=passwordProfile', `/groups/${GROUP}/members?$select=passwordProfile`]) {
      const res = await s.graph('GET', path);
      expect(res.status).toBe(400);
      expect(res.json.error.message).toBe("Could not find a property named 'passwordProfile' on type 'microsoft.graph.user'.");
    }
    const reads = await Promise.all([`/users/${id}`, '/users', '/users/delta?$select=id,displayName,userType'].map((p) => s.graph('GET', p)));
    for (const r of reads) {
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(PASSWORD);
      expect(r.text).not.toContain('passwordProfile');
    }
    expect(reads[1]!.json.value.map((u: { id: string }) => u.id)).toEqual([STAFF, id]);
    expect(reads[2]!.json.value.find((u: { id: string }) => u.id === id)).toEqual({ id, displayName: 'Vendor One A', userType: 'Member' });
  });

  it('a new member appears in the next round of /users/delta', async () => {
    let page = await s.graph('GET', '/users/delta?$select=id,userType');
    while (page.json['@odata.nextLink']) page = await s.graph('GET', (page.json['@odata.nextLink'] as string).replace(/^.*\/v1\.0/, ''));
    const id = (await create(valid())).json.id as string;
    const next = await s.graph('GET', (page.json['@odata.deltaLink'] as string).replace(/^.*\/v1\.0/, ''));
    expect(next.json.value).toEqual([{ id, userType: 'Member' }]);
  });
});

describe('400 Request_BadRequest for each broken rule; nothing is stored', () => {
  const long = (n: number): string => 'a'.repeat(n);
  it.each([
    { body: without('accountEnabled'), message: "Invalid value specified for property 'accountEnabled' of resource 'User'.", reason: 'accountEnabled is required' },
    { body: without('displayName'), message: "Invalid value specified for property 'displayName' of resource 'User'.", reason: 'displayName is required' },
    { body: without('mailNickname'), message: "Invalid value specified for property 'mailNickname' of resource 'User'.", reason: 'mailNickname is required' },
    { body: without('userPrincipalName'), message: "Invalid value specified for property 'userPrincipalName' of resource 'User'.", reason: 'userPrincipalName is required' },
    { body: without('passwordProfile'), message: "Invalid value specified for property 'passwordProfile' of resource 'User'.", reason: 'passwordProfile is required' },
    { body: valid({ passwordProfile: { forceChangePasswordNextSignIn: true } }), message: "Invalid value specified for property 'passwordProfile' of resource 'User'.", reason: 'the password is required at create' },
    { body: valid({ userType: 'Guest' }), message: "Invalid value specified for property 'userType' of resource 'User'.", reason: 'external users come from the invitation API' },
    { body: valid({ userPrincipalName: 'sa@fabrikam.com' }), message: 'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.', reason: 'the domain must be verified' },
    { body: valid({ userPrincipalName: 'vendor.@contoso.com' }), message: 'Property userPrincipalName is invalid.', reason: 'no period just before @' },
    { body: valid({ userPrincipalName: 'Zoë@contoso.com' }), message: 'Property userPrincipalName is invalid.', reason: 'no accented characters' },
    { body: valid({ userPrincipalName: 'a b@contoso.com' }), message: 'Property userPrincipalName is invalid.', reason: 'space is not an allowed character' },
    { body: valid({ userPrincipalName: `${long(65)}@contoso.com` }), message: 'Property userPrincipalName is invalid.', reason: 'at most 64 characters before @' },
    { body: valid({ userPrincipalName: `sa@${D49}` }), message: 'Property userPrincipalName is invalid.', reason: 'at most 48 characters after @, even for a verified domain' },
    { body: valid({ userPrincipalName: 'contoso.com' }), message: 'Property userPrincipalName is invalid.', reason: 'alias@domain: an @ is needed' },
    { body: valid({ mailNickname: long(65) }), message: "Invalid value specified for property 'mailNickname' of resource 'User'.", reason: 'mailNickname is at most 64 characters' },
    { body: valid({ mailNickname: 'a@b' }), message: "Invalid value specified for property 'mailNickname' of resource 'User'.", reason: 'an alias holds no @ (simulator, stricter)' },
    { body: valid({ passwordProfile: { password: 'Ab1!xyz' } }), message: WEAK, reason: '7 characters: below the 8 minimum' },
    { body: valid({ passwordProfile: { password: `Ab1!${long(253)}` } }), message: WEAK, reason: '257 characters: above the 256 maximum' },
    { body: valid({ passwordProfile: { password: 'abcdefgh12' } }), message: WEAK, reason: 'two classes (lowercase, digits): three are needed' },
    { body: valid({ passwordProfile: { password: 'Abcdefg1é' } }), message: WEAK, reason: 'Unicode characters are not allowed' },
    { body: valid({ userPrincipalName: 'STAFF@contoso.com', mailNickname: 'other' }), message: 'Another object with the same value for property userPrincipalName already exists.', reason: 'an existing UPN (case-insensitive)' },
    { body: valid({ mailNickname: 'Staff' }), message: 'Another object with the same value for property proxyAddresses already exists.', reason: 'an existing mail alias (case-insensitive)' },
    { body: valid({ jobTitle: long(129) }), message: "Invalid value specified for property 'jobTitle' of resource 'User': the maximum length is 128 characters.", reason: 'optional properties keep their user.md limits' },
    { body: valid({ usageLocation: 'XX' }), message: "Invalid value specified for property 'usageLocation' of resource 'User'.", reason: 'usageLocation is an ISO 3166 code' },
  ])('$reason', async ({ body, message }) => {
    const before = userCount();
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'Request_BadRequest', message });
    expect(userCount()).toBe(before);
  });

  it.each([
    { upn: `${'a'.repeat(64)}@contoso.com`, status: 201, reason: '64 characters before @ is the limit' },
    { upn: `${'a'.repeat(64)}@${D48}`, status: 201, reason: '64 + @ + 48: 113 characters in all, the limit (no longer UPN passes the other two rules)' },
    { upn: "o'neil.j-s_x!#^~@contoso.com", status: 201, reason: "every allowed character: ' . - _ ! # ^ ~" },
    { upn: 'sa@CONTOSO.COM', status: 201, reason: 'domains compare case-insensitively' },
  ])('$upn → $status ($reason)', async ({ upn, status }) => {
    const res = await create(valid({ userPrincipalName: upn, mailNickname: `n${userCount()}` }));
    expect(res.status).toBe(status);
  });

  it.each([
    { password: 'abcdEFGH', status: 400, reason: 'two classes' },
    { password: 'abcdEF12', status: 201, reason: 'three classes at the 8-character minimum' },
    { password: 'abcd12!?', status: 201, reason: 'lowercase, digits and symbols' },
    { password: `Ab1${'c'.repeat(253)}`, status: 201, reason: '256 characters is the maximum' },
  ])('password $password.length chars → $status ($reason)', async ({ password, status }) => {
    const res = await create(valid({ passwordProfile: { password } }));
    expect(res.status).toBe(status);
  });
});

describe('permission and replication', () => {
  it('User.Read.All alone cannot create (403 Authorization_RequestDenied)', async () => {
    const ro = await startSim({ ...fixture, app: { roles: ['User.Read.All'] } });
    try {
      const res = await ro.graph('POST', '/users', { body: valid() });
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('Authorization_RequestDenied');
      expect(ro.sim.state.graph.users.size).toBe(1);
    } finally {
      await ro.stop();
    }
  });

  it('under replication lag the new member is "Not Found" to reads until its lag has passed, but its UPN is taken at once', async () => {
    await s.admin('PUT', '/faults', { graph: { replicationLagMs: 600, seed: 3 } });
    const res = await create(valid());
    const at = Date.now();
    expect(res.status).toBe(201);
    const id = res.json.id as string;
    expect((await s.graph('GET', `/users/${id}`)).status).toBe(404);
    expect((await s.graph('GET', '/users?$select=id')).json.value).toEqual([{ id: STAFF }]);
    // The write path sees every object: a second create with the same UPN is refused while reads miss it.
    const again = await create(valid({ mailNickname: 'other' }));
    expect(again.json.error.message).toBe('Another object with the same value for property userPrincipalName already exists.');
    await new Promise((r) => setTimeout(r, Math.max(0, at + 650 - Date.now())));
    expect((await s.graph('GET', `/users/${id}?$select=id,userType`)).json).toMatchObject({ id, userType: 'Member' });
  });
});
