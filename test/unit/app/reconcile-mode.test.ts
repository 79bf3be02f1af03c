/**
 * RECONCILE_MODE (src/app/reconcile-mode.ts): the timer applies only once an admin sets it to
 * `apply`; unset it is `plan`, so a fresh deployment only reports (issue 16, "Safe first
 * deployment"). Anything but the two words is a problem naming both, never a guess.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECONCILE_MODE, readReconcileMode, timerDryRun, type ReconcileMode } from '../../../src/app/reconcile-mode.js';

const problemFor = (got: string): string =>
  `RECONCILE_MODE must be "plan" (the timer only reports) or "apply" (the timer changes the tenant); got "${got}". Leave it "plan" until the reports read right, then set it to "apply".`;

describe('readReconcileMode', () => {
  const CASES: { value: string | undefined; mode?: ReconcileMode; problem?: string; reason: string }[] = [
    { value: undefined, mode: 'plan', reason: 'a fresh deployment without the setting only reports' },
    { value: '', mode: 'plan', reason: 'an empty app setting is an unset one, as for every other setting' },
    { value: '   ', mode: 'plan', reason: 'blanks only are unset too' },
    { value: 'plan', mode: 'plan', reason: 'the explicit default' },
    { value: 'apply', mode: 'apply', reason: 'the one value that lets the timer change the tenant' },
    { value: ' apply\n', mode: 'apply', reason: 'surrounding whitespace from a pasted value is trimmed, like every setting' },
    { value: 'Apply', problem: problemFor('Apply'), reason: 'case matters: a near miss is a typo, not a decision to change the tenant' },
    { value: 'APPLY', problem: problemFor('APPLY'), reason: 'upper case is not read as apply either' },
    { value: 'true', problem: problemFor('true'), reason: 'a boolean is not a mode' },
    { value: 'dry-run', problem: problemFor('dry-run'), reason: 'the run record\'s word for a dry run is not a setting value' },
    { value: 'applied', problem: problemFor('applied'), reason: 'a word that starts like apply is still not apply' },
  ];
  for (const c of CASES) {
    it(`${JSON.stringify(c.value)}: ${c.reason}`, () => {
      const env = c.value === undefined ? {} : { RECONCILE_MODE: c.value };
      expect(readReconcileMode(env)).toEqual(c.mode ? { mode: c.mode } : { problem: c.problem });
    });
  }

  it('reads only RECONCILE_MODE: other settings do not turn the timer to apply', () => {
    expect(readReconcileMode({ RECONCILE_SCHEDULE: '0 0 * * * *', DRY_RUN: 'false', MODE: 'apply' })).toEqual({ mode: 'plan' });
  });

  it('the default is plan', () => {
    expect(DEFAULT_RECONCILE_MODE).toBe('plan');
  });
});

describe('timerDryRun', () => {
  const CASES: { mode: ReconcileMode; dryRun: boolean; reason: string }[] = [
    { mode: 'plan', dryRun: true, reason: 'plan mode: the timer builds the report and changes nothing' },
    { mode: 'apply', dryRun: false, reason: 'apply mode: the timer applies, as before the setting existed' },
  ];
  for (const c of CASES) {
    it(`${c.mode}: ${c.reason}`, () => {
      expect(timerDryRun(c.mode)).toBe(c.dryRun);
    });
  }
});
