/**
 * The hostile-vendor suite, identities (issue 9 items 1, 2 and 4): a vendor admin types a staff
 * member's email or object id into a technician contact, or copies another vendor's technician's
 * anchor. Each test runs the real engine against the simulator and asserts the end state: the staff
 * account untouched, the victim still converged, and the error on the attacking contact alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTenant, type Tenant } from '../support/tenant.js';
import {
  apply, contactPlan, expectConverged, expectNoDuplicates, newContact, plan, row, runUntilQuiet, smallFixture, STATUS, type SmallContact,
} from '../badinput/small-tenant.js';
import { CEO, expectNoWriteToStaff, hostileFixture, PARTNER, staffState } from './hostile-fixture.js';

let t: Tenant;
beforeAll(async () => {
  t = await startTenant(smallFixture([]), { ...(await import('../support/tenant.js')).GUEST_SETTINGS, BLOCK_SIGN_IN_ON_DEPROVISION: 'true' });
});
afterAll(() => t.stop());

const GOOD = ['good-a', 'good-b', 'good-c'].map((k) => String(newContact(k, {}, 0).contact.contactid));
const idOf = (c: SmallContact): string => String(c.contact.contactid);

/** Loads the tenant with `attackers`, converges it, and returns the staff state before anything else. */
async function load(attackers: SmallContact[]): Promise<unknown> {
  t.s.sim.reset(hostileFixture(attackers));
  return staffState(t);
}

/** The attacker ends with `code` in the plan and on its contact; good technicians are converged. */
async function expectStopped(attacker: SmallContact, code: string): Promise<void> {
  const last = await plan(t);
  const cp = contactPlan(last, idOf(attacker));
  expect(cp.error?.code, JSON.stringify(cp.error)).toBe(code);
  expect(cp.status).toBe('error');
  expect(last.changes.filter((c) => c.subject.id === idOf(attacker))).toEqual([]);
  expect(row(t, 'contacts', idOf(attacker))!.o25fs_provisioningstatus).toBe(STATUS.error);
  for (const id of GOOD) expectConverged(t, id);
  expectNoDuplicates(t);
}

describe('hostile vendor admin: aiming a technician contact at staff accounts', () => {
  it("a staff Member's email in the tenant's own domain: no invitation, no adoption, EMAIL_BELONGS_TO_MEMBER in the dry run and after the apply", async () => {
    const attacker = newContact('ceo-email', { emailaddress1: CEO.email });
    const before = await load([attacker]);
    const dry = contactPlan(await plan(t), idOf(attacker));
    expect(dry.error?.code).toBe('EMAIL_BELONGS_TO_MEMBER');
    await runUntilQuiet(t, [idOf(attacker)]);
    await expectStopped(attacker, 'EMAIL_BELONGS_TO_MEMBER');
    expect(staffState(t)).toEqual(before);
    expect(t.s.sim.state.invitations.filter((i) => i.invitedUserEmailAddress.toLowerCase() === CEO.email)).toEqual([]);
    await expectNoWriteToStaff(t);
  });

  it("a staff Member's outside email address: the same, the Member account is never renamed, licensed or grouped", async () => {
    const attacker = newContact('partner-email', { emailaddress1: PARTNER.email.toUpperCase() });
    const before = await load([attacker]);
    await runUntilQuiet(t, [idOf(attacker)]);
    await expectStopped(attacker, 'EMAIL_BELONGS_TO_MEMBER');
    expect(staffState(t)).toEqual(before);
    await expectNoWriteToStaff(t);
  });

  it("a staff Member's object id typed into the anchor: ANCHOR_NOT_OWNABLE, and deactivating the contact blocks nobody's sign-in", async () => {
    const attacker = newContact('ceo-anchor', { o25fs_entraobjectid: CEO.id });
    const before = await load([attacker]);
    await runUntilQuiet(t, [idOf(attacker)]);
    await expectStopped(attacker, 'ANCHOR_NOT_OWNABLE');
    t.s.sim.state.dataverse.update('contacts', idOf(attacker), { statecode: 1, statuscode: 2 });
    const off = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli', overrides: { releaseRemovals: true } });
    expect(off.plan.changes.filter((c) => c.subject.id === idOf(attacker))).toEqual([]);
    expect(contactPlan(off.plan, idOf(attacker)).error?.code).toBe('ANCHOR_NOT_OWNABLE');
    expect(staffState(t)).toEqual(before);
    expect((t.s.sim.state.graph.users.get(CEO.id) as { accountEnabled: boolean }).accountEnabled).toBe(true);
    await expectNoWriteToStaff(t);
  });

  it("a staff member's bookable resource typed into the resource lookup: left alone (RESOURCE_NOT_OWNED warning), the technician gets its own", async () => {
    const attacker = newContact('ceo-resource', { _o25fs_bookableresourceid_value: CEO.resourceId });
    const before = await load([attacker]);
    const { last } = await runUntilQuiet(t);
    expect(last.changes).toEqual([]);
    expect(contactPlan(last, idOf(attacker)).warnings?.map((w) => w.code) ?? []).not.toContain('RESOURCE_NOT_OWNED'); // repaired: the lookup now names its own
    const linked = String(row(t, 'contacts', idOf(attacker))!._o25fs_bookableresourceid_value);
    expect(linked).not.toBe(CEO.resourceId);
    expectConverged(t, idOf(attacker));
    expect(staffState(t)).toEqual(before);
    t.s.sim.state.dataverse.update('contacts', idOf(attacker), { _o25fs_bookableresourceid_value: CEO.resourceId, statecode: 1, statuscode: 2 });
    const off = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli', overrides: { releaseRemovals: true } });
    expect(contactPlan(off.plan, idOf(attacker)).warnings?.map((w) => w.code)).toContain('RESOURCE_NOT_OWNED');
    expect(row(t, 'bookableresources', CEO.resourceId)!.statecode).toBe(0);
    expect(row(t, 'bookableresources', linked)!.statecode).toBe(1);
    expect(staffState(t)).toEqual(before);
    await expectNoWriteToStaff(t);
  });

  it('an anchor that points at nothing (a made-up object id): the technician is found or invited by email as usual', async () => {
    const attacker = newContact('nothing-anchor', { o25fs_entraobjectid: '00000000-0000-4000-8000-00000000dead' });
    await load([attacker]);
    await runUntilQuiet(t);
    expectConverged(t, idOf(attacker));
    expect(row(t, 'contacts', idOf(attacker))!.o25fs_entraobjectid).not.toBe('00000000-0000-4000-8000-00000000dead');
  });
});

