/**
 * Member service accounts through the real engine and clients against the simulator (issue 12,
 * "Tests": guests and service accounts side by side; onboarding; sync; convergence with no
 * duplicate; a deactivation and reactivation; a switch from Guest to Service account and back).
 *
 * One tenant, steps in order, each checking the plan's change kinds and the end state in the
 * simulator. Vendor A (Fabrikam) keeps guests, vendor B (Northwind) asks for service accounts
 * (test/integration/service-accounts-fixture.ts: SERVICE_ACCOUNT_DOMAIN contoso.com, two SKUs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookableResourceIdFor } from '../../reconcilers/technicians/ids.js';
import { technicianKey } from '../support/subject-key.js';
import { REF, STATUS_VALUE, startEngineTenant, technician, type EngineTenant } from './engine-fixture.js';
import { ACCOUNT_TYPE, SA_SETTINGS, SA_SKUS, serviceAccountFixture } from './service-accounts-fixture.js';

const service = { o25fs_accounttype: ACCOUNT_TYPE.service };
const ada = technician(1, { first: 'Ada', last: 'Lovelace' });
const brendan = technician(2, { first: 'Brendan', last: 'Kelly' });
const bea = technician(3, { first: 'Bea', last: 'Müller', vendor: 'northwind', contact: { ...service, emailaddress1: 'bea.mueller@northwind-vendor.example' } });
const chen = technician(4, { first: 'Chen', last: 'Wu', vendor: 'northwind', country: 'Ireland', contact: service });
const all = [ada, brendan, bea, chen];

/** The deterministic names (reconcilers/technicians/service-account-name.ts), spelled out. */
const NAMES = {
  [bea.id]: { upn: 'northwind_bea.muller_c0000000@contoso.com', nick: 'vr-c0000000000040008000000000000003', email: 'bea.mueller@northwind-vendor.example', usage: 'GB' },
  [chen.id]: { upn: 'northwind_chen.wu_c0000000@contoso.com', nick: 'vr-c0000000000040008000000000000004', email: chen.email, usage: 'IE' },
  [ada.id]: { upn: 'fabrikam-services_ada.lovelace_c0000000@contoso.com', nick: 'vr-c0000000000040008000000000000001', email: ada.email, usage: 'GB' },
};
const markOf = (contactId: string): string => `vendor-reconciler:v1;contact=${contactId};account=service;group=${REF.groupId};sku=${SA_SKUS.join(',')}`;
const sorted = (ids: string[]): string[] => [...ids].sort();
const kindsOf = (changes: { id: string }[], contactId: string): string[] => sorted(changes.filter((c) => c.id.startsWith(`${contactId}/`)).map((c) => c.id.slice(contactId.length + 1)));
const licences = (skus: readonly string[]): { skuId: string; disabledPlans: never[] }[] => sorted([...skus]).map((skuId) => ({ skuId, disabledPlans: [] }));

let t: EngineTenant;
beforeAll(async () => {
  t = await startEngineTenant(all, SA_SETTINGS);
  t.s.sim.reset(serviceAccountFixture(all));
});
afterAll(() => t.stop());

/** Every key anywhere in a JSON value. */
function keysIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysIn);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...keysIn(v)]);
  return [];
}
const members = (): Record<string, unknown>[] => [...t.s.sim.state.graph.users.values()].filter((u) => u.userType === 'Member');
const membersFor = (contactId: string): Record<string, unknown>[] =>
  members().filter((u) => (u.onPremisesExtensionAttributes as Record<string, string | null> | undefined)?.extensionAttribute15 === markOf(contactId));
const skusOf = (u: Record<string, unknown>): string[] => sorted((u.assignedLicenses as { skuId: string }[]).map((l) => l.skuId));
const editContact = async (id: string, body: Record<string, unknown>): Promise<void> => {
  expect((await t.s.dataverse('PATCH', `contacts(${id})`, { body, headers: { 'If-Match': '*' } })).status).toBe(204);
};
const expectActive = (contactId: string, run: { statuses: Record<string, string> }): void => {
  expect(run.statuses[technicianKey(contactId)]).toBe('active');
  expect(t.contact(contactId).o25fs_provisioningstatus).toBe(STATUS_VALUE.active);
};
const resourceOf = (contactId: string): Record<string, unknown> => t.s.sim.state.dataverse.get('bookableresources', bookableResourceIdFor(contactId))!;

