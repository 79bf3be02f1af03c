/**
 * Conformance: POST /users/{id}/assignLicense and GET /subscribedSkus. Sources: Learn
 * user-assignlicense.md, subscribedsku-list.md, resources/subscribedsku.md,
 * resources/licenseassignmentstate.md; learn.microsoft.com/graph/api/user-assignlicense,
 * learn.microsoft.com/graph/api/subscribedsku-list,
 * learn.microsoft.com/graph/api/resources/licenseassignmentstate.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

const FS = 'f5000000-0000-0000-0000-000000000001';
const FULL = 'f5000000-0000-0000-0000-000000000002';
const PLAN = 'a1000000-0000-0000-0000-000000000001';
const GROUP = 'a9000000-0000-0000-0000-000000000001';
const U = { withLoc: 'eeeeeeee-0000-0000-0000-000000000001', noLoc: 'eeeeeeee-0000-0000-0000-000000000002', inherited: 'eeeeeeee-0000-0000-0000-000000000003' };

const fixture = () => ({
  app: { roles: ['LicenseAssignment.ReadWrite.All', 'User.Read.All', 'Organization.Read.All'] },
  graph: {
    users: [
      { id: U.withLoc, displayName: 'Loc', usageLocation: 'GB' },
      { id: U.noLoc, displayName: 'NoLoc' },
      {
        id: U.inherited,
        displayName: 'Inherited',
        usageLocation: 'FR',
        assignedLicenses: [{ skuId: FS, disabledPlans: [] }],
        licenseAssignmentStates: [{ skuId: FS, disabledPlans: [], assignedByGroup: GROUP, state: 'Active', error: 'None', lastUpdatedDateTime: '2024-01-01T00:00:00Z' }],
      },
    ],
    subscribedSkus: [
      { skuId: FS, skuPartNumber: 'DYN365_FIELD_SERVICE', consumedUnits: 1, prepaidUnits: { enabled: 3, suspended: 0, warning: 0, lockedOut: 0 }, servicePlans: [{ servicePlanId: PLAN, servicePlanName: 'FS_PLAN', provisioningStatus: 'Success', appliesTo: 'User' }] },
      { skuId: FULL, skuPartNumber: 'FULL_SKU', consumedUnits: 5, prepaidUnits: { enabled: 5, suspended: 0, warning: 0, lockedOut: 0 } },
    ],
  },
});

let s: RunningSim;
beforeEach(async () => {
  await s?.stop();
  s = await startSim(fixture());
});
afterAll(() => s.stop());

const assign = (user: string, body: unknown) => s.graph('POST', `/users/${user}/assignLicense`, { body });
const sku = (id: string) => s.sim.state.graph.subscribedSkus.find((x) => x.skuId === id)!;

describe('assignLicense (user-assignlicense.md)', () => {
  it('success → 200 with the user; assignedLicenses, licenseAssignmentStates (direct, Active) and consumedUnits change', async () => {
    const res = await assign(U.withLoc, { addLicenses: [{ skuId: FS, disabledPlans: [PLAN] }], removeLicenses: [] });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: U.withLoc, displayName: 'Loc' });
    expect(res.json['@odata.context']).toBe(`${s.info.graphBaseUrl}/$metadata#users/$entity`);
    const u = s.sim.state.graph.users.get(U.withLoc)!;
    expect(u.assignedLicenses).toEqual([{ disabledPlans: [PLAN], skuId: FS }]);
    expect(u.licenseAssignmentStates).toEqual([{ skuId: FS, disabledPlans: [PLAN], assignedByGroup: null, state: 'Active', error: 'None', lastUpdatedDateTime: expect.any(String) }]);
    expect(sku(FS).consumedUnits).toBe(2);
  });

  it('re-adding a held SKU updates disabledPlans without consuming another unit (learn.microsoft.com/graph/api/user-assignlicense [observed])', async () => {
    await assign(U.withLoc, { addLicenses: [{ skuId: FS, disabledPlans: [] }], removeLicenses: [] });
    await assign(U.withLoc, { addLicenses: [{ skuId: FS, disabledPlans: [PLAN] }], removeLicenses: [] });
    expect(sku(FS).consumedUnits).toBe(2);
    expect(s.sim.state.graph.users.get(U.withLoc)!.assignedLicenses).toEqual([{ disabledPlans: [PLAN], skuId: FS }]);
  });

  it('removing a direct licence frees its unit', async () => {
    await assign(U.withLoc, { addLicenses: [{ skuId: FS, disabledPlans: [] }], removeLicenses: [] });
    const res = await assign(U.withLoc, { addLicenses: [], removeLicenses: [FS] });
    expect(res.status).toBe(200);
    expect(sku(FS).consumedUnits).toBe(1);
    expect(s.sim.state.graph.users.get(U.withLoc)!.assignedLicenses).toEqual([]);
  });

  it.each([
    { reason: 'addLicenses missing', body: { removeLicenses: [] } },
    { reason: 'removeLicenses missing', body: { addLicenses: [{ skuId: FS, disabledPlans: [] }] } },
    { reason: 'addLicenses null', body: { addLicenses: null, removeLicenses: [] } },
    { reason: 'removeLicenses null', body: { addLicenses: [], removeLicenses: null } },
    { reason: 'a skuId that is not a GUID', body: { addLicenses: [{ skuId: 'FS' }], removeLicenses: [] } },
  ])('400 when $reason: both collections are required, non-null (CSDL assignLicense parameters)', async ({ body }) => {
    const res = await assign(U.withLoc, body);
    expect(res.status).toBe(400);
    expect(sku(FS).consumedUnits).toBe(1);
  });

  it('unknown user → 404 Request_ResourceNotFound', async () => {
    const res = await assign('eeeeeeee-0000-0000-0000-000000000099', { addLicenses: [{ skuId: FS, disabledPlans: [] }], removeLicenses: [] });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('Request_ResourceNotFound');
  });

  it('no usageLocation → 400 "License assignment cannot be done for user with invalid usage location." (learn.microsoft.com/graph/api/user-assignlicense [observed])', async () => {
    const res = await assign(U.noLoc, { addLicenses: [{ skuId: FS, disabledPlans: [] }], removeLicenses: [] });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'Request_BadRequest', message: 'License assignment cannot be done for user with invalid usage location.' });
    expect(sku(FS).consumedUnits).toBe(1);
  });

  it('a SKU the tenant does not subscribe to → 400 (learn.microsoft.com/graph/api/user-assignlicense)', async () => {
    const res = await assign(U.withLoc, { addLicenses: [{ skuId: 'f5000000-0000-0000-0000-000000000099', disabledPlans: [] }], removeLicenses: [] });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('Request_BadRequest');
  });

  it('no free units (enabled − consumed ≤ 0) → 400 "Subscription with SKU … does not have any available licenses." (learn.microsoft.com/graph/api/user-assignlicense)', async () => {
    const res = await assign(U.withLoc, { addLicenses: [{ skuId: FULL, disabledPlans: [] }], removeLicenses: [] });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe(`Subscription with SKU ${FULL} does not have any available licenses.`);
    expect(sku(FULL).consumedUnits).toBe(5);
  });

  it('removing a group-inherited licence → 400 and it stays (learn.microsoft.com/graph/api/user-assignlicense [observed])', async () => {
    const res = await assign(U.inherited, { addLicenses: [], removeLicenses: [FS] });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe('User license is inherited from a group membership and it cannot be removed directly from the user.');
    expect(s.sim.state.graph.users.get(U.inherited)!.assignedLicenses).toEqual([{ skuId: FS, disabledPlans: [] }]);
  });

  it('removing a SKU the user does not have → 400 (docs silent: stricter choice)', async () => {
    const res = await assign(U.withLoc, { addLicenses: [], removeLicenses: [FS] });
    expect(res.status).toBe(400);
  });

  it('a direct assignment on top of an inherited one consumes no unit; assignedLicenses lists the SKU once', async () => {
    const res = await assign(U.inherited, { addLicenses: [{ skuId: FS, disabledPlans: [] }], removeLicenses: [] });
    expect(res.status).toBe(200);
    expect(sku(FS).consumedUnits).toBe(1);
    const u = s.sim.state.graph.users.get(U.inherited)!;
    expect(u.assignedLicenses).toEqual([{ disabledPlans: [], skuId: FS }]);
    expect((u.licenseAssignmentStates as { assignedByGroup: string | null }[]).map((x) => x.assignedByGroup)).toEqual([GROUP, null]);
  });
});

describe('GET /subscribedSkus (subscribedsku-list.md)', () => {
  it('returns every field of the resource', async () => {
    const res = await s.graph('GET', '/subscribedSkus');
    expect(res.status).toBe(200);
    expect(res.json.value[0]).toEqual({
      accountId: s.info.tenantId,
      accountName: 'contoso',
      appliesTo: 'User',
      capabilityStatus: 'Enabled',
      consumedUnits: 1,
      id: `${s.info.tenantId}_${FS}`,
      prepaidUnits: { enabled: 3, suspended: 0, warning: 0, lockedOut: 0 },
      servicePlans: [{ servicePlanId: PLAN, servicePlanName: 'FS_PLAN', provisioningStatus: 'Success', appliesTo: 'User' }],
      skuId: FS,
      skuPartNumber: 'DYN365_FIELD_SERVICE',
      subscriptionIds: [],
    });
  });

  it('$select is supported', async () => {
    const res = await s.graph('GET', '/subscribedSkus?$select=skuId,consumedUnits,prepaidUnits');
    expect(res.json.value).toEqual([
      { skuId: FS, consumedUnits: 1, prepaidUnits: { enabled: 3, suspended: 0, warning: 0, lockedOut: 0 } },
      { skuId: FULL, consumedUnits: 5, prepaidUnits: { enabled: 5, suspended: 0, warning: 0, lockedOut: 0 } },
    ]);
  });

  it('$filter is not supported → 400', async () => {
    const res = await s.graph('GET', `/subscribedSkus?$filter=${encodeURIComponent(`skuId eq ${FS}`)}`);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('Request_UnsupportedQuery');
  });
});
