/**
 * The kind registry: from the kinds of the families a run knows (each Family's `kinds`,
 * src/engine/family.ts) it derives the apply order, the dependency table and the removal kinds
 * (src/engine/kind-order.ts), and finds a change's declaration by its kind. The core never imports
 * a family's kinds: whoever builds the engine passes the families in (src/engine/compose.ts), and
 * the product's registry over every family is src/kinds.ts.
 *
 * A declaration that gives no order (a cycle, an unknown kind) throws when the registry is built:
 * for the product's families that is at load (src/kinds.ts), so it stops the product at once.
 */
import type { Settings } from '../config.js';
import type { Observation } from '../model/observation.js';
import type { Change, ChangeKind } from '../model/plan.js';
import type { Family, FamilyKind } from './family.js';
import type { CapacityUse, ChangeKindSpec } from './kind.js';
import { deriveKindOrder } from './kind-order.js';

export type KindSpec = ChangeKindSpec<Settings, Observation>;

export interface KindRegistry {
  /** Every kind of every family, in declaration order. */
  readonly kinds: readonly FamilyKind[];
  /** Apply order of change kinds; a change never depends on a kind later in this list. */
  readonly order: readonly ChangeKind[];
  /** A change of the key kind waits for the changes of these kinds of the same subject, when planned. */
  readonly dependencies: Partial<Record<ChangeKind, readonly ChangeKind[]>>;
  /** Removals of access: these pass the threshold guard. */
  readonly removals: ReadonlySet<ChangeKind>;
  /** What the report calls each change kind. */
  readonly labels: Readonly<Record<ChangeKind, string>>;
  /** The declaration of a change kind; throws for a kind no family declares (a plan from elsewhere). */
  spec(kind: ChangeKind): KindSpec;
  /** The capacity a change draws (a licence unit of its SKU), or null. */
  capacityOf(change: Change): CapacityUse | null;
}

export function createKindRegistry(kinds: readonly FamilyKind[]): KindRegistry {
  const specs: readonly KindSpec[] = kinds.flatMap((k) => k.changes);
  const byKind = new Map<ChangeKind, KindSpec>(specs.map((s) => [s.kind, s]));
  const derived = deriveKindOrder(specs);
  const spec = (kind: ChangeKind): KindSpec => {
    const found = byKind.get(kind);
    if (!found) throw new Error(`No kind declares the change kind ${kind}.`);
    return found;
  };
  return {
    kinds,
    order: derived.order,
    dependencies: derived.dependencies,
    removals: derived.removals,
    labels: Object.fromEntries(specs.map((s) => [s.kind, s.label])) as Record<ChangeKind, string>,
    spec,
    capacityOf: (change) => spec(change.kind).consumes?.(change) ?? null,
  };
}

// One registry per families list: the engine, the plan builder and the guards ask for the same
// list on every run, and deriving the order is not free.
const cache = new WeakMap<readonly Family[], KindRegistry>();

/** The registry of these families' kinds, in the families' order. */
export function kindRegistryOf(families: readonly Family[]): KindRegistry {
  const known = cache.get(families);
  if (known) return known;
  const registry = createKindRegistry(families.flatMap((f) => f.kinds));
  cache.set(families, registry);
  return registry;
}
