import { describe, expect, it } from 'vitest';
import { CONTENT_TYPES, renderReport } from '../../../src/report/index.js';
import { table } from './csv-table.js';
import { C, FORMULA_NAME, SCRIPT_NAME, SKU, makePlan, makeRun } from './fixture.js';

describe('CSV report', () => {
  it('has one row per change plus one per contact without changes, RFC 4180 with CRLF', () => {
    const csv = renderReport('csv', { plan: makePlan() });
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const rows = table(csv);
    expect(rows).toHaveLength(17 + 6);
    expect(rows.filter((r) => r.Change !== '')).toHaveLength(17);
    expect(rows.map((r) => r.Vendor).filter((v, i, a) => a.indexOf(v) === i)).toEqual([
      'Adatum Repairs', 'Contoso Field Services', 'No vendor',
    ]);
    expect(CONTENT_TYPES.csv).toMatch(/^text\/csv; charset=utf-8/);
  });

  it('parses back to the right cells, with full ids, the reason and the outcome', () => {
    const rows = table(renderReport('csv', { plan: makePlan() }));
    const assign = rows.find((r) => r['Contact id'] === C.alice && r.Change === 'Assign licence')!;
    expect(assign).toEqual({
      Vendor: 'Adatum Repairs',
      'Contact id': C.alice,
      'Contact name': 'Alice Adams',
      Status: 'Changes pending',
      Change: 'Assign licence',
      Target: 'Entra user (new, from "Invite guest user")',
      Before: 'Licence SKU: (empty)',
      After: `Licence SKU: ${SKU}`,
      Reason: 'Technicians need the Field Service licence.',
      Outcome: 'Planned',
      'Error code': '',
      'Error message': '',
      'What to do': '',
    });
    const held = rows.find((r) => r['Contact id'] === C.carol && r.Change === 'Remove licence')!;
    expect(held).toMatchObject({
      Before: `Licence SKU: ${SKU}`,
      After: '(removed)',
      Outcome: 'Held back: 30 removals exceed the limit of 10 per run.',
      'Error code': 'REMOVALS_HELD',
    });
    const dave = rows.find((r) => r['Contact id'] === C.dave)!;
    expect(dave).toMatchObject({
      Status: 'Error',
      Change: '',
      'Error code': 'EMAIL_CHANGED',
      'What to do': 'Check with the vendor that this is the same person, then clear the Entra id on the contact to invite the new address.',
    });
    const ivy = rows.find((r) => r['Contact id'] === C.ivy)!;
    expect(ivy).toMatchObject({
      Status: 'Out of scope',
      Reason: 'Still in place: Entra guest user ivy@example.com; Licence SPE_F1; Technician group membership',
    });
    const script = rows.find((r) => r['Contact id'] === C.script)!;
    expect(script['Contact name']).toBe(SCRIPT_NAME);
    expect(script.After).toBe(`Display name: ${SCRIPT_NAME}`);
  });

  it('neutralises spreadsheet formulas: = + - @ tab and CR get a leading quote (OWASP CSV injection)', () => {
    const csv = renderReport('csv', { plan: makePlan() });
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    const rows = table(csv);
    expect(rows.find((r) => r['Contact id'] === C.formula)!['Contact name']).toBe(`'${FORMULA_NAME}`);

    const cases = [
      { reason: 'a plus sign starts a formula', name: '+1-555-0100', cell: "'+1-555-0100" },
      { reason: 'a minus sign starts a formula', name: '-2+3', cell: "'-2+3" },
      { reason: 'an at sign starts a function in Excel', name: '@SUM(A1)', cell: "'@SUM(A1)" },
      { reason: 'a leading tab is stripped by some importers, exposing a formula', name: '\t=1+1', cell: "'\t=1+1" },
      { reason: 'a leading carriage return does the same (kept as a line feed inside the cell)', name: '\r=1+1', cell: "'\n=1+1" },
      { reason: 'an ordinary name is left alone', name: 'Zoë O\'Brien, "Jr"', cell: 'Zoë O\'Brien, "Jr"' },
    ];
    for (const c of cases) {
      const plan = makePlan();
      plan.subjects.find((x) => x.subject.id === C.hank)!.subject.displayName = c.name;
      const hank = table(renderReport('csv', { plan })).find((r) => r['Contact id'] === C.hank)!;
      expect(hank['Contact name'], c.reason).toBe(c.cell);
    }
  });

  // OWASP "CSV Injection": a spreadsheet may drop invisible characters before it parses a cell, and
  // Excel with a Japanese or Chinese IME reads the full-width ＝ as =. The quote goes first.
  it.each([
    { reason: 'a zero-width space hides the = from a reader', name: '\u200b=HYPERLINK("https://evil.example")', cell: '\'\u200b=HYPERLINK("https://evil.example")' },
    { reason: 'a byte order mark before a plus sign', name: '\ufeff+1-555-0100', cell: '\'\ufeff+1-555-0100' },
    { reason: 'a left-to-right mark (a bidi mark) before a minus sign', name: '\u200e-2+3', cell: '\'\u200e-2+3' },
    { reason: 'a word joiner (another format character) before an at sign', name: '\u2060@SUM(A1)', cell: '\'\u2060@SUM(A1)' },
    { reason: 'a no-break space (a space separator) before =', name: '\u00a0=1+1', cell: '\'\u00a0=1+1' },
    { reason: 'an ideographic space before =', name: '\u3000=1+1', cell: '\'\u3000=1+1' },
    { reason: 'a Hangul filler (default-ignorable, invisible) before =', name: '\u3164=1+1', cell: '\'\u3164=1+1' },
    { reason: 'several invisible characters in a row', name: '\u200b\u200c\u200d\ufeff=1+1', cell: '\'\u200b\u200c\u200d\ufeff=1+1' },
    { reason: 'full-width equals sign', name: '＝1+1', cell: '\'＝1+1' },
    { reason: 'full-width plus sign', name: '＋1', cell: '\'＋1' },
    { reason: 'full-width minus sign', name: '－1', cell: '\'－1' },
    { reason: 'full-width commercial at', name: '＠SUM(A1)', cell: '\'＠SUM(A1)' },
    { reason: 'small equals sign (NFKC folds it to =)', name: '﹦1+1', cell: '\'﹦1+1' },
    { reason: 'a zero-width space before a full-width equals sign', name: '\u200b＝1+1', cell: '\'\u200b＝1+1' },
    { reason: 'a leading line feed', name: '\n=1+1', cell: '\'\n=1+1' },
    { reason: 'a removed control leaves a visible U+FFFD, so it cannot uncover the formula behind it', name: '\u0007=1+1', cell: '\ufffd=1+1' },
    { reason: 'invisible characters before an ordinary name are no formula', name: '\u200bBob', cell: '\u200bBob' },
    { reason: 'full-width digits are no formula', name: '１２３', cell: '１２３' },
    { reason: 'an = inside the value is no formula', name: 'a=b', cell: 'a=b' },
  ])('neutralises a formula behind invisible or full-width characters: $reason', ({ name, cell }) => {
    const plan = makePlan();
    plan.subjects.find((x) => x.subject.id === C.hank)!.subject.displayName = name;
    const hank = table(renderReport('csv', { plan })).find((r) => r['Contact id'] === C.hank)!;
    expect(hank['Contact name']).toBe(cell);
  });

  it('for an apply, gives each change its outcome and the failed change its error', () => {
    const run = makeRun();
    const rows = table(renderReport('csv', { plan: run.plan, run }));
    const failed = rows.find((r) => r['Contact id'] === C.alice && r.Change === 'Add to technician group')!;
    expect(failed).toMatchObject({
      Status: 'Error',
      Outcome: 'Failed',
      'Error code': 'GRAPH_UNAVAILABLE',
      'Error message': 'Microsoft Graph answered 503 four times.',
      'What to do': 'Nothing: the next run retries it.',
    });
    expect(rows.find((r) => r.Change === 'Link bookable resource to contact')!.Outcome).toMatch(/^Not reached/);
    expect(rows.filter((r) => r.Outcome === 'Applied')).toHaveLength(11);
  });
});
