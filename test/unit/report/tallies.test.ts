/**
 * Tallies in the report (issue 12): what a family counts over its subjects (the information-barrier
 * segments in use on the service accounts), shown after the summary in every format, only when a
 * tally has rows. The values are typed by vendor admins (a vendor account's name), so each format
 * escapes them as it escapes contact data (src/report/escape.ts, terminal-safe.ts, csv.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Plan, Tally } from '../../../src/model/plan.js';
import { upgradePlan, upgradeRunRecord, type PlanV2Stored, type RunRecordV1 } from '../../../src/model/plan-v1.js';
import { CSV_COLUMNS } from '../../../src/report/csv.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../../../src/report/index.js';
import { HEADER, parseCsv } from './csv-table.js';
import { makePlan, makeRun } from './fixture.js';

const TITLE = 'Information-barrier segments in use';
const DESCRIPTION = 'Values of companyName on the service accounts; define one segment per value (docs/operations.md, "Information barriers").';

function segments(rows: Tally['rows']): Tally {
  return { id: 'segments', family: 'technicians', title: TITLE, description: DESCRIPTION, unit: 'service accounts', rows };
}

function planWith(tallies: Tally[]): Plan {
  return { ...makePlan(), tallies };
}

const render = (format: ReportFormat, plan: Plan): string => renderReport(format, { plan });

/** The CSV's tally rows as objects keyed by its header (which must be the 13 columns and the tally's 3). */
function csvTallyRows(csv: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(csv.slice(1));
  expect(header).toEqual([...HEADER, 'Tally', 'Value', 'Count']);
  for (const r of rows) expect(r).toHaveLength(header!.length);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))).filter((r) => r.Tally !== '');
}

