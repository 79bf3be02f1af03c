/**
 * The page's layout rules as the stylesheet states them (the browser tests in test/browser/ check
 * what Chromium makes of them at 390 px and 1280 px, light and dark): every colour variable has a
 * dark value, whatever has keyboard focus gets an outline, narrow screens stack the big tables
 * with each cell labelled, and no cell lets the browser break text between any two letters.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/report/index.js';
import { STYLE } from '../../../src/report/html-style.js';
import { renderRunsHtml } from '../../../src/report/html-runs.js';
import { makePlan, makeRun } from './fixture.js';

/** The declarations of `--name: value` inside the block that opens with `open`. */
function variables(css: string): Set<string> {
  return new Set([...css.matchAll(/(--[a-z-]+):/g)].map((m) => m[1]!));
}

function block(css: string, open: string): string {
  const start = css.indexOf(open);
  expect(start, open).toBeGreaterThanOrEqual(0);
  let depth = 0;
  for (let i = css.indexOf('{', start); i < css.length; i++) {
    if (css[i] === '{') depth++;
    if (css[i] === '}' && --depth === 0) return css.slice(start, i + 1);
  }
  throw new Error(`${open} is not closed`);
}

describe('HTML report layout', () => {
  it('gives every colour variable a dark-scheme value and uses them for the page itself', () => {
    const root = block(STYLE, ':root {');
    const dark = block(STYLE, '@media (prefers-color-scheme: dark)');
    expect([...variables(root)].filter((v) => !variables(dark).has(v))).toEqual([]);
    expect(STYLE).toMatch(/body \{[^}]*background: var\(--bg\)/);
    expect(STYLE).toContain('color-scheme: light dark');
  });

  it('outlines whatever has keyboard focus and offers a skip link as the first focusable element', () => {
    expect(STYLE).toMatch(/:focus-visible \{ outline: 3px solid var\(--focus\)/);
    const html = renderReport('html', { plan: makePlan() });
    const body = html.slice(html.indexOf('<body>'));
    expect(body).toMatch(/^<body>\n<a class="skip-link" href="#vendors">Skip to the contacts<\/a>/);
  });

  it('on a narrow screen stacks the contacts and orphans tables, each cell under its column name', () => {
    const narrow = block(STYLE, '@media (max-width: 700px)');
    expect(narrow).toMatch(/table\.contacts td,[^{]*table\.orphans td,[^{]*table\.runs td \{ display: block/);
    expect(narrow).toContain('content: attr(data-label)');
    const html = renderReport('html', { plan: makePlan() });
    for (const table of ['contacts', 'orphans']) {
      const start = html.indexOf(`<table class="${table}"`);
      const markup = html.slice(start, html.indexOf('</table>', start));
      const cells = markup.match(/<td\b[^>]*>/g) ?? [];
      expect(cells.length, table).toBeGreaterThan(0);
      expect(cells.filter((td) => !/data-label="[^"]+"/.test(td)), table).toEqual([]);
    }
    const runs = renderRunsHtml([{ runId: 'a1b2c3d4-0000-4000-8000-000000000001', status: 'finished', mode: 'apply', trigger: 'timer', startedAt: '2026-06-01T09:00:00.000Z', finishedAt: '2026-06-01T09:01:00.000Z', outcome: 'succeeded' }]);
    const runCells = runs.slice(runs.indexOf('<tbody>')).match(/<td\b[^>]*>/g) ?? [];
    expect(runCells).toHaveLength(6);
    expect(runCells.filter((td) => !/data-label="[^"]+"/.test(td))).toEqual([]);
  });

  it('wraps long text between words: no rule lets a cell or an error break anywhere', () => {
    // `overflow-wrap: anywhere` only on ids and codes, which have no words to break between.
    const anywhere = [...STYLE.matchAll(/([^{}]+)\{[^}]*overflow-wrap: anywhere/g)].map((m) => m[1]!.trim());
    expect(anywhere).toEqual(['.id', 'code']);
    expect(STYLE).toMatch(/body \{[^}]*overflow-wrap: break-word/);
    const run = makeRun();
    expect(renderReport('html', { plan: run.plan, run })).toContain('<td class="error-cell" data-label="Error and what to do"');
  });
});
