/**
 * The hostile-vendor suite, ways out (issue 9 items 5 and 6): every way a technician stops being one
 * removes the access the product granted, through the removal guard, and nothing else; one contact
 * whose email cannot even be encoded stops only itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { technicianKey } from '../support/subject-key.js';
import { GUEST_SETTINGS, startTenant, type Tenant } from '../support/tenant.js';
import { E5_SKU, demoId } from 'tenant-sim/demo-reference';
import {
  apply, contactPlan, expectConverged, GROUP, groupMembers, newContact, plan, row, runUntilQuiet, smallFixture, SKU, type SmallContact,
} from '../badinput/small-tenant.js';
import { hostileFixture, staffState } from './hostile-fixture.js';
import { renderReport, REPORT_FORMATS } from '../../src/report/index.js';

let t: Tenant;
beforeAll(async () => {
  t = await startTenant(smallFixture([]), { ...GUEST_SETTINGS, BLOCK_SIGN_IN_ON_DEPROVISION: 'false' });
});
afterAll(() => t.stop());

const idOf = (c: SmallContact): string => String(c.contact.contactid);
const release = () => t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli', overrides: { releaseRemovals: true } });
type UserRow = { assignedLicenses: { skuId: string }[]; accountEnabled: boolean; onPremisesExtensionAttributes?: Record<string, string | null> };
const user = (id: string): UserRow => t.s.sim.state.graph.users.get(id) as unknown as UserRow;

async function convergedTechnician(key: string): Promise<{ tech: SmallContact; userId: string; resourceId: string }> {
  const tech = newContact(key);
  t.s.sim.reset(hostileFixture([tech]));
  await runUntilQuiet(t);
  expectConverged(t, idOf(tech));
  const c = row(t, 'contacts', idOf(tech))!;
  return { tech, userId: String(c.o25fs_entraobjectid), resourceId: String(c._o25fs_bookableresourceid_value) };
}

describe('every way out removes access', () => {
  it('a deleted contact: its guest loses licence and group and its resource is deactivated (guarded), the guest is kept and no status is written', async () => {
    const { tech, userId, resourceId } = await convergedTechnician('deleted');
    t.s.sim.state.dataverse.delete('contacts', idOf(tech));
    const dry = await plan(t);
    const cp = contactPlan(dry, idOf(tech));
    expect(cp.deleted).toBe(true);
    // Every format says so: the JSON is the plan (docs/plan-format.md), the others name it.
    for (const format of REPORT_FORMATS) expect(renderReport(format, { plan: dry }), format).toContain(format === 'json' ? '"deleted": true' : '(contact deleted)');
    expect(dry.changes.filter((c) => c.subject.id === idOf(tech)).map((c) => c.kind).sort()).toEqual(['bookableresource.deactivate', 'group.remove', 'licence.remove']);
    // They pass the removal guard like any other removal: with MAX_DEPROVISIONS_PER_RUN=0 they wait for an admin.
    const strict = (await t.engineWith({ ...t.settings, maxDeprovisionsPerRun: 0 }).plan({ kind: 'tenant' })).plan;
    expect(strict.changes.filter((c) => c.subject.id === idOf(tech)).map((c) => c.blocked?.code ?? null)).toEqual(['REMOVALS_HELD', 'REMOVALS_HELD', 'REMOVALS_HELD']);
    await t.s.admin('DELETE', '/requests');
    const run = await release();
    expect(run.results.filter((r) => r.subjectKey === technicianKey(idOf(tech))).every((r) => r.outcome === 'applied')).toBe(true);
    expect(user(userId).assignedLicenses.map((l) => l.skuId)).not.toContain(SKU);
    expect(groupMembers(t).has(userId)).toBe(false);
    expect(row(t, 'bookableresources', resourceId)!.statecode).toBe(1);
    expect(t.s.sim.state.graph.users.has(userId)).toBe(true);
    expect((await plan(t)).changes).toEqual([]);
    // No status write for a row that is gone.
    const log = (await t.s.admin('GET', '/requests')).json as { value: { method: string; path: string; inner?: { method: string; path: string }[] }[] };
    const paths = log.value.flatMap((e) => (e.path.includes('$batch') ? (e.inner ?? []) : [e])).map((e) => e.path.toLowerCase());
    expect(paths.filter((p) => p.includes(`contacts(${idOf(tech).toLowerCase()})`))).toEqual([]);
  });

  it('a deleted contact re-added with the same email: the new contact takes the guest over, no second invitation', async () => {
    const { tech, userId } = await convergedTechnician('readded');
    t.s.sim.state.dataverse.delete('contacts', idOf(tech));
    const again = newContact('readded-2', { emailaddress1: tech.contact.emailaddress1 });
    t.s.sim.state.dataverse.insert('contacts', again.contact);
    await runUntilQuiet(t);
    expectConverged(t, idOf(again));
    expect(row(t, 'contacts', idOf(again))!.o25fs_entraobjectid).toBe(userId);
    expect(user(userId).onPremisesExtensionAttributes?.extensionAttribute15).toContain(`contact=${idOf(again).toLowerCase()}`);
    expect(t.s.sim.state.invitations.filter((i) => i.invitedUserEmailAddress === tech.contact.emailaddress1)).toHaveLength(1);
  });

  it('Setup Technician turned off, then the contact deactivated: access is removed although the flag is off', async () => {
    const { tech, userId, resourceId } = await convergedTechnician('setup-off');
    t.s.sim.state.dataverse.update('contacts', idOf(tech), { o25fs_setuptechnician: false });
    expect((await plan(t)).changes).toEqual([]); // off alone leaves everything (DEPROVISION_WHEN_SETUP_OFF false)
    t.s.sim.state.dataverse.update('contacts', idOf(tech), { statecode: 1, statuscode: 2 });
    await release();
    expect(groupMembers(t).has(userId)).toBe(false);
    expect(user(userId).assignedLicenses.map((l) => l.skuId)).not.toContain(SKU);
    expect(row(t, 'bookableresources', resourceId)!.statecode).toBe(1);
  });

  it('TECHNICIAN_GROUP_ID changed: the old membership is a planned, guarded removal, the new group is added and the mark records it', async () => {
    const { tech, userId } = await convergedTechnician('new-group');
    const NEW_GROUP = demoId('hostile:group:technicians-2');
    t.s.sim.state.graph.groups.set(NEW_GROUP, { id: NEW_GROUP, displayName: 'Technicians 2', members: new Set<string>(), assignedLicenses: [] });
    const settings = { ...t.settings, families: { technicians: { ...t.settings.families.technicians!, technicianGroupId: NEW_GROUP } } };
    const dry = (await t.engineWith(settings).plan({ kind: 'tenant' })).plan;
    const mine = dry.changes.filter((c) => c.subject.id === idOf(tech));
    expect(mine.map((c) => [c.kind, c.before?.groupId ?? null])).toEqual(
      expect.arrayContaining([['group.add', NEW_GROUP], ['group.remove', GROUP.toLowerCase()], ['user.mark', null]]),
    );
    expect(mine.find((c) => c.kind === 'group.remove')!.blocked?.code).toBe('REMOVALS_HELD');
    await t.engineWith(settings).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli', overrides: { releaseRemovals: true } });
    expect(groupMembers(t).has(userId)).toBe(false);
    expect(t.s.sim.state.graph.groups.get(NEW_GROUP)!.members.has(userId)).toBe(true);
    expect(user(userId).onPremisesExtensionAttributes?.extensionAttribute15).toContain(`group=${NEW_GROUP}`);
    expect((await t.engineWith(settings).plan({ kind: 'tenant' })).plan.changes).toEqual([]);
  });

  it('LICENSE_SKU_ID changed: the old licence is removed (guarded) and the new one assigned, for every managed user', async () => {
    const { userId } = await convergedTechnician('new-sku');
    const sku = t.s.sim.state.graph.subscribedSkus.find((s) => s.skuId === E5_SKU) as { prepaidUnits: { enabled: number } };
    sku.prepaidUnits.enabled = 100;
    const settings = { ...t.settings, families: { technicians: { ...t.settings.families.technicians!, licenseSkuId: E5_SKU } } };
    await t.engineWith(settings).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli', overrides: { releaseRemovals: true } });
    const skus = user(userId).assignedLicenses.map((l) => l.skuId);
    expect(skus).toContain(E5_SKU);
    expect(skus).not.toContain(SKU);
    expect(user(userId).onPremisesExtensionAttributes?.extensionAttribute15).toContain(`sku=${E5_SKU}`);
    expect((await t.engineWith(settings).plan({ kind: 'tenant' })).plan.changes).toEqual([]);
  });
});

describe('one bad contact never stops a run', () => {
  it('an email holding a lone UTF-16 surrogate: EMAIL_INVALID on that contact, every other contact converges, the run succeeds', async () => {
    const bad = newContact('surrogate', { emailaddress1: 'tech\uD800@fabrikam-services.com' });
    t.s.sim.reset(hostileFixture([bad]));
    const staff = staffState(t);
    const { runs, last } = await runUntilQuiet(t, [idOf(bad)]);
    expect(runs.every((r) => r.outcome === 'succeeded'), runs.map((r) => r.outcome).join()).toBe(true);
    expect(contactPlan(last, idOf(bad)).error?.code).toBe('EMAIL_INVALID');
    for (const k of ['good-a', 'good-b', 'good-c']) expectConverged(t, String(newContact(k, {}, 0).contact.contactid));
    expect(staffState(t)).toEqual(staff);
    await apply(t);
  });
});