describe('hostile vendor admin: copying another vendor\'s technician', () => {
  async function convergedVictim(): Promise<{ victim: SmallContact; userId: string; resourceId: string }> {
    const victim = newContact('victim', {}, 1, 'northwind');
    t.s.sim.reset(hostileFixture([victim]));
    await runUntilQuiet(t);
    expectConverged(t, idOf(victim));
    const c = row(t, 'contacts', idOf(victim))!;
    return { victim, userId: String(c.o25fs_entraobjectid), resourceId: String(c._o25fs_bookableresourceid_value) };
  }

  it("the victim's anchor copied onto a contact of another vendor: the copier gets ANCHOR_NOT_OWNABLE, the victim keeps converging, also when the copier is deactivated", async () => {
    const { victim, userId } = await convergedVictim();
    const copier = newContact('copier', { o25fs_entraobjectid: userId }, 1, 'tailspin');
    t.s.sim.state.dataverse.insert('contacts', copier.contact);
    await runUntilQuiet(t, [idOf(copier)]);
    await expectStopped(copier, 'ANCHOR_NOT_OWNABLE');
    expectConverged(t, idOf(victim));
    t.s.sim.state.dataverse.update('contacts', idOf(copier), { statecode: 1, statuscode: 2 });
    await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli', overrides: { releaseRemovals: true } });
    await apply(t);
    expectConverged(t, idOf(victim));
    expect((t.s.sim.state.graph.users.get(userId) as { accountEnabled: boolean }).accountEnabled).toBe(true);
  });

  it("the victim's anchor and email both copied: the contact the user's mark names keeps it; the copier is stopped", async () => {
    const { victim, userId } = await convergedVictim();
    const copier = newContact('copier2', { o25fs_entraobjectid: userId, emailaddress1: victim.contact.emailaddress1, createdon: '2020-01-01T00:00:00Z' }, 1, 'tailspin');
    t.s.sim.state.dataverse.insert('contacts', copier.contact);
    await runUntilQuiet(t, [idOf(copier)]);
    await expectStopped(copier, 'ANCHOR_NOT_OWNABLE');
    expectConverged(t, idOf(victim));
  });

  it("the victim's bookable resource copied into another contact's lookup, which is then deactivated: the victim's resource stays active", async () => {
    const { victim, resourceId } = await convergedVictim();
    const copier = newContact('copier3', { _o25fs_bookableresourceid_value: resourceId }, 1, 'tailspin');
    t.s.sim.state.dataverse.insert('contacts', copier.contact);
    await runUntilQuiet(t);
    expectConverged(t, idOf(copier));
    expectConverged(t, idOf(victim));
    t.s.sim.state.dataverse.update('contacts', idOf(copier), { _o25fs_bookableresourceid_value: resourceId, statecode: 1, statuscode: 2 });
    await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli', overrides: { releaseRemovals: true } });
    expect(row(t, 'bookableresources', resourceId)!.statecode).toBe(0);
    expectConverged(t, idOf(victim));
  });
});
