/**
 * Conformance: group-based licensing (packages/tenant-sim/src/graph/group-licensing.ts). Sources:
 * - learn.microsoft.com/graph/api/group-assignlicense: "Add or remove licenses on a group. Licenses
 *   assigned to the group will be assigned to all users in the group." … "If successful, this method
 *   returns a 202 Accepted response code and a target group object in the response body."
 * - learn.microsoft.com/graph/api/resources/licenseassignmentstate: assignedByGroup "If directly
 *   assigned, this field is null; if inherited through a group membership, this field contains the
 *   ID of the group"; error "The possible values are CountViolation, …"; state "Active,
 *   ActiveWithError, Disabled, and Error".
 * - Entra "Assign licenses to users by group membership" (licensing-groups-assign.md): "Microsoft
 *   Entra ID processes all existing members of that group. This process might take some time".
 * - Entra "Resolve group license assignment problems" (licensing-groups-resolve-problems.md): "the
 *   same errors can occur, but they happen in the background … they're recorded on the user
 *   object"; "Not enough licenses … PowerShell cmdlets report this error as CountViolation";
 *   members licensed by two groups "still consume only one license for that product".
 * - group.md: assignedLicenses "Returned only on $select".
 * - user-assignlicense [observed]: removing an inherited licence directly is a 400.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../../src/index.js';
import { startSim, type RunningSim } from '../support/sim.js';

const FS = 'f5000000-0000-0000-0000-000000000001';
const OTHER = 'f5000000-0000-0000-0000-000000000002';
const LICENSED = 'a9000000-0000-0000-0000-000000000001';
const PLAIN = 'a9000000-0000-0000-0000-000000000002';
const [ANN, BOB, CY] = ['eeeeeeee-0000-0000-0000-000000000001', 'eeeeeeee-0000-0000-0000-000000000002', 'eeeeeeee-0000-0000-0000-000000000003'];
const ref = (id: string) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`;

const fixture = (over: { units?: number; delayMs?: number; members?: string[] } = {}): Fixture => ({
  app: { roles: ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'GroupMember.ReadWrite.All', 'GroupMember.Read.All'] },
  environment: { groupLicensingDelayMs: over.delayMs ?? 0 },
  graph: {
    users: [ANN, BOB, CY].map((id, i) => ({ id, displayName: `User ${i}`, userType: 'Guest' })),
    groups: [
      { id: LICENSED, displayName: 'Technicians', members: over.members ?? [], assignedLicenses: [{ skuId: FS }] },
      { id: PLAIN, displayName: 'Plain', members: [] },
    ],
    subscribedSkus: [
      { skuId: FS, skuPartNumber: 'DYN365_FIELD_SERVICE', consumedUnits: 0, prepaidUnits: { enabled: over.units ?? 5, suspended: 0, warning: 0, lockedOut: 0 } },
      { skuId: OTHER, skuPartNumber: 'OTHER', consumedUnits: 0, prepaidUnits: { enabled: 5, suspended: 0, warning: 0, lockedOut: 0 } },
    ],
  },
});

let s: RunningSim;
const start = async (f: Fixture) => {
  await s?.stop();
  s = await startSim(f);
};
beforeEach(() => start(fixture()));
afterAll(() => s.stop());

const user = (id: string) => s.sim.state.graph.users.get(id)!;
const sku = (id: string) => s.sim.state.graph.subscribedSkus.find((x) => x.skuId === id)!;
const add = (group: string, member: string) => s.graph('POST', `/groups/${group}/members/$ref`, { body: { '@odata.id': ref(member) } });
/** Any later Graph request: processing due by then happens before it is served. */
const later = () => s.graph('GET', `/users/${ANN}?$select=id`);
const states = (id: string) => user(id).licenseAssignmentStates as { skuId: string; assignedByGroup: string | null; state: string; error: string }[];

