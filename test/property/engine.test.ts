/**
 * Properties of the plan (issue 3, "Tests"): convergence, minimality, determinism, safety, ordering,
 * over generated tenants (test/property/arbitraries.ts) and the in-memory model of the services
 * (test/support/model.ts).
 */
import fc from 'fast-check';
import { markedContactOf } from '../../reconcilers/technicians/ownership.js';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/engine/compose.js';
import { userHasEmail } from '../../reconcilers/technicians/match.js';
import type { Observation } from '../../src/model/observation.js';
import { CHANGE_KIND_ORDER } from '../../src/kinds.js';
import type { Plan } from '../../src/model/plan.js';
import type { Settings } from '../../src/config.js';
import { applyPlan, userSync } from '../support/model.js';
import { arbSettings, arbTenant, shuffleObservation } from './arbitraries.js';

const TENANT = { kind: 'tenant' } as const;
const RUNS = { numRuns: 300 };
const plan = (o: Observation, s: Settings): Plan => buildPlan(o, s, TENANT);

/** Plan, apply, user sync, until a plan is empty (at most `rounds` times). */
function converge(o: Observation, s: Settings, rounds = 4): { final: Observation; plans: Plan[] } {
  const plans: Plan[] = [];
  let current = o;
  for (let i = 0; i < rounds; i++) {
    const p = plan(current, s);
    plans.push(p);
    if (p.changes.length === 0) {
      const synced = userSync(current);
      if (plan(synced, s).changes.length === 0) return { final: synced, plans };
    }
    current = userSync(applyPlan(current, p));
  }
  return { final: current, plans };
}

