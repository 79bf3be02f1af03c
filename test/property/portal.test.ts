/**
 * The customer portal family (issue 13) as properties, over the generated tenants of
 * portal-arbitraries.ts: the product's plan (src/engine/compose.ts buildPlan) applied to the model
 * through the kinds' own effects (test/support/describe-kind.ts applyEffects), as apply does when
 * every call succeeds. Ground truth (whose invitation, which is usable, whose email works) comes from
 * the generated tenant, judged by the issue's rules, not by the product's code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INVITATION } from '../../reconcilers/portal/rows.js';
import { portalStatusValue } from '../../reconcilers/portal/status.js';
import { buildPlan } from '../../src/engine/compose.js';
import { changeKindSpec, REMOVAL_KINDS } from '../../src/kinds.js';
import type { Settings } from '../../src/config.js';
import type { Observation } from '../../src/model/observation.js';
import type { Change, ChangeKind } from '../../src/model/plan.js';
import { applyEffects } from '../support/describe-kind.js';
import { APP_USER, ROLE, WEBSITE } from '../support/portal-model.js';
import { shuffled } from './arbitraries.js';
import { arbPortalCase, type PortalCase } from './portal-arbitraries.js';

const TENANT = { kind: 'tenant' } as const;
const RUNS = { numRuns: 200 };
const planOf = (model: Observation, settings: Settings): Change[] => buildPlan(model, settings, TENANT).changes;
const applied = (model: Observation, settings: Settings): Observation => applyEffects(model, planOf(model, settings), changeKindSpec);
const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();
const dayOf = (iso: string): string => new Date(Date.parse(iso)).toISOString().slice(0, 10);

/** The "usable": Single, Active, not Redeemed, not expired (the portal refuses a code on its expiry date), for the site, giving the site's role. */
function usableFor(model: Observation, contact: string): NonNullable<Observation['portalInvitations']> {
  const today = dayOf(model.observedAt);
  const giving = new Set(model.portal?.roleInvitationIds ?? []);
  return (model.portalInvitations ?? []).filter(
    (r) =>
      lc(r._adx_invitecontact_value) === contact && r.adx_type === INVITATION.single && r.statecode === 0 &&
      (r.statuscode === INVITATION.new || r.statuscode === INVITATION.sent) && r._adx_redeemedcontact_value === null &&
      (r.adx_expirydate === null || r.adx_expirydate > today) && lc(r._adx_website_value) === WEBSITE && giving.has(lc(r.adx_invitationid)),
  );
}

const redeemedBy = (model: Observation, contact: string): boolean =>
  (model.portalInvitations ?? []).some((r) => lc(r._adx_invitecontact_value) === contact && r.adx_type === INVITATION.single && (r.statuscode === INVITATION.redeemed || r._adx_redeemedcontact_value !== null));

/** The contacts the product read that should have access and can be mailed an invitation. */
const provisioned = (c: PortalCase) => (c.model.portalContacts ?? []).filter((r) => r.o25fs_portalaccess === true && r.statecode === 0 && c.usableEmail.get(r.contactid));
/** The contacts the product manages whose access goes: access off or deactivated, with a status it wrote. */
const deprovisioned = (c: PortalCase) => (c.model.portalContacts ?? []).filter((r) => !(r.o25fs_portalaccess === true && r.statecode === 0) && r.o25fs_portalstatus !== null);

/** What happens in the tenant between two runs: an admin's edit, a redemption, the clock moving. */
const arbEvent = fc.oneof(
  fc.record({ kind: fc.constant('access' as const), contact: fc.nat(), on: fc.boolean() }),
  fc.record({ kind: fc.constant('active' as const), contact: fc.nat(), on: fc.boolean() }),
  fc.record({ kind: fc.constant('redeem' as const), contact: fc.nat() }),
  fc.record({ kind: fc.constant('unrole' as const), contact: fc.nat() }),
  fc.record({ kind: fc.constant('days' as const), days: fc.constantFrom(0, 1, 15) }),
);
type Event = typeof arbEvent extends fc.Arbitrary<infer T> ? T : never;

