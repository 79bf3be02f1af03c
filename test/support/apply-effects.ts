/**
 * Applies changes to a family's in-memory model through their kinds' effects (src/engine/kind.ts),
 * in the order given, like apply does when every call succeeds: ids a change creates are handed to
 * the changes that name it with `createdBy`. Blocked changes are skipped; a change whose dependency
 * has not been applied before it throws, so a plan in the wrong order fails the test that applies it.
 */
import type { EffectRefs, EffectResult } from '../../src/engine/kind.js';
import type { Change, ChangeKind } from '../../src/model/plan.js';

export interface HasEffect<Model> {
  effect(model: Model, change: Change, refs: EffectRefs): EffectResult<Model>;
}

export function applyEffects<Model>(model: Model, changes: readonly Change[], specOf: (kind: ChangeKind) => HasEffect<Model>): Model {
  const created = new Map<string, string>();
  const done = new Set<string>();
  const refs: EffectRefs = { created: (id) => created.get(id) };
  let current = model;
  for (const c of changes) {
    if (c.blocked) continue;
    for (const d of c.dependsOn) if (!done.has(d)) throw new Error(`model: ${c.id} before its dependency ${d}`);
    const out = specOf(c.kind).effect(current, c, refs);
    current = out.model;
    if (out.createdId !== undefined) created.set(c.id, out.createdId);
    done.add(c.id);
  }
  return current;
}
