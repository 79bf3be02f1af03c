/**
 * Conformance: GET /domains and GET /domains/{id}, and what an unverified or federated domain does
 * to POST /users and PATCH userPrincipalName. Sources:
 * - Learn domain-get (learn.microsoft.com/graph/api/domain-get) and domain-list
 *   (learn.microsoft.com/graph/api/domain-list): 200 with the domain object(s), {id} is the fully
 *   qualified domain name; application permission Domain.Read.All (least), Domain.ReadWrite.All,
 *   Directory.Read.All (higher); the example's properties.
 * - Learn resources/domain (learn.microsoft.com/graph/api/resources/domain): authenticationType
 *   Managed or Federated; isVerified; isDefault; isInitial; isRoot true only for a verified root
 *   domain; supportedServices.
 * - Learn invitation-post: an address in a verified domain of the tenant is refused [observed message].
 * - Learn user-post-users: onPremisesImmutableId is required for a UPN in a federated domain;
 *   resources/user: the UPN's domain must be one of the tenant's verified domains; user-update:
 *   "domain must be present in the tenant's collection of verified domains".
 * - The 404 body for an unknown domain is not shown on the pages: Request_ResourceNotFound with the
 *   directory-object message is inferred from the other directory reads (docs/simulator-graph.md).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../../src/index.js';
import { createSimulator } from '../../src/index.js';
import { startSim, type RunningSim } from '../support/sim.js';

const STAFF = 'eeeeeeee-0000-0000-0000-0000000000d1';
const PASSWORD = 'xWwvJ]6NMw+bWH-d';
const fixture: Fixture = {
  tenant: {
    defaultDomain: 'contoso.onmicrosoft.com',
    verifiedDomains: ['contoso.onmicrosoft.com', 'contoso.com'],
    domains: [
      { id: 'contoso.com', supportedServices: ['Email'] },
      { id: 'pending.contoso.net', isVerified: false },
      { id: 'fed.contoso.org', isVerified: true, authenticationType: 'Federated' },
      { id: 'sa.contoso.com', isVerified: true },
    ],
  },
  app: { roles: ['Domain.Read.All', 'User.ReadWrite.All'] },
  graph: { users: [{ id: STAFF, displayName: 'Staff', userPrincipalName: 'staff@contoso.com', mailNickname: 'staff' }] },
};

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(fixture);
});
afterAll(() => s.stop());
beforeEach(() => s.sim.reset(fixture));

const domain = (over: Record<string, unknown>) => ({
  authenticationType: 'Managed', availabilityStatus: null, isAdminManaged: true, isDefault: false, isInitial: false, isRoot: true, isVerified: true,
  supportedServices: [], passwordValidityPeriodInDays: null, passwordNotificationWindowInDays: null, state: null, ...over,
});

describe('GET /domains and GET /domains/{id}', () => {
  it('lists every domain: the default (initial), the verified list as Managed and verified, then the entries', async () => {
    const res = await s.graph('GET', '/domains');
    expect(res.status).toBe(200);
    expect(res.json['@odata.context']).toMatch(/\/\$metadata#domains$/);
    expect(res.json.value).toEqual([
      domain({ id: 'contoso.onmicrosoft.com', isDefault: true, isInitial: true }),
      domain({ id: 'contoso.com', supportedServices: ['Email'] }),
      domain({ id: 'pending.contoso.net', isVerified: false, isRoot: false }),
      domain({ id: 'fed.contoso.org', authenticationType: 'Federated' }),
      // A verified subdomain of a verified domain is not a root (resources/domain isRoot).
      domain({ id: 'sa.contoso.com', isRoot: false }),
    ]);
  });

  it.each([
    { path: '/domains/contoso.com', id: 'contoso.com', reason: 'a verified domain by its name' },
    { path: '/domains/CONTOSO.COM', id: 'contoso.com', reason: 'domain names compare case-insensitively; the stored spelling is answered' },
    { path: '/domains/pending.contoso.net', id: 'pending.contoso.net', reason: 'an unverified domain of the tenant is still a domain' },
  ])('$path ($reason)', async ({ path, id }) => {
    const res = await s.graph('GET', path);
    expect(res.status).toBe(200);
    expect(res.json.id).toBe(id);
    expect(res.json['@odata.context']).toMatch(/\/\$metadata#domains\/\$entity$/);
  });

  it('$select narrows the object; an unknown property is refused', async () => {
    const res = await s.graph('GET', '/domains/fed.contoso.org?$select=id,isVerified,authenticationType');
    expect(res.json).toEqual({ '@odata.context': expect.stringMatching(/#domains\(id,isVerified,authenticationType\)\/\$entity$/), id: 'fed.contoso.org', isVerified: true, authenticationType: 'Federated' });
    const bad = await s.graph('GET', '/domains?$select=id,colour');
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe("Could not find a property named 'colour' on type 'microsoft.graph.domain'.");
  });

  it('an unknown domain is 404 Request_ResourceNotFound', async () => {
    const res = await s.graph('GET', '/domains/fabrikam.com');
    expect(res.status).toBe(404);
    expect(res.json.error).toMatchObject({ code: 'Request_ResourceNotFound', message: "Resource 'fabrikam.com' does not exist or one of its queried reference-property objects are not present." });
  });

  it.each([
    { roles: ['Domain.Read.All'], status: 200, reason: 'the least privileged permission' },
    { roles: ['Domain.ReadWrite.All'], status: 200, reason: 'a higher privileged permission of the table' },
    { roles: ['Directory.Read.All'], status: 200, reason: 'a higher privileged permission of the table' },
    { roles: ['User.ReadWrite.All', 'Organization.Read.All'], status: 403, reason: 'neither is in the table' },
  ])('roles $roles → $status ($reason)', async ({ roles, status }) => {
    const other = await startSim({ ...fixture, app: { roles } });
    try {
      for (const path of ['/domains', '/domains/contoso.com']) {
        const res = await other.graph('GET', path);
        expect(res.status).toBe(status);
        if (status === 403) expect(res.json.error.code).toBe('Authorization_RequestDenied');
      }
    } finally {
      await other.stop();
    }
  });
});

describe('the client report names the domain pages', () => {
  it('GET /domains and GET /domains/{id} are domain-list and domain-get, least privileged Domain.Read.All', async () => {
    expect((await s.admin('DELETE', '/report')).status).toBe(204);
    await s.graph('GET', '/domains');
    await s.graph('GET', '/domains/sa.contoso.com');
    const r = (await s.admin('GET', '/report')).json;
    expect(r.permissions.graph.operations.map((o: { operation: string; leastPrivileged: string; higherPrivileged: string[] }) => [o.operation, o.leastPrivileged, o.higherPrivileged])).toEqual([
      ['domain-get', 'Domain.Read.All', ['Directory.Read.All', 'Domain.ReadWrite.All']],
      ['domain-list', 'Domain.Read.All', ['Directory.Read.All', 'Domain.ReadWrite.All']],
    ]);
    expect(r.permissions.graph.minimal).toEqual(['Domain.Read.All']);
    expect(r.permissions.unclassified).toEqual({});
  });
});

describe('only verified domains take users; a federated one needs onPremisesImmutableId', () => {
  const body = (upn: string, over: Record<string, unknown> = {}) => ({
    accountEnabled: true, displayName: 'Vendor SA', mailNickname: `n${s.sim.state.graph.users.size}`, userPrincipalName: upn,
    passwordProfile: { password: PASSWORD, forceChangePasswordNextSignIn: true }, ...over,
  });
  const UNVERIFIED = 'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.';

  it.each([
    { upn: 'a@sa.contoso.com', status: 201, message: undefined, reason: 'a domain entry with isVerified true' },
    { upn: 'a@pending.contoso.net', status: 400, message: UNVERIFIED, reason: 'a domain of the tenant that is not verified' },
    { upn: 'a@fed.contoso.org', status: 400, message: "Invalid value specified for property 'onPremisesImmutableId' of resource 'User'.", reason: 'a federated domain without onPremisesImmutableId' },
  ])('POST /users $upn → $status ($reason)', async ({ upn, status, message }) => {
    const before = s.sim.state.graph.users.size;
    const res = await s.graph('POST', '/users', { body: body(upn) });
    expect(res.status).toBe(status);
    if (message) {
      expect(res.json.error).toMatchObject({ code: 'Request_BadRequest', message });
      expect(s.sim.state.graph.users.size).toBe(before);
    }
  });

  it('a federated UPN with onPremisesImmutableId is created and keeps it; $ and _ are refused in it', async () => {
    const bad = await s.graph('POST', '/users', { body: body('b@fed.contoso.org', { onPremisesImmutableId: 'abc_1' }) });
    expect(bad.status).toBe(400);
    const res = await s.graph('POST', '/users', { body: body('b@fed.contoso.org', { onPremisesImmutableId: 'R2FicmllbA==' }) });
    expect(res.status).toBe(201);
    const read = await s.graph('GET', `/users/${res.json.id as string}?$select=userPrincipalName,onPremisesImmutableId`);
    expect(read.json).toMatchObject({ userPrincipalName: 'b@fed.contoso.org', onPremisesImmutableId: 'R2FicmllbA==' });
  });

  it.each([
    { email: 'x@sa.contoso.com', status: 400, reason: 'a verified domain entry is the tenant\'s own: not an external address' },
    { email: 'x@pending.contoso.net', status: 201, reason: 'an unverified domain is not "a verified domain of this directory"' },
  ])('POST /invitations $email → $status ($reason)', async ({ email, status }) => {
    const res = await s.graph('POST', '/invitations', { body: { invitedUserEmailAddress: email, inviteRedirectUrl: 'https://myapps.microsoft.com' } });
    expect(res.status).toBe(status);
    if (status === 400) expect(res.json.error.message).toContain('is in a verified domain of this directory');
  });

  it('PATCH userPrincipalName to an unverified domain is refused and changes nothing', async () => {
    const res = await s.graph('PATCH', `/users/${STAFF}`, { body: { userPrincipalName: 'staff@pending.contoso.net' } });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe(UNVERIFIED);
    expect(s.sim.state.graph.users.get(STAFF)!.userPrincipalName).toBe('staff@contoso.com');
    expect((await s.graph('PATCH', `/users/${STAFF}`, { body: { userPrincipalName: 'staff@sa.contoso.com' } })).status).toBe(204);
  });
});

describe('fixture domains', () => {
  it.each([
    { domains: [{ id: 'contoso.com', isVerified: false }], message: /contoso\.com is the default or a verified domain but its entry says isVerified false/, reason: 'an entry cannot contradict verifiedDomains' },
    { domains: [{ id: 'x.com' }, { id: 'X.com' }], message: /X\.com is listed twice/, reason: 'one entry per domain name' },
    { domains: [{ id: 'x.com', authenticationType: 'Kerberos' }], message: /not Managed or Federated/, reason: 'authenticationType has two values' },
    { domains: [{ id: 'not a domain' }], message: /needs an id that is a domain name/, reason: 'the id is a domain name' },
  ])('refuses $domains ($reason)', ({ domains, message }) => {
    const f = { tenant: { ...fixture.tenant, domains } } as unknown as Fixture;
    expect(() => createSimulator({ fixture: f, caDir: process.env.SIM_CA_DIR! })).toThrow(message);
  });

  it('GET /_sim/state gives the entries back, and a reset with that state serves the same domains', async () => {
    const before = (await s.graph('GET', '/domains')).json.value;
    const state = (await s.admin('GET', '/state')).json;
    expect(state.tenant.domains).toEqual(fixture.tenant!.domains);
    expect((await s.admin('POST', '/reset', state)).status).toBe(204);
    expect((await s.graph('GET', '/domains')).json.value).toEqual(before);
  });
});
