/**
 * Failure first (issue 16): a run that failed or stopped with a run-level error opens every format
 * with the failure, what it means and what to do, before the summary; a run that failed before it
 * could plan never reads "Nothing needs to change" (src/report/model.ts failureOf). A run without a
 * run-level error shows no such block.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/report/index.js';
import { buildReport } from '../../../src/report/model.js';
import type { RunRecord } from '../../../src/model/run.js';
import { parseCsv } from './csv-table.js';
import { emptyPlan, makeRun } from './fixture.js';

const ERROR = {
  class: 'configuration' as const,
  code: 'SKU_NOT_SUBSCRIBED',
  message: 'The licence c7df2760 is not subscribed in this tenant.',
  action: 'Set LICENSE_SKU_ID to a subscribed SKU (Microsoft 365 admin centre, Licences) and run again.',
};

/** A run that stopped at its configuration check: an empty plan, no result (src/engine/engine.ts). */
function failedBeforePlan(): RunRecord {
  const plan = emptyPlan();
  return { ...makeRun(), outcome: 'failed', error: ERROR, plan, results: [], statuses: {} };
}

describe('a failed run in the report', () => {
  const CASES: { reason: string; run: () => RunRecord; title: string | null; beforePlan: boolean }[] = [
    { reason: 'a run that failed before planning: the failure, and the headline says the report shows nothing', run: failedBeforePlan, title: 'The run failed', beforePlan: true },
    { reason: 'a run that stopped part-way (deadline): the failure, the plan\'s own headline', run: () => ({ ...makeRun(), outcome: 'stopped', error: { ...ERROR, class: 'transient', code: 'RUN_DEADLINE', message: 'The run reached its deadline.', action: 'Nothing: the next run goes on.' } }), title: 'The run stopped early', beforePlan: false },
    { reason: 'a partial run (contacts failed) has no run-level failure', run: makeRun, title: null, beforePlan: false },
  ];
  for (const c of CASES) {
    it(c.reason, () => {
      const model = buildReport({ plan: c.run().plan, run: c.run() });
      expect(model.failure?.title ?? null).toBe(c.title);
      if (c.beforePlan) expect(model.summary.headline).toBe('The run could not read and plan the tenant (SKU_NOT_SUBSCRIBED): this report shows nothing of it.');
      expect(model.summary.headline.startsWith('Nothing needs to change')).toBe(false);
    });
  }

  it('text: the failure block is the first thing after the title lines', () => {
    const run = failedBeforePlan();
    const text = renderReport('text', { plan: run.plan, run });
    const at = text.indexOf('THE RUN FAILED: SKU_NOT_SUBSCRIBED\n  The licence c7df2760 is not subscribed in this tenant.\n  What to do: Set LICENSE_SKU_ID');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(text.indexOf('SUMMARY'));
    expect(text).toContain('that does not mean nothing needs to change.');
    expect(text).not.toContain('Nothing needs to change');
  });

  it('Markdown: a quoted failure before "## Summary"', () => {
    const run = failedBeforePlan();
    const md = renderReport('markdown', { plan: run.plan, run });
    const at = md.indexOf('> **The run failed: SKU\\_NOT\\_SUBSCRIBED.** The licence c7df2760 is not subscribed in this tenant.');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(md.indexOf('## Summary'));
    expect(md).toContain('> **What to do:** Set LICENSE\\_SKU\\_ID to a subscribed SKU');
  });

  it('HTML: an alert section before the summary, with the error block and its meaning', () => {
    const run = failedBeforePlan();
    const page = renderReport('html', { plan: run.plan, run });
    const at = page.indexOf('<section id="failure" role="alert" aria-labelledby="failure-title">\n<h2 id="failure-title">The run failed</h2>\n<div class="error" data-error-code="SKU_NOT_SUBSCRIBED">');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(page.indexOf('<section id="summary"'));
    expect(page).not.toContain('Nothing needs to change');
    expect(renderReport('html', { plan: makeRun().plan, run: makeRun() })).not.toContain('id="failure"');
  });

  it('CSV: the first row after the header is the failure, with the error cells', () => {
    const run = failedBeforePlan();
    const rows = parseCsv(renderReport('csv', { plan: run.plan, run }));
    expect(rows[1]!.slice(0, 4)).toEqual(['', '', '', 'The run failed']);
    expect(rows[1]!.slice(-3)).toEqual([ERROR.code, ERROR.message, ERROR.action]);
  });
});
