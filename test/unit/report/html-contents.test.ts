/**
 * The HTML report's contents, filter controls and script policy (html-toc.ts, html-script.ts): what
 * the page holds before any script runs. test/browser/report-interactive.test.ts runs the script.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/report/index.js';
import { REPORT_CSP, REPORT_CSP_HEADER, REPORT_SCRIPT, REPORT_SCRIPT_HASH } from '../../../src/report/html-script.js';
import { ADATUM, CONTOSO, emptyPlan, makePlan, makeRun } from './fixture.js';

const page = (): string => renderReport('html', { plan: makePlan() });

function between(html: string, open: string, close: string): string {
  const start = html.indexOf(open);
  expect(start, open).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf(close, start) + close.length);
}

describe('HTML report contents and filters', () => {
  it('lists the sections and, under the family, every vendor with its counts, each linking to its section', () => {
    const html = page();
    const toc = between(html, '<nav id="toc"', '</nav>');
    const links = [...toc.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ['summary', 'Summary'],
      ['vendors', 'Contacts by vendor'],
      ['group-1', 'Adatum Repairs'],
      ['group-2', 'Contoso Field Services'],
      ['group-3', 'No vendor'],
      ['orphans', 'Orphans'],
    ]);
    expect(toc).toContain('<li class="toc-family">Vendor technicians');
    expect(toc).toContain('<a href="#group-2">Contoso Field Services</a> <span class="count">7 contacts · ');
    // Every link lands on an element of the page.
    for (const [id] of links) expect(html, id).toContain(`id="${id}"`);
    expect(html).toMatch(new RegExp(`<section class="vendor" data-vendor-id="${CONTOSO}" id="group-2">`));
    expect(html).toMatch(new RegExp(`<section class="vendor" data-vendor-id="${ADATUM}" id="group-1">`));
  });

  it('puts a failure before the contents, and names it in them', () => {
    const run = makeRun();
    run.outcome = 'failed';
    run.error = { class: 'transient', code: 'GRAPH_UNAVAILABLE', message: 'Graph did not answer.', action: 'Run again later.' };
    const html = renderReport('html', { plan: run.plan, run });
    expect(html.indexOf('<section id="failure"')).toBeLessThan(html.indexOf('<nav id="toc"'));
    expect(between(html, '<nav id="toc"', '</nav>')).toContain('<li><a href="#failure">The run failed</a></li>');
  });

  it('renders the filters hidden, one checkbox per status with its count, for the script to show', () => {
    const filters = between(page(), '<div id="filters"', '</div>');
    expect(filters).toMatch(/^<div id="filters" role="search" aria-label="Filter the contacts" data-noun="contacts" hidden>/);
    expect(filters).toContain('<label for="filter-text">Search</label> <input type="search" id="filter-text"');
    const boxes = [...filters.matchAll(/<input type="checkbox" value="([a-z_]+)" checked> ([^<]+)<\/label>/g)].map((m) => [m[1], m[2]]);
    expect(boxes).toContainEqual(['active', 'Active (3)']);
    expect(boxes).toContainEqual(['error', 'Error (1)']);
    expect(boxes.length).toBe(10);
    expect(renderReport('html', { plan: emptyPlan() })).not.toContain('id="filters"');
  });

  it('marks the big tables sortable and gives each cell its sort value', () => {
    const html = page();
    expect(html.match(/<table class="contacts" data-sortable>/g)).toHaveLength(3);
    expect(html).toContain('<table class="orphans" data-sortable>');
    expect(html).toMatch(/<td data-label="Status" data-sort="\d+"><span class="badge status-active"/);
    expect(html).toMatch(/<td data-label="Changes and why" data-sort="\d+">/);
  });

  it('allows exactly its own script, by hash, in the meta tag and the HTTP header alike', () => {
    const hash = `'sha256-${createHash('sha256').update(REPORT_SCRIPT).digest('base64')}'`;
    expect(REPORT_SCRIPT_HASH).toBe(hash);
    expect(REPORT_CSP).toBe(`default-src 'none'; script-src ${hash}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`);
    expect(REPORT_CSP_HEADER).toBe(`${REPORT_CSP}; frame-ancestors 'none'`);
    expect(REPORT_CSP).not.toMatch(/unsafe-inline'[^;]*;[^;]*script|script-src[^;]*unsafe/);
    // The script never parses markup: only textContent, attributes and `hidden` change.
    expect(REPORT_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });
});
