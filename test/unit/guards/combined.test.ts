/**
 * The default guard (src/engine/guards/index.ts): quarantine, then licence capacity, then the
 * removal threshold; each sees only what the earlier ones left (docs/operations.md).
 */
import { describe, expect, it } from 'vitest';
import { defaultGuard, NO_LICENCE_UNITS, QUARANTINED, REMOVALS_HELD } from '../../../src/engine/guards/index.js';
import { noopGuard } from '../../../src/engine/seams.js';
import type { SubscribedSku } from '../../../src/model/rows.js';
import { SKU } from '../../support/model.js';
import { context, contactPlan, contactRow, deprovision, members, newTechnician, NOW, planOf } from './builders.js';

const sku: SubscribedSku = { skuId: SKU, skuPartNumber: 'D365_FIELD_SERVICE_CONTRACTOR', capabilityStatus: 'Enabled', consumedUnits: 9, prepaidUnits: { enabled: 10, suspended: 0, warning: 0 } };
const later = new Date(NOW.getTime() + 3_600_000).toISOString();

describe('default guard', () => {
  const table: { reason: string; quarantined: 'new' | 'gone' | null; expected: Record<string, string | undefined> }[] = [
    {
      reason: 'nobody quarantined: the oldest new technician gets the one unit, and 3 deprovisions over a limit of 2 are all held',
      quarantined: null,
      expected: { 'new-a/licence.assign': undefined, 'new-b/licence.assign': NO_LICENCE_UNITS, 'gone-1/licence.remove': REMOVALS_HELD, 'gone-3/group.remove': REMOVALS_HELD },
    },
    {
      reason: 'a quarantined new technician does not take the unit: the next one in line gets it',
      quarantined: 'new',
      expected: { 'new-a/licence.assign': QUARANTINED, 'new-b/licence.assign': undefined, 'gone-1/licence.remove': REMOVALS_HELD },
    },
    {
      reason: 'a quarantined deprovision is not counted: 2 left is within the limit, they apply',
      quarantined: 'gone',
      expected: { 'new-a/licence.assign': undefined, 'new-b/licence.assign': NO_LICENCE_UNITS, 'gone-1/licence.remove': QUARANTINED, 'gone-2/licence.remove': undefined, 'gone-3/group.remove': undefined },
    },
  ];
  for (const t of table) {
    it(t.reason, () => {
      const q = { storedFailures: 3, storedNextAttemptAt: later, storedStatus: 'quarantined' as const };
      const contacts = [
        contactPlan('new-a', { status: 'invited', ...(t.quarantined === 'new' ? q : {}) }),
        contactPlan('gone-1', { status: 'deprovisioned', ...(t.quarantined === 'gone' ? q : {}) }),
      ];
      const plan = planOf([...newTechnician('new-a'), ...newTechnician('new-b'), ...['gone-1', 'gone-2', 'gone-3'].flatMap(deprovision)], contacts);
      const out = defaultGuard.guard(plan, context({
        settings: { maxDeprovisionsPerRun: 2 },
        observation: { groupMemberIds: members(100), subscribedSkus: [sku], contacts: [contactRow('new-a', { createdon: '2026-01-01T00:00:00Z' }), contactRow('new-b', { createdon: '2026-02-01T00:00:00Z' })] },
      }));
      for (const [id, code] of Object.entries(t.expected)) expect(out.changes.find((c) => c.id === id)?.blocked?.code, id).toBe(code);
    });
  }

  it('a plan with nothing to hold passes through unchanged but for the licence counts', () => {
    const plan = planOf(newTechnician('new-a'));
    const out = defaultGuard.guard(plan, context({ observation: { subscribedSkus: [sku], groupMemberIds: members(10) } }));
    expect(out.changes).toEqual(plan.changes);
    expect(out.summary.licences[0]!).toEqual({ ...plan.summary.licences[0]!, unitsNeeded: 1, unitsAvailable: 1 });
    expect(noopGuard.guard(plan, context())).toBe(plan);
  });
});
