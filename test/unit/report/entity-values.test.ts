/**
 * Option-set values in words, per table where one number means different things (src/report/labels.ts):
 * an invitation's status reason 1 is New (adx_invitation), a bookable resource's is Active.
 */
import { describe, expect, it } from 'vitest';
import { fieldValue } from '../../../src/report/labels.js';

describe('fieldValue', () => {
  const cases = [
    { reason: "an invitation's status reason 1 is New", field: 'statuscode', value: 1, entity: 'adx_invitation', want: 'New' },
    { reason: 'Sent and Redeemed are the invitation\'s own status reasons', field: 'statuscode', value: 756150001, entity: 'adx_invitation', want: 'Redeemed' },
    { reason: "an invitation's type in words", field: 'adx_type', value: 756150000, entity: 'adx_invitation', want: 'Single' },
    { reason: "a bookable resource's status reason 1 stays Active", field: 'statuscode', value: 1, entity: 'bookableresource', want: 'Active' },
    { reason: 'without a table, the shared words', field: 'statecode', value: 1, entity: undefined, want: 'Inactive' },
    { reason: 'a number no option names stays a number', field: 'statuscode', value: 99, entity: 'adx_invitation', want: 99 },
  ];
  for (const c of cases) it(c.reason, () => expect(fieldValue(c.field, c.value, c.entity)).toBe(c.want));
});
