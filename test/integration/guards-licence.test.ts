/**
 * Issue 5, "Licence capacity": the plan compares units needed with units free
 * (prepaidUnits.enabled − consumedUnits, learn.microsoft.com/graph/api/subscribedsku-list;
 * users report seat exhaustion only after the fact, e.g. MicrosoftDocs/azure-docs#109703), apply
 * assigns up to what is free and marks the rest "no licence units", in a stable
 * order: the oldest contacts (Dataverse createdon) first. Adding units lets the next run assign the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { technicianKey } from '../support/subject-key.js';
import { NO_LICENCE_UNITS } from '../../src/engine/guards/index.js';
import { statusToOptionValue } from '../../reconcilers/technicians/status-codes.js';
import { renderReport } from '../../src/report/index.js';
import { FIELD_SERVICE_CONTRACTOR_SKU } from 'tenant-sim/demo-reference';
import { startTenant, type Tenant } from '../support/tenant.js';
import { callsOf, guardTenant } from './guards-fixture.js';

// Eight new technicians created in this order of age (oldest first) — not their contact id order.
const AGE_RANK = [5, 2, 7, 0, 3, 6, 1, 4];
const world = guardTenant({
  converged: 4,
  fresh: 8,
  freeUnits: 5,
  freshCreatedOn: (i) => new Date(Date.UTC(2026, 0, 1 + AGE_RANK[i]!)).toISOString().replace('.000Z', 'Z'),
});
const byAge = [...world.fresh].sort((a, b) => AGE_RANK[world.fresh.indexOf(a)]! - AGE_RANK[world.fresh.indexOf(b)]!);
const first5 = byAge.slice(0, 5).map((f) => f.contactId).sort();
const last3 = byAge.slice(5).map((f) => f.contactId).sort();

let t: Tenant;
beforeAll(async () => {
  t = await startTenant(world.fixture, world.settings);
});
afterAll(() => t.stop());

const sku = (): Record<string, unknown> & { consumedUnits: number; prepaidUnits: { enabled: number } } =>
  t.s.sim.state.graph.subscribedSkus.find((s) => s.skuId === FIELD_SERVICE_CONTRACTOR_SKU) as never;
const licensed = (contactId: string): boolean => {
  const userId = t.s.sim.state.dataverse.get('contacts', contactId)!.o25fs_entraobjectid as string | null;
  const user = userId ? t.s.sim.state.graph.users.get(userId) : undefined;
  return !!user && (user.assignedLicenses as { skuId: string }[]).some((l) => l.skuId === FIELD_SERVICE_CONTRACTOR_SKU);
};

describe('licence capacity: 5 free units for 8 new technicians', () => {
  it('the plan holds back the 3 youngest contacts\' licences and the report shows needed against available', async () => {
    expect(first5).not.toEqual(world.fresh.map((f) => f.contactId).sort().slice(0, 5)); // the order is not the id order
    const run = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: true, trigger: 'cli' });
    const held = run.plan.changes.filter((c) => c.blocked);
    expect(held.map((c) => c.kind)).toEqual(['licence.assign', 'licence.assign', 'licence.assign']);
    expect(held.map((c) => c.subject.id).sort()).toEqual(last3);
    expect(held[0]!.blocked).toMatchObject({ code: NO_LICENCE_UNITS, action: 'Buy more units of DYN365_FS_CONTRACTOR or free some (remove the licence from people who no longer need it); the next run assigns them.' });
    expect(run.plan.summary.licences[0]!).toMatchObject({ unitsNeeded: 8, unitsAvailable: 5 });
    expect(run.plan.summary.subjectsByStatus.no_licence_units).toBe(3);
    expect(renderReport('text', { plan: run.plan, run })).toContain('Not enough licence units: 8 needed, 5 available (DYN365_FS_CONTRACTOR)');
  });

  it('apply licenses the 5 oldest, invites everyone, and marks the other 3 no_licence_units with the action', async () => {
    await t.s.admin('DELETE', '/requests');
    const run = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
    expect(run.outcome).toBe('succeeded');
    const assigns = callsOf((await t.s.admin('GET', '/requests')).json.value).filter((c) => c.path.endsWith('/assignLicense'));
    expect(assigns).toHaveLength(5);
    expect(assigns.every((c) => c.status === 200)).toBe(true);
    expect(world.fresh.filter((f) => licensed(f.contactId)).map((f) => f.contactId).sort()).toEqual(first5);
    expect(sku().consumedUnits).toBe(sku().prepaidUnits.enabled);
    for (const f of world.fresh) expect(t.s.sim.state.dataverse.get('contacts', f.contactId)!.o25fs_entraobjectid).toBeTruthy();
    for (const id of last3) {
      expect(run.statuses[technicianKey(id)]).toBe('no_licence_units');
      const row = t.s.sim.state.dataverse.get('contacts', id)!;
      expect(row.o25fs_provisioningstatus).toBe(statusToOptionValue('no_licence_units'));
      expect(String(row.o25fs_provisioningerror)).toContain('What to do: Buy more units of DYN365_FS_CONTRACTOR or free some');
      // Not the contact's fault: no quarantine counting.
      expect(row.o25fs_consecutivefailures ?? 0).toBe(0);
    }
    for (const id of first5) expect(run.statuses[technicianKey(id)]).not.toBe('no_licence_units');
  });

  it('after units are added, the next run assigns the rest', async () => {
    sku().prepaidUnits.enabled += 3;
    const run = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
    expect(run.plan.changes.filter((c) => c.blocked)).toEqual([]);
    expect(run.plan.summary.licences[0]!).toMatchObject({ unitsNeeded: 3, unitsAvailable: 3 });
    expect(run.results.filter((r) => r.changeId.endsWith('/licence.assign')).map((r) => [r.subjectKey, r.outcome]).sort()).toEqual(last3.map((id) => [technicianKey(id), 'applied']));
    expect(world.fresh.every((f) => licensed(f.contactId))).toBe(true);
    for (const id of last3) expect(run.statuses[technicianKey(id)]).not.toBe('no_licence_units');
  });
});
