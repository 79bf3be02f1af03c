/**
 * The report over more than the technicians: every SKU of plan.summary.licences is a line of its
 * own, and a plan holding a second family groups each family's subjects apart, names the family in
 * each heading, and keeps two families' subjects with the same id apart (src/report/).
 */
import { describe, expect, it } from 'vitest';
import type { Change, LicenceSummary, Plan, SubjectPlan } from '../../../src/model/plan.js';
import { subjectKey, type RunRecord } from '../../../src/model/run.js';
import { CSV_COLUMNS } from '../../../src/report/csv.js';
import { buildReport, renderReport } from '../../../src/report/index.js';
import { C, makePlan, makeRun } from './fixture.js';

const MAILBOX_SKU: LicenceSummary = { skuId: 'd0000000-0000-4000-8000-0000000000e5', skuPartNumber: 'EXCHANGESTANDARD', unitsNeeded: 4, unitsAvailable: 1 };

function twoSkus(): Plan {
  const plan = makePlan();
  plan.summary.licences.push(MAILBOX_SKU);
  return plan;
}

const BACKUP = 'b1000000-0000-4000-8000-0000000000b1';
/** A service account of a second family whose id is Alice's contact id (ids are unique per family only). */
const ACCOUNT: SubjectPlan = {
  subject: { family: 'accounts', table: 'serviceaccounts', id: C.alice, displayName: 'svc-backup', group: { id: BACKUP, name: 'Backup team' } },
  intent: 'provision',
  status: 'pending',
  storedStatus: null,
  storedError: null,
  changeIds: [`${C.alice}/licence.assign/accounts`],
};
const ACCOUNT_CHANGE: Change = {
  id: `${C.alice}/licence.assign/accounts`,
  subject: ACCOUNT.subject,
  kind: 'licence.assign',
  target: { service: 'graph', entity: 'user', id: 'e1000000-0000-4000-8000-0000000000a9' },
  before: { skuId: MAILBOX_SKU.skuId, directlyAssigned: false },
  after: { skuId: MAILBOX_SKU.skuId, directlyAssigned: true },
  reason: 'The service account has no mailbox licence.',
  dependsOn: [],
};

function twoFamilies(): Plan {
  const plan = twoSkus();
  plan.subjects.push(structuredClone(ACCOUNT));
  plan.changes.push(structuredClone(ACCOUNT_CHANGE));
  return plan;
}

describe('a plan drawing two SKUs', () => {
  it('gives the summary one licence line per SKU, each with its own shortage and warning', () => {
    const { licences } = buildReport({ plan: twoSkus() }).summary;
    expect(licences.map((l) => [l.skuName, l.unitsNeeded, l.unitsAvailable, l.shortage])).toEqual([
      ['SPE_F1', 2, 1, 1],
      ['EXCHANGESTANDARD', 4, 1, 3],
    ]);
    expect(licences[1]!.warning).toBe(
      'Not enough licence units: 4 needed, 1 available (EXCHANGESTANDARD). 1 technician gets a licence, in a stable order; ' +
        'the other 3 are marked "No licence units" until more units are bought or freed.',
    );
  });

  it('prints a second line for the second SKU in text, Markdown and HTML', () => {
    const plan = twoSkus();
    const text = renderReport('text', { plan });
    expect(text.split('\n').filter((l) => l.startsWith('  Licence units:'))).toEqual([
      '  Licence units: 2 needed, 1 available (SPE_F1)',
      '  Licence units: 4 needed, 1 available (EXCHANGESTANDARD)',
    ]);
    const markdown = renderReport('markdown', { plan });
    expect(markdown.split('\n').filter((l) => l.startsWith('| Licence units'))).toEqual([
      '| Licence units needed (SPE\\_F1) | 2 |',
      '| Licence units available (SPE\\_F1) | 1 |',
      '| Licence units needed (EXCHANGESTANDARD) | 4 |',
      '| Licence units available (EXCHANGESTANDARD) | 1 |',
    ]);
    const html = renderReport('html', { plan });
    const card = (metric: string): string | undefined => new RegExp(`data-metric="${metric}"><span class="value">([^<]*)<`).exec(html)?.[1];
    expect([card('licence-needed'), card('licence-available'), card('licence-needed-2'), card('licence-available-2')]).toEqual(['2', '1', '4', '1']);
    expect(html).toMatch(/<div id="licence-warning" [^>]*>Not enough licence units: 2 needed, 1 available \(SPE_F1\)\./);
    expect(html).toMatch(/<div id="licence-warning-2" [^>]*>Not enough licence units: 4 needed, 1 available \(EXCHANGESTANDARD\)\./);
  });

  it('a one-SKU plan keeps its single line and unnumbered hooks', () => {
    const html = renderReport('html', { plan: makePlan() });
    expect(html).not.toContain('licence-needed-2');
    expect(html).not.toContain('licence-warning-2');
    expect(renderReport('markdown', { plan: makePlan() })).toContain('| Licence units needed | 2 |');
  });
});

