/**
 * The licence capacity guard counts what each change kind declares it consumes
 * (src/engine/kind.ts `consumes`), not a hard-coded kind name.
 */
import { describe, expect, it } from 'vitest';
import { licenceUnitOf, licenceUseOf } from '../../../src/engine/guards/licence-capacity.js';
import { PRODUCT_KINDS } from '../../../src/kinds.js';
import type { Change, ChangeKind } from '../../../src/model/plan.js';

const subject = { family: 'technicians', table: 'contacts', id: 'c-1', displayName: 'Ana', group: null };
const ch = (kind: ChangeKind, after: Change['after'], before: Change['before'] = null): Change => ({
  id: `c-1/${kind}`,
  subject,
  kind,
  target: { service: 'graph', entity: 'user', id: 'u-1' },
  before,
  after,
  reason: 'r',
  dependsOn: [],
});

describe('licenceUseOf', () => {
  const cases = [
    { reason: 'an assignment draws one unit of its SKU, keyed in lower case', change: ch('licence.assign', { skuId: 'C0000000-0000-4000-8000-00000000005C', directlyAssigned: true }), want: { sku: 'c0000000-0000-4000-8000-00000000005c', units: 1 } },
    { reason: 'a removal frees a unit later but draws none now', change: ch('licence.remove', { skuId: 'sku', directlyAssigned: false }, { skuId: 'sku', directlyAssigned: true }), want: null },
    { reason: 'a group add draws no licence unit (group-based licensing is not counted here)', change: ch('group.add', { groupId: 'g', member: true }), want: null },
    { reason: 'a profile update draws nothing', change: ch('user.update', { displayName: 'Ana' }), want: null },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      expect(licenceUseOf(c.change, PRODUCT_KINDS)).toEqual(c.want);
      expect(licenceUnitOf(c.change, PRODUCT_KINDS)).toBe(c.want?.sku ?? null);
    });
  }
});
