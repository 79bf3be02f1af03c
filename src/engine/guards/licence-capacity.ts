/**
 * Licence capacity: a run never asks for more licence units of a SKU than the SKU has free.
 *
 * The guard runs once over the merged plan of every family, SKU by SKU: the SKU of a
 * licence-consuming change is its `after.skuId`, so two families drawing units of the same SKU are
 * counted together against the one pool. Units free = prepaidUnits.enabled − consumedUnits of that
 * SKU, as observed at the start of the run (users report seat exhaustion only after the fact, e.g.
 * MicrosoftDocs/azure-docs#109703, so subscribedSkus is checked in the plan). Units that this run's
 * licence.remove changes would free are not
 * counted: apply sends assignments before removals and Graph does not promise an order inside a
 * $batch, so the next run uses them.
 *
 * When a SKU's assignments exceed its free units, the oldest subjects get them (their source row's
 * creation time as the family reports it, then subject id; one without a time comes last): first
 * come, first served, and the same observation always picks the same people. The others'
 * assignment is held back with NO_LICENCE_UNITS and their status is no_licence_units; their other
 * changes still apply (apply skips only what depends on a held change), and the next run with free
 * units assigns theirs.
 */
import type { Change, LicenceSummary, SubjectPlan } from '../../model/plan.js';
import type { Observation } from '../../model/observation.js';
import type { ConfiguredFamily } from '../family.js';
import { kindRegistryOf, type KindRegistry } from '../kind-registry.js';
import type { PlanGuard } from '../seams.js';
import { applyGuardEdits, NO_LICENCE_UNITS, type Hold } from './hold.js';

const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

/**
 * The SKU a change takes units of, and how many, or null when it takes none: what its kind declares
 * it `consumes` (src/engine/kind.ts), so a new kind that assigns licences is counted without a
 * change here.
 */
export function licenceUseOf(change: Change, registry: Pick<KindRegistry, 'capacityOf'>): { sku: string; units: number } | null {
  const use = registry.capacityOf(change);
  return use && use.units > 0 ? { sku: lc(use.pool), units: use.units } : null;
}

/** The SKU a change takes a unit of, or null when it takes none. */
export function licenceUnitOf(change: Change, registry: Pick<KindRegistry, 'capacityOf'>): string | null {
  return licenceUseOf(change, registry)?.sku ?? null;
}

const unitsOf = (changes: readonly Change[], registry: KindRegistry): number => changes.reduce((n, c) => n + (licenceUseOf(c, registry)?.units ?? 0), 0);

/** Sort key: creation time (ms, a missing one last), then subject id, then family. */
export function byAge(createdAt: (change: Change) => string | null): (a: Change, b: Change) => number {
  const time = (c: Change): number => {
    const t = Date.parse(createdAt(c) ?? '');
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
  };
  return (a, b) => {
    const ta = time(a);
    const tb = time(b);
    if (ta !== tb) return ta < tb ? -1 : 1;
    const ia = lc(a.subject.id);
    const ib = lc(b.subject.id);
    if (ia !== ib) return ia < ib ? -1 : 1;
    return a.subject.family < b.subject.family ? -1 : a.subject.family > b.subject.family ? 1 : 0;
  };
}

function createdAtOf(observation: Observation, families: readonly ConfiguredFamily[]): (change: Change) => string | null {
  const lookups = new Map(families.map((f) => [f.family.name, f.family.createdAt(observation)]));
  return (c) => lookups.get(c.subject.family)?.(c.subject.id) ?? null;
}

export const licenceCapacityGuard: PlanGuard = {
  guard(plan, { observation, families }) {
    const registry = kindRegistryOf(families.map((f) => f.family));
    const assigns = new Map<string, Change[]>();
    for (const c of plan.changes) {
      const sku = c.blocked ? null : licenceUnitOf(c, registry);
      if (sku !== null) assigns.set(sku, [...(assigns.get(sku) ?? []), c]);
    }
    const order = byAge(createdAtOf(observation, families));
    const holds = new Map<string, Hold>();
    const subjects = new Map<string, Partial<SubjectPlan>>();
    const skuIds = [...new Set([...plan.summary.licences.map((l) => lc(l.skuId)), ...assigns.keys()])].sort();
    const licences: LicenceSummary[] = [];
    let observed = false;
    for (const skuId of skuIds) {
      const sku = observation.subscribedSkus.find((s) => lc(s.skuId) === skuId);
      const own = assigns.get(skuId) ?? [];
      const known = plan.summary.licences.find((l) => lc(l.skuId) === skuId);
      // A SKU not subscribed already stopped the run in its family's configuration check.
      if (!sku) {
        if (known) licences.push(known);
        continue;
      }
      observed = true;
      const free = sku.prepaidUnits.enabled - sku.consumedUnits;
      const needed = unitsOf(own, registry);
      licences.push({ skuId: known?.skuId ?? sku.skuId, skuPartNumber: known?.skuPartNumber ?? sku.skuPartNumber, unitsNeeded: needed, unitsAvailable: free });
      const available = Math.max(0, free);
      if (needed <= available) continue;
      const name = sku.skuPartNumber || sku.skuId;
      const hold: Hold = {
        code: NO_LICENCE_UNITS,
        reason: `No licence unit of ${name} is left for this technician: this run needs ${needed} and ${available} ${available === 1 ? 'is' : 'are'} free; the oldest contacts get them first.`,
        action: `Buy more units of ${name} or free some (remove the licence from people who no longer need it); the next run assigns them.`,
      };
      // Oldest first: each change keeps its units while they last; the rest are held back.
      let left = available;
      for (const c of [...own].sort(order)) {
        const units = licenceUseOf(c, registry)?.units ?? 0;
        if (units <= left) {
          left -= units;
          continue;
        }
        left = 0; // no younger subject overtakes an older one that did not fit
        holds.set(c.id, hold);
        subjects.set(c.subject.id, { status: 'no_licence_units' });
      }
    }
    // No SKU of the plan observed: nothing to count against (the run has already stopped), the plan stays as it is.
    if (!observed) return plan;
    return applyGuardEdits(plan, { holds, subjects, licences });
  },
};
