import { describe, expect, it } from 'vitest';
import { CONTENT_TYPES, renderReport } from '../../../src/report/index.js';
import { C, FORMULA_NAME, SCRIPT_NAME, SKU, makePlan, makeRun } from './fixture.js';

/** A small RFC 4180 parser: quoted fields, doubled quotes, CRLF or LF record ends, line breaks inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      // CRLF: the \n ends the record
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const HEADER = [
  'Vendor', 'Contact id', 'Contact name', 'Status', 'Change', 'Target', 'Before', 'After', 'Reason', 'Outcome',
  'Error code', 'Error message', 'What to do',
];

function table(csv: string): Record<string, string>[] {
  expect(csv.startsWith('\ufeff')).toBe(true);
  const [header, ...rows] = parseCsv(csv.slice(1));
  expect(header).toEqual(HEADER);
  for (const r of rows) expect(r).toHaveLength(HEADER.length);
  return rows.map((r) => Object.fromEntries(HEADER.map((h, i) => [h, r[i]!])));
}

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
      { reason: 'a leading carriage return does the same', name: '\r=1+1', cell: "'\r=1+1" },
      { reason: 'an ordinary name is left alone', name: 'Zoë O\'Brien, "Jr"', cell: 'Zoë O\'Brien, "Jr"' },
    ];
    for (const c of cases) {
      const plan = makePlan();
      plan.contacts.find((x) => x.contactId === C.hank)!.displayName = c.name;
      const hank = table(renderReport('csv', { plan })).find((r) => r['Contact id'] === C.hank)!;
      expect(hank['Contact name'], c.reason).toBe(c.cell);
    }
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
