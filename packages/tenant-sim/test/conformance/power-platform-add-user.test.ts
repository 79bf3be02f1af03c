/**
 * Conformance: the Power Platform admin API's addUser ("force sync user") on its own origin.
 * Sources:
 * - Learn, Add-AdminPowerAppsSyncUser (Microsoft.PowerApps.Administration.PowerShell): "Adds a user
 *   to Microsoft Dataverse", -EnvironmentName "The environment's identifier", -PrincipalObjectId
 *   "The objectId of a user to be added", -ApiVersion default 2019-05-01;
 * - microsoft/terraform-provider-power-platform internal/services/authorization/api_user.go
 *   (CreateDataverseUser): POST …/scopes/admin/environments/{id}/addUser?api-version=2023-06-01 with
 *   {"objectId": …}, a token for https://service.powerapps.com/.default, retried while the error
 *   contains userNotLicensed, then systemusers polled until the row appears;
 * - Learn "Creating a service principal application using API": "After your client application is
 *   registered in Microsoft Entra ID, it also needs to be registered with Microsoft Power Platform"
 *   (PUT …/adminApplications/{CLIENT_ID}); create-dataverseapplicationuser.md: callers "must either
 *   be Power Platform administrators or a Power Platform Service Principal application";
 * - Learn create-users.md: a user is added when enabled, licensed for the environment and a direct
 *   member of its security group.
 * The error bodies and the status for an unknown user are not documented: the simulator answers
 * ARM-shaped errors, 404 only for an unknown environment, 400 for the rest (the stricter reading).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../../src/index.js';
import { request, startSim, type HttpResult, type RunningSim } from '../support/sim.js';

const SKU = '23e6e135-e869-4ce4-9ae4-5710cd69ac13';
const GROUP = '5d1e0c2a-0000-4000-8000-0000000000a1';
const ENV = '8c02d657-ad72-4bb9-97c5-afedc4bcf24b';
const id = (n: number): string => `5d1e0c2a-0000-4000-8000-00000000000${n}`;
const [ANN, BOB, UMA, DAVE, NEW] = [1, 2, 3, 4, 5].map(id) as [string, string, string, string, string];
const BOB_SYSTEMUSER = '5d1e0c2a-0000-4000-8000-0000000000f2';
const licensed = { assignedLicenses: [{ skuId: SKU, disabledPlans: [] }], licenseAssignmentStates: [{ skuId: SKU, disabledPlans: [], assignedByGroup: null, state: 'Active', error: 'None' }] };
const user = (uid: string, name: string, extra: Record<string, unknown> = {}) => ({
  id: uid, displayName: name, mail: `${name.toLowerCase()}@vendor.example`, userPrincipalName: `${name.toLowerCase()}_vendor.example#EXT#@contoso.onmicrosoft.com`,
  userType: 'Guest', usageLocation: 'GB', ...extra,
});

const FIXTURE: Fixture = {
  app: { roles: ['User.ReadWrite.All', 'LicenseAssignment.ReadWrite.All', 'GroupMember.ReadWrite.All'] },
  // The background sync is far away: only addUser can create a systemuser within a test.
  environment: { securityGroupId: GROUP, licensedSkuIds: [SKU], userSyncDelayMs: 3_600_000 },
  powerPlatform: { environmentId: ENV, addUserDelayMs: 300 },
  graph: {
    users: [user(ANN, 'Ann', licensed), user(BOB, 'Bob'), user(UMA, 'Uma', licensed), user(DAVE, 'Dave', { ...licensed, accountEnabled: false }), user(NEW, 'New')],
    groups: [{ id: GROUP, displayName: 'Technicians', members: [ANN, BOB, DAVE, NEW] }],
    subscribedSkus: [{ skuId: SKU, skuPartNumber: 'DYN365_FS_CONTRACTOR', capabilityStatus: 'Enabled', consumedUnits: 3, prepaidUnits: { enabled: 10, suspended: 0, warning: 0 } }],
  },
  dataverse: {
    systemusers: [{ systemuserid: BOB_SYSTEMUSER, azureactivedirectoryobjectid: BOB, internalemailaddress: 'bob@vendor.example', fullname: 'Bob', domainname: 'bob_vendor.example#EXT#@contoso.onmicrosoft.com', isdisabled: true, accessmode: 0 }],
  },
};

let s: RunningSim;
let token: string;
beforeAll(async () => {
  s = await startSim(FIXTURE);
  token = await tokenFor('https://service.powerapps.com/.default');
});
afterAll(() => s.stop());
beforeEach(async () => {
  await s.admin('POST', '/reset', FIXTURE);
});

async function tokenFor(scope: string): Promise<string> {
  const res = await request('POST', `${s.info.authorityHost}/${s.info.tenantId}/oauth2/v2.0/token`, {
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: s.info.clientId, client_secret: s.info.clientSecret, scope }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  expect(res.status, res.text).toBe(200);
  return res.json.access_token as string;
}

const route = (env: string, version: string | null = '2023-06-01'): string =>
  `${s.info.powerPlatformUrl}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/${env}/addUser${version === null ? '' : `?api-version=${version}`}`;

function addUser(objectId: unknown, init: { env?: string; version?: string | null; bearer?: string | null; method?: string } = {}): Promise<HttpResult> {
  const bearer = init.bearer === undefined ? token : init.bearer;
  return request(init.method ?? 'POST', route(init.env ?? ENV, init.version), { body: { objectId }, headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} });
}

const systemUsersOf = (objectId: string) => [...s.sim.state.dataverse.table('systemusers').values()].filter((r) => r.azureactivedirectoryobjectid === objectId);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the admin API origin and its token', () => {
  it('is its own origin, and the first stdout line\'s env names it and the environment', () => {
    expect(new Set([s.info.authorityHost, new URL(s.info.graphBaseUrl).origin, s.info.dataverseUrl, s.info.powerPlatformUrl]).size).toBe(4);
    expect(s.info.env.POWER_PLATFORM_API_URL).toBe(s.info.powerPlatformUrl);
    expect(s.info.env.POWER_PLATFORM_ENVIRONMENT_ID).toBe(ENV);
  });

  it('takes tokens for the PowerApps service by its URI (also with the docs\' double slash) and its app id', async () => {
    for (const scope of ['https://service.powerapps.com//.default', '475226c6-020e-4fb2-8a90-7a972cbfc1d4/.default']) {
      const res = await addUser(ANN, { bearer: await tokenFor(scope) });
      expect(res.status, `${scope}: ${res.text}`).toBe(200);
    }
  });

  it('refuses a Graph or Dataverse token, and no token, with 401 (the audience is the PowerApps service)', async () => {
    expect((await addUser(ANN, { bearer: await s.token('graph') })).status).toBe(401);
    expect((await addUser(ANN, { bearer: await s.token('dataverse') })).status).toBe(401);
    expect((await addUser(ANN, { bearer: null })).status).toBe(401);
    expect(systemUsersOf(ANN)).toEqual([]);
  });

  it('answers 403 when the app is not registered as a management application (PUT /_sim/power-platform switches it)', async () => {
    const off = await s.admin('PUT', '/power-platform', { managementApplications: [] });
    expect(off.status).toBe(200);
    const res = await addUser(ANN);
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain('management application');
    await s.admin('PUT', '/power-platform', { managementApplications: [s.info.clientId] });
    expect((await addUser(ANN)).status).toBe(200);
  });

  it('answers 404 for an environment it does not know (the BAP name, not the Dataverse organisation id)', async () => {
    const res = await addUser(ANN, { env: '00000000-0000-4000-8000-000000000000' });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('EnvironmentNotFound');
  });

  it('needs an api-version it knows and POST', async () => {
    expect((await addUser(ANN, { version: null })).json.error.code).toBe('MissingApiVersionParameter');
    expect((await addUser(ANN, { version: '2099-01-01' })).status).toBe(400);
    expect((await addUser(ANN, { version: '2019-05-01' })).status).toBe(200);
    expect((await addUser(ANN, { method: 'PUT' })).status).toBe(405);
  });

  it('logs the calls as the powerPlatform service', async () => {
    await s.admin('DELETE', '/requests');
    await addUser(ANN);
    const log = (await s.admin('GET', '/requests')).json.value as { service: string; method: string; path: string; status: number }[];
    expect(log).toEqual([{ service: 'powerPlatform', method: 'POST', path: `/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/${ENV}/addUser?api-version=2023-06-01`, status: 200 }]);
  });
});

describe('addUser on one user', () => {
  it('answers 200 for a licensed, enabled direct member, and the systemuser appears after the delay, not in the request', async () => {
    const res = await addUser(ANN);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(systemUsersOf(ANN)).toEqual([]);
    await sleep(450);
    expect(systemUsersOf(ANN)).toMatchObject([{ azureactivedirectoryobjectid: ANN, isdisabled: false, fullname: 'Ann', domainname: 'ann_vendor.example#EXT#@contoso.onmicrosoft.com' }]);
  });

  it('enables a disabled systemuser of a user who qualifies again (the row is reused, never duplicated)', async () => {
    const bob = s.sim.state.graph.users.get(BOB)!;
    Object.assign(bob, licensed);
    expect((await addUser(BOB)).status).toBe(200);
    await sleep(450);
    expect(systemUsersOf(BOB)).toMatchObject([{ systemuserid: BOB_SYSTEMUSER, isdisabled: false }]);
  });

  it('answers a 4xx whose body contains userNotLicensed for a user with no licence of the environment', async () => {
    const res = await addUser(BOB);
    expect(res.status).toBe(400);
    expect(res.text).toContain('userNotLicensed');
    await sleep(450);
    expect(systemUsersOf(BOB)).toMatchObject([{ isdisabled: true }]);
  });

  it('answers userNotLicensed while a licence just assigned through Graph propagates, and 200 after', async () => {
    await s.admin('PUT', '/power-platform', { licencePropagationMs: 400 });
    const assign = await s.graph('POST', `/users/${NEW}/assignLicense`, { body: { addLicenses: [{ skuId: SKU, disabledPlans: [] }], removeLicenses: [] } });
    expect(assign.status, assign.text).toBe(200);
    const early = await addUser(NEW);
    expect(early.status).toBe(400);
    expect(early.text).toContain('userNotLicensed');
    await sleep(450);
    expect((await addUser(NEW)).status).toBe(200);
  });

  it('refuses a licensed user who is not a direct member of the security group, without userNotLicensed', async () => {
    const res = await addUser(UMA);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('UserNotInSecurityGroup');
    expect(res.text).not.toContain('userNotLicensed');
  });

  it('refuses a disabled user, a user Entra does not have, and a body without a GUID objectId (400, not 404)', async () => {
    expect((await addUser(DAVE)).json.error.code).toBe('UserDisabled');
    expect((await addUser('5d1e0c2a-0000-4000-8000-0000000000ee')).status).toBe(400);
    expect((await addUser('not-a-guid')).status).toBe(400);
    expect([...s.sim.state.dataverse.table('systemusers').values()]).toHaveLength(1);
  });
});