describe('convergence', () => {
  it('applying a plan leaves nothing to do until Dataverse syncs users', () => {
    fc.assert(
      fc.property(arbTenant, arbSettings, (o, s) => {
        const once = applyPlan(o, plan(o, s));
        expect(plan(once, s).changes).toEqual([]);
      }),
      RUNS,
    );
  });

  it('plan → apply → user sync reaches an empty plan within three rounds, with only settled statuses', () => {
    fc.assert(
      fc.property(arbTenant, arbSettings, (o, s) => {
        const { final, plans } = converge(o, s);
        expect(plans.length).toBeLessThanOrEqual(3);
        const last = plan(final, s);
        expect(last.changes).toEqual([]);
        for (const c of last.subjects) {
          expect(['active', 'waiting_for_dataverse_user', 'deprovisioned', 'out_of_scope', 'error']).toContain(c.status);
          // A contact still waiting after the sync has a guest that Dataverse will not sync (blocked by an admin).
          if (c.status === 'waiting_for_dataverse_user') {
            const user = final.users.find((u) => u.id === final.contacts.find((k) => k.contactid === c.subject.id)?.o25fs_entraobjectid);
            expect(user?.accountEnabled).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });
});

describe('minimality', () => {
  it('a converged tenant plans nothing', () => {
    fc.assert(
      fc.property(arbTenant, arbSettings, (o, s) => {
        const { final } = converge(o, s);
        expect(plan(final, s).changes).toHaveLength(0);
        expect(plan(final, s).summary.changesByKind).toEqual({});
      }),
      RUNS,
    );
  });

  it('every update changes at least one value it touches (an object already as desired is never touched)', () => {
    fc.assert(
      fc.property(arbTenant, arbSettings, (o, s) => {
        for (const c of plan(o, s).changes) {
          if (c.before === null || c.after === null) continue;
          const differs = Object.keys(c.after).some((k) => JSON.stringify(c.before![k]) !== JSON.stringify(c.after![k]));
          expect(differs, `${c.id} changes nothing`).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('drift on one converged technician plans changes for that technician only', () => {
    fc.assert(
      fc.property(arbTenant, arbSettings, fc.nat(), fc.constantFrom('licence', 'group', 'resource', 'coords', 'name'), (o, s, pick, drift) => {
        const { final } = converge(o, s);
        const active = plan(final, s).subjects.filter((c) => c.status === 'active');
        fc.pre(active.length > 0);
        const victim = active[pick % active.length]!;
        const contact = final.contacts.find((c) => c.contactid === victim.subject.id)!;
        const drifted = structuredClone(final);
        const user = drifted.users.find((u) => u.id === contact.o25fs_entraobjectid)!;
        const br = drifted.bookableResources.find((r) => r.bookableresourceid === contact._o25fs_bookableresourceid_value)!;
        if (drift === 'licence') user.licenseAssignmentStates = (user.licenseAssignmentStates ?? []).filter((l) => l.assignedByGroup !== null);
        if (drift === 'licence' && user.licenseAssignmentStates!.length === 0) user.assignedLicenses = [];
        if (drift === 'group') drifted.groupMemberIds = drifted.groupMemberIds!.filter((m) => m !== user.id);
        if (drift === 'resource') br.msdyn_displayonscheduleboard = !br.msdyn_displayonscheduleboard;
        if (drift === 'coords') drifted.systemUsers.forEach((su) => su.azureactivedirectoryobjectid === user.id && (su.address1_latitude = 1));
        if (drift === 'name') user.displayName = 'Changed in Entra';
        const p = plan(drifted, s);
        expect(p.changes.every((c) => c.subject.id === victim.subject.id)).toBe(true);
        expect(p.changes.length).toBeLessThanOrEqual(drift === 'coords' && contact.address1_latitude === null ? 0 : 1);
      }),
      { numRuns: 150 },
    );
  });
});

describe('determinism', () => {
  it('the same tenant gives the same plan, whatever order the services list things in', () => {
    fc.assert(
      fc.property(arbTenant, arbSettings, fc.integer({ min: 1, max: 1_000_000 }), (o, s, seed) => {
        const a = plan(o, s);
        expect(plan(structuredClone(o), s)).toEqual(a);
        expect(plan(shuffleObservation(o, seed), s)).toEqual(a);
      }),
      RUNS,
    );
  });
});

describe('safety', () => {
  it('changes target only users matched to their own contact, never delete users or systemusers, and skip contacts in error', () => {
    fc.assert(
      fc.property(arbTenant, arbSettings, (o, s) => {
        const p = plan(o, s);
        const inError = new Set(p.subjects.filter((c) => c.status === 'error').map((c) => c.subject.id));
        const userOwners = new Map<string, string>();
        for (const c of p.changes) {
          expect(inError.has(c.subject.id), `${c.id} is for a contact in error`).toBe(false);
          if (c.after === null) {
            expect(c.kind).toBe('characteristic.delete');
            expect(c.target.entity).toBe('bookableresourcecharacteristic');
          }
          // The product writes a systemuser's coordinates only; addUser (DATAVERSE_USER_ON_DEMAND) names the Entra user to add.
          if (c.target.entity === 'systemuser') expect(Object.keys(c.after ?? {}).sort()).toEqual(c.kind === 'systemuser.add' ? ['objectId'] : ['address1_latitude', 'address1_longitude']);
          if (c.target.entity !== 'user' || c.target.id === null) continue;
          const contact = o.contacts.find((k) => k.contactid === c.subject.id)!;
          const user = o.users.find((u) => u.id === c.target.id)!;
          const anchoredHere = contact.o25fs_entraobjectid?.toLowerCase() === user.id.toLowerCase();
          // A service account is the contact's by the product's mark alone (it need not carry the email).
          const markedHere = markedContactOf(user, 'extensionAttribute15') === c.subject.id.toLowerCase();
          expect(anchoredHere || markedHere || userHasEmail(user, (contact.emailaddress1 ?? '').trim().toLowerCase())).toBe(true);
          expect(userOwners.get(user.id) ?? c.subject.id).toBe(c.subject.id);
          userOwners.set(user.id, c.subject.id);
        }
        for (const c of p.subjects) if (c.status === 'error') expect(c.changeIds).toEqual([]);
        // Orphans are reported, never changed.
        const touchedUsers = new Set(p.changes.map((c) => c.target.id));
        for (const orphan of p.orphans) expect(touchedUsers.has(orphan.id)).toBe(false);
      }),
      RUNS,
    );
  });
});

describe('ordering', () => {
  it('every change comes after its dependencies, which belong to the same contact, and kinds keep CHANGE_KIND_ORDER', () => {
    fc.assert(
      fc.property(arbTenant, arbSettings, (o, s) => {
        const p = plan(o, s);
        const position = new Map(p.changes.map((c, i) => [c.id, i]));
        expect(position.size).toBe(p.changes.length); // ids are unique
        p.changes.forEach((c, i) => {
          for (const d of c.dependsOn) {
            expect(position.get(d)).toBeLessThan(i);
            expect(p.changes[position.get(d)!]!.subject.id).toBe(c.subject.id);
          }
          if (i > 0) {
            expect(CHANGE_KIND_ORDER.indexOf(p.changes[i - 1]!.kind)).toBeLessThanOrEqual(CHANGE_KIND_ORDER.indexOf(c.kind));
          }
        });
      }),
      RUNS,
    );
  });
});
