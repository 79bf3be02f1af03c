/**
 * The plan builder: Observation + settings → Plan, with no I/O. The dry run prints this plan and
 * the apply executes it, so what an admin reviews is exactly what runs (docs/plan-format.md).
 *
 * Steps: for each configured family (src/engine/family.ts), in order: check its configuration
 * against the tenant, then let it plan its subjects (desired → match → diff) → merge the families'
 * plans → dependencies by table, per subject → order by kind → a summary over every family.
 *
 * A family whose configuration fails plans nothing and is listed in `stoppedFamilies` with its
 * error, so a missing portal web role does not stop the technicians (issue 13). When every
 * configured family fails, the first error is thrown: the run stops, as it did with one family.
 */
import { noFamilyError, type Settings } from '../config.js';
import { ReconcilerError } from '../model/errors.js';
import type { Observation } from '../model/observation.js';
import { kindRegistryOf, type KindRegistry } from './kind-registry.js';
import {
  PLAN_VERSION,
  type Change,
  type ChangeKind,
  type FamilyStop,
  type GroupName,
  type LicenceSummary,
  type Orphan,
  type Plan,
  type PlanSummary,
  type RunScope,
  type SubjectPlan,
  type Tally,
} from '../model/plan.js';
import { cmp } from './compare.js';
import { configuredFamilies, scopeIncludes, type Family } from './family.js';

export interface PlanOptions {
  /** Defaults to the observation's time, so the same observation always gives the same plan. */
  generatedAt?: string;
  /**
   * The families the engine knows; those whose settings are absent are off. Their kinds give the
   * dependencies and the apply order (src/engine/kind-registry.ts). No default here: the engine's
   * builder passes them (src/engine/compose.ts).
   */
  families: readonly Family[];
}

const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

const kindIndexes = new WeakMap<KindRegistry, ReadonlyMap<ChangeKind, number>>();

/** Apply order of a registry's kinds: kind (its derived order), then subject, then change id. */
export function changeOrder(registry: KindRegistry): (a: Change, b: Change) => number {
  let index = kindIndexes.get(registry);
  if (!index) kindIndexes.set(registry, (index = new Map(registry.order.map((k, i) => [k, i]))));
  const at = index;
  return (a, b) => (at.get(a.kind)! - at.get(b.kind)!) || cmp(a.subject.id, b.subject.id) || cmp(a.id, b.id);
}

export function buildPlan(observation: Observation, settings: Settings, scope: RunScope, options: PlanOptions): Plan {
  const registry = kindRegistryOf(options.families);
  const families = configuredFamilies(settings, options.families);
  if (families.length === 0) throw noFamilyError();
  // Every family's configuration is checked before any plans; a family that fails is left out.
  const stopped: FamilyStop[] = [];
  let firstFailure: ReconcilerError | undefined;
  const planned = families.filter(({ family, settings: own }) => {
    try {
      family.checkConfiguration(observation, own, settings);
      return true;
    } catch (err) {
      if (!(err instanceof ReconcilerError) || err.errorClass !== 'configuration') throw err;
      firstFailure ??= err;
      stopped.push({ family: family.name, error: err.toJSON() });
      return false;
    }
  });
  if (planned.length === 0) throw firstFailure!;
  const changes: Change[] = [];
  const subjects: SubjectPlan[] = [];
  const orphans: Orphan[] = [];
  const tallies: Tally[] = [];
  const licences = new Map<string, LicenceSummary>();
  const groups = new Map<string, GroupName>();
  for (const { family, settings: own } of planned) {
    if (!scopeIncludes(scope, family.name)) continue;
    const part = family.plan(observation, own, settings, scope);
    subjects.push(...part.subjects);
    orphans.push(...part.orphans);
    // Family order, rows as the family sorted them: the report shows them as they come.
    tallies.push(...(part.tallies ?? []));
    for (const sku of part.licences) addLicence(licences, sku);
    for (const g of part.groups ?? []) if (!groups.has(lc(g.groupId))) groups.set(lc(g.groupId), g);
    const bySubject = new Map<string, Change[]>();
    for (const c of part.changes) bySubject.set(subjectKey(c.subject), [...(bySubject.get(subjectKey(c.subject)) ?? []), c]);
    for (const own of bySubject.values()) changes.push(...wire(own, registry.dependencies));
  }
  changes.sort(changeOrder(registry));
  const idsBySubject = new Map<string, string[]>();
  for (const c of changes) idsBySubject.set(subjectKey(c.subject), [...(idsBySubject.get(subjectKey(c.subject)) ?? []), c.id]);
  for (const plan of subjects) plan.changeIds = idsBySubject.get(subjectKey(plan.subject)) ?? [];
  orphans.sort((a, b) => cmp(a.kind, b.kind) || cmp(lc(a.id), lc(b.id)));
  return {
    version: PLAN_VERSION,
    generatedAt: options.generatedAt ?? observation.observedAt,
    scope,
    changes,
    subjects,
    orphans,
    tallies,
    ...(stopped.length > 0 ? { stoppedFamilies: stopped } : {}),
    summary: {
      ...summarise(changes, subjects, orphans, [...licences.values()].sort((a, b) => cmp(lc(a.skuId), lc(b.skuId)))),
      // Only when a family read a group's name, so every other plan is as it was.
      ...(groups.size > 0 ? { groups: [...groups.values()].sort((a, b) => cmp(lc(a.groupId), lc(b.groupId))) } : {}),
    },
  };
}

const subjectKey = (s: { family: string; id: string }): string => `${s.family}/${s.id}`;

/** Two families drawing on one SKU share its entry: their units needed add up, the units free are the tenant's. */
function addLicence(licences: Map<string, LicenceSummary>, sku: LicenceSummary): void {
  const known = licences.get(lc(sku.skuId));
  licences.set(lc(sku.skuId), known ? { ...known, unitsNeeded: known.unitsNeeded + sku.unitsNeeded } : { ...sku });
}

/** dependsOn from the table: same subject, only changes that are in the plan. */
function wire(changes: Change[], dependencies: KindRegistry['dependencies']): Change[] {
  return changes.map((c) => {
    const kinds = dependencies[c.kind] ?? [];
    const dependsOn = changes
      .filter((d) => d !== c && kinds.includes(d.kind))
      .map((d) => d.id)
      .sort(cmp);
    return { ...c, dependsOn };
  });
}

function summarise(changes: Change[], subjects: SubjectPlan[], orphans: Orphan[], licences: LicenceSummary[]): PlanSummary {
  const changesByKind: PlanSummary['changesByKind'] = {};
  for (const c of changes) changesByKind[c.kind] = (changesByKind[c.kind] ?? 0) + 1;
  const subjectsByStatus: PlanSummary['subjectsByStatus'] = {};
  for (const s of subjects) subjectsByStatus[s.status] = (subjectsByStatus[s.status] ?? 0) + 1;
  return {
    changesByKind,
    subjectsByStatus,
    licences,
    orphans: orphans.length,
    blockedRemovals: changes.filter((c) => c.blocked).length,
    errors: subjects.filter((s) => s.error).length,
  };
}
