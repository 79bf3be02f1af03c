/**
 * Issue 5, "Errors": a configuration error (unknown SKU, missing group, missing permission) stops
 * the run at once with one clear message, instead of failing every contact (src/engine/engine.ts,
 * src/engine/apply.ts; learn.microsoft.com/graph/permissions-reference for the permissions).
 * Verified here end to end,
 * with the guards in place: such a run counts against no contact's quarantine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_TECHNICIAN_GROUP_ID } from 'tenant-sim/demo-fixture';
import { startTenant, type Tenant } from '../support/tenant.js';
import { callsOf, guardTenant } from './guards-fixture.js';

let t: Tenant | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const writes = async (tenant: Tenant): Promise<ReturnType<typeof callsOf>> =>
  callsOf((await tenant.s.admin('GET', '/requests')).json.value).filter((c) => c.method !== 'GET' && !c.path.includes('/getByIds'));

describe('a configuration error stops the run with one message', () => {
  const cases: { reason: string; setup: (tenant: Tenant) => void; settings?: Record<string, string>; code: string; message: RegExp; action: RegExp }[] = [
    {
      reason: 'LICENSE_SKU_ID names a SKU the tenant does not subscribe to',
      setup: () => undefined,
      settings: { LICENSE_SKU_ID: '00000000-0000-4000-8000-000000000bad' },
      code: 'SKU_NOT_SUBSCRIBED',
      message: /LICENSE_SKU_ID=00000000-0000-4000-8000-000000000bad is not one of the tenant's subscribed SKUs: DYN365_FS_CONTRACTOR/,
      action: /Set LICENSE_SKU_ID/,
    },
    {
      reason: 'the technician group was deleted',
      setup: (tenant) => void tenant.s.sim.state.graph.groups.delete(DEMO_TECHNICIAN_GROUP_ID),
      code: 'GROUP_NOT_FOUND',
      message: new RegExp(`TECHNICIAN_GROUP_ID=${DEMO_TECHNICIAN_GROUP_ID} does not exist`),
      action: /Set TECHNICIAN_GROUP_ID/,
    },
  ];
  for (const c of cases) {
    it(c.reason, async () => {
      const world = guardTenant({ converged: 3, deactivated: 1, fresh: 3 });
      t = await startTenant(world.fixture, { ...world.settings, ...(c.settings ?? {}) });
      c.setup(t);
      const run = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
      expect(run.outcome).toBe('failed');
      expect(run.error).toMatchObject({ class: 'configuration', code: c.code });
      expect(run.error!.message).toMatch(c.message);
      expect(run.error!.action).toMatch(c.action);
      expect(await writes(t)).toEqual([]);
      expect(run.results).toEqual([]);
      for (const row of t.s.sim.state.dataverse.table('contacts').values()) expect(row.o25fs_consecutivefailures ?? 0).toBe(0);
    });
  }

  it('a missing permission found while applying (GroupMember.ReadWrite.All) stops the run after that wave, counting against no contact', async () => {
    const world = guardTenant({ converged: 3, deactivated: 1, fresh: 3 });
    t = await startTenant(world.fixture, world.settings);
    t.s.sim.state.app.roles = [...t.s.sim.state.app.roles.filter((r) => r !== 'GroupMember.ReadWrite.All'), 'GroupMember.Read.All'];
    const run = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
    expect(run.outcome).toBe('failed');
    expect(run.error).toMatchObject({ class: 'configuration', code: 'MISSING_PERMISSION' });
    expect(run.error!.message).toMatch(/the app lacks GroupMember\.ReadWrite\.All/);
    expect(run.error!.action).toMatch(/Grant the application permission GroupMember\.ReadWrite\.All/);
    const failed = run.results.filter((r) => r.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.error?.code === 'MISSING_PERMISSION' && /\/group\.(add|remove)$/.test(r.changeId))).toBe(true);
    // The wave with the refused call finished; nothing of a later wave was sent.
    const notReached = run.results.filter((r) => r.outcome === 'not_reached').map((r) => r.changeId.split('/')[1]);
    expect(notReached.filter((k) => k === 'licence.assign' || k === 'group.add')).toHaveLength(6);
    expect((await writes(t)).filter((c) => c.method === 'POST' && c.path.includes('/members/'))).toEqual([]);
    for (const row of t.s.sim.state.dataverse.table('contacts').values()) expect(row.o25fs_consecutivefailures ?? 0).toBe(0);
  });
});