/** The tenant after `event`, as Dataverse and the portal would leave it (the portal's redemption: facts of issue 13, §2.4 of its sources). */
function happen(model: Observation, event: Event): Observation {
  const contacts = model.portalContacts ?? [];
  const p = model.portal!;
  if (event.kind === 'days') return { ...model, observedAt: new Date(Date.parse(model.observedAt) + event.days * 86_400_000).toISOString() };
  const target = contacts[event.contact % Math.max(1, contacts.length)];
  if (!target) return model;
  const id = lc(target.contactid);
  const edit = (patch: Partial<typeof target>): Observation => ({ ...model, portalContacts: contacts.map((r) => (r === target ? { ...r, ...patch } : r)) });
  if (event.kind === 'access') return edit({ o25fs_portalaccess: event.on });
  if (event.kind === 'active') return edit({ statecode: event.on ? 0 : 1 });
  if (event.kind === 'unrole') return { ...model, portal: { ...p, roleContactIds: p.roleContactIds.filter((c) => c !== id) } };
  const code = usableFor(model, id)[0];
  if (!code) return model;
  return {
    ...model,
    portalInvitations: (model.portalInvitations ?? []).map((r) => (r === code ? { ...r, statuscode: INVITATION.redeemed, _adx_redeemedcontact_value: id, adx_redemptions: 1 } : r)),
    portal: { ...p, roleContactIds: [...new Set([...p.roleContactIds, id])] },
  };
}

