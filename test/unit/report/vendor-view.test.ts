/**
 * The per-vendor view (src/report/vendor-view.ts) on the fixture plan and run: one vendor's rows,
 * in every format, with nothing of another vendor's people, and counts that match what it shows.
 */
import { describe, expect, it } from 'vitest';
import { REPORT_FORMATS, renderReport } from '../../../src/report/index.js';
import { vendorView } from '../../../src/report/vendor-view.js';
import { escapeHtml } from '../../../src/report/escape.js';
import { ADATUM, CONTOSO, makePlan, makeRun } from './fixture.js';

const CONTOSO_VIEW = { family: 'technicians', groupId: CONTOSO };

/** The display names of every contact outside Contoso (as each format spells them, roughly). */
function others(): string[] {
  return makePlan().subjects.filter((s) => s.subject.group?.id !== CONTOSO && s.subject.displayName.length > 3).map((s) => s.subject.displayName);
}

describe('the per-vendor view', () => {
  it('keeps the vendor\'s subjects and their changes only, drops the tenant\'s orphans and tallies, and recounts', () => {
    const view = vendorView({ plan: makePlan() }, CONTOSO_VIEW);
    expect(new Set(view.plan.subjects.map((s) => s.subject.group?.id))).toEqual(new Set([CONTOSO]));
    const ids = new Set(view.plan.subjects.map((s) => s.subject.id));
    expect(view.plan.changes.every((c) => ids.has(c.subject.id))).toBe(true);
    expect(view.plan.changes.length).toBeGreaterThan(0);
    expect(view.plan.orphans).toEqual([]);
    expect(view.plan.scope).toEqual({ kind: 'group', family: 'technicians', groupId: CONTOSO });
    expect(view.plan.summary.orphans).toBe(0);
    expect(Object.values(view.plan.summary.subjectsByStatus).reduce((a, b) => a + (b ?? 0), 0)).toBe(view.plan.subjects.length);
    expect(Object.values(view.plan.summary.changesByKind).reduce((a, b) => a + (b ?? 0), 0)).toBe(view.plan.changes.length);
  });

  it('in every format holds no other vendor\'s contact, and no orphan', () => {
    const names = others();
    expect(names.length).toBeGreaterThan(3);
    for (const format of REPORT_FORMATS) {
      const out = renderReport(format, vendorView({ plan: makePlan() }, CONTOSO_VIEW));
      const leaked = names.filter((n) => out.includes(n) || out.includes(escapeHtml(n)));
      expect(leaked, format).toEqual([]);
      expect(out, format).not.toContain('e9999999-0000-4000-8000-000000000099');
    }
    const html = renderReport('html', vendorView({ plan: makePlan() }, CONTOSO_VIEW));
    expect(html).toContain('No orphan among this vendor&#39;s objects.');
    expect(html).toContain('<span id="scope">One vendor: Contoso Field Services.</span>');
  });

  it('cuts a run\'s results and statuses to the vendor\'s subjects', () => {
    const run = makeRun();
    const view = vendorView({ plan: run.plan, run }, { family: 'technicians', groupId: ADATUM });
    const ids = new Set(view.plan.changes.map((c) => c.id));
    expect(view.run!.results.length).toBe(ids.size);
    expect(view.run!.results.every((r) => ids.has(r.changeId))).toBe(true);
    const keys = new Set(view.plan.subjects.map((s) => `technicians/${s.subject.id}`));
    expect(Object.keys(view.run!.statuses).every((k) => keys.has(k))).toBe(true);
    expect(view.run!.plan).toBe(view.plan);
  });

  it('keeps the orphans and licence lines of a plan the engine already planned for that vendor', () => {
    const plan = makePlan();
    plan.scope = { kind: 'group', family: 'technicians', groupId: CONTOSO };
    const view = vendorView({ plan }, CONTOSO_VIEW);
    expect(view.plan.orphans).toEqual(plan.orphans);
    expect(view.plan.summary.licences).toEqual(plan.summary.licences);
  });
});
