/**
 * A run record as the product stored it before plan version 2 (issue 11): a v1 plan with `contacts`,
 * `contactId` on changes, `contactsByStatus`, one `licence`, and a `vendor` scope. Shared by the
 * mapping test and the stored-record test, so both read the same old bytes.
 */
import type { PlanV1 } from '../../src/model/plan-v1.js';

export const SKU_V1 = 'c0000000-0000-4000-8000-00000000005c';
export const VENDOR_V1 = 'a1000000-0000-4000-8000-000000000001';
export const CONTACT_V1 = 'c1000000-0000-4000-8000-000000000001';
export const RUN_ID_V1 = 'f1000000-0000-4000-8000-000000000001';

export function planV1(): PlanV1 {
  return {
    version: 1,
    generatedAt: '2026-06-01T09:00:00.000Z',
    scope: { kind: 'vendor', vendorId: VENDOR_V1 },
    changes: [
      {
        id: `${CONTACT_V1}/licence.assign`,
        contactId: CONTACT_V1,
        kind: 'licence.assign',
        target: { service: 'graph', entity: 'user', id: 'u-1' },
        before: { skuId: SKU_V1, directlyAssigned: false },
        after: { skuId: SKU_V1, directlyAssigned: true },
        reason: 'The guest has no direct assignment of the technician licence.',
        dependsOn: [],
      },
    ],
    contacts: [
      {
        contactId: CONTACT_V1,
        vendorId: VENDOR_V1,
        vendorName: 'Fabrikam Services',
        displayName: 'Ana Silva',
        intent: 'provision',
        status: 'active',
        storedStatus: 'active',
        storedError: null,
        changeIds: [`${CONTACT_V1}/licence.assign`],
      },
    ],
    orphans: [],
    summary: {
      changesByKind: { 'licence.assign': 1 },
      contactsByStatus: { active: 1 },
      licence: { skuId: SKU_V1, skuPartNumber: 'D365_FIELD_SERVICE_CONTRACTOR', unitsNeeded: 1, unitsAvailable: 4 },
      orphans: 0,
      blockedRemovals: 0,
      errors: 0,
    },
  };
}

/** The stored record around it: an apply that assigned the licence. */
export function runRecordV1(): Record<string, unknown> {
  return {
    runId: RUN_ID_V1,
    mode: 'apply',
    trigger: 'timer',
    scope: { kind: 'vendor', vendorId: VENDOR_V1 },
    startedAt: '2026-06-01T09:00:00.000Z',
    finishedAt: '2026-06-01T09:00:05.000Z',
    outcome: 'succeeded',
    plan: planV1(),
    results: [{ changeId: `${CONTACT_V1}/licence.assign`, contactId: CONTACT_V1, outcome: 'applied' }],
    statuses: { [CONTACT_V1]: 'active' },
  };
}
