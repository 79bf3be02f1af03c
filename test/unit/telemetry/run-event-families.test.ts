/**
 * The run event over a plan that draws two SKUs and plans two families (src/telemetry/run-event.ts):
 * the measurements dashboards read keep their names, the licence numbers cover every SKU, each
 * family is counted, and a one-SKU technicians run sends exactly the properties it always did.
 */
import { describe, expect, it } from 'vitest';
import type { LicenceSummary } from '../../../src/model/plan.js';
import { subjectKey, type RunRecord } from '../../../src/model/run.js';
import { runEvent } from '../../../src/telemetry/run-event.js';
import { makeRun } from '../report/fixture.js';

const SECOND_SKU: LicenceSummary = { skuId: 'd0000000-0000-4000-8000-0000000000e5', skuPartNumber: 'EXCHANGESTANDARD', unitsNeeded: 3, unitsAvailable: 10 };

/** The report fixture's run plus one service-account subject of a second family, on a second SKU. */
function twoFamilies(secondAvailable: number | null): RunRecord {
  const run = makeRun();
  const subject = { family: 'accounts', table: 'serviceaccounts', id: run.plan.subjects[0]!.subject.id, displayName: 'svc-backup', group: null };
  const plan = {
    ...run.plan,
    subjects: [...run.plan.subjects, { subject, intent: 'provision' as const, status: 'active' as const, storedStatus: null, storedError: null, changeIds: [] }],
    summary: { ...run.plan.summary, licences: [...run.plan.summary.licences, { ...SECOND_SKU, unitsAvailable: secondAvailable }] },
  };
  return { ...run, plan, statuses: { ...run.statuses, [subjectKey(subject)]: 'active' } };
}

describe('the run event with two families and two SKUs', () => {
  it('sums the licence units over both SKUs, names both SKUs and counts each family', () => {
    const one = makeRun();
    const [first] = one.plan.summary.licences;
    const event = runEvent(twoFamilies(10), 1000);
    expect(event.measurements).toMatchObject({
      contacts: one.plan.subjects.length + 1,
      licenceUnitsNeeded: first!.unitsNeeded + 3,
      licenceUnitsAvailable: (first!.unitsAvailable ?? 0) + 10,
      licenceSkus: 2,
      'subjects.technicians': one.plan.subjects.length,
      'subjects.accounts': 1,
      'contacts.active': 2,
    });
    expect(event.properties.licenceSkuId).toBe(first!.skuId);
    expect(event.properties.licenceSkuIds).toBe(`${first!.skuId},${SECOND_SKU.skuId}`);
  });

  it('leaves the available units out when one SKU\'s are unknown (a sum would understate them)', () => {
    const event = runEvent(twoFamilies(null), 1000);
    expect(event.measurements.licenceUnitsAvailable).toBeUndefined();
    expect(event.measurements.licenceSkus).toBe(2);
  });

  it('a one-SKU technicians run has no licenceSkuIds property and that SKU\'s own numbers', () => {
    const run = makeRun();
    const event = runEvent(run, 1000);
    expect(event.properties.licenceSkuIds).toBeUndefined();
    expect(event.measurements).toMatchObject({ licenceUnitsNeeded: 2, licenceUnitsAvailable: 1, licenceSkus: 1, 'subjects.technicians': run.plan.subjects.length });
  });
});
