/**
 * Run records stored before plan version 2 (issue 11) still load from the run history (Azurite) and
 * render: the store reads them as version 2 (src/model/plan-v1.ts), so the report, GET
 * /api/runs/{id} and the "last run" line never see a version 1 plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobRunStore } from '../../src/history/run-store.js';
import { renderReport } from '../../src/report/index.js';
import { startAzurite, type TestAzurite } from '../support/azurite.js';
import { CONTACT_V1, runRecordV1, RUN_ID_V1, VENDOR_V1 } from '../support/plan-v1.js';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

async function storeV1(): Promise<BlobRunStore> {
  const container = azurite.container();
  await container.createIfNotExists();
  const put = async (name: string, value: unknown): Promise<void> => {
    const body = JSON.stringify(value);
    await container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body));
  };
  await put(`runs/${RUN_ID_V1}.json`, runRecordV1());
  await put('runs/latest.json', { runId: RUN_ID_V1, finishedAt: '2026-06-01T09:00:05.000Z' });
  return new BlobRunStore(container);
}

describe('a run record stored with a version 1 plan', () => {
  it('loads as version 2, scope included, with its results and statuses as stored', async () => {
    const store = await storeV1();
    const record = (await store.get(RUN_ID_V1))!;
    expect(record.scope).toEqual({ kind: 'group', family: 'technicians', groupId: VENDOR_V1 });
    expect(record.plan.version).toBe(2);
    expect(record.plan.subjects.map((s) => s.subject)).toEqual([
      { family: 'technicians', table: 'contacts', id: CONTACT_V1, displayName: 'Ana Silva', group: { id: VENDOR_V1, name: 'Fabrikam Services' } },
    ]);
    expect(record.plan.changes.map((c) => [c.id, c.subject.id])).toEqual([[`${CONTACT_V1}/licence.assign`, CONTACT_V1]]);
    expect(record.results).toEqual([{ changeId: `${CONTACT_V1}/licence.assign`, contactId: CONTACT_V1, outcome: 'applied' }]);
    expect(record.statuses).toEqual({ [CONTACT_V1]: 'active' });
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
