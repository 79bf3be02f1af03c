import { describe, expect, it } from 'vitest';
import { CONTACT_COLUMNS } from '../../../reconcilers/technicians/tables.js';
import { PRODUCT_WRITTEN_CONTACT_COLUMNS, webhookFilteringAttributes } from '../../../reconcilers/technicians/webhook-columns.js';

describe('webhookFilteringAttributes', () => {
  const attributes = webhookFilteringAttributes();

  it('leaves out every column the product writes, so its own status writes start no run', () => {
    for (const c of PRODUCT_WRITTEN_CONTACT_COLUMNS) {
      expect(attributes).not.toContain(c);
      expect(attributes).not.toContain(/^_(.+)_value$/.exec(c)?.[1] ?? c);
    }
  });

  it('keeps what a vendor admin edits, lookups by their logical name and the owner as ownerid', () => {
    expect(attributes).toEqual(expect.arrayContaining(['o25fs_setuptechnician', 'emailaddress1', 'statecode', 'parentcustomerid', 'o25fs_warehouseid', 'ownerid']));
    expect(attributes.filter((a) => a.startsWith('_'))).toEqual([]);
    expect(attributes).not.toContain('fullname');
  });

  it('names only columns the contact read takes (a column the plan ignores would start runs for nothing)', () => {
    const read = new Set(CONTACT_COLUMNS.map((c) => /^_(.+)_value$/.exec(c)?.[1] ?? c));
    for (const a of attributes.filter((x) => x !== 'ownerid')) expect(read.has(a)).toBe(true);
  });
});
