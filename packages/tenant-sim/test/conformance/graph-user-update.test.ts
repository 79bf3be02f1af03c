/**
 * Conformance: PATCH /users/{id | userPrincipalName}. Sources: Learn user-update.md (request body,
 * 204 No Content), resources/user.md (maximum lengths, usageLocation ISO 3166, read-only
 * properties); learn.microsoft.com/graph/api/user-assignlicense (usageLocation before
 * assignLicense).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

const U1 = 'eeeeeeee-0000-0000-0000-000000000001';
const U2 = 'eeeeeeee-0000-0000-0000-000000000002';

let s: RunningSim;
let syncCalls = 0;
let restore = (): void => undefined;
beforeAll(async () => {
  s = await startSim({
    tenant: { defaultDomain: 'contoso.onmicrosoft.com', verifiedDomains: ['contoso.onmicrosoft.com', 'contoso.com'] },
    app: { roles: ['User.ReadWrite.All'] },
    graph: {
      users: [
        { id: U1, displayName: 'Jane', mail: 'jane@vendor.com', userPrincipalName: 'jane_vendor.com#EXT#@contoso.onmicrosoft.com', userType: 'Guest' },
        { id: U2, displayName: 'Other', userPrincipalName: 'other@contoso.com' },
      ],
    },
  });
  const sync = s.sim.userSync;
  // Counts the platform notifications; restored afterwards (the no-op sync may be a shared object).
  const original = sync.entraChanged;
  sync.entraChanged = (state) => {
    syncCalls++;
    original.call(sync, state);
  };
  restore = () => {
    sync.entraChanged = original;
  };
});
afterAll(async () => {
  restore();
  await s.stop();
});

const user = () => s.sim.state.graph.users.get(U1)!;

describe('PATCH /users/{id} (user-update.md)', () => {
  it('sets usageLocation and other writable properties → 204 with no body', async () => {
    const res = await s.graph('PATCH', `/users/${U1}`, { body: { usageLocation: 'GB', givenName: 'Jane', surname: 'Doe', jobTitle: 'Technician' } });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(user()).toMatchObject({ usageLocation: 'GB', givenName: 'Jane', surname: 'Doe', jobTitle: 'Technician' });
  });

  it('addresses the user by UPN too', async () => {
    const res = await s.graph('PATCH', `/users/${encodeURIComponent('jane_vendor.com#EXT#@contoso.onmicrosoft.com')}`, { body: { displayName: 'Jane Doe' } });
    expect(res.status).toBe(204);
    expect(user().displayName).toBe('Jane Doe');
  });

  it('a change of accountEnabled tells the platform (the user sync watches it); other changes do not', async () => {
    const before = syncCalls;
    await s.graph('PATCH', `/users/${U1}`, { body: { jobTitle: 'Lead' } });
    expect(syncCalls).toBe(before);
    await s.graph('PATCH', `/users/${U1}`, { body: { accountEnabled: false } });
    expect(syncCalls).toBe(before + 1);
    expect(user().accountEnabled).toBe(false);
    await s.graph('PATCH', `/users/${U1}`, { body: { accountEnabled: true } });
  });

  it.each([
    { reason: 'usageLocation must be an ISO 3166 two-letter code', body: { usageLocation: 'XX' } },
    { reason: 'usageLocation is not nullable', body: { usageLocation: null } },
    { reason: 'displayName is at most 256 characters', body: { displayName: 'x'.repeat(257) } },
    { reason: 'displayName cannot be cleared', body: { displayName: null } },
    { reason: 'givenName is at most 64 characters', body: { givenName: 'x'.repeat(65) } },
    { reason: 'surname is at most 64 characters', body: { surname: 'x'.repeat(65) } },
    { reason: 'accountEnabled is a boolean', body: { accountEnabled: 'false' } },
    { reason: 'mail is read-only', body: { mail: 'x@y.com' } },
    { reason: 'creationType is read-only', body: { creationType: 'Invitation' } },
    { reason: 'an unknown property is refused', body: { shoeSize: 42 } },
    { reason: 'a UPN outside the verified domains is refused', body: { userPrincipalName: 'jane@elsewhere.com' } },
    { reason: 'a UPN already used by another user is refused', body: { userPrincipalName: 'other@contoso.com' } },
    { reason: 'one bad property fails the whole request', body: { jobTitle: 'Changed', usageLocation: 'XX' } },
  ])('400 when $reason, and nothing changes', async ({ body }) => {
    const snapshot = JSON.stringify(user());
    const res = await s.graph('PATCH', `/users/${U1}`, { body });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('Request_BadRequest');
    expect(JSON.stringify(user())).toBe(snapshot);
  });

  it('a body that is not JSON → 400', async () => {
    const res = await s.graph('PATCH', `/users/${U1}`, { body: '{not json', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
  });

  it('an unknown user → 404 Request_ResourceNotFound', async () => {
    const res = await s.graph('PATCH', '/users/eeeeeeee-0000-0000-0000-000000000099', { body: { usageLocation: 'GB' } });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('Request_ResourceNotFound');
  });
});
