/**
 * The run-history page (src/report/html-runs.ts): one row per run, newest first as given, each
 * linking to its record as a report, the function key carried over in the links only, and a run
 * that died with its host shown as interrupted.
 */
import { describe, expect, it } from 'vitest';
import { renderRunsHtml, type RunListEntry } from '../../../src/report/html-runs.js';
import { REPORT_CSP, REPORT_SCRIPT } from '../../../src/report/html-script.js';

const RUNS: RunListEntry[] = [
  { runId: 'a1b2c3d4-0000-4000-8000-000000000003', status: 'interrupted', mode: 'apply', trigger: 'manual', startedAt: '2026-06-03T09:00:00.000Z', finishedAt: null, outcome: null },
  { runId: 'a1b2c3d4-0000-4000-8000-000000000002', status: 'finished', mode: 'dry-run', trigger: 'timer', startedAt: '2026-06-02T09:00:00.000Z', finishedAt: '2026-06-02T09:01:00.000Z', outcome: 'partial' },
  { runId: 'a1b2c3d4-0000-4000-8000-000000000001', status: 'finished', mode: 'apply', trigger: 'cli', startedAt: '2026-06-01T09:00:00.000Z', finishedAt: '2026-06-01T09:02:00.000Z', outcome: 'failed' },
];

describe('the run-history page', () => {
  it('has a row per run with its times, mode, trigger and outcome in words, linking to the run\'s report', () => {
    const html = renderRunsHtml(RUNS);
    const rows = [...html.matchAll(/<tr class="run" data-run-id="([^"]+)" data-status="([a-z]+)" data-outcome="([a-z]+)">/g)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual([
      [RUNS[0]!.runId, 'interrupted', 'interrupted'],
      [RUNS[1]!.runId, 'finished', 'partial'],
      [RUNS[2]!.runId, 'finished', 'failed'],
    ]);
    const second = html.slice(html.indexOf(`data-run-id="${RUNS[1]!.runId}"`), html.indexOf('</tr>', html.indexOf(`data-run-id="${RUNS[1]!.runId}"`)));
    expect(second).toContain('<time datetime="2026-06-02T09:00:00.000Z">2026-06-02 09:00 UTC</time>');
    expect(second).toContain('<td data-label="Mode">Dry run</td>');
    expect(second).toContain('<td data-label="Started by">the scheduled timer</td>');
    expect(second).toContain('>Partly succeeded</span>');
    expect(second).toContain(`<a href="/api/runs/${RUNS[1]!.runId}?format=html"><span class="id">${RUNS[1]!.runId}</span></a>`);
    expect(html).toContain('>Interrupted</span>');
    expect(html).toContain('<table class="runs" data-sortable><caption>3 runs</caption>');
  });

  it('carries the key into the links, never into the text', () => {
    const html = renderRunsHtml(RUNS, { linkQuery: 'code=k%26ey' });
    expect(html).toContain(`<a href="/api/runs/${RUNS[0]!.runId}?format=html&amp;code=k%26ey">`);
    expect(html).toContain('<a href="/api/plan?code=k%26ey">');
    expect(html.replace(/href="[^"]*"/g, '')).not.toContain('k%26ey');
  });

  it('is a page like the report: its policy and script, and a sentence when there is no run yet', () => {
    const html = renderRunsHtml([]);
    expect(html).toContain(`content="${REPORT_CSP.replaceAll("'", '&#39;')}"`);
    expect([...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1])).toEqual([REPORT_SCRIPT]);
    expect(html).toContain('<p class="none">No run recorded yet');
    expect(html).not.toContain('<table');
  });
});
