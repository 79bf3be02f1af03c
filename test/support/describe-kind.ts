/**
 * The kind conformance kit: `describeKind(kind, harness)` runs the same generic tests on any kind
 * (src/engine/kind.ts), over the family's generated models of the services (fast-check):
 *
 * - each change kind it declares has a label, waits only for known kinds, and is a removal exactly
 *   when the registry counts it as one;
 * - its diff produces only the change kinds it declares, each with a reason and no dependencies
 *   (the plan wires those), and never twice the same id;
 * - its removals are marked: a removal removes something that exists (it has a `before` and a
 *   target id), a create is never a removal, and where the kind declares what access is, a change
 *   drops access exactly when it is a removal;
 * - toRequest gives a request for every change it produces;
 * - re-diffing after the kind's effect yields no change of that kind: the kind's planned changes,
 *   with the changes they wait for, are applied to the model through their effects, and the plan of
 *   the result has none of the kind's changes left.
 *
 * A family gives the harness: its arbitraries, its subjects (desired and observed state, as its plan
 * builder computes them) and its plan.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChangeKindSpec, EffectRefs, EffectResult, Kind } from '../../src/engine/kind.js';
import type { Change, ChangeKind } from '../../src/model/plan.js';

export interface KindHarness<Desired, Observed, Settings, Model> {
  /** Generated models of the services, each with the settings it is planned under. */
  arbitraries: fc.Arbitrary<{ model: Model; settings: Settings }>;
  /** Every subject the family's plan diffs in `model`, with its desired and observed state. */
  subjects(model: Model, settings: Settings): { desired: Desired; observed: Observed }[];
  /** The family's plan of `model`: every kind's changes, wired, in apply order. */
  plan(model: Model, settings: Settings): readonly Change[];
  /** Every change kind the registry knows, and the ones it counts as removals. */
  known: readonly ChangeKind[];
  removals: ReadonlySet<ChangeKind>;
  /** The declaration of any change kind (the kind's changes may wait for other kinds' changes). */
  specOf(kind: ChangeKind): ChangeKindSpec<Settings, Model>;
  numRuns?: number;
}

/** The part of a change kind's declaration that applying it to the model needs. */
export interface HasEffect<Model> {
  effect(model: Model, change: Change, refs: EffectRefs): EffectResult<Model>;
}

/**
 * Applies changes to a family's in-memory model through their kinds' effects, in the order given,
 * like apply does when every call succeeds: ids a change creates are handed to the changes that name
 * it with `createdBy`. Blocked changes are skipped; a change whose dependency has not been applied
 * before it throws, so a plan in the wrong order fails the test that applies it. The kit uses it, and
 * so does test/support/model.ts (applyPlan).
 */
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

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

/** True when `before` → `after` takes away one of the granted values in `access`. */
function dropsAccess(access: Readonly<Record<string, unknown>>, change: Change): boolean {
  return Object.entries(access).some(([field, granted]) => change.before?.[field] === granted && change.after?.[field] !== granted);
}

/** `changes` of the plan that `mine` needs: themselves and, transitively, what they wait for. */
function withDependencies(plan: readonly Change[], mine: readonly Change[]): Change[] {
  const byId = new Map(plan.map((c) => [c.id, c]));
  const needed = new Set<string>();
  const visit = (c: Change): void => {
    if (needed.has(c.id)) return;
    needed.add(c.id);
    for (const d of c.dependsOn) visit(byId.get(d)!);
  };
  mine.forEach(visit);
  return plan.filter((c) => needed.has(c.id) && !c.blocked);
}

export function describeKind<D, O, S, M>(kind: Kind<D, O, S, M>, h: KindHarness<D, O, S, M>): void {
  const declared = new Map(kind.changes.map((s) => [s.kind, s]));
  const runs = { numRuns: h.numRuns ?? 150 };
  const eachChange = (check: (change: Change, spec: ChangeKindSpec<S, M>, settings: S) => void): void => {
    fc.assert(
      fc.property(h.arbitraries, ({ model, settings }) => {
        for (const { desired, observed } of h.subjects(model, settings)) {
          for (const change of kind.diff(desired, observed)) {
            const spec = declared.get(change.kind);
            expect(spec, `${kind.name} produced ${change.kind}, which it does not declare`).toBeDefined();
            check(change, spec!, settings);
          }
        }
      }),
      runs,
    );
  };

  describe(`kind ${kind.name}`, () => {
    it('declares its change kinds with a label, known dependencies and the removal flag the registry counts', () => {
      expect(kind.changes.length).toBeGreaterThan(0);
      for (const spec of kind.changes) {
        expect(spec.label, spec.kind).toMatch(/^\S.*\S$/);
        expect(h.known, spec.kind).toContain(spec.kind);
        for (const after of spec.runsAfter) expect(h.known, `${spec.kind} runs after ${after}`).toContain(after);
        expect(h.removals.has(spec.kind), spec.kind).toBe(spec.removal);
      }
    });

    it('diffs to declared change kinds only, each with a reason, no dependencies and its own id', () => {
      fc.assert(
        fc.property(h.arbitraries, ({ model, settings }) => {
          for (const { desired, observed } of h.subjects(model, settings)) {
            const changes = kind.diff(desired, observed);
            expect(new Set(changes.map((c) => c.id)).size).toBe(changes.length);
            for (const c of changes) {
              expect([...declared.keys()]).toContain(c.kind);
              expect(c.reason.trim().length, c.id).toBeGreaterThan(0);
              expect(c.dependsOn).toEqual([]);
            }
          }
        }),
        runs,
      );
    });

    it('marks its removals: a removal takes away something that exists, a create never does', () => {
      eachChange((c, spec) => {
        if (spec.removal) {
          expect(c.before, c.id).not.toBeNull();
          expect(c.target.id, c.id).not.toBeNull();
        }
        if (c.before === null) expect(spec.removal, c.id).toBe(false);
        if (spec.access) expect(dropsAccess(spec.access, c), `${c.id} drops access`).toBe(spec.removal);
      });
    });

    it('gives a request for every change it produces', () => {
      eachChange((c, spec, settings) => {
        const request = spec.toRequest(c, (id) => `created-by-${id}`, settings);
        expect(METHODS, c.id).toContain(request.method);
        expect(request.url.length, c.id).toBeGreaterThan(0);
        expect(JSON.stringify(request), c.id).not.toContain('created-by-undefined');
      });
    });

    it("re-diffing after the kind's effect yields no change of that kind", () => {
      fc.assert(
        fc.property(h.arbitraries, ({ model, settings }) => {
          const plan = h.plan(model, settings);
          const mine = plan.filter((c) => declared.has(c.kind));
          const after = applyEffects(model, withDependencies(plan, mine), h.specOf);
          expect(h.plan(after, settings).filter((c) => declared.has(c.kind))).toEqual([]);
        }),
        runs,
      );
    });
  });
}
