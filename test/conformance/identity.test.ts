/**
 * Conformance: the simulator's identity platform and token checks.
 * Sources: graph-dataverse-facts.md Part A (error shape, concepts/errors.md); Microsoft identity
 * platform client-credentials flow; Dataverse Web API "compose HTTP requests and handle errors".
 */
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

let s: RunningSim;
beforeAll(async () => {
  s = await startSim({ app: { roles: ['User.Read.All'] } });
});
afterAll(() => s.stop());

describe('identity and tokens', () => {
  it('a Graph request without a token gets 401 InvalidAuthenticationToken (concepts/errors.md)', async () => {
    const res = await s.graph('GET', '/users', { token: null });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('InvalidAuthenticationToken');
  });

  it('a Dataverse token is refused by Graph: audiences are checked per service', async () => {
    const dv = await s.token('dataverse');
    const res = await s.graph('GET', '/users', { token: dv });
    expect(res.status).toBe(401);
  });

  it('a Graph token is refused by Dataverse with 401 and WWW-Authenticate', async () => {
    const g = await s.token('graph');
    const res = await s.dataverse('GET', 'contacts', { token: g });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('a wrong client secret gets AADSTS7000215 invalid_client (client-credentials flow errors)', async () => {
    const cred = new ClientSecretCredential(s.info.tenantId, s.info.clientId, 'wrong', {
      authorityHost: s.info.authorityHost,
      disableInstanceDiscovery: true,
    });
    await expect(cred.getToken(`${s.info.authorityHost}/.default`)).rejects.toThrow(/AADSTS7000215/);
  });

  it('@azure/identity ClientSecretCredential gets a token with the audience and the fixture roles', async () => {
    const cred = new ClientSecretCredential(s.info.tenantId, s.info.clientId, s.info.clientSecret, {
      authorityHost: s.info.authorityHost,
      disableInstanceDiscovery: true,
    });
    const token = await cred.getToken(`${s.info.dataverseUrl}/.default`);
    const claims = JSON.parse(Buffer.from(token.token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims.aud).toBe(s.info.dataverseUrl);
    expect(claims.roles).toEqual(['User.Read.All']);
    expect(claims.tid).toBe(s.info.tenantId);
  });

  it('logs every request, token requests included, in arrival order', async () => {
    await s.admin('DELETE', '/requests');
    await s.graph('GET', '/users', { token: null });
    const log = await s.admin('GET', '/requests');
    expect(log.json.value).toEqual([{ service: 'graph', method: 'GET', path: '/v1.0/users', status: 401 }]);
  });
});
