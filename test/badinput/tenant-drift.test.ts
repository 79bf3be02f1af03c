/**
 * Bad-input corpus, what people do between runs (issue 5): a contact deactivated and reactivated,
 * a bookable resource edited by hand, a systemuser disabled, a guest deleted in Entra, a guest's
 * mail changed in Entra, and configuration the tenant no longer matches (the technician group
 * deleted, the licence not subscribed). Sources:
 * learn.microsoft.com/power-platform/admin/create-users (user sync),
 * learn.microsoft.com/graph/api/user-list (guest UPN),
 * learn.microsoft.com/graph/api/group-post-members
 * (group members), learn.microsoft.com/graph/api/subscribedsku-list (subscribedSkus); the
 * drift users report: 404 right after a create (microsoftgraph/microsoft-graph-docs#15839),
 * re-invitations (hashicorp/terraform-provider-azuread#851) and wrong matches on mutable keys.
 */
import { describe, expect, it } from 'vitest';
import { corpusTenant, expectOthersFine, idOf } from './corpus.js';
import {
  apply, contactPlan, expectConverged, expectNoDuplicates, expectNothingLost, GROUP, newContact, plan, row, rows, runUntilQuiet, snapshot, SKU,
  STATUS, userByEmail, type Row,
} from './small-tenant.js';

const tenant = corpusTenant();

/** A tenant whose bad contact is converged first, like the good ones. */
async function convergedCase(key: string) {
  const bad = newContact(key);
  const c = tenant.load([bad]);
  await runUntilQuiet(c.t);
  expectConverged(c.t, idOf(bad));
  return { ...c, bad, before: snapshot(c.t) };
}

type Entry = { service: string; method: string; path: string; inner?: { method: string; path: string }[] };
async function writesSince(c: { t: { s: { admin: (m: string, p: string) => Promise<{ json: { value: Entry[] } }> } } }): Promise<Entry[]> {
  const log = (await c.t.s.admin('GET', '/requests')).json.value;
  return log.filter((e) => e.service !== 'token').flatMap((e) => (e.path.includes('$batch') ? ((e.inner ?? []) as Entry[]) : [e])).filter((e) => e.method !== 'GET');
}

