/**
 * The plan-mode notice (issue 16, "Safe first deployment"): a deployment whose timer only reports
 * (RECONCILE_MODE=plan, src/app/reconcile-mode.ts) says so at the top of every format, under the mode
 * line and before any failure. The model decides (src/report/model.ts noticeOf): a timer's dry run
 * carries it from its record alone; a caller that knows the app is in plan mode can ask for it on any
 * report; manual and CLI runs, and applies, have none.
 */
import { describe, expect, it } from 'vitest';
import { renderReport, type ReportInput } from '../../../src/report/index.js';
import { buildReport, PLAN_MODE_NOTICE } from '../../../src/report/model.js';
import type { RunRecord } from '../../../src/model/run.js';
import { parseCsv } from './csv-table.js';
import { makePlan, makeRun } from './fixture.js';

/** What the timer records in plan mode: a dry run of the whole tenant, trigger timer, no result. */
function timerDryRun(over: Partial<RunRecord> = {}): RunRecord {
  return { ...makeRun(), mode: 'dry-run', trigger: 'timer', outcome: 'succeeded', results: [], statuses: {}, ...over };
}

const withNotice = (): ReportInput => {
  const run = timerDryRun();
  return { plan: run.plan, run };
};

describe('which reports carry the plan-mode notice', () => {
  const CASES: { reason: string; input: () => ReportInput; notice: boolean }[] = [
    { reason: 'the timer\'s dry run: the timer dry-runs only in plan mode', input: withNotice, notice: true },
    { reason: 'the timer\'s apply: the deployment is in apply mode', input: () => ({ plan: makePlan(), run: { ...makeRun(), trigger: 'timer' } }), notice: false },
    { reason: 'a manual dry run (POST /api/run {"dryRun":true}) says dryRun itself, whatever the mode', input: () => ({ plan: makePlan(), run: timerDryRun({ trigger: 'manual' }) }), notice: false },
    { reason: 'a CLI dry run is the CLI\'s choice, not the deployment\'s', input: () => ({ plan: makePlan(), run: timerDryRun({ trigger: 'cli' }) }), notice: false },
    { reason: 'a plan with no run (GET /api/plan) and no mode given', input: () => ({ plan: makePlan() }), notice: false },
    { reason: 'a plan with no run, from an app its caller knows is in plan mode', input: () => ({ plan: makePlan(), reconcileMode: 'plan' }), notice: true },
    { reason: 'a plan with no run, from an app in apply mode', input: () => ({ plan: makePlan(), reconcileMode: 'apply' }), notice: false },
    { reason: 'a timer dry run stored before the switch, rendered after it: its record still says what it was', input: () => ({ ...withNotice(), reconcileMode: 'apply' }), notice: true },
  ];
  for (const c of CASES) {
    it(c.reason, () => {
      const model = buildReport(c.input());
      expect(model.notice ?? null).toEqual(c.notice ? { kind: 'plan-mode', text: PLAN_MODE_NOTICE } : null);
    });
  }

  it('names the setting, the current value and the one to set', () => {
    expect(PLAN_MODE_NOTICE).toBe(
      'This deployment is in plan mode (RECONCILE_MODE=plan): the scheduled run only reports and changes nothing. Set RECONCILE_MODE=apply to let it change the tenant.',
    );
  });
});

describe('the plan-mode notice at the top of every format', () => {
  it('text: the line after the mode line, before the summary', () => {
    const lines = renderReport('text', withNotice()).split('\n');
    expect(lines[1]).toBe('Dry run: nothing has been changed. This is what the next run would do.');
    expect(lines[2]).toBe(`NOTE: ${PLAN_MODE_NOTICE}`);
    expect(renderReport('text', { plan: makePlan(), run: makeRun() })).not.toContain('NOTE:');
  });

  it('Markdown: a quoted note right after the mode line, before "## Summary"', () => {
    const md = renderReport('markdown', withNotice());
    const note = '> **Note:** This deployment is in plan mode (RECONCILE\\_MODE=plan): the scheduled run only reports and changes nothing. Set RECONCILE\\_MODE=apply to let it change the tenant.';
    expect(md).toContain(`> Dry run: nothing has been changed. This is what the next run would do.\n\n${note}\n\n`);
    expect(md.indexOf(note)).toBeLessThan(md.indexOf('## Summary'));
    expect(renderReport('markdown', { plan: makePlan() })).not.toContain('**Note:**');
  });

  it('HTML: #plan-mode-notice in the header, under #mode-notice', () => {
    const page = renderReport('html', withNotice());
    expect(page).toContain(
      `<p id="mode-notice" class="mode dry-run">Dry run: nothing has been changed. This is what the next run would do.</p>\n<p id="plan-mode-notice" class="notice" data-notice="plan-mode">${PLAN_MODE_NOTICE}</p>\n<p class="meta">`,
    );
    expect(page.indexOf('id="plan-mode-notice"')).toBeLessThan(page.indexOf('</header>'));
    expect(renderReport('html', { plan: makePlan(), run: makeRun() })).not.toContain('plan-mode-notice');
  });

  it('CSV: the first row after the header, status "Plan mode", the notice in Reason', () => {
    const rows = parseCsv(renderReport('csv', withNotice()));
    const reason = rows[0]!.indexOf('Reason');
    const expected = rows[0]!.map(() => '');
    expected[3] = 'Plan mode';
    expected[reason] = PLAN_MODE_NOTICE;
    expect(rows[1]).toEqual(expected);
    expect(parseCsv(renderReport('csv', { plan: makePlan(), run: makeRun() })).some((r) => r[3] === 'Plan mode')).toBe(false);
  });

  it('JSON: `notice` right after `scope`, absent otherwise', () => {
    const json = JSON.parse(renderReport('json', withNotice())) as Record<string, unknown>;
    expect(Object.keys(json).slice(0, 4)).toEqual(['version', 'generatedAt', 'scope', 'notice']);
    expect(json.notice).toEqual({ kind: 'plan-mode', text: PLAN_MODE_NOTICE });
    expect(JSON.parse(renderReport('json', { plan: makePlan(), run: makeRun() }))).not.toHaveProperty('notice');
  });

  it('a timer dry run that failed says both: the notice under the mode line, then the failure, then the summary', () => {
    const error = { class: 'configuration' as const, code: 'GROUP_NOT_FOUND', message: 'The technician group does not exist.', action: 'Set TECHNICIAN_GROUP_ID to an existing group.' };
    const run = timerDryRun({ outcome: 'failed', error });
    const text = renderReport('text', { plan: run.plan, run });
    const note = text.indexOf('NOTE: This deployment is in plan mode');
    const failure = text.indexOf('THE RUN FAILED: GROUP_NOT_FOUND');
    expect(note).toBeGreaterThan(0);
    expect(failure).toBeGreaterThan(note);
    expect(text.indexOf('SUMMARY')).toBeGreaterThan(failure);
    const rows = parseCsv(renderReport('csv', { plan: run.plan, run }));
    expect(rows.slice(1, 3).map((r) => r[3])).toEqual(['Plan mode', 'The run failed']);
  });
});
