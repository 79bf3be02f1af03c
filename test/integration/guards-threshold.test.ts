/**
 * Issue 5, "Guards": 30 of 100 technicians deactivated at once with the threshold at 10. The
 * removals are staged (held back) and reported, every other change applies, no removal request is
 * sent, and the override releases them
 * (learn.microsoft.com/entra/identity/app-provisioning/accidental-deletions: the breaker
 * blocks the whole destructive batch and waits for an admin's explicit allow; users of such breakers
 * ask it to say plainly that no
 * destructive action was applied and list the staged items).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { technicianKey } from '../support/subject-key.js';
import { REMOVALS_HELD } from '../../src/engine/guards/index.js';
import { statusToOptionValue } from '../../reconcilers/technicians/status-codes.js';
import { REMOVAL_KINDS } from '../../src/kinds.js';
import { renderReport } from '../../src/report/index.js';
import { FIELD_SERVICE_CONTRACTOR_SKU } from 'tenant-sim/demo-reference';
import { DEMO_TECHNICIAN_GROUP_ID } from 'tenant-sim/demo-fixture';
import { startTenant, type Tenant } from '../support/tenant.js';
import { callsOf, guardTenant } from './guards-fixture.js';

const world = guardTenant({ converged: 100, deactivated: 30, driftCoordinates: 2, fresh: 3 });
let t: Tenant;
beforeAll(async () => {
  t = await startTenant(world.fixture, { ...world.settings, MAX_DEPROVISIONS_PER_RUN: '10' });
});
afterAll(() => t.stop());

const gone = new Set(world.deactivated.map((d) => d.contactId));
const contactRow = (id: string): Record<string, unknown> => t.s.sim.state.dataverse.get('contacts', id)!;
const log = async (): Promise<ReturnType<typeof callsOf>> => callsOf((await t.s.admin('GET', '/requests')).json.value);
/** Write calls that would take access from a deactivated technician: their user, membership or bookable resource. */
const removalCalls = (calls: ReturnType<typeof callsOf>): ReturnType<typeof callsOf> => {
  const targets = world.deactivated.flatMap((d) => [d.userId, d.resourceId]);
  return calls.filter((c) => c.method !== 'GET' && targets.some((id) => c.path.toLowerCase().includes(id)));
};
const hasAccess = (userId: string): boolean => {
  const user = t.s.sim.state.graph.users.get(userId)!;
  const licensed = (user.assignedLicenses as { skuId: string }[]).some((l) => l.skuId === FIELD_SERVICE_CONTRACTOR_SKU);
  return licensed && t.s.sim.state.graph.groups.get(DEMO_TECHNICIAN_GROUP_ID)!.members.has(userId);
};

