/**
 * The one place the engine knows the families' kinds (reconcilers/<family>/index.ts): every other
 * engine file reaches a kind through this registry, so the core never imports reconcilers/ and a
 * new kind needs no edit here. From the kinds' declarations it derives, once at load, the apply
 * order, the dependency table and the removal kinds (src/engine/kind-order.ts); a declaration that
 * gives no order (a cycle, an unknown kind) stops the product here.
 */
import type { ChangeKindSpec } from './kind.js';
import { deriveKindOrder } from './kind-order.js';
import type { Observation } from '../model/observation.js';
import type { Change, ChangeKind } from '../model/plan.js';
import { TECHNICIAN_KINDS, type RequestSettings } from '../../reconcilers/technicians/index.js';

// Facts of the technicians family the plan builder still reads directly (src/engine/plan.ts).
export { isWaitingForDataverseUser, needsInvite } from '../../reconcilers/technicians/index.js';

/** Every kind of every family, in declaration order. */
export const KINDS = TECHNICIAN_KINDS;

type Spec = ChangeKindSpec<RequestSettings, Observation>;

const SPECS: readonly Spec[] = KINDS.flatMap((k) => k.changes);
const BY_KIND = new Map<ChangeKind, Spec>(SPECS.map((s) => [s.kind, s]));

const derived = deriveKindOrder(SPECS);

/** Apply order of kinds; a change never depends on a kind later in this list. */
export const CHANGE_KIND_ORDER: readonly ChangeKind[] = derived.order;
/** A change of the key kind waits for the changes of these kinds of the same subject, when planned. */
export const DEPENDENCIES: Partial<Record<ChangeKind, readonly ChangeKind[]>> = derived.dependencies;
/** Removals of access: these pass the threshold guard. */
export const REMOVAL_KINDS: ReadonlySet<ChangeKind> = derived.removals;

/** What the report calls each change kind. */
export const KIND_LABELS: Readonly<Record<ChangeKind, string>> = Object.fromEntries(SPECS.map((s) => [s.kind, s.label])) as Record<ChangeKind, string>;

/** The declaration of a change kind; throws for a kind no family declares (a plan from elsewhere). */
export function changeKindSpec(kind: ChangeKind): Spec {
  const spec = BY_KIND.get(kind);
  if (!spec) throw new Error(`No kind declares the change kind ${kind}.`);
  return spec;
}

/** The capacity a change draws (a licence unit of its SKU), or null. */
export function capacityOf(change: Change): { pool: string; units: number } | null {
  return changeKindSpec(change.kind).consumes?.(change) ?? null;
}
