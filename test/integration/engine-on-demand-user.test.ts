/**
 * The on-demand Dataverse user (issue 15 item 1) through the real clients and the simulator's
 * Power Platform admin API (packages/tenant-sim/src/platform/power-platform.ts), with the settings
 * built the way an operator gets them: the simulator's first-line `env` plus DATAVERSE_USER_ON_DEMAND=true.
 *
 * - success: one apply takes a new contact to Active (invite, licence, group, addUser, the
 *   systemuser waited for, bookable resource, characteristics, coordinates), and nothing is left;
 * - userNotLicensed: the contact waits (no spin: one addUser call), the next run converges;
 * - 403 (not a management application) and 404 (unknown environment): the run stops with one
 *   configuration error, and no bookable resource is made.
 * The background user sync never fires (a one-hour delay): only addUser can make a systemuser here.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bookableResourceIdFor } from '../../reconcilers/technicians/ids.js';
import { loadSettings } from '../../src/families.js';
import type { Settings } from '../../src/config.js';
import { REF, STATUS_VALUE, startEngineTenant, technician, type EngineTenant } from './engine-fixture.js';
import { GUEST_SETTINGS } from '../support/tenant.js';

const ada = technician(41, { first: 'Ada', last: 'Byron', characteristics: [['hvac', 'expert']] });
const ENV = '8c02d657-ad72-4bb9-97c5-afedc4bcf24b';

interface AddUserCall {
  method: string;
  path: string;
  query: string;
  body: unknown;
  status: number;
}

let t: EngineTenant;
let settings: Settings;
const calls: AddUserCall[] = [];

beforeAll(async () => {
  t = await startEngineTenant([ada]);
  // Every request the admin API origin answers, with its body (the simulator's log keeps no bodies).
  type Route = (r: { method: string; path: string; rawQuery: string; body: string }) => { response: { status: number } };
  const sim = t.s.sim as unknown as { routePowerPlatform: Route };
  const route = sim.routePowerPlatform.bind(t.s.sim);
  sim.routePowerPlatform = (r) => {
    const routed = route(r);
    calls.push({ method: r.method, path: r.path, query: r.rawQuery, body: r.body === '' ? undefined : JSON.parse(r.body), status: routed.response.status });
    return routed;
  };
});
afterAll(() => t.stop());

let startFixture: unknown;
beforeAll(async () => {
  startFixture = (await t.s.admin('GET', '/state')).json;
});

beforeEach(async () => {
  await t.s.admin('POST', '/reset', startFixture);
  calls.length = 0;
  await t.s.admin('PUT', '/power-platform', { environmentId: ENV, managementApplications: [t.s.info.clientId], addUserDelayMs: 300, licencePropagationMs: 0 });
  // The operator's settings: the simulator's env line plus DATAVERSE_USER_ON_DEMAND=true.
  settings = loadSettings({ ...GUEST_SETTINGS, ...t.s.info.env, POWER_PLATFORM_ENVIRONMENT_ID: ENV, DATAVERSE_USER_ON_DEMAND: 'true' });
});

const apply = () => t.engineWith(settings).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
const plan = async () => (await t.engineWith(settings).plan({ kind: 'tenant' })).plan;
const systemUsers = () => t.table('systemusers').filter((r) => !r.applicationid);

describe('DATAVERSE_USER_ON_DEMAND', () => {
  it('the simulator\'s env line carries what the product needs to reach the admin API', () => {
    expect(t.s.info.env.POWER_PLATFORM_API_URL).toBe(t.s.info.powerPlatformUrl);
    const fromEnv = loadSettings({ ...GUEST_SETTINGS, ...t.s.info.env, DATAVERSE_USER_ON_DEMAND: 'true' });
    expect(fromEnv.powerPlatform).toEqual({ environmentId: t.s.info.env.POWER_PLATFORM_ENVIRONMENT_ID, apiUrl: t.s.info.powerPlatformUrl });
  });

  it('success: one apply takes a new contact to Active, with one addUser call and the bookable resource on its systemuser', async () => {
    const run = await apply();
    expect(run.outcome).toBe('succeeded');
    expect(run.results.every((r) => r.outcome === 'applied')).toBe(true);
    expect(run.statuses).toEqual({ [`technicians/${ada.id}`]: 'active' });

    const userId = String(t.contact(ada.id).o25fs_entraobjectid);
    // The call: its route, api-version and exact body.
    expect(calls).toEqual([
      { method: 'POST', path: `/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/${ENV}/addUser`, query: 'api-version=2023-06-01', body: { objectId: userId }, status: 200 },
    ]);
    // The change is in the plan, after the licence and the group, and before the resource.
    const kinds = run.plan.changes.map((c) => c.kind);
    const add = run.plan.changes.find((c) => c.kind === 'systemuser.add')!;
    expect(add).toMatchObject({ target: { service: 'powerPlatform', entity: 'systemuser', id: null }, before: null, after: { objectId: { createdBy: `${ada.id}/user.invite` } } });
    expect(add.dependsOn).toEqual(expect.arrayContaining([`${ada.id}/user.invite`, `${ada.id}/licence.assign`, `${ada.id}/group.add`]));
    expect(run.plan.changes.find((c) => c.kind === 'bookableresource.create')!.dependsOn).toContain(add.id);
    expect(kinds).toEqual(expect.arrayContaining(['systemuser.add', 'systemuser.update', 'bookableresource.create', 'contact.link', 'characteristic.create']));

    const [su] = systemUsers();
    expect(systemUsers()).toHaveLength(1);
    expect(su).toMatchObject({ azureactivedirectoryobjectid: userId, isdisabled: false, address1_latitude: 51.5074, address1_longitude: -0.1278 });
    const resourceId = bookableResourceIdFor(ada.id);
    expect(t.table('bookableresources')).toMatchObject([{ bookableresourceid: resourceId, _userid_value: su!.systemuserid, statecode: 0 }]);
    expect(t.contact(ada.id)).toMatchObject({ _o25fs_bookableresourceid_value: resourceId, o25fs_provisioningstatus: STATUS_VALUE.active });
    expect(t.table('bookableresourcecharacteristics')).toMatchObject([{ _resource_value: resourceId, _characteristic_value: REF.characteristics.hvac }]);

    const next = await plan();
    expect(next.changes).toEqual([]);
    // Converged: the next run calls addUser no more.
    await apply();
    expect(calls).toHaveLength(1);
  });

  it('userNotLicensed: the contact waits for the Dataverse user (one call, no spin), and the next run converges', async () => {
    await t.s.admin('PUT', '/power-platform', { licencePropagationMs: 60_000 });
    const started = Date.now();
    const run = await apply();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(calls.map((c) => c.status)).toEqual([400]);
    expect(run.outcome).toBe('succeeded');
    expect(run.statuses).toEqual({ [`technicians/${ada.id}`]: 'waiting_for_dataverse_user' });
    const failed = run.results.filter((r) => r.outcome === 'failed');
    expect(failed.map((r) => [r.changeId, r.error?.code])).toEqual([[`${ada.id}/systemuser.add`, 'DATAVERSE_USER_NOT_LICENSED']]);
    expect(run.results.filter((r) => r.outcome === 'skipped').map((r) => r.changeId).sort()).toEqual(
      [`${ada.id}/bookableresource.create`, `${ada.id}/characteristic.create/${REF.characteristics.hvac}`, `${ada.id}/contact.link`, `${ada.id}/systemuser.update`].sort(),
    );
    const contact = t.contact(ada.id);
    expect(contact.o25fs_provisioningstatus).toBe(STATUS_VALUE.waiting_for_dataverse_user);
    expect(String(contact.o25fs_provisioningerror)).toContain('userNotLicensed');
    expect(contact.o25fs_consecutivefailures ?? 0).toBe(0);
    expect(t.table('bookableresources')).toEqual([]);
    expect(systemUsers()).toEqual([]);

    // The licence has reached the Power Platform: the next run adds the user and the resource.
    await t.s.admin('PUT', '/power-platform', { licencePropagationMs: 0 });
    const second = await apply();
    expect(second.outcome).toBe('succeeded');
    expect(second.statuses).toEqual({ [`technicians/${ada.id}`]: 'active' });
    expect(second.plan.changes.map((c) => c.kind)).toEqual(['systemuser.add', 'systemuser.update', 'bookableresource.create', 'contact.link', 'bookableresource.owner', 'characteristic.create'].filter((k) => second.plan.changes.some((c) => c.kind === k)));
    expect(calls.map((c) => c.status)).toEqual([400, 200]);
    expect(t.table('bookableresources')).toHaveLength(1);
    expect((await plan()).changes).toEqual([]);
  });

  it('403: an app that is not a management application stops the run with one configuration error', async () => {
    await t.s.admin('PUT', '/power-platform', { managementApplications: [] });
    const run = await apply();
    expect(run.outcome).toBe('failed');
    expect(run.error?.code).toBe('POWER_PLATFORM_APP_NOT_REGISTERED');
    expect(run.error?.message).toContain('not registered as a Power Platform management application');
    expect(run.error?.action).toContain('grant-permissions.sh');
    expect(calls.map((c) => c.status)).toEqual([403]);
    // The waves before it ran (the guest exists, licensed and in the group); nothing after it.
    expect(t.groupMembers().size).toBe(1);
    expect(t.table('bookableresources')).toEqual([]);
    expect(run.results.find((r) => r.changeId === `${ada.id}/systemuser.add`)?.error?.code).toBe('POWER_PLATFORM_APP_NOT_REGISTERED');
    // No credential in what the run records.
    const recorded = JSON.stringify(run);
    expect(recorded).not.toContain(t.s.info.clientSecret);
    expect(recorded).not.toMatch(/Bearer|eyJ[\w-]+\.eyJ/);
  });

  it('404: an environment id the admin API does not know stops the run with one configuration error', async () => {
    settings = loadSettings({ ...GUEST_SETTINGS, ...t.s.info.env, POWER_PLATFORM_ENVIRONMENT_ID: '00000000-0000-4000-8000-00000000e404', DATAVERSE_USER_ON_DEMAND: 'true' });
    const run = await apply();
    expect(run.outcome).toBe('failed');
    expect(run.error?.code).toBe('POWER_PLATFORM_ENVIRONMENT_NOT_FOUND');
    expect(run.error?.action).toContain('POWER_PLATFORM_ENVIRONMENT_ID');
    expect(calls.map((c) => c.status)).toEqual([404]);
    expect(t.table('bookableresources')).toEqual([]);
  });

  it('a systemuser Dataverse has not made within the bounded wait leaves the contact waiting; the next run creates the resource', async () => {
    // 40 s is past the product's 30 s wait (reconcilers/technicians/systemuser-add.ts SETTLE_MAX_MS).
    await t.s.admin('PUT', '/power-platform', { addUserDelayMs: 40_000 });
    const run = await apply();
    expect(run.outcome).toBe('succeeded');
    expect(run.statuses).toEqual({ [`technicians/${ada.id}`]: 'waiting_for_dataverse_user' });
    expect(run.results.find((r) => r.changeId === `${ada.id}/systemuser.add`)?.error?.code).toBe('DATAVERSE_USER_NOT_CREATED_YET');
    expect(t.table('bookableresources')).toEqual([]);
    // Dataverse makes it 40 s after the call (the run waited about 30 s of them).
    for (let i = 0; i < 40 && systemUsers().length === 0; i++) await new Promise((r) => setTimeout(r, 500));
    expect(systemUsers()).toHaveLength(1);
    const second = await apply();
    expect(second.statuses).toEqual({ [`technicians/${ada.id}`]: 'active' });
    // The systemuser is there: no second addUser.
    expect(calls).toHaveLength(1);
    expect(t.table('bookableresources')).toHaveLength(1);
  }, 90_000);
});
