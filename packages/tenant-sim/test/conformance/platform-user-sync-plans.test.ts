/**
 * Conformance: Dataverse's user sync honours disabled service plans.
 * Sources: Learn "Troubleshoot user access issues for different environments" (a user needs "a
 * valid license that has a Dynamics 365 or Microsoft Power Platform recognized service plan"),
 * learn.microsoft.com/power-platform/admin/create-users (create-users.md: a licence with a
 * Dataverse/Dynamics service plan), and
 * user-assignlicense.md (disabledPlans turns plans of a SKU off for the user). The Dataverse plans
 * of a SKU are those Microsoft's licensing reference names DYN365_CDS_… / CDS_… ("Product names
 * and service plan identifiers for licensing"); the simulator's rule is in docs/simulator.md.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../../src/index.js';
import { startSim, type RunningSim } from '../support/sim.js';

const SKU = '23e6e135-e869-4ce4-9ae4-5710cd69ac13';
const PLAIN_SKU = '06ebc4ee-1bb5-47dd-8120-11324bc54e06';
const CDS_PLAN = '1d7e3c39-0000-4000-8000-00000000c0d5';
const FS_PLAN = '1d7e3c39-0000-4000-8000-0000000000f5';
const GROUP = '1d7e3c39-0000-4000-8000-0000000000a1';
const id = (n: number): string => `1d7e3c39-0000-4000-8000-00000000000${n}`;
const [ANN, BOB, CAT, DAN] = [1, 2, 3, 4].map(id) as [string, string, string, string];
const licence = (skuId: string, disabledPlans: string[]) => ({
  assignedLicenses: [{ skuId, disabledPlans }],
  licenseAssignmentStates: [{ skuId, disabledPlans, assignedByGroup: null, state: 'Active', error: 'None' }],
});
const user = (uid: string, name: string, extra: Record<string, unknown>) => ({
  id: uid, displayName: name, mail: `${name.toLowerCase()}@vendor.example`, userPrincipalName: `${name.toLowerCase()}_vendor.example#EXT#@contoso.onmicrosoft.com`,
  userType: 'Guest', usageLocation: 'GB', ...extra,
});

const FIXTURE: Fixture = {
  app: { roles: ['User.ReadWrite.All', 'LicenseAssignment.ReadWrite.All'] },
  environment: { securityGroupId: GROUP, licensedSkuIds: [SKU, PLAIN_SKU], userSyncDelayMs: 0 },
  graph: {
    users: [
      user(ANN, 'Ann', licence(SKU, [])),
      user(BOB, 'Bob', licence(SKU, [CDS_PLAN])),
      user(CAT, 'Cat', licence(SKU, [FS_PLAN])),
      user(DAN, 'Dan', licence(PLAIN_SKU, [])),
    ],
    groups: [{ id: GROUP, displayName: 'Technicians', members: [ANN, BOB, CAT, DAN] }],
    subscribedSkus: [
      {
        skuId: SKU, skuPartNumber: 'DYN365_FS_CONTRACTOR', capabilityStatus: 'Enabled', consumedUnits: 3, prepaidUnits: { enabled: 10, suspended: 0, warning: 0 },
        servicePlans: [
          { servicePlanId: CDS_PLAN, servicePlanName: 'DYN365_CDS_DYN_APPS', provisioningStatus: 'Success', appliesTo: 'User' },
          { servicePlanId: FS_PLAN, servicePlanName: 'DYN365_FS_CONTRACTOR_PLAN', provisioningStatus: 'Success', appliesTo: 'User' },
        ],
      },
      // A SKU the fixture lists no plans for: its licence counts as a whole.
      { skuId: PLAIN_SKU, skuPartNumber: 'PLAIN', capabilityStatus: 'Enabled', consumedUnits: 1, prepaidUnits: { enabled: 10, suspended: 0, warning: 0 }, servicePlans: [] },
    ],
  },
};

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(FIXTURE);
});
afterAll(() => s.stop());
beforeEach(async () => {
  await s.admin('POST', '/reset', FIXTURE);
});

const systemuser = (uid: string) => [...s.sim.state.dataverse.table('systemusers').values()].find((r) => r.azureactivedirectoryobjectid === uid);

describe('disabled service plans (disabledPlans) and the user sync', () => {
  it.each([
    { who: 'Ann', uid: ANN, synced: true, reason: 'the licence keeps its Dataverse plan' },
    { who: 'Bob', uid: BOB, synced: false, reason: 'the Dataverse plan (DYN365_CDS_DYN_APPS) is disabled' },
    { who: 'Cat', uid: CAT, synced: true, reason: 'another plan is disabled; the Dataverse plan is not' },
    { who: 'Dan', uid: DAN, synced: true, reason: 'the SKU lists no service plans, so none can be disabled' },
  ])('$who: systemuser $synced ($reason)', async ({ uid, synced }) => {
    expect((await s.admin('POST', '/sync')).status).toBe(204);
    expect(systemuser(uid) !== undefined).toBe(synced);
  });

  it('disabling the Dataverse plan later (assignLicense with disabledPlans) disables the systemuser; enabling it again re-enables it', async () => {
    await s.admin('POST', '/sync');
    expect(systemuser(ANN)?.isdisabled).toBe(false);
    const assign = (disabledPlans: string[]) => s.graph('POST', `/users/${ANN}/assignLicense`, { body: { addLicenses: [{ skuId: SKU, disabledPlans }], removeLicenses: [] } });
    expect((await assign([CDS_PLAN])).status).toBe(200);
    await s.admin('POST', '/sync');
    expect(systemuser(ANN)?.isdisabled).toBe(true);
    expect((await assign([])).status).toBe(200);
    await s.admin('POST', '/sync');
    expect(systemuser(ANN)?.isdisabled).toBe(false);
  });
});
