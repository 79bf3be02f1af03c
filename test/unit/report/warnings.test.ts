/**
 * A subject's warnings (SubjectPlan.warnings: problems that do not stop it, such as a characteristic
 * row whose rating was deleted) are shown in every format beside the subject, with what to do; a
 * settled contact with a warning is listed in the text report rather than counted as quiet.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/report/index.js';
import type { Plan } from '../../../src/model/plan.js';
import { parseCsv } from './csv-table.js';
import { C, emptyPlan, makePlan } from './fixture.js';

const WARNING = { class: 'contact' as const, code: 'CHARACTERISTIC_MISSING', message: 'A characteristic row points at a characteristic that no longer exists.', action: 'Pick the characteristic again on the vendor characteristic row.' };

/** The fixture's plan with a warning on Alice (who has changes). */
function withWarning(): Plan {
  const plan = makePlan();
  return { ...plan, subjects: plan.subjects.map((s) => (s.subject.id === C.alice ? { ...s, warnings: [WARNING] } : s)) };
}

describe('warnings in the report', () => {
  it('text: under the contact, with the code and what to do', () => {
    expect(renderReport('text', { plan: withWarning() })).toContain(`    ! Warning CHARACTERISTIC_MISSING: ${WARNING.message}\n      What to do: ${WARNING.action}`);
  });

  it('Markdown: a bullet with the code and what to do', () => {
    expect(renderReport('markdown', { plan: withWarning() })).toContain(`  - **Warning CHARACTERISTIC\\_MISSING:** ${WARNING.message}  \n    **What to do:** ${WARNING.action}`);
  });

  it('HTML: a warning block in the contact\'s row', () => {
    const page = renderReport('html', { plan: withWarning() });
    const row = page.slice(page.indexOf(`data-contact-id="${C.alice}"`));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('<div class="warning" data-warning-code="CHARACTERISTIC_MISSING"><p class="warning-message">Warning <code>CHARACTERISTIC_MISSING</code> A characteristic row points at a characteristic that no longer exists.</p>');
  });

  it('CSV: a row of its own, Change "Warning", with the error cells', () => {
    const rows = parseCsv(renderReport('csv', { plan: withWarning() }));
    const row = rows.find((r) => r[1] === C.alice && r[4] === 'Warning');
    expect(row?.slice(-3)).toEqual([WARNING.code, WARNING.message, WARNING.action]);
  });

  it('a settled contact with a warning is listed in the text report, not counted as quiet', () => {
    const settled = emptyPlan([{ subject: { family: 'technicians', table: 'contacts', id: C.alice, displayName: 'Alice Adams', group: null }, intent: 'provision', status: 'active', storedStatus: 'active', storedError: null, changeIds: [], warnings: [WARNING] }]);
    expect(renderReport('text', { plan: settled })).toContain('  Alice Adams [Active]');
  });
});
