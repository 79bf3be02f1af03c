/**
 * Conformance: the simulator's token endpoint names resources as Microsoft Entra does, and each
 * service accepts the tokens of its own resource only.
 * Sources (Learn): "Microsoft identity platform and the OAuth 2.0 client credentials flow" (scope
 * `{application ID URI}/.default`, e.g. https://graph.microsoft.com/.default); "Scopes and permissions
 * in the Microsoft identity platform", "The .default scope" (the app ID form
 * 00000003-0000-0000-c000-000000000000/.default); "Access token claims reference" (`aud` of a v1.0
 * token: "the client ID or the resource URI used in the request"; `roles`); "Microsoft Entra
 * authentication and authorization error codes" (the error body, AADSTS500011, AADSTS900144, a
 * scope that "contains more than one resource"); Graph concepts/errors.md (401
 * InvalidAuthenticationToken); Dataverse "Compose HTTP requests and handle errors" (401 with
 * WWW-Authenticate).
 */
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startSim, type HttpResult, type RunningSim } from '../support/sim.js';

let s: RunningSim;
beforeAll(async () => {
  s = await startSim({ app: { roles: ['User.Read.All'] } });
});
afterAll(() => s.stop());

const tokenRequest = (scope: string | null): Promise<HttpResult> =>
  request('POST', `${s.info.authorityHost}/${s.info.tenantId}/oauth2/v2.0/token`, {
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: s.info.clientId, client_secret: s.info.clientSecret, ...(scope === null ? {} : { scope }) }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
const claimsOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
const graphOrigin = (): string => new URL(s.info.graphBaseUrl).origin;

describe('Graph tokens: every name of the Graph resource (client-credentials flow; scopes, "The .default scope")', () => {
  const cases = [
    { label: 'https://graph.microsoft.com', reason: 'the canonical scope every Microsoft sample and SDK default sends', resource: () => 'https://graph.microsoft.com' },
    { label: '00000003-0000-0000-c000-000000000000', reason: "Graph's application ID, the other documented name of its service principal", resource: () => '00000003-0000-0000-c000-000000000000' },
    { label: '{the Graph origin}', reason: "the simulator's own Graph origin, for a client that derives its scope from its base URL", resource: graphOrigin },
  ];
  for (const c of cases) {
    it(`scope ${c.label}/.default: a token with aud = that name and the app roles, which Graph accepts (${c.reason})`, async () => {
      const res = await tokenRequest(`${c.resource()}/.default`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
      expect(claimsOf(res.json.access_token)).toMatchObject({ aud: c.resource(), tid: s.info.tenantId, appid: s.info.clientId, roles: ['User.Read.All'], ver: '1.0' });
      expect((await s.graph('GET', '/users', { token: res.json.access_token })).status).toBe(200);
      expect((await s.dataverse('GET', 'contacts', { token: res.json.access_token })).status).toBe(401);
    });
  }

  it('OpenID Connect scopes next to the /.default scope are left out of the app token', async () => {
    const res = await tokenRequest('https://graph.microsoft.com/.default openid profile offline_access');
    expect(res.status).toBe(200);
    expect(claimsOf(res.json.access_token).aud).toBe('https://graph.microsoft.com');
  });
});

describe('Dataverse tokens: the environment URL is the resource (Use OAuth with Dataverse)', () => {
  it('scope {environment URL}/.default: aud = the environment URL, no Graph roles; Dataverse accepts it, Graph refuses it', async () => {
    const res = await tokenRequest(`${s.info.dataverseUrl}/.default`);
    expect(res.status).toBe(200);
    const claims = claimsOf(res.json.access_token);
    expect(claims.aud).toBe(s.info.dataverseUrl);
    expect(claims).not.toHaveProperty('roles');
    expect((await s.dataverse('GET', 'contacts', { token: res.json.access_token })).status).toBe(200);
    const graph = await s.graph('GET', '/users', { token: res.json.access_token });
    expect(graph.status).toBe(401);
    expect(graph.json.error.code).toBe('InvalidAuthenticationToken');
  });

  it('a Graph token on Dataverse gets 401 with WWW-Authenticate: Bearer', async () => {
    const res = await s.dataverse('GET', 'contacts', { token: await s.token('graph') });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('a Graph request without a token gets 401 InvalidAuthenticationToken (concepts/errors.md)', async () => {
    const res = await s.graph('GET', '/users', { token: null });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('InvalidAuthenticationToken');
  });
});

describe('scope errors in Entra\'s shape (reference-error-codes: "Handling error codes in your application")', () => {
  const cases = [
    {
      reason: 'a scope naming Graph and Dataverse asks for two resources; one token is for one resource',
      scope: () => `https://graph.microsoft.com/.default ${s.info.dataverseUrl}/.default`,
      status: 400, error: 'invalid_scope', code: 28000,
      description: () => `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope https://graph.microsoft.com/.default ${s.info.dataverseUrl}/.default is not valid.`,
    },
    {
      reason: 'two names of the Graph principal are still two resource names (stricter: the docs are silent)',
      scope: () => 'https://graph.microsoft.com/.default 00000003-0000-0000-c000-000000000000/.default',
      status: 400, error: 'invalid_scope', code: 28000,
      description: () => 'Provided value for the input parameter scope is not valid because it contains more than one resource. Scope https://graph.microsoft.com/.default 00000003-0000-0000-c000-000000000000/.default is not valid.',
    },
    {
      reason: 'a resource with no service principal in the tenant: InvalidResourceServicePrincipalNotFound',
      scope: () => 'https://vault.azure.net/.default',
      status: 400, error: 'invalid_resource', code: 500011,
      description: () => `The resource principal named https://vault.azure.net was not found in the tenant named ${s.info.tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    },
    {
      reason: 'a trailing slash is part of the name (https://graph.microsoft.com//.default names "https://graph.microsoft.com/")',
      scope: () => 'https://graph.microsoft.com//.default',
      status: 400, error: 'invalid_resource', code: 500011,
      description: () => `The resource principal named https://graph.microsoft.com/ was not found in the tenant named ${s.info.tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    },
    {
      reason: 'the client-credentials flow takes only {resource}/.default, not a named permission',
      scope: () => 'https://graph.microsoft.com/User.Read.All',
      status: 400, error: 'invalid_scope', code: 1002012,
      description: () => 'The provided value for scope https://graph.microsoft.com/User.Read.All is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).',
    },
    {
      reason: 'no scope at all is a protocol error',
      scope: () => null,
      status: 400, error: 'invalid_request', code: 900144,
      description: () => "The request body must contain the following parameter: 'scope'.",
    },
  ];
  for (const c of cases) {
    it(`AADSTS${c.code} ${c.error}: ${c.reason}`, async () => {
      const res = await tokenRequest(c.scope());
      expect(res.status).toBe(c.status);
      expect(res.headers.get('cache-control')).toBe('no-store, no-cache');
      expect(Object.keys(res.json).sort()).toEqual(['correlation_id', 'error', 'error_codes', 'error_description', 'error_uri', 'timestamp', 'trace_id']);
      const { error, error_codes, error_description, timestamp, trace_id, correlation_id, error_uri } = res.json;
      expect({ error, error_codes, error_uri }).toEqual({ error: c.error, error_codes: [c.code], error_uri: `https://login.microsoftonline.com/error?code=${c.code}` });
      expect(timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
      expect(error_description).toBe(`AADSTS${c.code}: ${c.description()}\r\nTrace ID: ${trace_id}\r\nCorrelation ID: ${correlation_id}\r\nTimestamp: ${timestamp}`);
    });
  }

  it('@azure/identity surfaces AADSTS28000 for a two-resource scope', async () => {
    const cred = new ClientSecretCredential(s.info.tenantId, s.info.clientId, s.info.clientSecret, { authorityHost: s.info.authorityHost, disableInstanceDiscovery: true });
    await expect(cred.getToken(['https://graph.microsoft.com/.default', `${s.info.dataverseUrl}/.default`])).rejects.toThrow(/AADSTS28000/);
  });

  it('a wrong client secret gets AADSTS7000215 invalid_client (client-credentials flow errors)', async () => {
    const cred = new ClientSecretCredential(s.info.tenantId, s.info.clientId, 'wrong', { authorityHost: s.info.authorityHost, disableInstanceDiscovery: true });
    await expect(cred.getToken('https://graph.microsoft.com/.default')).rejects.toThrow(/AADSTS7000215/);
  });
});

describe('the request log', () => {
  it('logs every request, token requests included, in arrival order', async () => {
    await s.admin('DELETE', '/requests');
    await tokenRequest('https://graph.microsoft.com/.default');
    await s.graph('GET', '/users', { token: null });
    const log = await s.admin('GET', '/requests');
    expect(log.json.value).toEqual([
      { service: 'token', method: 'POST', path: `/${s.info.tenantId}/oauth2/v2.0/token`, status: 200 },
      { service: 'graph', method: 'GET', path: '/v1.0/users', status: 401 },
    ]);
  });
});
