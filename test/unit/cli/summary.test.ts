/**
 * The apply's last lines (src/cli/summary.ts): what changed, what failed (row, code, action) and
 * what to do, short however many rows failed, safe to print, coloured only when asked.
 */
import { describe, expect, it } from 'vitest';
import { applySummary, rowsInError } from '../../../src/cli/summary.js';
import { change, planOf, result, rowId, runOf } from './plan-fixture.js';

const invite1 = change(1, 'user.invite');
const licence1 = change(1, 'licence.assign', { dependsOn: [invite1.id] });
const invite2 = change(2, 'user.invite');
const removal = change(3, 'group.remove', { blocked: { code: 'REMOVALS_HELD', reason: 'held' } });
const plan = planOf([invite1, licence1, invite2, removal]);
const EMAIL = { class: 'contact' as const, code: 'EMAIL_INVALID', message: 'The email "x" is not an address.', action: 'Correct the email on the contact.' };

describe("apply's summary", () => {
  it('all applied: one line for the run, what was applied by kind, and nothing to do', () => {
    const clean = planOf([invite1, licence1]);
    expect(applySummary(runOf(clean, [result(invite1, 'applied'), result(licence1, 'applied')]))).toBe(
      ['Apply succeeded (run 0f1e2d3c-0000-4000-8000-000000000001).', '  Applied: 2 change(s) for 1 row(s): 1 user.invite, 1 licence.assign.', 'What to do: nothing; the run applied every change.', ''].join('\n'),
    );
  });

  it('failures: each named with its row, code, message and action; the skipped and held back counted; what to do last', () => {
    const run = runOf(plan, [result(invite1, 'failed', EMAIL), result(licence1, 'skipped'), result(invite2, 'applied'), result(removal, 'blocked', { ...EMAIL, code: 'REMOVALS_HELD' })], {
      statuses: { [`technicians/${rowId(1)}`]: 'error', [`technicians/${rowId(2)}`]: 'invited', [`technicians/${rowId(3)}`]: 'removal_blocked' },
    });
    const lines = applySummary(run).trimEnd().split('\n');
    expect(lines).toEqual([
      'Apply partial (run 0f1e2d3c-0000-4000-8000-000000000001).',
      '  Applied: 1 change(s) for 1 row(s): 1 user.invite.',
      '  Failed: 1 change(s) for 1 row(s):',
      `    Tech 1 (technicians ${rowId(1)}): user.invite: EMAIL_INVALID: The email "x" is not an address. What to do: Correct the email on the contact.`,
      '  Not applied: 1 held back by a guard, 1 skipped.',
      '  Rows in Error: 1 (their error is on the row and in the report).',
      "What to do: Fix what each error says, then run apply again; the others are done. Review the held-back changes in the report (removals: --release-removals releases them). 1 invited row(s) continue on the next apply (or the timer's next run).",
    ]);
    expect(rowsInError(run)).toBe(1);
  });

  it('many failures: five listed, the rest counted', () => {
    const many = Array.from({ length: 8 }, (_, i) => change(i + 1, 'user.invite'));
    const text = applySummary(runOf(planOf(many), many.map((c) => result(c, 'failed', EMAIL))));
    expect(text.match(/^ {4}Tech \d/gm)).toHaveLength(5);
    expect(text).toContain('    … and 3 more (the report lists them all).');
  });

  it('a run error comes first, and its action leads what to do', () => {
    const text = applySummary(runOf(planOf([]), [], { outcome: 'failed', error: { class: 'configuration', code: 'SAVED_PLAN_STALE', message: 'Refusing to apply p.json.', action: 'Save a new plan.' } }));
    expect(text.split('\n').slice(0, 3)).toEqual(['Apply failed (run 0f1e2d3c-0000-4000-8000-000000000001).', '  Run error: Refusing to apply p.json.', '  Applied: nothing.']);
    expect(text.trimEnd().split('\n').at(-1)).toBe('What to do: Save a new plan.');
  });

  it('contact data cannot reach the terminal as control sequences; colour goes on the labels only', () => {
    const hostile = { ...EMAIL, message: 'bad \u001b[2Jname' };
    const text = applySummary(runOf(planOf([invite1]), [result(invite1, 'failed', hostile)]), (code, t) => `<${code}>${t}</>`);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('  <31>Failed</>: 1 change(s)');
  });
});
