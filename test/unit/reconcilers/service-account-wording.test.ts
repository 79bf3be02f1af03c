/**
 * The reasons a vendor admin reads for a service-account contact name a service account, never a
 * guest (presence.ts has words for each account type).
 */
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/engine/compose.js';
import { applyPlan, observation, userSync } from '../../support/model.js';
import { SA_ID, SKU_B, saContact, saSettings, sku } from './service-account-fixture.js';

const settings = saSettings([sku, SKU_B]);
const subscribed = observation().subscribedSkus.concat([{ skuId: SKU_B, skuPartNumber: 'DYN365_REMOTE_ASSIST', capabilityStatus: 'Enabled', consumedUnits: 0, prepaidUnits: { enabled: 5, suspended: 0, warning: 0 } }]);

describe('service-account reasons', () => {
  it('a new service account: no reason calls it a guest', () => {
    const o = observation({ contacts: [saContact({ o25fs_entraobjectid: null, _o25fs_bookableresourceid_value: null })], subscribedSkus: subscribed });
    const plan = buildPlan(o, settings, { kind: 'tenant' });
    expect(plan.changes.filter((c) => /guest/i.test(c.reason)).map((c) => [c.id, c.reason])).toEqual([]);
  });

  it('a deactivated service account: no reason calls it a guest', () => {
    const o0 = observation({ contacts: [saContact({ o25fs_entraobjectid: null, _o25fs_bookableresourceid_value: null })], subscribedSkus: subscribed });
    const converged = userSync(applyPlan(o0, buildPlan(o0, settings, { kind: 'tenant' })));
    const o1 = userSync(applyPlan(converged, buildPlan(converged, settings, { kind: 'tenant' })));
    const off = { ...o1, contacts: o1.contacts.map((c) => (c.contactid === SA_ID ? { ...c, statecode: 1 } : c)) };
    const plan = buildPlan(off, settings, { kind: 'tenant' });
    expect(plan.changes.length).toBeGreaterThan(0);
    expect(plan.changes.filter((c) => /guest/i.test(c.reason)).map((c) => [c.id, c.reason])).toEqual([]);
  });
});
