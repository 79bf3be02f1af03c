/**
 * The technician group's display name next to its id in the HTML report (issue 16 item 6, "Names
 * next to ids: … group display name"), end to end against the simulator. The name comes from the one
 * GET of the group each run makes anyway (reconcilers/technicians/group-licensing.ts
 * readTechnicianGroup): on a full read beside its members (in group mode the same GET reads its
 * licences), on an incremental round as its existence check. The plan carries it in
 * summary.groups, as it carries the SKU part number in summary.licences.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createIncrementalObserver, MemorySnapshotStore } from '../../src/engine/incremental/index.js';
import { renderReport } from '../../src/report/index.js';
import { GUEST_SETTINGS } from '../support/tenant.js';
import { REF, engineFixture, startEngineTenant, threeTechnicians, type EngineTenant } from './engine-fixture.js';

let t: EngineTenant | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const groupReads = (tenant: EngineTenant): string[] =>
  tenant.wire.filter((w) => w.service === 'graph' && w.method === 'GET' && w.path === `/groups/${REF.groupId}`).map((w) => decodeURIComponent(w.query));

/** The simulator's name of the technician group (the demo fixture's). */
function fixtureGroupName(): string {
  const group = engineFixture([]).graph!.groups!.find((g) => g.id.toLowerCase() === REF.groupId.toLowerCase());
  expect(group?.displayName).toBeTruthy();
  return String(group!.displayName);
}

describe('the technician group name in the plan and the HTML report', () => {
  it('a full read: one GET of the group for its name; the plan names it and the report shows it before the id of each group change', async () => {
    t = await startEngineTenant(threeTechnicians());
    const name = fixtureGroupName();
    const record = await t.dryRun();
    expect(record.outcome).toBe('succeeded');
    expect(groupReads(t)).toEqual(['$select=id,displayName']);
    expect(record.plan.summary.groups).toEqual([{ groupId: REF.groupId, displayName: name }]);

    const adds = record.plan.changes.filter((c) => c.kind === 'group.add');
    expect(adds.length).toBeGreaterThan(0);
    const html = renderReport('html', { plan: record.plan });
    const shown = html.match(new RegExp(`<span class="id-name">${name}</span> <span class="id" title="${REF.groupId}">`, 'g')) ?? [];
    expect(shown).toHaveLength(adds.length);
  });

  it('group licensing mode: the GET that reads the licences gives the name, no second read', async () => {
    t = await startEngineTenant(threeTechnicians(), { ...GUEST_SETTINGS, LICENSE_MODE: 'group' });
    const fixture = engineFixture(threeTechnicians());
    fixture.graph!.groups = fixture.graph!.groups!.map((g) => (g.id.toLowerCase() === REF.groupId.toLowerCase() ? { ...g, assignedLicenses: [{ skuId: REF.skuId }] } : g));
    t.s.sim.reset(fixture);
    const record = await t.dryRun();
    expect(record.outcome).toBe('succeeded');
    expect(groupReads(t)).toEqual(['$select=id,displayName,assignedLicenses']);
    expect(record.plan.summary.groups).toEqual([{ groupId: REF.groupId, displayName: fixtureGroupName() }]);
  });

  it('an incremental round: its existence check gives the name, the same plan as the full read', async () => {
    t = await startEngineTenant(threeTechnicians());
    const observer = createIncrementalObserver({ store: new MemorySnapshotStore(), settings: t.settings });
    const run = () => t!.engine({ observer }).run({ scope: { kind: 'tenant' }, dryRun: true, trigger: 'timer' });
    const full = await run();
    expect(observer.last?.mode).toBe('full');
    await t.clearLogs();
    const incremental = await run();
    expect(observer.last?.mode).toBe('incremental');
    expect(groupReads(t)).toEqual(['$select=id,displayName']);
    expect(incremental.plan.summary.groups).toEqual(full.plan.summary.groups);
    expect(incremental.plan.summary.groups).toEqual([{ groupId: REF.groupId, displayName: fixtureGroupName() }]);
  });

  it('the group does not exist: no name, and the report shows the id alone', async () => {
    t = await startEngineTenant(threeTechnicians());
    const fixture = engineFixture(threeTechnicians());
    fixture.graph!.groups = fixture.graph!.groups!.filter((g) => g.id.toLowerCase() !== REF.groupId.toLowerCase());
    t.s.sim.reset(fixture);
    const record = await t.dryRun();
    expect(record.plan.summary.groups).toBeUndefined();
    expect(renderReport('html', { plan: record.plan })).not.toContain('<span class="id-name">' + fixtureGroupName());
  });
});
