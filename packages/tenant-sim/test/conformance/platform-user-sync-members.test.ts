/**
 * Conformance: Dataverse's user sync for a Member created with POST /users (a service account), and
 * what it does to the systemuser when the Entra account is disabled and enabled again. Sources:
 * - Learn "Create users" (learn.microsoft.com/power-platform/admin/create-users):
 *   - "When you create a user and assign a license …, the user is also created in customer
 *     engagement apps. It can take a few minutes to complete the synchronization process";
 *   - "Requirements for successfully adding users in Dataverse": the user "must be enabled and not
 *     deleted or soft-deleted"; "User must be enabled in Azure AD to be enabled in a Dataverse
 *     database"; a valid licence; membership of the environment's security group;
 *   - FAQ: "If a user that is added to Dataverse SystemUser table becomes disabled or unlicensed in
 *     Azure AD … User record is not deleted, but its state in Dataverse will be updated to
 *     'disabled'"; the background process re-enables it when the criteria hold again.
 *   The page makes no difference between members and guests.
 * - Learn user-post-users: the created user is a Member; user-update: accountEnabled.
 * The page names no delay for a disabled account: the simulator applies it after the same sync
 * delay as any other change (docs/simulator-dataverse.md "User sync").
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../../src/index.js';
import { startSim, type RunningSim } from '../support/sim.js';

const SKU = '23e6e135-e869-4ce4-9ae4-5710cd69ac13';
const TECH = '3c9e0d2a-0000-4000-8000-0000000000b1';
const FIXTURE: Fixture = {
  tenant: { defaultDomain: 'contoso.onmicrosoft.com', verifiedDomains: ['contoso.onmicrosoft.com', 'contoso.com'] },
  app: { roles: ['User.ReadWrite.All', 'LicenseAssignment.ReadWrite.All', 'GroupMember.ReadWrite.All'] },
  environment: { securityGroupId: TECH, licensedSkuIds: [SKU], userSyncDelayMs: 300 },
  graph: {
    groups: [{ id: TECH, displayName: 'Technicians', members: [] }],
    subscribedSkus: [{ skuId: SKU, skuPartNumber: 'DYN365_FS_CONTRACTOR', capabilityStatus: 'Enabled', consumedUnits: 0, prepaidUnits: { enabled: 10, suspended: 0, warning: 0 } }],
  },
};
const UPN = 'vendor-one_ann.vendor_0d9a3e1c@contoso.com';

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(FIXTURE);
});
afterAll(() => s.stop());
beforeEach(async () => {
  expect((await s.admin('POST', '/reset', FIXTURE)).status).toBe(204);
});

const rowsFor = (uid: string) => [...s.sim.state.dataverse.table('systemusers').values()].filter((r) => r.azureactivedirectoryobjectid === uid);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await sleep(10);
  }
}

async function createMember(accountEnabled = true): Promise<string> {
  const res = await s.graph('POST', '/users', {
    body: {
      accountEnabled, displayName: 'Ann Vendor', givenName: 'Ann', surname: 'Vendor', usageLocation: 'GB', mailNickname: 'vr-0d9a3e1c7a9b4a639a511f2e3d4c5b6a',
      userPrincipalName: UPN, otherMails: ['ann@vendor.example'], passwordProfile: { password: 'xWwvJ]6NMw+bWH-d', forceChangePasswordNextSignIn: true },
    },
  });
  expect(res.status).toBe(201);
  return res.json.id as string;
}
async function licenceAndGroup(uid: string): Promise<void> {
  expect((await s.graph('POST', `/users/${uid}/assignLicense`, { body: { addLicenses: [{ skuId: SKU, disabledPlans: [] }], removeLicenses: [] } })).status).toBe(200);
  expect((await s.graph('POST', `/groups/${TECH}/members/$ref`, { body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${uid}` } })).status).toBe(204);
}
const setEnabled = async (uid: string, accountEnabled: boolean) =>
  expect((await s.graph('PATCH', `/users/${uid}`, { body: { accountEnabled } })).status).toBe(204);

describe('a Member created by POST /users, licensed and in the group', () => {
  it('gets a systemuser after the sync delay, with its own UPN as domainname', async () => {
    const uid = await createMember();
    // Taken before the requests that start the sync's timer, so a slow round trip cannot eat into the delay.
    const changedAt = Date.now();
    await licenceAndGroup(uid);
    expect(rowsFor(uid)).toEqual([]);
    await waitFor(() => rowsFor(uid).length > 0);
    expect(Date.now() - changedAt).toBeGreaterThanOrEqual(250);
    expect(rowsFor(uid)).toEqual([{
      systemuserid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      azureactivedirectoryobjectid: uid,
      // The member has no mailbox (mail null), so the sync has no address to copy.
      internalemailaddress: null,
      fullname: 'Ann Vendor',
      domainname: UPN,
      isdisabled: false,
      accessmode: 0,
      address1_latitude: null,
      address1_longitude: null,
    }]);
  });

  it('accountEnabled false disables the systemuser after the delay; true enables the same row again', async () => {
    const uid = await createMember();
    await licenceAndGroup(uid);
    await waitFor(() => rowsFor(uid).length === 1);
    const [{ systemuserid }] = rowsFor(uid) as [{ systemuserid: string }];

    await setEnabled(uid, false);
    expect(rowsFor(uid)[0]!.isdisabled).toBe(false); // asynchronous: not inside the request
    await waitFor(() => rowsFor(uid)[0]!.isdisabled === true);

    await setEnabled(uid, true);
    await waitFor(() => rowsFor(uid)[0]!.isdisabled === false);
    // Never deleted, never duplicated; the licence and the membership were kept throughout.
    expect(rowsFor(uid).map((r) => r.systemuserid)).toEqual([systemuserid]);
    expect(s.sim.state.graph.groups.get(TECH)!.members.has(uid)).toBe(true);
  });

  it('a member created disabled gets no systemuser until it is enabled', async () => {
    const uid = await createMember(false);
    await licenceAndGroup(uid);
    expect((await s.admin('POST', '/sync')).status).toBe(204);
    expect(rowsFor(uid)).toEqual([]);
    await setEnabled(uid, true);
    await waitFor(() => rowsFor(uid).length === 1);
    expect(rowsFor(uid)[0]!.isdisabled).toBe(false);
  });

  it('a member licensed but outside the group gets none', async () => {
    const uid = await createMember();
    expect((await s.graph('POST', `/users/${uid}/assignLicense`, { body: { addLicenses: [{ skuId: SKU, disabledPlans: [] }], removeLicenses: [] } })).status).toBe(200);
    expect((await s.admin('POST', '/sync')).status).toBe(204);
    expect(rowsFor(uid)).toEqual([]);
  });
});