describe('a tally in each format', () => {
  const plan = planWith([segments([{ value: 'Contoso Electric', count: 3 }, { value: 'Fabrikam Services', count: 1 }])]);

  const SHOWN: { format: ReportFormat; reason: string; lines: string[] }[] = [
    {
      format: 'text',
      reason: 'the terminal shows the title with its unit, the description, and one "value: count" line per value',
      lines: [`${TITLE} (service accounts per value)`, `  ${DESCRIPTION}`, '  Contoso Electric: 3', '  Fabrikam Services: 1'],
    },
    {
      format: 'markdown',
      reason: 'Markdown has a section with the description and a table whose count column is named by the unit',
      lines: [`## ${TITLE}`, DESCRIPTION, '| Value | Service accounts |', '| Contoso Electric | 3 |', '| Fabrikam Services | 1 |'],
    },
    {
      format: 'html',
      reason: 'the page has a section.tally with a heading, the description and one tr.tally-row per value',
      lines: [
        '<section class="tally" data-tally-id="segments" data-family="technicians" aria-labelledby="tally-technicians-segments-title">',
        `<h2 id="tally-technicians-segments-title">${TITLE}</h2>`,
        '<p class="tally-description">Values of companyName on the service accounts; define one segment per value (docs/operations.md, &quot;Information barriers&quot;).</p>',
        '<th scope="col">Service accounts</th>',
        '<tr class="tally-row" data-value="Contoso Electric"><td>Contoso Electric</td><td class="num">3</td></tr>',
        '<tr class="tally-row" data-value="Fabrikam Services"><td>Fabrikam Services</td><td class="num">1</td></tr>',
      ],
    },
  ];
  for (const c of SHOWN) {
    it(`${c.format}: ${c.reason}`, () => {
      const out = render(c.format, plan);
      for (const line of c.lines) expect(out).toContain(line);
    });
  }

  it('text, Markdown and HTML put the tally after the summary (its licence lines) and before the first vendor', () => {
    const cases = [
      { format: 'text' as const, licences: 'Licence units: 2 needed', vendor: 'Adatum Repairs (' },
      { format: 'markdown' as const, licences: '| Licence units available', vendor: '## Adatum Repairs' },
      { format: 'html' as const, licences: 'data-metric="licence-available"', vendor: '<section class="vendor"' },
    ];
    for (const c of cases) {
      const out = render(c.format, plan);
      const at = out.indexOf(TITLE);
      expect(at, c.format).toBeGreaterThan(out.indexOf(c.licences));
      expect(at, c.format).toBeLessThan(out.indexOf(c.vendor));
    }
  });

  it('csv: the header gains Tally, Value, Count; one row per value with the description as its reason, every other row gets three empty cells', () => {
    const csv = render('csv', plan);
    expect(csvTallyRows(csv)).toEqual(
      [['Contoso Electric', '3'], ['Fabrikam Services', '1']].map(([value, count]) => ({
        ...Object.fromEntries(HEADER.map((h) => [h, h === 'Reason' ? DESCRIPTION : ''])),
        Tally: `${TITLE} (service accounts)`,
        Value: value,
        Count: count,
      })),
    );
    const [, ...rows] = parseCsv(csv.slice(1));
    const others = rows.filter((r) => r[13] === '');
    expect(others.length).toBe(rows.length - 2);
    expect(others.every((r) => r.slice(13).join('') === '' && r[1] !== '')).toBe(true);
  });

  it('json: the plan\'s tallies as they are, after the orphans', () => {
    const parsed = JSON.parse(render('json', plan)) as Plan;
    expect(parsed.tallies).toEqual(plan.tallies);
    expect(Object.keys(parsed).slice(-1)).toEqual(['tallies']);
  });

  it('two tallies (two families) show in the plan\'s order, each with its own rows', () => {
    const other: Tally = { id: 'teams', family: 'accounts', title: 'Teams in use', description: 'Teams named on the accounts.', unit: 'accounts', rows: [{ value: 'Night shift', count: 2 }] };
    const two = planWith([segments([{ value: 'Contoso Electric', count: 3 }]), other]);
    const text = render('text', two);
    expect(text.indexOf(TITLE)).toBeLessThan(text.indexOf('Teams in use (accounts per value)'));
    expect(text).toContain('  Night shift: 2');
    expect(render('html', two)).toContain('<section class="tally" data-tally-id="teams" data-family="accounts"');
    expect(csvTallyRows(render('csv', two)).map((r) => [r.Tally, r.Value, r.Count])).toEqual([
      [`${TITLE} (service accounts)`, 'Contoso Electric', '3'],
      ['Teams in use (accounts)', 'Night shift', '2'],
    ]);
  });
});

