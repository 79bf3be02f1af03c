/**
 * The product's kind registry: the kinds of every family src/families.ts lists, with the apply
 * order, dependency table, removal kinds and labels derived from them once, at load (a declaration
 * that gives no order stops the product here). The engine itself takes its families from whoever
 * builds it (src/engine/compose.ts) and never imports this file; the outer layers that describe any
 * plan (the report, telemetry) and the tests read the product's kinds from here.
 */
import { allFamilies } from './families.js';
import type { Change, ChangeKind } from './model/plan.js';
import type { CapacityUse } from './engine/kind.js';
import { kindRegistryOf, type KindRegistry, type KindSpec } from './engine/kind-registry.js';

export const PRODUCT_KINDS: KindRegistry = kindRegistryOf(allFamilies());

/** Every kind of every family, in declaration order. */
export const KINDS = PRODUCT_KINDS.kinds;
/** Apply order of kinds; a change never depends on a kind later in this list. */
export const CHANGE_KIND_ORDER: readonly ChangeKind[] = PRODUCT_KINDS.order;
/** A change of the key kind waits for the changes of these kinds of the same subject, when planned. */
export const DEPENDENCIES: Partial<Record<ChangeKind, readonly ChangeKind[]>> = PRODUCT_KINDS.dependencies;
/** Removals of access: these pass the threshold guard. */
export const REMOVAL_KINDS: ReadonlySet<ChangeKind> = PRODUCT_KINDS.removals;
/** What the report calls each change kind. */
export const KIND_LABELS: Readonly<Record<ChangeKind, string>> = PRODUCT_KINDS.labels;

/** The declaration of a change kind; throws for a kind no family declares (a plan from elsewhere). */
export function changeKindSpec(kind: ChangeKind): KindSpec {
  return PRODUCT_KINDS.spec(kind);
}

/** The capacity a change draws (a licence unit of its SKU), or null. */
export function capacityOf(change: Change): CapacityUse | null {
  return PRODUCT_KINDS.capacityOf(change);
}
