/**
 * Conformance: a user's onPremisesExtensionAttributes (where vendor-reconciler keeps its ownership
 * mark). Source: Learn resources/onpremisesextensionattributes.md: fifteen string attributes
 * extensionAttribute1–15, "Each attribute can store up to 1024 characters", settable on create or
 * update for a cloud-only user, read-only for a user synced from on-premises Active Directory;
 * resources/user.md: returned only on $select. The docs do not say whether a PATCH merges the named
 * attributes or replaces the complex value: the simulator takes the stricter reading, replace
 * (docs/simulator-graph.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

const U1 = 'eeeeeeee-0000-0000-0000-0000000000e1';
const SYNCED = 'eeeeeeee-0000-0000-0000-0000000000e2';
const ATTRS = '$select=id,onPremisesExtensionAttributes';

let s: RunningSim;
beforeAll(async () => {
  s = await startSim({
    app: { roles: ['User.ReadWrite.All'] },
    graph: {
      users: [
        { id: U1, displayName: 'Jane', mail: 'jane@vendor.com', userPrincipalName: 'jane_vendor.com#EXT#@contoso.onmicrosoft.com', userType: 'Guest' },
        { id: SYNCED, displayName: 'Synced', userPrincipalName: 'synced@contoso.com', userType: 'Member', onPremisesSyncEnabled: true },
      ],
    },
  });
});
afterAll(() => s.stop());

const read = async (id: string) => ((await s.graph('GET', `/users/${id}?${ATTRS}`)).json as { onPremisesExtensionAttributes: Record<string, string | null> }).onPremisesExtensionAttributes;

describe('onPremisesExtensionAttributes (onpremisesextensionattributes.md)', () => {
  it('is returned only with $select, as all fifteen attributes (null when unset)', async () => {
    const plain = (await s.graph('GET', `/users/${U1}`)).json as Record<string, unknown>;
    expect(plain).not.toHaveProperty('onPremisesExtensionAttributes');
    const attrs = await read(U1);
    expect(Object.keys(attrs)).toEqual(Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`));
    expect(Object.values(attrs).every((v) => v === null)).toBe(true);
  });

  it('PATCH sets the attributes it names and (stricter: replace) clears the ones it leaves out', async () => {
    expect((await s.graph('PATCH', `/users/${U1}`, { body: { onPremisesExtensionAttributes: { extensionAttribute1: 'a', extensionAttribute15: 'mark' } } })).status).toBe(204);
    expect(await read(U1)).toMatchObject({ extensionAttribute1: 'a', extensionAttribute15: 'mark' });
    expect((await s.graph('PATCH', `/users/${U1}`, { body: { onPremisesExtensionAttributes: { extensionAttribute15: 'mark2' } } })).status).toBe(204);
    expect(await read(U1)).toMatchObject({ extensionAttribute1: null, extensionAttribute15: 'mark2' });
  });

  it('1,024 characters at most; an unknown attribute or a non-object is 400 and changes nothing', async () => {
    expect((await s.graph('PATCH', `/users/${U1}`, { body: { onPremisesExtensionAttributes: { extensionAttribute2: 'x'.repeat(1024) } } })).status).toBe(204);
    for (const body of [{ extensionAttribute2: 'x'.repeat(1025) }, { extensionAttribute16: 'x' }, 'text']) {
      expect((await s.graph('PATCH', `/users/${U1}`, { body: { onPremisesExtensionAttributes: body } })).status).toBe(400);
    }
    expect((await read(U1)).extensionAttribute2).toHaveLength(1024);
  });

  it('a user synced from on-premises Active Directory: read-only, 400', async () => {
    expect((await s.graph('PATCH', `/users/${SYNCED}`, { body: { onPremisesExtensionAttributes: { extensionAttribute1: 'x' } } })).status).toBe(400);
  });
});
