/**
 * A family whose configuration fails stops that family only (src/engine/plan.ts, issue 13): it plans
 * nothing, the plan lists it in `stoppedFamilies` with its error, and the other families plan as
 * usual. When every configured family fails there is no plan: the first error is thrown. An error
 * that is not a configuration error is never swallowed. The fake families plan one fixed subject
 * and change each, so each case says exactly what it expects.
 */
import { describe, expect, it } from 'vitest';
import type { Family } from '../../../src/engine/family.js';
import { buildPlan } from '../../../src/engine/plan.js';
import { ConfigurationError, TransientError } from '../../../src/model/errors.js';
import type { Plan } from '../../../src/model/plan.js';
import { observation, testSettings } from '../../support/model.js';

const settings = testSettings();
const TENANT = { kind: 'tenant' } as const;

/** A family with one subject and no change, whose configuration check does what `check` does. */
function family(name: string, check: () => void): Family<true> {
  return {
    name,
    tables: [],
    kinds: [],
    settingsOf: () => true,
    observe: () => Promise.resolve({}),
    checkConfiguration: check,
    plan: () => ({
      changes: [],
      subjects: [{ subject: { family: name, table: 'rows', id: `${name}-1`, displayName: `${name} one`, group: null }, intent: 'provision', status: 'active', storedStatus: null, storedError: null, changeIds: [] }],
      orphans: [],
      licences: [],
    }),
    statusWrites: () => [],
    withAccess: () => 0,
    createdAt: () => () => null,
  };
}

const fine = (): void => undefined;
const roleMissing = (): void => {
  throw new ConfigurationError('PORTAL_WEB_ROLE_NOT_FOUND', 'The website has no web role named "Web API Users"; the run stops.', 'Create that web role.');
};
const skuMissing = (): void => {
  throw new ConfigurationError('SKU_NOT_SUBSCRIBED', 'The licence is not subscribed.', 'Subscribe to it.');
};

const families = (plan: Plan): string[] => plan.subjects.map((s) => s.subject.family);

describe('a family stopped by its configuration', () => {
  const CASES: { reason: string; given: Family[]; planned: string[]; stopped: string[] }[] = [
    { reason: 'every family configured right: all plan, and the plan has no stoppedFamilies field', given: [family('alpha', fine), family('beta', fine)], planned: ['alpha', 'beta'], stopped: [] },
    { reason: 'the second family fails: the first plans, the second is listed with its error', given: [family('alpha', fine), family('beta', roleMissing)], planned: ['alpha'], stopped: ['beta'] },
    { reason: 'the first family fails: the second still plans (order does not matter)', given: [family('alpha', skuMissing), family('beta', fine)], planned: ['beta'], stopped: ['alpha'] },
    { reason: 'two of three fail: the one left plans, both are listed in family order', given: [family('alpha', skuMissing), family('beta', fine), family('gamma', roleMissing)], planned: ['beta'], stopped: ['alpha', 'gamma'] },
  ];
  for (const c of CASES) {
    it(c.reason, () => {
      const plan = buildPlan(observation(), settings, TENANT, { families: c.given });
      expect(families(plan)).toEqual(c.planned);
      expect((plan.stoppedFamilies ?? []).map((f) => f.family)).toEqual(c.stopped);
      if (c.stopped.length === 0) expect('stoppedFamilies' in plan).toBe(false);
    });
  }

  it('carries the error as the operator reads it: class, code, message and what to do', () => {
    const plan = buildPlan(observation(), settings, TENANT, { families: [family('alpha', fine), family('portal', roleMissing)] });
    expect(plan.stoppedFamilies).toEqual([
      { family: 'portal', error: { class: 'configuration', code: 'PORTAL_WEB_ROLE_NOT_FOUND', message: 'The website has no web role named "Web API Users"; the run stops.', action: 'Create that web role.' } },
    ]);
  });

  it('every configured family failing stops the run with the first family\'s error', () => {
    expect(() => buildPlan(observation(), settings, TENANT, { families: [family('alpha', skuMissing), family('beta', roleMissing)] })).toThrow(ConfigurationError);
    expect(() => buildPlan(observation(), settings, TENANT, { families: [family('alpha', skuMissing), family('beta', roleMissing)] })).toThrow('The licence is not subscribed.');
  });

  it('the only family failing stops the run, as before families', () => {
    expect(() => buildPlan(observation(), settings, TENANT, { families: [family('portal', roleMissing)] })).toThrow('no web role');
  });

  it('an error that is not a configuration error is thrown, never turned into a stopped family', () => {
    const broken = (): void => {
      throw new TransientError('LOOKUP_FAILED', 'Dataverse answered 503.', 'Run again.');
    };
    expect(() => buildPlan(observation(), settings, TENANT, { families: [family('alpha', fine), family('beta', broken)] })).toThrow(TransientError);
  });

  it('a scope naming the healthy family plans it and still lists the stopped one', () => {
    const plan = buildPlan(observation(), settings, { kind: 'group', family: 'alpha', groupId: 'g-1' }, { families: [family('alpha', fine), family('beta', roleMissing)] });
    expect(families(plan)).toEqual(['alpha']);
    expect(plan.stoppedFamilies?.map((f) => f.family)).toEqual(['beta']);
  });
});
