/**
 * The kind conformance kit (test/support/describe-kind.ts) on every customer portal kind
 * (reconcilers/portal/index.ts), over the generated portal tenants of
 * test/property/portal-arbitraries.ts, and the portal kinds' declarations against the change kinds
 * the family adds to the core (reconcilers/portal/change-kinds.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PORTAL_KINDS } from '../../reconcilers/portal/index.js';
import { buildPlan } from '../../src/engine/compose.js';
import { CHANGE_KIND_ORDER, changeKindSpec, REMOVAL_KINDS } from '../../src/kinds.js';
import type { Settings } from '../../src/config.js';
import type { ChangeKind } from '../../src/model/plan.js';
import { describeKind } from '../support/describe-kind.js';
import { portalSettings, portalSubjects } from '../support/portal-model.js';
import { arbPortalModel } from '../property/portal-arbitraries.js';

const TENANT = { kind: 'tenant' } as const;
const planOf = (model: Parameters<typeof buildPlan>[0], settings: Settings) => buildPlan(model, settings, TENANT).changes;
const portalOf = (settings: Settings) => settings.families.portal ?? portalSettings();

for (const kind of PORTAL_KINDS) {
  describeKind(kind, {
    arbitraries: arbPortalModel,
    subjects: (model, settings) => portalSubjects(model, portalOf(settings as Settings)),
    plan: (model, settings) => planOf(model, settings as Settings),
    known: CHANGE_KIND_ORDER,
    removals: REMOVAL_KINDS,
    specOf: changeKindSpec,
    numRuns: 100,
  });
}

describe('the portal kinds together', () => {
  // The family's change kinds, spelled out: the object is checked against ChangeKind below, so a
  // kind renamed in change-kinds.ts fails the typecheck here, and one added there fails the test.
  const portal = {
    'webrole.grant': true, 'webrole.revoke': true, 'invitation.create': true, 'invitation.role': true,
    'invitation.send': true, 'invitation.retire': true, 'invitation.revoke': true,
  } as const satisfies Partial<Record<ChangeKind, true>>;
  const declared = PORTAL_KINDS.flatMap((k) => k.changes.map((c) => c.kind));

  it('declare every portal change kind once', () => {
    expect([...declared].sort()).toEqual(Object.keys(portal).sort());
    expect(new Set(declared).size).toBe(declared.length);
    // The product's registry holds them: in its apply order, and no other family declares one.
    for (const k of declared) expect(CHANGE_KIND_ORDER.filter((o) => o === k), k).toHaveLength(1);
  });

  it('count exactly the withdrawal of the web role and of a usable invitation as removals', () => {
    // Retiring an expired or surplus invitation takes no access away; the removal guard must not count it.
    expect(declared.filter((k) => REMOVAL_KINDS.has(k)).sort()).toEqual(['invitation.revoke', 'webrole.revoke']);
  });

  it('the generated tenants reach every portal change kind (a check that the kit can fail)', () => {
    const seen = new Set<string>();
    for (const { model, settings } of fc.sample(arbPortalModel, { numRuns: 300, seed: 13 })) {
      for (const c of planOf(model, settings)) seen.add(c.kind);
    }
    expect([...seen].sort()).toEqual([...declared].sort());
  });
});
