/**
 * Plan version 1 (stored run records from before families) read as version 2, field by field as
 * docs/plan-format.md maps them, and rendered by the report exactly as its version 2 reading is.
 */
import { describe, expect, it } from 'vitest';
import { upgradePlan, upgradeRunRecord, upgradeScope, type RunRecordV1 } from '../../../src/model/plan-v1.js';
import type { RunRecord } from '../../../src/model/run.js';
import { renderReport } from '../../../src/report/index.js';
import { CONTACT_V1, planV1, runRecordV1, SKU_V1, VENDOR_V1 } from '../../support/plan-v1.js';

const SUBJECT = { family: 'technicians', table: 'contacts', id: CONTACT_V1, displayName: 'Ana Silva', group: { id: VENDOR_V1, name: 'Fabrikam Services' } };

describe('plan version 1 read as version 2', () => {
  it('maps every field: contacts → subjects, contactId → subject, contactsByStatus → subjectsByStatus, licence → licences, vendor → group', () => {
    const v1 = planV1();
    const { contactId: _contactId, ...change } = v1.changes[0]!;
    expect(upgradePlan(v1)).toEqual({
      version: 2,
      generatedAt: '2026-06-01T09:00:00.000Z',
      scope: { kind: 'group', family: 'technicians', groupId: VENDOR_V1 },
      changes: [{ ...change, subject: SUBJECT }],
      subjects: [{ subject: SUBJECT, intent: 'provision', status: 'active', storedStatus: 'active', storedError: null, changeIds: [`${CONTACT_V1}/licence.assign`] }],
      orphans: [],
      // Version 1 counted nothing for the report (tallies came within version 2, issue 12).
      tallies: [],
      summary: {
        changesByKind: { 'licence.assign': 1 },
        subjectsByStatus: { active: 1 },
        licences: [{ skuId: SKU_V1, skuPartNumber: 'D365_FIELD_SERVICE_CONTRACTOR', unitsNeeded: 1, unitsAvailable: 4 }],
        orphans: 0,
        blockedRemovals: 0,
        errors: 0,
      },
    });
  });

  const scopes = [
    { reason: 'the whole tenant is the same in both versions', v1: { kind: 'tenant' as const }, v2: { kind: 'tenant' } },
    { reason: 'a vendor is the technicians family\'s group', v1: { kind: 'vendor' as const, vendorId: VENDOR_V1 }, v2: { kind: 'group', family: 'technicians', groupId: VENDOR_V1 } },
    { reason: 'named contacts are the technicians family\'s subjects', v1: { kind: 'contacts' as const, contactIds: [CONTACT_V1] }, v2: { kind: 'subjects', family: 'technicians', subjectIds: [CONTACT_V1] } },
  ];
  for (const c of scopes) it(c.reason, () => expect(upgradeScope(c.v1)).toEqual(c.v2));

  it('leaves a version 2 plan as it is (the same object)', () => {
    const v2 = upgradePlan(planV1());
    expect(upgradePlan(v2)).toBe(v2);
  });

  it('a v1 plan with no SKU (a run stopped before planning) has no licence entry', () => {
    const v1 = { ...planV1(), changes: [], contacts: [], summary: { ...planV1().summary, licence: { skuId: '', skuPartNumber: null, unitsNeeded: 0, unitsAvailable: null } } };
    expect(upgradePlan(v1).summary.licences).toEqual([]);
  });

  it('maps a stored run record: contactId → subjectKey, statuses by bare id → by subject key', () => {
    const upgraded = upgradeRunRecord(runRecordV1() as unknown as RunRecordV1);
    expect(upgraded.scope).toEqual({ kind: 'group', family: 'technicians', groupId: VENDOR_V1 });
    expect(upgraded.plan).toEqual(upgradePlan(planV1()));
    expect(upgraded.results).toEqual([{ changeId: `${CONTACT_V1}/licence.assign`, subjectKey: `technicians/${CONTACT_V1}`, outcome: 'applied' }]);
    expect(upgraded.statuses).toEqual({ [`technicians/${CONTACT_V1}`]: 'active' });
  });

  it('a result whose change the plan lacks is read as a technician\'s', () => {
    const stored = { ...runRecordV1(), results: [{ changeId: 'gone/user.invite', contactId: 'gone', outcome: 'failed' }] } as unknown as RunRecordV1;
    expect(upgradeRunRecord(stored).results).toEqual([{ changeId: 'gone/user.invite', subjectKey: 'technicians/gone', outcome: 'failed' }]);
  });

  it('leaves a record of today\'s shape as it is: keys that name a family stay, results keep their subject key', () => {
    const today = upgradeRunRecord(runRecordV1() as unknown as RunRecordV1);
    const other = { ...today, statuses: { ...today.statuses, 'accounts/c1000000-0000-4000-8000-000000000001': 'active' as const } };
    expect(upgradeRunRecord(other)).toEqual(other);
  });

  for (const format of ['text', 'markdown', 'html', 'csv', 'json'] as const) {
    it(`a stored v1 run record renders in ${format} exactly as its v2 reading does`, () => {
      const stored = runRecordV1() as unknown as RunRecord;
      const v2: RunRecord = upgradeRunRecord(runRecordV1() as unknown as RunRecordV1);
      const old = renderReport(format, { plan: stored.plan, run: stored });
      expect(old).toBe(renderReport(format, { plan: v2.plan, run: v2 }));
      expect(old).toContain('Ana Silva');
      if (format !== 'json') expect(old).toContain('Fabrikam Services');
    });
  }
});