describe('a plan holding a second family', () => {
  it('groups each family apart, families in plan order, and names the family in each heading', () => {
    const r = buildReport({ plan: twoFamilies() });
    expect(r.families).toEqual(['technicians', 'accounts']);
    expect(r.groups.map((g) => [g.family, g.name])).toEqual([
      ['technicians', 'Adatum Repairs (technicians)'],
      ['technicians', 'Contoso Field Services (technicians)'],
      ['technicians', 'No vendor (technicians)'],
      ['accounts', 'Backup team (accounts)'],
    ]);
    expect(r.words.subject).toBe('subject');
    expect(r.title).toBe('vendor-reconciler: what it would change');
  });

  it('keeps a subject of each family with the same id apart: own changes, own status after an apply', () => {
    const run: RunRecord = { ...makeRun(), plan: twoFamilies() };
    run.results = [...run.results, { changeId: ACCOUNT_CHANGE.id, subjectKey: subjectKey(ACCOUNT.subject), outcome: 'applied' }];
    run.statuses = { ...run.statuses, [subjectKey(ACCOUNT.subject)]: 'active' };
    const r = buildReport({ plan: run.plan, run });
    const all = r.groups.flatMap((g) => g.subjects);
    const alice = all.find((s) => s.family === 'technicians' && s.subjectId === C.alice)!;
    const account = all.find((s) => s.family === 'accounts' && s.subjectId === C.alice)!;
    expect(account.changes.map((c) => c.id)).toEqual([ACCOUNT_CHANGE.id]);
    expect(alice.changes.map((c) => c.id)).not.toContain(ACCOUNT_CHANGE.id);
    expect([alice.status, account.status]).toEqual(['error', 'active']);
  });

  it('says "subject" and "group" in the text, and marks each HTML section and row with its family', () => {
    const plan = twoFamilies();
    const text = renderReport('text', { plan });
    expect(text).toContain('Backup team (accounts) (1 subject, 1 change)');
    expect(text).toContain(`  svc-backup [Changes pending] subject ${C.alice.slice(0, 8)}`);
    const html = renderReport('html', { plan });
    expect(html).toMatch(new RegExp(`<section class="vendor" data-vendor-id="${BACKUP}" data-family="accounts" id="group-\\d+">`));
    expect(html).toContain(`<tr class="contact" data-contact-id="${C.alice}" data-status="pending" data-family="accounts">`);
    expect(html).toContain('<h2 id="vendors-title">Subjects by group</h2>');
  });

  it('keeps the CSV header as it is, the group with its family in the Vendor column', () => {
    const csv = renderReport('csv', { plan: twoFamilies() });
    const lines = csv.replace(/^\ufeff/, '').split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.map((c) => `"${c}"`).join(','));
    expect(lines[0]).toBe('"Vendor","Contact id","Contact name","Status","Change","Target","Before","After","Reason","Outcome","Error code","Error message","What to do"');
    expect(lines.filter((l) => l.startsWith('"Backup team (accounts)"')).map((l) => l.split('","').slice(0, 5))).toEqual([
      ['"Backup team (accounts)', C.alice, 'svc-backup', 'Changes pending', 'Assign licence'],
    ]);
  });

  it('a technicians-only plan has no family in its headings and no data-family attribute', () => {
    const r = buildReport({ plan: makePlan() });
    expect(r.families).toEqual(['technicians']);
    expect(r.groups.map((g) => g.name)).toEqual(['Adatum Repairs', 'Contoso Field Services', 'No vendor']);
    expect(renderReport('html', { plan: makePlan() })).not.toContain('data-family');
  });
});
