/**
 * LICENSE_MODE=group with DATAVERSE_USER_ON_DEMAND (issue 15 items 1 and 4 together): Entra licenses
 * a new member some time after the group add, so the run that adds the technician to the group
 * must not ask the Power Platform for its Dataverse user yet (it would only hear userNotLicensed);
 * the next run, which observes the inherited licence, asks, waits for the systemuser and creates
 * the bookable resource. The background user sync never fires here (a one-hour delay).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/config.js';
import { loadSettings } from '../../src/families.js';
import { GUEST_SETTINGS } from '../support/tenant.js';
import { REF, engineFixture, startEngineTenant, technician, type EngineTenant } from './engine-fixture.js';

const ENV = '8c02d657-ad72-4bb9-97c5-afedc4bcf24b';
const GROUP_ON_DEMAND = { ...GUEST_SETTINGS, LICENSE_MODE: 'group', DATAVERSE_USER_ON_DEMAND: 'true' };
const ada = technician(51, { first: 'Ada', last: 'Byron' });

let t: EngineTenant | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function groupOnDemandTenant(): Promise<EngineTenant> {
  const tenant = await startEngineTenant([ada], { ...GUEST_SETTINGS, LICENSE_MODE: 'group' });
  const fixture = engineFixture([ada]);
  fixture.graph!.groups = fixture.graph!.groups!.map((g) => (g.id.toLowerCase() === REF.groupId.toLowerCase() ? { ...g, assignedLicenses: [{ skuId: REF.skuId }] } : g));
  tenant.s.sim.reset(fixture);
  await tenant.s.admin('PUT', '/power-platform', { environmentId: ENV, managementApplications: [tenant.s.info.clientId], addUserDelayMs: 300, licencePropagationMs: 0 });
  return tenant;
}

/** The operator's settings: group mode, on-demand users, and the simulator's env line (which names its admin API). */
const settingsOf = (tenant: EngineTenant): Settings => loadSettings({ ...GROUP_ON_DEMAND, ...tenant.s.info.env, POWER_PLATFORM_ENVIRONMENT_ID: ENV });
const apply = (tenant: EngineTenant) => tenant.engineWith(settingsOf(tenant)).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
/** addUser calls in the simulator's request log (the admin API is an origin of its own, outside the Graph/Dataverse wire log). */
const addUserCalls = (tenant: EngineTenant): number => tenant.s.sim.requests.filter((r) => r.service === 'powerPlatform' && r.path.includes('/addUser')).length;
const kinds = (run: { plan: { changes: { kind: string }[] } }): string[] => run.plan.changes.map((c) => c.kind).sort();

describe('group licensing with the on-demand Dataverse user', () => {
  it('asks for the Dataverse user only once the member holds the inherited licence, then goes Active in that run', async () => {
    t = await groupOnDemandTenant();
    const first = await apply(t);
    expect(first.outcome).toBe('succeeded');
    expect(kinds(first)).toEqual(['contact.anchor', 'group.add', 'user.invite', 'user.update']);
    expect(addUserCalls(t)).toBe(0);
    expect(first.statuses).toEqual({ [`technicians/${ada.id}`]: 'invited' });

    await t.clearLogs();
    const second = await apply(t);
    expect(second.outcome).toBe('succeeded');
    expect(kinds(second)).toEqual(expect.arrayContaining(['systemuser.add', 'bookableresource.create']));
    expect(addUserCalls(t)).toBe(1);
    expect(second.statuses).toEqual({ [`technicians/${ada.id}`]: 'active' });
    expect(t.table('bookableresources').filter((r) => r.resourcetype === 3)).toHaveLength(1);
  });
});