describe('removal threshold on a tenant of 100 technicians', () => {
  it('a dry run stages every removal as held back and the report says so (text and HTML)', async () => {
    const run = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: true, trigger: 'cli' });
    const removals = run.plan.changes.filter((c) => REMOVAL_KINDS.has(c.kind));
    expect(removals).toHaveLength(90);
    expect(new Set(removals.map((c) => c.subject.id))).toEqual(gone);
    expect(removals.every((c) => c.blocked?.code === REMOVALS_HELD)).toBe(true);
    expect(removals[0]!.blocked!.reason).toBe(
      '30 contacts would lose access in this run (limit 10 per run / 10% of everyone with access); every removal is held back until an admin releases them.',
    );
    expect(run.plan.changes.filter((c) => !c.blocked).map((c) => c.kind).sort()).toEqual([
      ...Array(3).fill('contact.anchor'), ...Array(3).fill('group.add'), ...Array(3).fill('licence.assign'), 'systemuser.update', 'systemuser.update', ...Array(3).fill('user.invite'), ...Array(3).fill('user.update'),
    ].sort());
    expect(run.plan.summary.blockedRemovals).toBe(90);
    expect(run.plan.summary.subjectsByStatus.removal_blocked).toBe(30);
    expect(run.statuses[technicianKey(world.deactivated[0]!.contactId)]).toBe('removal_blocked');

    const text = renderReport('text', { plan: run.plan, run });
    expect(text).toContain('Blocked removals: 90');
    expect(text).toContain('No removal was applied: 90 removals are held back by the threshold guard');
    expect(text).toContain('30 contacts would lose access in this run');
    const html = renderReport('html', { plan: run.plan, run });
    expect(html).toContain('id="blocked-removals-notice"');
    expect(html).toMatch(/<li[^>]*>[^<]*Tech0 converged/);
  });

  it('an apply applies everything else, sends no removal request and marks the 30 contacts removal_blocked', async () => {
    await t.s.admin('DELETE', '/requests');
    const run = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
    expect(run.outcome).toBe('succeeded');
    const byOutcome = (o: string): string[] => run.results.filter((r) => r.outcome === o).map((r) => r.changeId);
    expect(byOutcome('blocked')).toHaveLength(90);
    expect(byOutcome('applied')).toHaveLength(run.plan.changes.length - 90);
    expect(byOutcome('applied').filter((id) => id.endsWith('/user.invite'))).toHaveLength(3);
    expect(byOutcome('applied').filter((id) => id.endsWith('/systemuser.update'))).toHaveLength(2);

    const calls = await log();
    expect(removalCalls(calls)).toEqual([]);
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([]);
    expect(calls.filter((c) => c.method === 'POST' && c.path.includes('invitations'))).toHaveLength(3);
    expect(world.deactivated.every((d) => hasAccess(d.userId))).toBe(true);
    for (const d of world.deactivated) expect(t.s.sim.state.dataverse.get('bookableresources', d.resourceId)!.statecode).toBe(0);

    for (const d of world.deactivated) {
      expect(run.statuses[technicianKey(d.contactId)]).toBe('removal_blocked');
      expect(contactRow(d.contactId).o25fs_provisioningstatus).toBe(statusToOptionValue('removal_blocked'));
      expect(String(contactRow(d.contactId).o25fs_provisioningerror)).toMatch(/^30 contacts would lose access in this run .* What to do: Check the removals listed in the report\./);
    }
    // The new technicians went ahead.
    for (const f of world.fresh) expect(contactRow(f.contactId).o25fs_entraobjectid).toBeTruthy();
  });

  it('the next run without the override still holds them back, and writes nothing new on those contacts', async () => {
    await t.s.admin('DELETE', '/requests');
    const run = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
    expect(run.results.filter((r) => r.outcome === 'blocked')).toHaveLength(90);
    const calls = await log();
    expect(removalCalls(calls)).toEqual([]);
    expect(calls.filter((c) => c.method === 'PATCH' && world.deactivated.some((d) => c.path.includes(d.contactId)))).toEqual([]);
  });

  it('the override releases them: the removals apply and the contacts end deprovisioned', async () => {
    await t.s.admin('DELETE', '/requests');
    const run = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'manual', overrides: { releaseRemovals: true } });
    expect(run.outcome).toBe('succeeded');
    const removals = run.results.filter((r) => [...gone].some((id) => technicianKey(id) === r.subjectKey));
    expect(removals).toHaveLength(90);
    expect(removals.every((r) => r.outcome === 'applied')).toBe(true);
    expect(run.plan.summary.blockedRemovals).toBe(0);
    expect(removalCalls(await log())).toHaveLength(90);
    for (const d of world.deactivated) {
      expect(hasAccess(d.userId)).toBe(false);
      expect(t.s.sim.state.graph.users.has(d.userId)).toBe(true); // never deleted
      expect(t.s.sim.state.dataverse.get('bookableresources', d.resourceId)!.statecode).toBe(1);
      expect(run.statuses[technicianKey(d.contactId)]).toBe('deprovisioned');
      expect(contactRow(d.contactId)).toMatchObject({ o25fs_provisioningstatus: statusToOptionValue('deprovisioned'), o25fs_provisioningerror: null });
    }
    // Nothing left to remove: the next run holds nothing back.
    const after = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: true, trigger: 'cli' });
    expect(after.plan.changes.filter((c) => REMOVAL_KINDS.has(c.kind))).toEqual([]);
  });
});
