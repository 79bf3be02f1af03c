import { describe, expect, it } from 'vitest';
import { CONTENT_TYPES, renderReport } from '../../../src/report/index.js';
import { REPORT_SCRIPT, REPORT_SCRIPT_HASH } from '../../../src/report/html-script.js';
import { C, CONTOSO, SCRIPT_NAME, emptyPlan, makePlan, makeRun } from './fixture.js';

const page = (): string => renderReport('html', { plan: makePlan() });

/** The markup of the element that opens with `open` up to the first `close` after it. */
function between(html: string, open: string, close: string): string {
  const start = html.indexOf(open);
  expect(start, open).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf(close, start));
}

/** Open and close tags pair up (void elements aside): the page is well formed. */
function unbalancedTags(html: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-z][a-z0-9]*)\b[^>]*>/g)) {
    const [, closing, tag] = m as unknown as [string, string, string];
    if (['meta', 'br', 'input'].includes(tag)) continue;
    if (!closing) stack.push(tag);
    else if (stack.pop() !== tag) problems.push(`</${tag}> at ${m.index}`);
  }
  return [...problems, ...stack.map((t) => `<${t}> not closed`)];
}

describe('HTML report', () => {
  it('is one self-contained page: inline CSS, its own script only, no external resource', () => {
    const html = page();
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src ${REPORT_SCRIPT_HASH.replaceAll("'", '&#39;')}; style-src &#39;unsafe-inline&#39;`);
    // One script element, the report's own, byte for byte (html-script.ts); nothing loads from anywhere.
    expect([...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1])).toEqual([REPORT_SCRIPT]);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed|base)\b/i);
    expect(html).not.toMatch(/<[a-z][^>]*\s(src|on[a-z]+)=/i);
    // The only links are within the page (#…): the report loads nothing and sends no one elsewhere.
    expect([...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]!).filter((h) => !h.startsWith('#'))).toEqual([]);
    expect(html).not.toMatch(/url\(/i);
    expect(html).toContain('@media print');
    expect(CONTENT_TYPES.html).toBe('text/html; charset=utf-8');
  });

  it('is well formed for a plan, an apply and an empty plan', () => {
    const run = makeRun();
    expect(unbalancedTags(page())).toEqual([]);
    expect(unbalancedTags(renderReport('html', { plan: run.plan, run }))).toEqual([]);
    expect(unbalancedTags(renderReport('html', { plan: emptyPlan() }))).toEqual([]);
  });

  it('shows a contact named <script>alert(1)</script> as text (escaped & < > " \')', () => {
    const html = page();
    expect(html).toContain('<span class="name">&lt;script&gt;alert(1)&lt;/script&gt;</span>');
    expect(html).toContain('Old &lt;b&gt;name&lt;/b&gt;');
    expect(html).toContain('Old Guest &lt;img src=x&gt;');
    expect(html).not.toContain(SCRIPT_NAME);

    const plan = makePlan();
    const hank = plan.subjects.find((c) => c.subject.id === C.hank)!;
    hank.subject.displayName = `Tom & "Jerry" O'Neil <b>`;
    hank.subject.id = 'x" onclick="alert(1)';
    hank.subject.group!.name = 'Contoso <i>';
    const out = renderReport('html', { plan });
    expect(out).toContain('Tom &amp; &quot;Jerry&quot; O&#39;Neil &lt;b&gt;');
    expect(out).toContain('data-contact-id="x&quot; onclick=&quot;alert(1)"');
    expect(out).not.toContain('onclick="');
  });

  it('puts the summary first with the numbers, the licence warning and the held-back removals', () => {
    const html = page();
    const summary = between(html, '<section id="summary"', '</section>');
    expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('id="vendors"'));
    const card = (metric: string): string | undefined =>
      new RegExp(`data-metric="${metric}"><span class="value">([^<]*)<`).exec(summary)?.[1];
    expect(card('changes')).toBe('17');
    expect(card('contacts')).toBe('12');
    expect(card('errors')).toBe('2');
    expect(card('licence-needed')).toBe('2');
    expect(card('licence-available')).toBe('1');
    expect(card('orphans')).toBe('1');
    expect(card('blocked-removals')).toBe('3');
    expect(summary).toContain('<tr data-kind="user.invite"><th scope="row">Invite guest user</th><td class="num">1</td></tr>');
    expect(summary).toContain('<tr data-kind="licence.assign"><th scope="row">Assign licence</th><td class="num">2</td></tr>');
    expect(summary).toMatch(/<tr data-status="active"><th scope="row"><span class="badge status-active">Active<\/span><\/th><td class="num">3<\/td><\/tr>/);
    expect(summary).toMatch(/<div id="licence-warning"[^>]*>Not enough licence units: 2 needed, 1 available \(SPE_F1\)\./);
    expect(summary).toMatch(/<div id="blocked-removals-notice"[^>]*><p>No removal was applied: 3 removals are held back by the threshold guard; an admin can release them/);
    expect(summary).toContain('<p id="last-run">Last run: none recorded yet.</p>');
  });

  it('has a section per vendor, "No vendor" last, with a row per contact in name order', () => {
    const html = page();
    const vendorIds = [...html.matchAll(/<section class="vendor" data-vendor-id="([^"]*)" id="group-\d+">\n<h3>([^<]*)/g)].map((m) => m[2]!.trim());
    expect(vendorIds).toEqual(['Adatum Repairs', 'Contoso Field Services', 'No vendor']);
    const contoso = between(html, `data-vendor-id="${CONTOSO}"`, '</section>');
    const rows = [...contoso.matchAll(/<tr class="contact" data-contact-id="([^"]+)" data-status="([^"]+)">\n<td class="contact-name" data-label="Contact" data-sort="[^"]*"><span class="name">([^<]*)</g)];
    expect(rows.map((m) => [m[3], m[2]])).toEqual([
      ['Bob Brown', 'active'],
      ['Carol Clark', 'removal_blocked'],
      ['Dave Doe', 'error'],
      ['Eve Evans', 'no_licence_units'],
      ['Frank Fox', 'quarantined'],
      ['Gina Green', 'deprovisioned'],
      ['Hank Hill', 'active'],
    ]);
    expect(html.match(/<tr class="contact" /g)).toHaveLength(12);
  });

  it('shows each change with its reason, each error with what to do, short ids with the full id in a title', () => {
    const html = page();
    const bob = between(html, `data-contact-id="${C.bob}"`, '</tr>');
    expect(bob).toContain('<span class="change-label">Update bookable resource</span>');
    expect(bob).toContain('Hourly rate: <span class="before">40</span> → <span class="after">45</span>');
    expect(bob).toContain('<p class="reason">Why: Someone changed the hourly rate on the resource by hand; the contact says 45.</p>');
    expect(bob).toContain('<span class="id" title="b0000000-0000-4000-8000-000000000004">b0000000…</span>');
    const dave = between(html, `data-contact-id="${C.dave}"`, '</tr>');
    expect(dave).toContain('<span class="badge status-error"');
    expect(dave).toContain('<div class="error" data-error-code="EMAIL_CHANGED"><p class="error-message"><code>EMAIL_CHANGED</code> The contact&#39;s email changed');
    expect(dave).toContain('<p class="what-to-do">What to do: Check with the vendor that this is the same person');
    const carol = between(html, `data-contact-id="${C.carol}"`, '</tr>');
    expect(carol).toContain('<p class="outcome outcome-blocked">Held back: 30 removals exceed the limit of 10 per run.</p>');
    const ivy = between(html, `data-contact-id="${C.ivy}"`, '</tr>');
    expect(ivy).toContain('<li>Licence SPE_F1</li>');
    const plan = makePlan();
    plan.subjects.find((c) => c.subject.id === C.hank)!.storedError = 'Graph answered <503>.';
    const hank = between(renderReport('html', { plan }), `data-contact-id="${C.hank}"`, '</tr>');
    expect(hank).toContain('<p class="last-recorded-error">Last recorded error: Graph answered &lt;503&gt;.</p>');
    const orphans = between(html, '<section id="orphans"', '</section>');
    expect(orphans).toContain('Member of the technician group but matches no technician contact.');
  });

  it('for an apply, shows the run, its outcome and each change\'s outcome', () => {
    const run = makeRun();
    const html = renderReport('html', { plan: run.plan, run });
    expect(html).toContain('<strong id="run-outcome" data-outcome="partial">Partly succeeded.</strong>');
    const alice = between(html, `data-contact-id="${C.alice}"`, '</tr>');
    expect(alice).toContain('<p class="outcome outcome-failed">Failed</p>');
    expect(alice).toContain('<p class="what-to-do">What to do: Nothing: the next run retries it.</p>');
    expect(html).toMatch(/<p id="last-run">Last run: 2025-03-01 10:16 UTC, partly succeeded: 11 changes applied, 3 errors/);
  });

  it('says plainly that nothing needs to change for an empty plan', () => {
    const html = renderReport('html', { plan: emptyPlan() });
    expect(html).toContain('<p id="headline">Nothing needs to change: there is no technician contact in scope.</p>');
    expect(html).toContain('<p class="none">No technician contact in scope.</p>');
  });

  it('shows a run-level error with what to do', () => {
    const run = makeRun();
    run.outcome = 'stopped';
    run.error = {
      class: 'configuration',
      code: 'GROUP_NOT_FOUND',
      message: 'The technician group <0a1b2c3d> does not exist.',
      action: 'Set TECHNICIAN_GROUP_ID to the group\'s object id and run again.',
    };
    const html = renderReport('html', { plan: run.plan, run });
    const err = between(html, '<div id="run-error">', '</section>');
    expect(err).toContain('<code>GROUP_NOT_FOUND</code> The technician group &lt;0a1b2c3d&gt; does not exist.');
    expect(err).toContain('<p class="what-to-do">What to do: Set TECHNICIAN_GROUP_ID to the group&#39;s object id and run again.</p>');
    expect(html).toContain('<strong id="run-outcome" data-outcome="stopped">Stopped early.</strong>');
  });
});
