/**
 * The kind conformance kit (test/support/describe-kind.ts) on every technicians kind
 * (reconcilers/technicians/index.ts), over the generated tenants of test/property/arbitraries.ts,
 * and over converged tenants whose TECHNICIAN_GROUP_ID and LICENSE_SKU_ID then change (so the
 * removals of earlier grants and the ownership mark on its own are exercised too).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TECHNICIAN_KINDS } from '../../reconcilers/technicians/index.js';
import { markAttributeOf, type Settings } from '../../src/config.js';
import { deletedContactRows } from '../../reconcilers/technicians/deleted-contacts.js';
import { computeDesired, indexLookups } from '../../reconcilers/technicians/desired.js';
import { CHANGE_KIND_ORDER, changeKindSpec, REMOVAL_KINDS } from '../../src/kinds.js';
import { matchContacts } from '../../reconcilers/technicians/match.js';
import { buildPlan } from '../../src/engine/compose.js';
import type { Observation } from '../../src/model/observation.js';
import type { ChangeKind } from '../../src/model/plan.js';
import type { DesiredTechnician, ObservedTechnician } from '../../reconcilers/technicians/state.js';
import { describeKind } from '../support/describe-kind.js';
import { applyPlan, GROUP, testSettings, userSync } from '../support/model.js';
import { arbSettings, arbTenant } from '../property/arbitraries.js';

const NEW_GROUP = 'a0000000-0000-4000-8000-0000000000a2';
const NEW_SKU = 'c0000000-0000-4000-8000-00000000005d';
const TENANT = { kind: 'tenant' } as const;

/** The contacts src/engine/plan.ts diffs, with their desired and observed state, as it computes them. */
function subjects(o: Observation, settings: Settings): { desired: DesiredTechnician; observed: ObservedTechnician }[] {
  const markAttribute = markAttributeOf(settings);
  const observed: Observation = { ...o, contacts: [...o.contacts, ...deletedContactRows(o, markAttribute)] };
  const lookups = indexLookups(observed);
  const desired = observed.contacts.flatMap((c) => {
    const rows = observed.vendorCharacteristics.filter((r) => (r._o25fs_vendorcontactid_value ?? '').toLowerCase() === c.contactid.toLowerCase());
    const out = computeDesired(c, rows, lookups, settings);
    return out.ok && out.desired.intent !== 'ignore' ? [out.desired] : [];
  });
  const matched = matchContacts(desired, observed, { markAttribute });
  return desired.flatMap((d) => {
    const m = matched.byContact.get(d.contactId);
    return m?.ok && !matched.superseded.has(d.contactId) ? [{ desired: d, observed: m.observed }] : [];
  });
}

/** A tenant converged under the test settings, then planned with another group and licence. */
const arbChangedSettings = fc.tuple(arbTenant, arbSettings).map(([tenant, old]) => {
  let current = tenant;
  for (let i = 0; i < 3; i++) current = userSync(applyPlan(current, buildPlan(current, old, TENANT)));
  const model: Observation = {
    ...current,
    subscribedSkus: [...current.subscribedSkus, { skuId: NEW_SKU, skuPartNumber: 'NEW_LICENCE', capabilityStatus: 'Enabled', consumedUnits: 0, prepaidUnits: { enabled: 25, suspended: 0, warning: 0 } }],
    groupMemberIds: [],
    formerGroupMemberIds: { [GROUP]: current.groupMemberIds ?? [] },
  };
  return { model, settings: testSettings({ ...old, licenseSkuId: NEW_SKU, technicianGroupId: NEW_GROUP }) };
});

const arbitraries = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(arbTenant, arbSettings).map(([model, settings]) => ({ model, settings })) },
  { weight: 1, arbitrary: arbChangedSettings },
);

for (const kind of TECHNICIAN_KINDS) {
  describeKind(kind, {
    arbitraries,
    subjects,
    plan: (model, settings) => buildPlan(model, settings as Settings, TENANT).changes,
    known: CHANGE_KIND_ORDER,
    removals: REMOVAL_KINDS,
    specOf: changeKindSpec,
    numRuns: 100,
  });
}

describe('the technicians kinds together', () => {
  it('declare every change kind of the ChangeKind union, each once', () => {
    // ChangeKind (the families' ChangeKinds: reconcilers/technicians/change-kinds.ts), spelled out so the typecheck fails here when it gains a member.
    const union = {
      'user.invite': true, 'user.update': true, 'user.mark': true, 'user.create': true, 'user.disable': true, 'contact.anchor': true,
      'licence.assign': true, 'licence.remove': true, 'group.add': true, 'group.remove': true,
      'systemuser.add': true, 'systemuser.update': true, 'bookableresource.create': true, 'bookableresource.update': true,
      'bookableresource.deactivate': true, 'bookableresource.owner': true, 'contact.link': true,
      'characteristic.create': true, 'characteristic.update': true, 'characteristic.delete': true,
    } as const;
    // The other families' kinds (test/kinds/portal.test.ts checks the portal's against its modules).
    const others = {
      'webrole.grant': true, 'webrole.revoke': true, 'invitation.create': true, 'invitation.role': true,
      'invitation.send': true, 'invitation.retire': true, 'invitation.revoke': true,
      'workorder.upsert': true, 'workorder.update': true, 'requirement.update': true,
      'workorder.cancel': true, 'task.progress': true, 'project.progress': true,
    } as const;
    ({ ...union, ...others }) satisfies Record<ChangeKind, true>;
    const declared = TECHNICIAN_KINDS.flatMap((k) => k.changes.map((c) => c.kind));
    expect([...declared].sort()).toEqual(Object.keys(union).sort());
    expect(new Set(declared).size).toBe(declared.length);
  });

  it('the generated tenants reach every change kind (a check that the kit can fail)', () => {
    const seen = new Set<string>();
    for (const { model, settings } of fc.sample(arbitraries, { numRuns: 300, seed: 11 })) {
      for (const c of buildPlan(model, settings, TENANT).changes) seen.add(c.kind);
    }
    const technicianKinds = TECHNICIAN_KINDS.flatMap((k) => k.changes.map((c) => c.kind));
    expect([...seen].sort()).toEqual(CHANGE_KIND_ORDER.filter((k) => technicianKinds.includes(k)).sort());
  });
});