describe('hostile tally values', () => {
  const HOSTILE = [
    { value: '=cmd|\' /C calc\'!A0', count: 1 },
    { value: '<img src=x onerror=alert(1)>', count: 2 },
    { value: '*bold* | [link](https://evil.example) `code`', count: 4 },
    { value: 'Fabrikam\u001b]8;;https://evil.example/\u0007 Services\u202e', count: 5 },
    { value: 'Line one\nLine two', count: 6 },
  ];
  const plan = planWith([segments(HOSTILE)]);

  const CASES: { format: ReportFormat; reason: string; shown: string[]; absent: string[] }[] = [
    {
      format: 'html',
      reason: 'HTML escapes markup in the cell and in the data-value attribute',
      shown: ['<td>&lt;img src=x onerror=alert(1)&gt;</td>', 'data-value="&lt;img src=x onerror=alert(1)&gt;"', '<td>=cmd|&#39; /C calc&#39;!A0</td>'],
      absent: ['<img src=x'],
    },
    {
      format: 'markdown',
      reason: 'Markdown escapes emphasis, the table pipe, links, code and raw HTML, and keeps each value on one line',
      shown: ['| \\*bold\\* \\| \\[link\\](https://evil.example) \\`code\\` | 4 |', '| &lt;img src=x onerror=alert(1)&gt; | 2 |', '| Line one Line two | 6 |'],
      absent: ['<img'],
    },
    {
      format: 'text',
      reason: 'text removes the OSC 8 link and the bidi override (one U+FFFD each) and keeps each value on one line',
      shown: ['  Fabrikam\ufffd Services\ufffd: 5', '  Line one Line two: 6'],
      absent: ['\u001b', '\u202e', 'Line one\n'],
    },
  ];
  for (const c of CASES) {
    it(`${c.format}: ${c.reason}`, () => {
      const out = render(c.format, plan);
      for (const s of c.shown) expect(out).toContain(s);
      for (const s of c.absent) expect(out).not.toContain(s);
    });
  }

  it('csv: a value that starts a formula (=cmd) gets a leading quote; escapes become U+FFFD', () => {
    const rows = csvTallyRows(render('csv', plan));
    expect(rows.map((r) => r.Value)).toEqual([
      '\'=cmd|\' /C calc\'!A0',
      '<img src=x onerror=alert(1)>',
      '*bold* | [link](https://evil.example) `code`',
      'Fabrikam\ufffd Services\ufffd',
      'Line one\nLine two',
    ]);
    expect(rows.map((r) => r.Count)).toEqual(['1', '2', '4', '5', '6']);
  });

  it('json: every value comes back exactly, and no raw escape or bidi control is printed', () => {
    const out = render('json', plan);
    for (const raw of ['\u001b', '\u0007', '\u202e']) expect(out).not.toContain(raw);
    expect((JSON.parse(out) as Plan).tallies[0]!.rows).toEqual(HOSTILE);
  });
});

describe('a plan that counts nothing', () => {
  const bare = makePlan();
  const CASES = [
    { reason: 'no tally at all (a plan without service accounts)', plan: planWith([]) },
    { reason: 'a tally with no row: nothing is in use, so there is nothing to show', plan: planWith([segments([])]) },
  ];
  for (const c of CASES) {
    it(`renders text, Markdown, HTML and CSV exactly as a plan without tallies: ${c.reason}`, () => {
      for (const format of REPORT_FORMATS.filter((f) => f !== 'json')) {
        const out = render(format, c.plan);
        expect(out, format).toBe(render(format, bare));
        expect(out, format).not.toContain(TITLE);
        expect(out, format).not.toContain('tally');
      }
    });
  }

  it('keeps the CSV header to its 13 columns', () => {
    expect(parseCsv(render('csv', bare).slice(1))[0]).toEqual([...CSV_COLUMNS]);
  });

  it('json: a tally with no row is still in the plan (nothing is lost); none reads as []', () => {
    expect((JSON.parse(render('json', planWith([segments([])]))) as Plan).tallies).toEqual([segments([])]);
    expect((JSON.parse(render('json', bare)) as Plan).tallies).toEqual([]);
  });
});

describe('stored plans from before tallies', () => {
  /** A version 2 plan as stored before issue 12: no `tallies` field. */
  function storedWithout(): PlanV2Stored {
    const { tallies: _tallies, ...rest } = makePlan();
    return rest;
  }

  it('a version 2 plan without tallies reads with tallies [] and renders as today\'s plan with none', () => {
    const read = upgradePlan(storedWithout());
    expect(read).toEqual(makePlan());
    expect(read.tallies).toEqual([]);
    for (const format of REPORT_FORMATS) expect(renderReport(format, { plan: read }), format).toBe(render(format, makePlan()));
  });

  it('a version 2 plan with tallies is read as it is (the same object)', () => {
    const plan = planWith([segments([{ value: 'Contoso Electric', count: 3 }])]);
    expect(upgradePlan(plan)).toBe(plan);
  });

  it('a stored run record whose plan has no tallies reads with tallies []', () => {
    const { plan: _plan, ...run } = makeRun();
    const stored: RunRecordV1 = { ...run, plan: storedWithout() };
    expect(upgradeRunRecord(stored).plan.tallies).toEqual([]);
  });
});
