/**
 * The core carries each family's tallies into the plan (src/engine/plan.ts, issue 12): in family
 * order, each tally and its rows as the family gave them; a family that gives none adds nothing.
 * The fake families count fixed values, so each test says exactly what it expects.
 */
import { describe, expect, it } from 'vitest';
import type { Family } from '../../../src/engine/family.js';
import { buildPlan } from '../../../src/engine/plan.js';
import type { Tally } from '../../../src/model/plan.js';
import { observation, testSettings } from '../../support/model.js';

const settings = testSettings();

function tally(family: string, id: string, rows: Tally['rows']): Tally {
  return { id, family, title: `${id} in use`, description: `The ${id} of ${family}.`, unit: 'accounts', rows };
}

/** A family with no subject and no change that reports the given tallies (or leaves the field out). */
function countingFamily(name: string, tallies: Tally[] | undefined): Family<true> {
  return {
    name,
    tables: [],
    kinds: [],
    settingsOf: () => true,
    observe: () => Promise.resolve({}),
    checkConfiguration: () => undefined,
    plan: () => ({ changes: [], subjects: [], orphans: [], licences: [], ...(tallies ? { tallies } : {}) }),
    statusWrites: () => [],
    withAccess: () => 0,
    createdAt: () => () => null,
  };
}

describe('tallies in the merged plan', () => {
  const first = [tally('alpha', 'segments', [{ value: 'Contoso Electric', count: 3 }, { value: 'Adatum', count: 1 }]), tally('alpha', 'teams', [])];
  const second = [tally('beta', 'segments', [{ value: 'Fabrikam', count: 2 }])];
  const CASES: { reason: string; families: Family[]; expected: Tally[] }[] = [
    {
      reason: 'two families\' tallies follow the families\' order, rows as each family gave them (not re-sorted), row-less ones kept',
      families: [countingFamily('alpha', first), countingFamily('beta', second)],
      expected: [...first, ...second],
    },
    { reason: 'the order is the families\' order, not the tallies\' ids', families: [countingFamily('beta', second), countingFamily('alpha', first)], expected: [...second, ...first] },
    { reason: 'a family that leaves the optional field out adds nothing', families: [countingFamily('alpha', undefined), countingFamily('beta', second)], expected: second },
  ];
  for (const c of CASES) {
    it(c.reason, () => {
      expect(buildPlan(observation(), settings, { kind: 'tenant' }, { families: c.families }).tallies).toEqual(c.expected);
    });
  }

  it('a scope naming one family carries only that family\'s tallies', () => {
    const families = [countingFamily('alpha', first), countingFamily('beta', second)];
    const plan = buildPlan(observation(), settings, { kind: 'group', family: 'beta', groupId: 'g-1' }, { families });
    expect(plan.tallies).toEqual(second);
  });
});
