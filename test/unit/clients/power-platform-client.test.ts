/**
 * src/clients/power-platform-client.ts and src/clients/classify-power-platform.ts: the addUser
 * request on the wire (its own token scope, the PowerApps service's), the shared retry policy (429
 * with Retry-After, a lost answer retried because addUser is idempotent), a non-JSON error body
 * kept as text, and the refusals as the closed set of errors. Sources: Terraform's provider
 * (internal/services/authorization/api_user.go: scope https://service.powerapps.com/.default,
 * retried while the error contains userNotLicensed); Learn "Creating a service principal
 * application using API" (403 until the app is a management application).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classify } from '../../../src/clients/classify.js';
import { PowerPlatformClient, POWERAPPS_SCOPE } from '../../../src/clients/power-platform-client.js';
import type { ServiceRequest, ServiceResponse } from '../../../src/clients/types.js';
import { startServer, staticCredential, type TestServer } from './https-server.js';

const ENV = '8c02d657-ad72-4bb9-97c5-afedc4bcf24b';
const USER = '24a5b286-2abe-46b4-9ba5-9de73169ab9c';
const addUser: ServiceRequest = {
  method: 'POST',
  url: `/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/${ENV}/addUser?api-version=2023-06-01`,
  body: { objectId: USER },
  idempotent: true,
};

let server: TestServer;
const scopes: string[] = [];
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  scopes.length = 0;
});

const client = () => new PowerPlatformClient({ apiUrl: `${server.origin}/`, credential: staticCredential(scopes), baseDelayMs: 1, maxDelayMs: 5 });

describe('PowerPlatformClient', () => {
  it('POSTs addUser under POWER_PLATFORM_API_URL with a token for the PowerApps service and the JSON body', async () => {
    server.handle = () => ({ status: 200 });
    const [answer] = await client().sendMany([addUser]);
    expect(answer).toEqual({ status: 200, headers: expect.any(Object), body: undefined });
    expect(scopes).toEqual([POWERAPPS_SCOPE]);
    expect(POWERAPPS_SCOPE).toBe('https://service.powerapps.com/.default');
    expect(server.requests).toHaveLength(1);
    const [r] = server.requests;
    expect(r!.method).toBe('POST');
    expect(r!.url).toBe(addUser.url);
    expect(r!.headers.authorization).toBe('Bearer static-token');
    expect(r!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r!.body)).toEqual({ objectId: USER });
  });

  it('retries a 429 after its Retry-After, and a lost answer (502) because addUser is idempotent in effect', async () => {
    server.handle = (_r, i) => (i === 0 ? { status: 429, headers: { 'Retry-After': '0' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } } : i === 1 ? { status: 502 } : { status: 200 });
    const answer = await client().send(addUser);
    expect(answer.status).toBe(200);
    expect(server.requests).toHaveLength(3);
  });

  it('keeps an error body that is not JSON as its text, so userNotLicensed is still found', async () => {
    server.handle = () => ({ status: 400, headers: { 'Content-Type': 'text/plain' }, body: 'Bad request: userNotLicensed for principal' });
    const answer = await client().send(addUser);
    expect(answer.body).toBe('Bad request: userNotLicensed for principal');
    expect(classify('powerPlatform', addUser, answer)).toMatchObject({ errorClass: 'transient', code: 'DATAVERSE_USER_NOT_LICENSED' });
  });

  it('refuses to send its token outside the admin API (an absolute URL)', async () => {
    await expect(client().send({ ...addUser, url: 'https://elsewhere.example/x' })).rejects.toThrow();
    expect(server.requests).toEqual([]);
  });
});

const answer = (status: number, body: unknown): ServiceResponse => ({ status, headers: {}, body });

describe('classify for the Power Platform admin API', () => {
  const cases = [
    { reason: '200 is success', response: answer(200, undefined), expected: null },
    { reason: 'userNotLicensed anywhere in the body is the licence still propagating: a waiting state', response: answer(400, { error: { code: 'BadRequest', message: 'userNotLicensed' } }), expected: { errorClass: 'transient', code: 'DATAVERSE_USER_NOT_LICENSED' } },
    { reason: '403 is the management-application registration missing: the deployment, the run stops', response: answer(403, { error: { code: 'Forbidden', message: 'not registered' } }), expected: { errorClass: 'configuration', code: 'POWER_PLATFORM_APP_NOT_REGISTERED' } },
    { reason: '404 is an environment id the API does not know', response: answer(404, { error: { code: 'EnvironmentNotFound', message: 'nope' } }), expected: { errorClass: 'configuration', code: 'POWER_PLATFORM_ENVIRONMENT_NOT_FOUND' } },
    { reason: 'another 4xx is this technician refused', response: answer(400, { error: { code: 'UserNotInSecurityGroup', message: 'not a member' } }), expected: { errorClass: 'contact', code: 'POWER_PLATFORM_REJECTED' } },
    { reason: '401 is the token refused (audience): authentication', response: answer(401, { error: { code: 'InvalidAuthenticationToken', message: 'aud' } }), expected: { errorClass: 'configuration', code: 'AUTHENTICATION_FAILED' } },
    { reason: '429 after the retries is throttling of this service', response: answer(429, undefined), expected: { errorClass: 'throttled', code: 'POWER_PLATFORM_THROTTLED' } },
  ] as const;
  for (const c of cases) {
    it(c.reason, () => {
      const error = classify('powerPlatform', addUser, c.response);
      if (c.expected === null) expect(error).toBeNull();
      else expect(error).toMatchObject(c.expected);
    });
  }

  it('the 403 and 404 messages say what to change, and name no token', () => {
    const forbidden = classify('powerPlatform', addUser, answer(403, { error: { code: 'Forbidden', message: 'x' } }))!;
    expect(forbidden.action).toContain('New-PowerAppManagementApp');
    expect(forbidden.action).toContain('DATAVERSE_USER_ON_DEMAND=false');
    const missing = classify('powerPlatform', addUser, answer(404, {}))!;
    expect(missing.message).toContain(ENV);
    expect(missing.action).toContain('POWER_PLATFORM_ENVIRONMENT_ID');
  });
});