describe('customer portal properties', () => {
  it('converges: once the plan is applied, the next plan is empty', () => {
    // A plan that leaves work for the next run never settles: every run would mail, retire or
    // re-grant something, and the removal guard would see phantom removals.
    fc.assert(
      fc.property(arbPortalCase, ({ model, settings }) => {
        expect(planOf(applied(model, settings), settings)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('leaves every contact that should have access with the role and a redeemed or exactly one usable Single invitation', () => {
    // The definition of converged: one code per customer (two would be two credentials
    // for one person), and the web role that lets it book. Only a maker's codes, which the product
    // must leave alone, can keep a contact above one.
    fc.assert(
      fc.property(arbPortalCase, (c) => {
        const after = applied(c.model, c.settings);
        for (const contact of provisioned(c)) {
          const id = lc(contact.contactid);
          expect(after.portal?.roleContactIds, id).toContain(id);
          if (redeemedBy(after, id)) continue;
          const usable = usableFor(after, id);
          const foreign = usableFor(c.model, id).filter((r) => lc(r._createdby_value) !== APP_USER);
          const ours = usable.filter((r) => lc(r._createdby_value) === APP_USER);
          expect(ours.length, id).toBeLessThanOrEqual(1);
          if (foreign.length === 0) expect(usable.map((r) => r.adx_invitationid), id).toHaveLength(1);
          else if (ours.length === 1) {
            // Kept beside a maker's only when ours is the code already mailed and none of theirs was
            // sent (retiring ours would leave the customer a dead code in its mailbox).
            expect(ours[0]!.statuscode, id).toBe(INVITATION.sent);
            expect(foreign.every((r) => r.statuscode !== INVITATION.sent), id).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('never changes a redeemed invitation, an invitation it did not issue, another contact\'s, or a role it never granted', () => {
    // Redeemed is terminal (the customer's account hangs off it), and what an admin did by hand
    // in Portal Management is theirs: the product only reports it.
    fc.assert(
      fc.property(arbPortalCase, (c) => {
        const byId = new Map(c.invitations.map((r) => [r.adx_invitationid, r]));
        const managed = new Set(deprovisioned(c).map((r) => lc(r.contactid)));
        for (const change of planOf(c.model, c.settings)) {
          if (change.target.entity === 'adx_invitation' && change.kind !== 'invitation.create') {
            const row = byId.get(String(change.target.id));
            if (!row) continue; // created by this plan (invitation.role, invitation.send of the new one)
            expect(row.statuscode, change.id).not.toBe(INVITATION.redeemed);
            expect(row._adx_redeemedcontact_value, change.id).toBeNull();
            expect(lc(row._createdby_value), change.id).toBe(APP_USER);
            expect(lc(row._adx_invitecontact_value), change.id).toBe(change.subject.id);
          }
          if (change.target.entity === 'adx_webrole') expect(change.target.id, change.id).toBe(ROLE);
          if (change.kind === 'webrole.revoke') expect(managed.has(change.subject.id), change.id).toBe(true);
          if (change.kind === 'invitation.create') expect(byId.has(String(change.target.id)), `${change.id} reuses an existing id`).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('takes access away only with removals and retirements, and marks each removal as one', () => {
    // The removal threshold guard counts removals: a withdrawal that is not marked passes it
    // unguarded, and a contact whose access goes must never be granted or invited anything.
    const allowed: ChangeKind[] = ['webrole.revoke', 'invitation.revoke', 'invitation.retire'];
    fc.assert(
      fc.property(arbPortalCase, (c) => {
        const going = new Set(deprovisioned(c).map((r) => lc(r.contactid)));
        for (const change of planOf(c.model, c.settings)) {
          if (!going.has(change.subject.id)) continue;
          expect(allowed, change.id).toContain(change.kind);
          const usable = usableFor(c.model, change.subject.id).some((r) => r.adx_invitationid === change.target.id);
          const takesAccess = change.kind === 'webrole.revoke' || usable;
          expect(REMOVAL_KINDS.has(change.kind), `${change.id} takes access away`).toBe(takesAccess);
        }
      }),
      RUNS,
    );
  });

  it('plans the same changes, with unique ids, for the same tenant in any order', () => {
    // Dry run and apply are two plans of one observation: if they differ, what the admin
    // reviewed is not what runs; and the run record and the report key changes by id.
    fc.assert(
      fc.property(arbPortalCase, fc.nat(), ({ model, settings }, seed) => {
        const plan = planOf(model, settings);
        expect(new Set(plan.map((ch) => ch.id)).size).toBe(plan.length);
        const p = model.portal!;
        const reordered: Observation = {
          ...structuredClone(model),
          portalContacts: shuffled(model.portalContacts ?? [], seed),
          portalInvitations: shuffled(model.portalInvitations ?? [], seed + 1),
          portal: { ...p, roleContactIds: shuffled(p.roleContactIds, seed + 2), roleInvitationIds: shuffled(p.roleInvitationIds, seed + 3) },
        };
        expect(planOf(reordered, settings)).toEqual(plan);
      }),
      RUNS,
    );
  });

  it('never carries an invitation code in a change, and never a field named adx_invitationcode', () => {
    // The code is a credential: the plan is printed in the dry run, stored in the run record and
    // summarised in telemetry, so it must hold neither the column nor any code of the tenant.
    const fields = (v: unknown): string[] => (v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...fields(x)]) : []);
    fc.assert(
      fc.property(arbPortalCase, fc.boolean(), (c, readCodes) => {
        // Also over rows that carry their code, as if a read had selected the column: the plan
        // must not copy rows wholesale into a change.
        const full = new Map(c.invitations.map((r) => [r.adx_invitationid, r]));
        const model = readCodes ? { ...c.model, portalInvitations: (c.model.portalInvitations ?? []).map((r) => full.get(r.adx_invitationid) ?? r) } : c.model;
        const plan = buildPlan(model, c.settings, TENANT);
        const text = JSON.stringify(plan);
        expect(fields(plan)).not.toContain('adx_invitationcode');
        for (const r of c.invitations) expect(text.includes(r.adx_invitationcode), r.adx_invitationid).toBe(false);
        for (const change of plan.changes) expect(`${change.reason} ${JSON.stringify(change.before)} ${JSON.stringify(change.after)}`).not.toMatch(/invitationcode/i);
      }),
      RUNS,
    );
  });

  it('over runs with edits in between (access, deactivation, redemption, the role removed by hand, the clock), every plan converges', () => {
    // The life cycle is a sequence of runs: each must leave the tenant where the next
    // run has nothing to do, whatever an admin or the customer did since the last one.
    fc.assert(
      fc.property(arbPortalCase, fc.array(arbEvent, { minLength: 1, maxLength: 6 }), (c, events) => {
        let model = c.model;
        // A new invitation's id is never one the tenant had (one retired leaves the reads, and a
        // reused id would answer 412, be taken as created and leave the contact without a code).
        const ever = new Set((c.model.portalInvitations ?? []).map((r) => r.adx_invitationid));
        for (const event of [null, ...events]) {
          if (event) model = happen(model, event);
          // Each run observes the tenant at its own time (a minute after the last), as real runs do.
          if (event) model = { ...model, observedAt: new Date(Date.parse(model.observedAt) + 60_000).toISOString() };
          const plan = buildPlan(model, c.settings, TENANT);
          for (const ch of plan.changes.filter((x) => x.kind === 'invitation.create')) {
            expect(ever.has(String(ch.target.id)), `${ch.id} reuses an id`).toBe(false);
            ever.add(String(ch.target.id));
          }
          model = applyEffects(model, plan.changes, changeKindSpec);
          // The status write-back (reconcilers/portal/status.ts): it decides whether access off is a deprovision.
          const status = new Map(plan.subjects.map((s) => [s.subject.id, portalStatusValue(s.status)]));
          model = { ...model, portalContacts: (model.portalContacts ?? []).map((r) => ({ ...r, o25fs_portalstatus: status.get(lc(r.contactid)) ?? r.o25fs_portalstatus })) };
          expect(planOf(model, c.settings), JSON.stringify(events)).toEqual([]);
        }
      }),
      RUNS,
    );
  });
});