describe('group-based licensing (group-assignlicense.md, licenseassignmentstate.md)', () => {
  it('a new member inherits the group licence after processing, never inside the request that added it', async () => {
    expect((await add(LICENSED, ANN)).status).toBe(204);
    expect(user(ANN).assignedLicenses).toEqual([]);
    await later();
    expect(user(ANN).assignedLicenses).toEqual([{ disabledPlans: [], skuId: FS }]);
    expect(states(ANN)).toEqual([{ skuId: FS, disabledPlans: [], assignedByGroup: LICENSED, state: 'Active', error: 'None', lastUpdatedDateTime: expect.any(String) }]);
    expect(sku(FS).consumedUnits).toBe(1);
  });

  it('members added by PATCH members@odata.bind inherit it too; a group with no licence gives none', async () => {
    expect((await s.graph('PATCH', `/groups/${LICENSED}`, { body: { 'members@odata.bind': [ref(ANN), ref(BOB)] } })).status).toBe(204);
    await add(PLAIN, CY);
    await later();
    expect([ANN, BOB, CY].map((id) => user(id).assignedLicenses)).toEqual([[{ disabledPlans: [], skuId: FS }], [{ disabledPlans: [], skuId: FS }], []]);
  });

  it('processing waits groupLicensingDelayMs ("This process might take some time"); while it is due the member has no entry', async () => {
    await start(fixture({ delayMs: 400 }));
    await add(LICENSED, ANN);
    await later();
    expect(states(ANN)).toEqual([]);
    await new Promise((r) => setTimeout(r, 450));
    await later();
    expect(states(ANN).map((x) => [x.assignedByGroup, x.state])).toEqual([[LICENSED, 'Active']]);
  });

  it('with no unit free the entry is state Error, error CountViolation, and the SKU is not assigned (licensing-groups-resolve-problems.md)', async () => {
    await start(fixture({ units: 1 }));
    await s.graph('PATCH', `/groups/${LICENSED}`, { body: { 'members@odata.bind': [ref(ANN), ref(BOB)] } });
    await later();
    expect(states(ANN).map((x) => [x.state, x.error])).toEqual([['Active', 'None']]);
    expect(states(BOB)).toEqual([{ skuId: FS, disabledPlans: [], assignedByGroup: LICENSED, state: 'Error', error: 'CountViolation', lastUpdatedDateTime: expect.any(String) }]);
    expect(user(BOB).assignedLicenses).toEqual([]);
    expect(sku(FS).consumedUnits).toBe(1);
  });

  it('a failed entry stays failed until the member is processed again (docs: processing must be triggered again; stricter)', async () => {
    await start(fixture({ units: 1, members: [ANN, BOB] }));
    expect(states(BOB).map((x) => x.error)).toEqual(['CountViolation']);
    sku(FS).prepaidUnits = { enabled: 2, suspended: 0, warning: 0, lockedOut: 0 };
    await later();
    expect(states(BOB).map((x) => x.error)).toEqual(['CountViolation']);
    await s.graph('DELETE', `/groups/${LICENSED}/members/${BOB}/$ref`);
    await add(LICENSED, BOB);
    await later();
    expect(states(BOB).map((x) => [x.state, x.error])).toEqual([['Active', 'None']]);
  });

  it('leaving the group removes the inherited licence and frees its unit', async () => {
    await start(fixture({ members: [ANN] }));
    expect(sku(FS).consumedUnits).toBe(1);
    expect((await s.graph('DELETE', `/groups/${LICENSED}/members/${ANN}/$ref`)).status).toBe(204);
    await later();
    expect(user(ANN).assignedLicenses).toEqual([]);
    expect(states(ANN)).toEqual([]);
    expect(sku(FS).consumedUnits).toBe(0);
  });

  it('a member who also has the SKU directly consumes one unit; leaving the group keeps the direct one', async () => {
    await start(fixture({ members: [ANN] }));
    user(ANN).usageLocation = 'GB';
    expect((await s.graph('POST', `/users/${ANN}/assignLicense`, { body: { addLicenses: [{ skuId: FS, disabledPlans: [] }], removeLicenses: [] } })).status).toBe(200);
    expect(sku(FS).consumedUnits).toBe(1);
    await s.graph('DELETE', `/groups/${LICENSED}/members/${ANN}/$ref`);
    await later();
    expect(states(ANN).map((x) => x.assignedByGroup)).toEqual([null]);
    expect(user(ANN).assignedLicenses).toEqual([{ disabledPlans: [], skuId: FS }]);
    expect(sku(FS).consumedUnits).toBe(1);
  });

  it('removing an inherited licence through the user\'s assignLicense → 400, and it stays (user-assignlicense [observed])', async () => {
    await start(fixture({ members: [ANN] }));
    const res = await s.graph('POST', `/users/${ANN}/assignLicense`, { body: { addLicenses: [], removeLicenses: [FS] } });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe('User license is inherited from a group membership and it cannot be removed directly from the user.');
    expect(user(ANN).assignedLicenses).toEqual([{ disabledPlans: [], skuId: FS }]);
  });

  it('POST /groups/{id}/assignLicense → 202 with the group; its members inherit the new licence, and lose a removed one', async () => {
    await start(fixture({ members: [ANN] }));
    const res = await s.graph('POST', `/groups/${LICENSED}/assignLicense`, { body: { addLicenses: [{ skuId: OTHER, disabledPlans: [] }], removeLicenses: [FS] } });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ id: LICENSED, assignedLicenses: [{ disabledPlans: [], skuId: OTHER }] });
    await later();
    expect(user(ANN).assignedLicenses).toEqual([{ disabledPlans: [], skuId: OTHER }]);
    expect([sku(FS).consumedUnits, sku(OTHER).consumedUnits]).toEqual([0, 1]);
  });

  it('group assignLicense refuses an unknown SKU (400) and, docs silent, removing a SKU the group lacks (stricter)', async () => {
    const unknown = await s.graph('POST', `/groups/${PLAIN}/assignLicense`, { body: { addLicenses: [{ skuId: 'f5000000-0000-0000-0000-000000000099', disabledPlans: [] }], removeLicenses: [] } });
    expect(unknown.status).toBe(400);
    const lacking = await s.graph('POST', `/groups/${PLAIN}/assignLicense`, { body: { addLicenses: [], removeLicenses: [FS] } });
    expect(lacking.status).toBe(400);
    expect(s.sim.state.graph.groups.get(PLAIN)!.assignedLicenses).toEqual([]);
  });

  it('GET /groups/{id} shows assignedLicenses only on $select (group.md)', async () => {
    const plain = await s.graph('GET', `/groups/${LICENSED}`);
    expect(plain.json.id).toBe(LICENSED);
    expect(plain.json.assignedLicenses).toBeUndefined();
    const selected = await s.graph('GET', `/groups/${LICENSED}?$select=id,assignedLicenses`);
    expect(selected.json).toMatchObject({ id: LICENSED, assignedLicenses: [{ disabledPlans: [], skuId: FS }] });
  });

  it('a fixture group\'s members are licensed at load, and GET /_sim/state gives the group its assignedLicenses back', async () => {
    await start(fixture({ members: [ANN] }));
    expect(states(ANN).map((x) => [x.assignedByGroup, x.state])).toEqual([[LICENSED, 'Active']]);
    const state = await s.admin('GET', '/state');
    expect(state.json.graph.groups[0]).toEqual({ id: LICENSED, displayName: 'Technicians', members: [ANN], assignedLicenses: [{ skuId: FS, disabledPlans: [] }] });
  });

  it('Dataverse\'s user sync counts an inherited licence, not a failed one (create-users.md: "a valid license"); POST /_sim/sync first lets the licensing due finish', async () => {
    const f = fixture({ units: 1 });
    f.environment = { ...f.environment, securityGroupId: LICENSED, licensedSkuIds: [FS] };
    await start(f);
    await s.graph('PATCH', `/groups/${LICENSED}`, { body: { 'members@odata.bind': [ref(ANN), ref(BOB)] } });
    expect((await s.admin('POST', '/sync')).status).toBe(204);
    const synced = [...s.sim.state.dataverse.table('systemusers').values()].map((r) => r.azureactivedirectoryobjectid);
    expect(synced).toEqual([ANN]);
    expect(states(BOB).map((x) => x.error)).toEqual(['CountViolation']);
  });
});