describe('bad input: changes between runs', () => {
  it('a contact deactivated and reactivated between two runs: net no change, no write, no second invitation', async () => {
    const c = await convergedCase('flip');
    const state = c.t.s.sim.state.dataverse;
    state.update('contacts', idOf(c.bad), { statecode: 1, statuscode: 2 });
    state.update('contacts', idOf(c.bad), { statecode: 0, statuscode: 1 });
    await c.t.s.admin('DELETE', '/requests');
    const run = await apply(c.t);
    expect(run.plan.changes).toEqual([]);
    expect(await writesSince(c)).toEqual([]);
    expect(c.t.s.sim.state.invitations.filter((i) => i.invitedUserEmailAddress === c.bad.contact.emailaddress1)).toHaveLength(1);
    expectConverged(c.t, idOf(c.bad));
    expectOthersFine(c);
  });

  it('deactivated for one run, then reactivated: deprovisioned, then back without a second invitation', async () => {
    const c = await convergedCase('flip2');
    const state = c.t.s.sim.state.dataverse;
    state.update('contacts', idOf(c.bad), { statecode: 1, statuscode: 2 });
    // One of four technicians is over the removal guard's percentage: the admin releases it.
    const off = await c.t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli', overrides: { releaseRemovals: true } });
    expect(off.plan.changes.map((x) => x.kind).sort()).toEqual(['bookableresource.deactivate', 'group.remove', 'licence.remove']);
    expect(row(c.t, 'contacts', idOf(c.bad))!.o25fs_provisioningstatus).toBe(STATUS.deprovisioned);
    state.update('contacts', idOf(c.bad), { statecode: 0, statuscode: 1 });
    await runUntilQuiet(c.t);
    expectConverged(c.t, idOf(c.bad));
    expect(c.t.s.sim.state.invitations.filter((i) => i.invitedUserEmailAddress === c.bad.contact.emailaddress1)).toHaveLength(1);
    expectOthersFine(c, [idOf(c.bad)]);
  });

  it('a bookable resource edited by hand: repaired from the contact in one update', async () => {
    const c = await convergedCase('edited');
    const brId = String(row(c.t, 'contacts', idOf(c.bad))!._o25fs_bookableresourceid_value);
    c.t.s.sim.state.dataverse.update('bookableresources', brId, { name: 'Renamed by hand', msdyn_hourlyrate: 99.99, timezone: 20, msdyn_displayonscheduleboard: false });
    const p = await plan(c.t);
    expect(p.changes.map((x) => [x.id, Object.keys(x.after ?? {}).sort()])).toEqual([
      [`${idOf(c.bad)}/bookableresource.update`, ['msdyn_displayonscheduleboard', 'msdyn_hourlyrate', 'name', 'timezone']],
    ]);
    const { last } = await runUntilQuiet(c.t);
    expect(last.changes).toEqual([]);
    expect(row(c.t, 'bookableresources', brId)).toMatchObject({ name: 'Techedited Smith', msdyn_hourlyrate: c.bad.contact.o25fs_hourlyrate, timezone: 85 });
    expectConverged(c.t, idOf(c.bad));
    expectOthersFine(c);
  });

  it('a systemuser disabled by an admin while the guest still qualifies: the contact waits (status waiting, a SYSTEMUSER_DISABLED warning), its resource is left alone', async () => {
    const c = await convergedCase('sudisabled');
    const userId = String(row(c.t, 'contacts', idOf(c.bad))!.o25fs_entraobjectid);
    const su = rows(c.t, 'systemusers').find((s) => s.azureactivedirectoryobjectid === userId)!;
    c.t.s.sim.state.dataverse.update('systemusers', String(su.systemuserid), { isdisabled: true });
    const brId = String(row(c.t, 'contacts', idOf(c.bad))!._o25fs_bookableresourceid_value);
    const resourceBefore = { ...row(c.t, 'bookableresources', brId) };
    const run = await apply(c.t);
    expect(run.plan.changes).toEqual([]);
    const cp = contactPlan(run.plan, idOf(c.bad));
    expect(cp.status).toBe('waiting_for_dataverse_user');
    expect(cp.warnings?.map((w) => w.code)).toEqual(['SYSTEMUSER_DISABLED']);
    expect(row(c.t, 'contacts', idOf(c.bad))!.o25fs_provisioningstatus).toBe(STATUS.waiting);
    expect(row(c.t, 'bookableresources', brId)).toEqual(resourceBefore);
    // Dataverse's user sync puts a qualifying user back
    // (learn.microsoft.com/power-platform/admin/create-users); the contact is active again.
    c.t.s.sim.userSync.runNow(c.t.s.sim.state);
    await runUntilQuiet(c.t);
    expectConverged(c.t, idOf(c.bad));
    expectOthersFine(c);
  });

  it('a guest deleted in Entra by hand: re-invited, re-anchored and converged, with no error', async () => {
    const c = await convergedCase('deleted');
    const oldId = String(row(c.t, 'contacts', idOf(c.bad))!.o25fs_entraobjectid);
    c.t.s.sim.state.graph.users.delete(oldId);
    c.t.s.sim.state.graph.groups.get(GROUP)!.members.delete(oldId);
    const p = await plan(c.t);
    expect(contactPlan(p, idOf(c.bad)).error).toBeUndefined();
    expect(p.changes.find((x) => x.kind === 'user.invite')?.reason).toContain(`(${oldId}) no longer exists`);
    const { runs, last } = await runUntilQuiet(c.t);
    expect(last.changes).toEqual([]);
    expect(runs.every((r) => r.outcome === 'succeeded')).toBe(true);
    const newId = String(row(c.t, 'contacts', idOf(c.bad))!.o25fs_entraobjectid);
    expect(newId).not.toBe(oldId);
    expect(userByEmail(c.t, String(c.bad.contact.emailaddress1)).map((u) => u.id)).toEqual([newId]);
    expectConverged(c.t, idOf(c.bad));
    // The same bookable resource, now pointing at the new user's systemuser (never a second one).
    expect(rows(c.t, 'bookableresources')).toHaveLength(4);
    for (const id of c.goodIds) expectConverged(c.t, id);
    expectNothingLost(c.t, { ...c.before, userIds: c.before.userIds.filter((u) => u !== oldId) });
  });

  it("a contact anchored to a user whose mail changed in Entra: still bound by its anchor, no error, no invitation", async () => {
    const c = await convergedCase('mailchanged');
    const userId = String(row(c.t, 'contacts', idOf(c.bad))!.o25fs_entraobjectid);
    const user = c.t.s.sim.state.graph.users.get(userId)!;
    Object.assign(user, { mail: 'someone.else@example.org', otherMails: ['someone.else@example.org'] });
    const { last, runs } = await runUntilQuiet(c.t);
    expect(last.changes).toEqual([]);
    expect(runs.flatMap((r) => r.plan.changes)).toEqual([]);
    expect(contactPlan(last, idOf(c.bad))).toMatchObject({ status: 'active' });
    expect(contactPlan(last, idOf(c.bad)).error).toBeUndefined();
    expect(c.t.s.sim.state.invitations).toHaveLength(4);
    expect(row(c.t, 'contacts', idOf(c.bad))!.o25fs_entraobjectid).toBe(userId);
    expectOthersFine(c);
  });
});

describe('bad input: configuration the tenant no longer matches', () => {
  async function expectStoppedUntouched(code: string, breakIt: (c: Awaited<ReturnType<typeof convergedCase>>) => void): Promise<void> {
    const c = await convergedCase('config');
    // One more new contact, so the run would have work to do.
    const fresh = newContact('config-new');
    c.t.s.sim.state.dataverse.insert('contacts', fresh.contact);
    breakIt(c);
    const contactsBefore = rows(c.t, 'contacts').map((r) => ({ ...r }));
    const invitations = c.t.s.sim.state.invitations.length;
    await c.t.s.admin('DELETE', '/requests');
    const run = await apply(c.t);
    expect(run.outcome).toBe('failed');
    expect(run.error).toMatchObject({ class: 'configuration', code });
    expect(run.results).toEqual([]);
    expect(await writesSince(c)).toEqual([]);
    expect(rows(c.t, 'contacts')).toEqual(contactsBefore);
    expect(c.t.s.sim.state.invitations).toHaveLength(invitations);
    expectNoDuplicates(c.t);
  }

  it('the technician group deleted: GROUP_NOT_FOUND stops the run with one message; nothing applied, every contact untouched', async () => {
    await expectStoppedUntouched('GROUP_NOT_FOUND', (c) => {
      c.t.s.sim.state.graph.groups.delete(GROUP);
    });
  });

  it('the licence SKU no longer subscribed: SKU_NOT_SUBSCRIBED stops the run with one message; nothing applied, every contact untouched', async () => {
    await expectStoppedUntouched('SKU_NOT_SUBSCRIBED', (c) => {
      const skus = c.t.s.sim.state.graph.subscribedSkus;
      skus.splice(0, skus.length, ...skus.filter((s: Row) => s.skuId !== SKU));
    });
  });
});