describe('vendor A on guests, vendor B on service accounts, through onboarding, sync, deactivation and a switch', () => {
  it('1) the dry run plans user.create with the deterministic names for B, invitations for A, and carries no password', async () => {
    const dry = await t.dryRun();
    expect(dry.outcome).toBe('succeeded');
    for (const c of [bea, chen]) {
      expect(kindsOf(dry.plan.changes, c.id)).toEqual(sorted(['user.create', 'contact.anchor', `licence.assign/${SA_SKUS[0]}`, `licence.assign/${SA_SKUS[1]}`, 'group.add']));
      const create = dry.plan.changes.find((x) => x.id === `${c.id}/user.create`)!;
      expect(create.after).toMatchObject({ accountEnabled: true, userPrincipalName: NAMES[c.id]!.upn, mailNickname: NAMES[c.id]!.nick, otherMails: [NAMES[c.id]!.email] });
    }
    for (const c of [ada, brendan]) expect(kindsOf(dry.plan.changes, c.id)).toEqual(sorted(['user.invite', 'contact.anchor', 'user.update', 'licence.assign', 'group.add']));
    expect(keysIn(dry.plan).filter((k) => /password/i.test(k))).toEqual([]);
    expect(dry.plan.tallies).toEqual([expect.objectContaining({ id: 'segments', rows: [{ value: 'Northwind Maintenance', count: 2 }] })]);
    expect(t.writes()).toEqual([]);
    expect(t.s.sim.state.graph.users.size).toBe(0);
  });

  it('2) the apply creates each B account as an enabled Member with the segment, otherMails, usage location and mark, licensed with both SKUs, in the group, anchored', async () => {
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    expect(run.results.every((r) => r.outcome === 'applied')).toBe(true);
    for (const c of [bea, chen]) {
      const [user, ...more] = membersFor(c.id);
      expect(more).toEqual([]);
      expect(user).toMatchObject({
        userType: 'Member',
        accountEnabled: true,
        userPrincipalName: NAMES[c.id]!.upn,
        mailNickname: NAMES[c.id]!.nick,
        displayName: c.displayName,
        companyName: 'Northwind Maintenance',
        otherMails: [NAMES[c.id]!.email],
        usageLocation: NAMES[c.id]!.usage,
      });
      expect(skusOf(user!)).toEqual(sorted([...SA_SKUS]));
      expect(t.groupMembers().has(String(user!.id))).toBe(true);
      expect(t.contact(c.id)).toMatchObject({ o25fs_entraobjectid: user!.id, o25fs_provisioningstatus: STATUS_VALUE.waiting_for_dataverse_user });
      expect(t.s.sim.state.dataverse.get('bookableresources', bookableResourceIdFor(c.id))).toBeUndefined();
    }
    // Vendor A stays on guests; the Remote Assist SKU is drawn on by the two service accounts only.
    for (const c of [ada, brendan]) expect(t.userOf(c.id)).toMatchObject({ userType: 'Guest', assignedLicenses: licences([REF.skuId]) });
    expect(t.s.sim.state.graph.subscribedSkus.find((s) => s.skuId === SA_SKUS[1])?.consumedUnits).toBe(2);
  });

  it('3) the user sync gives each account a systemuser; the next apply creates the bookable resources; all Active', async () => {
    expect((await t.s.admin('POST', '/sync')).status).toBe(204);
    for (const c of [bea, chen]) expect(t.systemUserOf(String(t.contact(c.id).o25fs_entraobjectid))).toMatchObject({ domainname: NAMES[c.id]!.upn, isdisabled: false });
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    for (const c of all) {
      expect(kindsOf(run.plan.changes, c.id)).toContain('bookableresource.create');
      expectActive(c.id, run);
      const su = t.systemUserOf(String(t.contact(c.id).o25fs_entraobjectid));
      expect(resourceOf(c.id)).toMatchObject({ _userid_value: su.systemuserid, statecode: 0 });
      expect(t.contact(c.id)._o25fs_bookableresourceid_value).toBe(bookableResourceIdFor(c.id));
    }
  });

  it('4) converged: the next plan is empty and each B contact has exactly one Member', async () => {
    const { plan } = await t.engine().plan({ kind: 'tenant' });
    expect(plan.changes).toEqual([]);
    expect(plan.subjects.map((s) => s.status)).toEqual(['active', 'active', 'active', 'active']);
    for (const c of [bea, chen]) expect(membersFor(c.id)).toHaveLength(1);
    expect(members()).toHaveLength(2);
    expect(t.s.sim.state.graph.users.size).toBe(4);
    expect(t.table('bookableresources')).toHaveLength(4);
  });

  it('5) deactivating a B contact disables its account, removes both licences and the group, deactivates the resource; reactivating restores them', async () => {
    const user = String(t.contact(bea.id).o25fs_entraobjectid);
    await editContact(bea.id, { statecode: 1, statuscode: 2 });
    const off = await t.apply();
    expect(off.outcome).toBe('succeeded');
    expect(kindsOf(off.plan.changes, bea.id)).toEqual(sorted(['user.disable', `licence.remove/${SA_SKUS[0]}`, `licence.remove/${SA_SKUS[1]}`, 'group.remove', 'bookableresource.deactivate']));
    expect(off.plan.changes.map((c) => c.subject.id)).toEqual(off.plan.changes.map(() => bea.id));
    expect(t.user(user)).toMatchObject({ accountEnabled: false, assignedLicenses: [], userType: 'Member' });
    expect(t.groupMembers().has(user)).toBe(false);
    expect(resourceOf(bea.id)).toMatchObject({ statecode: 1, statuscode: 2 });
    expect(t.contact(bea.id).o25fs_provisioningstatus).toBe(STATUS_VALUE.deprovisioned);
    t.sync();
    expect(t.systemUserOf(user).isdisabled).toBe(true);

    await editContact(bea.id, { statecode: 0, statuscode: 1 });
    const on = await t.apply();
    expect(kindsOf(on.plan.changes, bea.id)).toEqual(sorted(['user.update', `licence.assign/${SA_SKUS[0]}`, `licence.assign/${SA_SKUS[1]}`, 'group.add']));
    expect(on.plan.changes.find((c) => c.id === `${bea.id}/user.update`)?.after).toEqual({ accountEnabled: true });
    expect(t.user(user)).toMatchObject({ accountEnabled: true });
    expect(skusOf(t.user(user))).toEqual(sorted([...SA_SKUS]));
    expect(t.groupMembers().has(user)).toBe(true);
    t.sync();
    expect(t.systemUserOf(user).isdisabled).toBe(false);
    const back = await t.apply();
    expect(kindsOf(back.plan.changes, bea.id)).toEqual(['bookableresource.update']);
    expect(resourceOf(bea.id)).toMatchObject({ statecode: 0, statuscode: 1 });
    expectActive(bea.id, back);
    expect(membersFor(bea.id)).toHaveLength(1);
    expect(t.s.sim.state.graph.users.size).toBe(4);
  });

  it('6) switching an A contact from Guest to Service account creates the account, strips the guest, moves the resource; and back', async () => {
    const guest = String(t.contact(ada.id).o25fs_entraobjectid);
    const guestSu = String(t.systemUserOf(guest).systemuserid);
    await editContact(ada.id, service);
    const first = await t.apply();
    expect(first.outcome).toBe('succeeded');
    expect(kindsOf(first.plan.changes, ada.id)).toEqual(
      sorted(['user.create', 'contact.anchor', `licence.assign/${SA_SKUS[0]}`, `licence.assign/${SA_SKUS[1]}`, 'group.add', `licence.remove/former-${REF.skuId}`, `group.remove/former-${REF.groupId}`]),
    );
    const [account, ...more] = membersFor(ada.id);
    expect(more).toEqual([]);
    expect(account).toMatchObject({ userPrincipalName: NAMES[ada.id]!.upn, companyName: 'Fabrikam Services Ltd', accountEnabled: true });
    const sa = String(account!.id);
    expect(t.contact(ada.id).o25fs_entraobjectid).toBe(sa);
    expect(t.user(guest)).toMatchObject({ userType: 'Guest', assignedLicenses: [] });
    expect(t.groupMembers().has(guest)).toBe(false);
    expect(t.groupMembers().has(sa)).toBe(true);

    t.sync();
    const saSu = String(t.systemUserOf(sa).systemuserid);
    expect(saSu).not.toBe(guestSu);
    const moved = await t.apply();
    // The new systemuser gets the contact's coordinates, and the resource moves to it.
    expect(kindsOf(moved.plan.changes, ada.id)).toEqual(['bookableresource.update', 'systemuser.update']);
    expect(t.systemUserOf(sa)).toMatchObject({ address1_latitude: 51.5074, address1_longitude: -0.1278 });
    expect(t.table('bookableresources').filter((r) => r.name === ada.displayName)).toHaveLength(1);
    expect(resourceOf(ada.id)).toMatchObject({ _userid_value: saSu, statecode: 0 });
    expectActive(ada.id, moved);
    expect((await t.engine().plan({ kind: 'tenant' })).plan.changes).toEqual([]);

    // Back to Guest: the guest gets its access again, the service account is disabled and stripped.
    await editContact(ada.id, { o25fs_accounttype: ACCOUNT_TYPE.guest });
    const back = await t.apply();
    expect(kindsOf(back.plan.changes, ada.id)).toEqual(
      sorted(['contact.anchor', 'licence.assign', 'group.add', 'user.disable/former', `licence.remove/former-${SA_SKUS[0]}`, `licence.remove/former-${SA_SKUS[1]}`, `group.remove/former-${REF.groupId}`]),
    );
    expect(t.contact(ada.id).o25fs_entraobjectid).toBe(guest);
    expect(t.user(guest).assignedLicenses).toEqual(licences([REF.skuId]));
    expect(t.user(sa)).toMatchObject({ accountEnabled: false, assignedLicenses: [] });
    expect(t.groupMembers().has(sa)).toBe(false);
    t.sync();
    const home = await t.apply();
    expect(kindsOf(home.plan.changes, ada.id)).toEqual(['bookableresource.update']);
    expect(resourceOf(ada.id)).toMatchObject({ _userid_value: guestSu, statecode: 0 });
    expectActive(ada.id, home);
    expect((await t.engine().plan({ kind: 'tenant' })).plan.changes).toEqual([]);
    // Nothing duplicated: the guest and one service account for Ada, never deleted; four resources.
    expect(t.s.sim.state.graph.users.size).toBe(5);
    expect(membersFor(ada.id)).toHaveLength(1);
    expect(t.table('bookableresources')).toHaveLength(4);
    expect(t.s.sim.state.invitations).toHaveLength(2);
  });
});
