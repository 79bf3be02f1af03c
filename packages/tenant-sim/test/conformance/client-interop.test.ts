/**
 * Conformance: Microsoft's own client libraries, configured as their documentation shows, work
 * against the simulator unchanged; only the URLs, the authority host and the trusted CA differ
 * from a real tenant (test/setup/global.ts puts the CA in NODE_EXTRA_CA_CERTS).
 *
 * - @azure/identity 4.13 README, "Cloud configuration": `new ClientSecretCredential(tenant, client,
 *   secret, { authorityHost })` for a cloud other than the public one; `disableInstanceDiscovery`
 *   (AuthorityValidationOptions) "is intended for use in scenarios where the metadata endpoint
 *   cannot be reached, such as in private clouds".
 * - @microsoft/microsoft-graph-client 3.0 docs/TokenCredentialAuthenticationProvider.md:
 *   `new TokenCredentialAuthenticationProvider(credential, { scopes })` and
 *   `Client.initWithMiddleware({ authProvider })`, its sample's scope
 *   `https://graph.microsoft.com/.default`; ClientOptions `baseUrl` and `customHosts` ("If URL is
 *   https://test_host/v1.0, then set customHosts as Set(["test_host"])") for another Graph host, as
 *   Learn's "Use the Microsoft Graph SDKs with national clouds" does.
 * - dynamics-web-api 2.5 README (Node.js): `new DynamicsWebApi({ serverUrl, onTokenRefresh })` with
 *   `serverUrl` the environment URL and a token for `${serverUrl}/.default`.
 */
import { ClientSecretCredential } from '@azure/identity';
import { Client, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { DynamicsWebApi } from 'dynamics-web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';
import { ACCOUNT_A, contactId, dataverseFixture } from './dataverse-fixture.js';

const uid = (n: number) => `eeeeeeee-1111-0000-0000-${String(n).padStart(12, '0')}`;
const users = Array.from({ length: 120 }, (_, i) => ({ id: uid(i + 1), displayName: `Tech ${i + 1}`, mail: `tech${i + 1}@vendor.example`, userType: 'Member' }));

let s: RunningSim;
let credential: ClientSecretCredential;
const claimsOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

beforeAll(async () => {
  s = await startSim({ ...dataverseFixture(), app: { roles: ['User.Invite.All', 'User.ReadWrite.All'] }, graph: { users } });
  credential = new ClientSecretCredential(s.info.tenantId, s.info.clientId, s.info.clientSecret, {
    authorityHost: s.info.authorityHost,
    disableInstanceDiscovery: true,
  });
});
afterAll(() => s.stop());

describe('@azure/identity ClientSecretCredential with authorityHost', () => {
  it('gets a token for the canonical Graph scope and for the environment URL, each with its own audience', async () => {
    const graph = await credential.getToken('https://graph.microsoft.com/.default');
    const dataverse = await credential.getToken(`${s.info.dataverseUrl}/.default`);
    expect(claimsOf(graph.token)).toMatchObject({ aud: 'https://graph.microsoft.com', tid: s.info.tenantId, appid: s.info.clientId });
    expect(claimsOf(dataverse.token)).toMatchObject({ aud: s.info.dataverseUrl, tid: s.info.tenantId });
    expect(graph.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3_000_000);
  });
});

describe('Microsoft Graph SDK with TokenCredentialAuthenticationProvider and the canonical scope', () => {
  let client: Client;
  beforeAll(() => {
    const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: ['https://graph.microsoft.com/.default'] });
    client = Client.initWithMiddleware({ authProvider, baseUrl: new URL(s.info.graphBaseUrl).origin, customHosts: new Set([new URL(s.info.graphBaseUrl).hostname]) });
  });

  it('reads every user across pages with PageIterator', async () => {
    const first: PageCollection = await client.api('/users').select('id,mail').get();
    const seen: string[] = [];
    await new PageIterator(client, first, (u: { id: string }) => {
      seen.push(u.id);
      return true;
    }).iterate();
    expect(seen).toEqual(users.map((u) => u.id));
  });

  it('invites a guest and updates it; the simulator holds the result', async () => {
    const invitation = await client.api('/invitations').post({ invitedUserEmailAddress: 'new.tech@vendor.example', inviteRedirectUrl: 'https://contoso.crm11.dynamics.com', sendInvitationMessage: false });
    const id = invitation.invitedUser.id as string;
    await client.api(`/users/${id}`).patch({ usageLocation: 'GB' });
    expect(s.sim.state.graph.users.get(id)).toMatchObject({ mail: 'new.tech@vendor.example', userType: 'Guest', creationType: 'Invitation', usageLocation: 'GB' });
    expect(s.sim.state.invitations.map((i) => i.invitedUserEmailAddress)).toEqual(['new.tech@vendor.example']);
  });
});

describe('dynamics-web-api with serverUrl = the environment URL', () => {
  let api: DynamicsWebApi;
  beforeAll(() => {
    const serverUrl = s.info.dataverseUrl;
    api = new DynamicsWebApi({ serverUrl, onTokenRefresh: async () => (await credential.getToken(`${serverUrl}/.default`)).token });
  });

  it('builds /api/data/v9.2/ on the origin: retrieveAll pages through the contacts', async () => {
    await s.admin('DELETE', '/requests');
    const all = await api.retrieveAll<{ contactid: string }>({ collection: 'contacts', select: ['contactid'], maxPageSize: 2 });
    expect(all.value.map((c) => c.contactid)).toEqual(s.sim.state.dataverse.toJSON().contacts!.map((c) => c.contactid));
    const log = (await s.admin('GET', '/requests')).json.value.filter((e: { service: string }) => e.service === 'dataverse');
    expect(log.length).toBeGreaterThan(1);
    expect(log.every((e: { path: string; status: number }) => e.path.startsWith('/api/data/v9.2/contacts?') && e.status === 200)).toBe(true);
  });

  it('creates and updates rows; the simulator holds them', async () => {
    const id = await api.create({ collection: 'accounts', data: { name: 'Gamma Vendors' } });
    expect(s.sim.state.dataverse.get('accounts', String(id))).toMatchObject({ name: 'Gamma Vendors' });
    await api.update({ collection: 'contacts', key: contactId(1), data: { jobtitle: 'Fitter' } });
    expect(s.sim.state.dataverse.get('contacts', contactId(1))).toMatchObject({ jobtitle: 'Fitter', _parentcustomerid_value: ACCOUNT_A });
  });
});
