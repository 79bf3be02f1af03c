/**
 * Run records stored before plan version 2 (issue 11) still load from the run history (Azurite) and
 * render: the store reads them as today's records (src/model/plan-v1.ts), so the report, GET
 * /api/runs/{id} and the "last run" line never see a version 1 plan, a `contactId` result or a
 * status keyed by a bare contact id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobRunStore } from '../../src/history/run-store.js';
import { renderReport } from '../../src/report/index.js';
import { startAzurite, type TestAzurite } from '../support/azurite.js';
import { upgradePlan, upgradeScope, type RunScopeV1 } from '../../src/model/plan-v1.js';
import { CONTACT_V1, planV1, runRecordV1, RUN_ID_V1, VENDOR_V1 } from '../support/plan-v1.js';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

/** A store holding the v1 record as latest, and any further blobs given (name → JSON value). */
async function storeV1(more: Record<string, unknown> = {}): Promise<BlobRunStore> {
  const container = azurite.container();
  await container.createIfNotExists();
  const put = async (name: string, value: unknown): Promise<void> => {
    const body = JSON.stringify(value);
    await container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body));
  };
  await put(`runs/${RUN_ID_V1}.json`, runRecordV1());
  await put('runs/latest.json', { runId: RUN_ID_V1, finishedAt: '2026-06-01T09:00:05.000Z' });
  for (const [name, value] of Object.entries(more)) await put(name, value);
  return new BlobRunStore(container);
}

describe('a run record stored with a version 1 plan', () => {
  it('a record stored with a version 2 plan but results by contactId and bare-id statuses (before results named subjects) loads the same way', async () => {
    const old = runRecordV1();
    const runId = 'f1000000-0000-4000-8000-000000000002';
    const store = await storeV1({ [`runs/${runId}.json`]: { ...old, runId, scope: upgradeScope(old.scope as RunScopeV1), plan: upgradePlan(planV1()) } });
    const record = (await store.get(runId))!;
    expect(record.plan.version).toBe(2);
    expect(record.results).toEqual([{ changeId: `${CONTACT_V1}/licence.assign`, subjectKey: `technicians/${CONTACT_V1}`, outcome: 'applied' }]);
    expect(record.statuses).toEqual({ [`technicians/${CONTACT_V1}`]: 'active' });
  });


  it('loads as version 2, scope included, its results and statuses named by subject key', async () => {
    const store = await storeV1();
    const record = (await store.get(RUN_ID_V1))!;
    expect(record.scope).toEqual({ kind: 'group', family: 'technicians', groupId: VENDOR_V1 });
    expect(record.plan.version).toBe(2);
    expect(record.plan.subjects.map((s) => s.subject)).toEqual([
      { family: 'technicians', table: 'contacts', id: CONTACT_V1, displayName: 'Ana Silva', group: { id: VENDOR_V1, name: 'Fabrikam Services' } },
    ]);
    expect(record.plan.changes.map((c) => [c.id, c.subject.id])).toEqual([[`${CONTACT_V1}/licence.assign`, CONTACT_V1]]);
    expect(record.results).toEqual([{ changeId: `${CONTACT_V1}/licence.assign`, subjectKey: `technicians/${CONTACT_V1}`, outcome: 'applied' }]);
    expect(record.statuses).toEqual({ [`technicians/${CONTACT_V1}`]: 'active' });
    expect(await store.latest()).toEqual(record);
  });

  it('renders as the report of that run: the vendor, the contact and its applied change', async () => {
    const record = (await (await storeV1()).get(RUN_ID_V1))!;
    const text = renderReport('text', { plan: record.plan, run: record });
    expect(text).toContain('One vendor: Fabrikam Services.');
    expect(text).toContain('Ana Silva');
    expect(text).toMatch(/1 of 1 change applied/);
  });
});
