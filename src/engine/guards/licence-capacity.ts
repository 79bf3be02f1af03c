/**
 * Licence capacity: a run never asks for more licence units than the SKU has free.
 *
 * Units free = prepaidUnits.enabled − consumedUnits of LICENSE_SKU_ID, as observed at the start of
 * the run (anchors-and-lessons.md §C.2 item 5: pre-check subscribedSkus in the plan). Units that
 * this run's licence.remove changes would free are not counted: apply sends assignments before
 * removals and Graph does not promise an order inside a $batch, so the next run uses them.
 *
 * When the assignments exceed the free units, the oldest contacts get them (Dataverse createdon,
 * then contact id; a contact without createdon comes last): first come, first served, and the same
 * observation always picks the same people. The others' licence.assign is held back with
 * NO_LICENCE_UNITS and their status is no_licence_units; their other changes still apply (apply
 * skips only what depends on a held change), and the next run with free units assigns theirs.
 */
import type { ContactPlan } from '../../model/plan.js';
import type { ContactRow } from '../../model/rows.js';
import type { PlanGuard } from '../seams.js';
import { applyGuardEdits, NO_LICENCE_UNITS, type Hold } from './hold.js';

const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

/** Sort key: creation time (ms, a missing one last), then contact id. */
export function byAge(contacts: ReadonlyMap<string, ContactRow>): (a: string, b: string) => number {
  const time = (id: string): number => {
    const t = Date.parse(contacts.get(lc(id))?.createdon ?? '');
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
  };
  return (a, b) => {
    const ta = time(a);
    const tb = time(b);
    if (ta !== tb) return ta < tb ? -1 : 1;
    return lc(a) < lc(b) ? -1 : lc(a) > lc(b) ? 1 : 0;
  };
}

export const licenceCapacityGuard: PlanGuard = {
  guard(plan, { observation, settings }) {
    const sku = observation.subscribedSkus.find((s) => lc(s.skuId) === lc(settings.licenseSkuId));
    if (!sku) return plan; // the plan already stopped the run with SKU_NOT_SUBSCRIBED
    const free = sku.prepaidUnits.enabled - sku.consumedUnits;
    const assigns = plan.changes.filter((c) => c.kind === 'licence.assign' && !c.blocked);
    const licence = { ...plan.summary.licence, unitsNeeded: assigns.length, unitsAvailable: free };
    const available = Math.max(0, free);
    if (assigns.length <= available) return applyGuardEdits(plan, { holds: new Map(), licence });

    const rows = new Map(observation.contacts.map((c) => [lc(c.contactid), c]));
    const order = byAge(rows);
    const ordered = [...assigns].sort((a, b) => order(a.contactId, b.contactId));
    const name = sku.skuPartNumber || sku.skuId;
    const hold: Hold = {
      code: NO_LICENCE_UNITS,
      reason: `No licence unit of ${name} is left for this technician: this run needs ${assigns.length} and ${available} ${available === 1 ? 'is' : 'are'} free; the oldest contacts get them first.`,
      action: `Buy more units of ${name} or free some (remove the licence from people who no longer need it); the next run assigns them.`,
    };
    const held = ordered.slice(available);
    const holds = new Map(held.map((c) => [c.id, hold]));
    const contacts = new Map<string, Partial<ContactPlan>>(held.map((c) => [c.contactId, { status: 'no_licence_units' }]));
    return applyGuardEdits(plan, { holds, contacts, licence });
  },
};
