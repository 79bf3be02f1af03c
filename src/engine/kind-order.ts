/**
 * The apply order of change kinds and the dependency table, derived from the kinds' declarations
 * (src/engine/kind.ts, `runsAfter`) instead of being kept by hand.
 *
 * The order is a topological sort that is stable: of the kinds whose dependencies are all placed,
 * the one declared first goes next. So a declaration order that already respects the dependencies
 * comes out unchanged, and adding a kind moves no other kind. A dependency on a kind nobody
 * declares, a kind declared twice, or a cycle throws here, when the registry loads: a plan must
 * never be built from an order that is not one.
 */
import type { ChangeKind } from '../model/plan.js';

/** The part of a change kind's declaration the order needs. */
export interface OrderedKind {
  kind: ChangeKind;
  runsAfter: readonly ChangeKind[];
  removal: boolean;
}

export interface KindOrder {
  /** Apply order of kinds; a change never depends on a kind later in this list. */
  order: readonly ChangeKind[];
  /** A change of the key kind waits for the planned changes of these kinds of the same subject. */
  dependencies: Partial<Record<ChangeKind, readonly ChangeKind[]>>;
  /** Removals of access: these pass the threshold guard. */
  removals: ReadonlySet<ChangeKind>;
}

export function deriveKindOrder(declared: readonly OrderedKind[]): KindOrder {
  const byKind = new Map<ChangeKind, OrderedKind>();
  for (const d of declared) {
    if (byKind.has(d.kind)) throw new Error(`Change kind ${d.kind} is declared twice; each change kind belongs to one kind module.`);
    byKind.set(d.kind, d);
  }
  for (const d of declared) {
    for (const after of d.runsAfter) {
      if (!byKind.has(after)) throw new Error(`Change kind ${d.kind} runs after ${after}, which no kind declares.`);
      if (after === d.kind) throw new Error(`Change kind ${d.kind} runs after itself.`);
    }
  }
  const order: ChangeKind[] = [];
  const placed = new Set<ChangeKind>();
  while (order.length < declared.length) {
    const next = declared.find((d) => !placed.has(d.kind) && d.runsAfter.every((a) => placed.has(a)));
    if (!next) {
      const left = declared.filter((d) => !placed.has(d.kind));
      throw new Error(`The change kinds ${left.map((d) => d.kind).join(', ')} wait for each other in a cycle (runsAfter: ${left.map((d) => `${d.kind} → ${d.runsAfter.join('+')}`).join('; ')}).`);
    }
    order.push(next.kind);
    placed.add(next.kind);
  }
  const dependencies: Partial<Record<ChangeKind, readonly ChangeKind[]>> = {};
  for (const d of declared) if (d.runsAfter.length > 0) dependencies[d.kind] = [...d.runsAfter];
  return { order, dependencies, removals: new Set(declared.filter((d) => d.removal).map((d) => d.kind)) };
}
