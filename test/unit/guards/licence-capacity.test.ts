/**
 * Licence capacity (src/engine/guards/licence-capacity.ts): units free = prepaidUnits.enabled −
 * consumedUnits (learn.microsoft.com/graph/api/subscribedsku-list, subscribedSku; seats
 * running out are otherwise seen only after the fact, e.g. MicrosoftDocs/azure-docs#109703).
 * Assignments beyond them are held back in a stable order,
 * the oldest contacts first.
 */
import { describe, expect, it } from 'vitest';
import { licenceCapacityGuard, NO_LICENCE_UNITS, QUARANTINED } from '../../../src/engine/guards/index.js';
import type { Plan } from '../../../src/model/plan.js';
import type { SubscribedSku } from '../../../src/model/rows.js';
import { SKU } from '../../support/model.js';
import { context, contactRow, newTechnician, planOf } from './builders.js';

const sku = (enabled: number, consumed: number): SubscribedSku => ({
  skuId: SKU, skuPartNumber: 'D365_FIELD_SERVICE_CONTRACTOR', capabilityStatus: 'Enabled', consumedUnits: consumed, prepaidUnits: { enabled, suspended: 0, warning: 0 },
});
const heldContacts = (plan: Plan): string[] => plan.changes.filter((c) => c.blocked?.code === NO_LICENCE_UNITS).map((c) => c.subject.id);

/** Contact ids in id order, created in another order (t-h is the oldest). */
const CREATED: Record<string, string | null> = {
  't-a': '2026-03-01T00:00:00Z',
  't-b': '2026-01-05T00:00:00Z',
  't-c': null,
  't-d': '2026-02-01T00:00:00Z',
  't-e': '2026-01-05T00:00:00Z',
  't-f': '2026-06-01T00:00:00Z',
  't-g': null,
  't-h': '2025-12-24T00:00:00Z',
};
const contacts = Object.entries(CREATED).map(([id, createdon]) => contactRow(id, { createdon }));
const everyone = Object.keys(CREATED).flatMap(newTechnician);

const cases: { reason: string; free: [number, number]; held: string[] }[] = [
  { reason: 'enough free units: nothing is held', free: [100, 50], held: [] },
  { reason: 'exactly enough (8 free for 8): nothing is held', free: [100, 92], held: [] },
  {
    reason: '5 free for 8: the oldest 5 (createdon, ties by id) get them; contacts without createdon come last, by id',
    free: [20, 15],
    held: ['t-c', 't-f', 't-g'],
  },
  { reason: 'one free: only the oldest contact gets it', free: [20, 19], held: ['t-a', 't-b', 't-c', 't-d', 't-e', 't-f', 't-g'] },
  { reason: 'none free', free: [20, 20], held: Object.keys(CREATED) },
  { reason: 'more consumed than enabled (units suspended): none free, nobody over-assigned', free: [20, 23], held: Object.keys(CREATED) },
];

describe('licence capacity guard', () => {
  for (const c of cases) {
    it(c.reason, () => {
      const [enabled, consumed] = c.free;
      const out = licenceCapacityGuard.guard(planOf(everyone), context({ observation: { contacts, subscribedSkus: [sku(enabled, consumed)] } }));
      expect(heldContacts(out).sort()).toEqual(c.held);
      expect(out.subjects.filter((p) => p.status === 'no_licence_units').map((p) => p.subject.id).sort()).toEqual(c.held);
      expect(out.summary.licences[0]!).toMatchObject({ unitsNeeded: 8, unitsAvailable: enabled - consumed });
      // Only licence assignments are held: every invitation and group membership still applies.
      expect(out.changes.filter((ch) => ch.blocked).every((ch) => ch.kind === 'licence.assign')).toBe(true);
    });
  }

  it('tells the contact why and what to do, naming the SKU', () => {
    const out = licenceCapacityGuard.guard(planOf(everyone), context({ observation: { contacts, subscribedSkus: [sku(20, 15)] } }));
    expect(out.changes.find((c) => c.id === 't-c/licence.assign')!.blocked).toEqual({
      code: NO_LICENCE_UNITS,
      reason: 'No licence unit of D365_FIELD_SERVICE_CONTRACTOR is left for this technician: this run needs 8 and 5 are free; the oldest contacts get them first.',
      action: 'Buy more units of D365_FIELD_SERVICE_CONTRACTOR or free some (remove the licence from people who no longer need it); the next run assigns them.',
    });
  });

  it('gives the same people the units whatever the order of the observation (stable)', () => {
    const a = licenceCapacityGuard.guard(planOf(everyone), context({ observation: { contacts, subscribedSkus: [sku(20, 15)] } }));
    const b = licenceCapacityGuard.guard(planOf([...everyone].reverse()), context({ observation: { contacts: [...contacts].reverse(), subscribedSkus: [sku(20, 15)] } }));
    expect(heldContacts(b).sort()).toEqual(heldContacts(a).sort());
  });

  it('does not give a unit to, nor count as needed, an assignment another guard already holds back', () => {
    const changes = everyone.map((c) => (c.subject.id === 't-h' && c.kind === 'licence.assign' ? { ...c, blocked: { code: QUARANTINED, reason: 'q' } } : c));
    const out = licenceCapacityGuard.guard(planOf(changes), context({ observation: { contacts, subscribedSkus: [sku(20, 15)] } }));
    expect(out.summary.licences[0]!.unitsNeeded).toBe(7);
    // t-h (the oldest) is out of the count: the next five oldest get the five units.
    expect(heldContacts(out).sort()).toEqual(['t-c', 't-g']);
    expect(out.changes.find((c) => c.id === 't-h/licence.assign')!.blocked!.code).toBe(QUARANTINED);
  });

  it('leaves the plan alone when the SKU is not observed (the plan has already stopped the run)', () => {
    const plan = planOf(everyone);
    expect(licenceCapacityGuard.guard(plan, context({ observation: { contacts, subscribedSkus: [] } }))).toBe(plan);
  });
});
