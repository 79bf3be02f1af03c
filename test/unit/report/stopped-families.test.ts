/**
 * A family stopped by its configuration (Plan.stoppedFamilies, src/engine/plan.ts) opens every
 * format, before the summary, with the family's name, the error and what to do, so a stopped family
 * never reads as "nothing to change" (src/report/). A plan without the field shows no such block.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/report/index.js';
import { buildReport } from '../../../src/report/model.js';
import type { Plan } from '../../../src/model/plan.js';
import { parseCsv } from './csv-table.js';
import { makePlan } from './fixture.js';

const ERROR = {
  class: 'configuration' as const,
  code: 'PORTAL_WEB_ROLE_NOT_FOUND',
  message: 'The website Field Service Portal has no web role named "Web API Users"; the run stops.',
  action: 'Create that web role on the website (Portal Management, Web Roles).',
};
const stoppedPlan = (): Plan => ({ ...makePlan(), stoppedFamilies: [{ family: 'portal', error: ERROR }] });

describe('a stopped family in the report', () => {
  it('the model names the family with its own words, and an unknown family by its id', () => {
    const plan: Plan = { ...makePlan(), stoppedFamilies: [{ family: 'portal', error: ERROR }, { family: 'projects', error: ERROR }] };
    expect(buildReport({ plan }).stoppedFamilies.map((f) => f.name)).toEqual(['Customer portal access', 'projects']);
    expect(buildReport({ plan: makePlan() }).stoppedFamilies).toEqual([]);
  });

  it('text: the STOPPED block comes before SUMMARY, with the code, the message and what to do', () => {
    const text = renderReport('text', { plan: stoppedPlan() });
    const at = text.indexOf('STOPPED: Customer portal access planned nothing in this run.');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(text.indexOf('SUMMARY'));
    expect(text).toContain(`  ! PORTAL_WEB_ROLE_NOT_FOUND: ${ERROR.message}\n    What to do: ${ERROR.action}`);
    expect(renderReport('text', { plan: makePlan() })).not.toContain('STOPPED');
  });

  it('Markdown: a quoted block before "## Summary"', () => {
    const md = renderReport('markdown', { plan: stoppedPlan() });
    const at = md.indexOf('> **Stopped: Customer portal access planned nothing in this run.**');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(md.indexOf('## Summary'));
    expect(md).toContain('> **Error PORTAL\\_WEB\\_ROLE\\_NOT\\_FOUND:** The website Field Service Portal has no web role named "Web API Users"; the run stops.  \n> **What to do:** Create that web role');
  });

  it('HTML: an alert section before the summary, one block per family with its error code', () => {
    const page = renderReport('html', { plan: stoppedPlan() });
    const at = page.indexOf('<section id="stopped-families" role="alert"');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(page.indexOf('id="summary'));
    expect(page).toContain('<div class="stopped-family" data-family="portal"><h3>Customer portal access</h3><div class="error" data-error-code="PORTAL_WEB_ROLE_NOT_FOUND">');
    expect(renderReport('html', { plan: makePlan() })).not.toContain('stopped-families');
  });

  it('CSV: the first row after the header is the stopped family, status Stopped, with the error cells', () => {
    const rows = parseCsv(renderReport('csv', { plan: stoppedPlan() }));
    expect(rows[1]).toEqual(['Customer portal access', '', '', 'Stopped', '', '', '', '', 'The family planned nothing in this run.', '', ERROR.code, ERROR.message, ERROR.action]);
  });

  it('JSON: stoppedFamilies right after the scope, before the summary', () => {
    const json = renderReport('json', { plan: stoppedPlan() });
    const keys = Object.keys(JSON.parse(json) as object);
    expect(keys.slice(0, 5)).toEqual(['version', 'generatedAt', 'scope', 'stoppedFamilies', 'summary']);
    expect((JSON.parse(json) as Plan).stoppedFamilies).toEqual([{ family: 'portal', error: ERROR }]);
  });
});
