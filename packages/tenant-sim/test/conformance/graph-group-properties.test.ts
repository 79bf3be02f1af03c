/**
 * Conformance: the group properties a tenant check reads (GET /groups/{id}?$select=…). Source: Learn
 * resources/group (group resource type): securityEnabled "Specifies whether the group is a security
 * group"; onPremisesSyncEnabled "true if this group is synced from an on-premises directory; false if
 * this group was originally synced from an on-premises directory but is no longer synced; null if this
 * object has never been synced from an on-premises directory (default)". A fixture group may set both;
 * left out, a group is a cloud-only security group, as before these properties were simulated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

const CLOUD = 'a9000000-0000-0000-0000-000000000011';
const SYNCED = 'a9000000-0000-0000-0000-000000000012';
const M365 = 'a9000000-0000-0000-0000-000000000013';
let s: RunningSim | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe('group securityEnabled and onPremisesSyncEnabled', () => {
  it('serves the fixture\'s values, and null / true by default', async () => {
    s = await startSim({
      app: { roles: ['GroupMember.Read.All'] },
      graph: { groups: [{ id: CLOUD, displayName: 'Cloud' }, { id: SYNCED, displayName: 'Synced', onPremisesSyncEnabled: true }, { id: M365, displayName: 'Team', securityEnabled: false }] },
    });
    const get = async (id: string) => (await s!.graph('GET', `/groups/${id}?$select=id,securityEnabled,onPremisesSyncEnabled`)).json;
    expect(await get(CLOUD)).toMatchObject({ id: CLOUD, securityEnabled: true, onPremisesSyncEnabled: null });
    expect(await get(SYNCED)).toMatchObject({ securityEnabled: true, onPremisesSyncEnabled: true });
    expect(await get(M365)).toMatchObject({ securityEnabled: false, onPremisesSyncEnabled: null });
    // The state keeps what the fixture set.
    const groups = s.sim.state.graph.groups;
    expect(groups.get(SYNCED)!.onPremisesSyncEnabled).toBe(true);
  });
});
