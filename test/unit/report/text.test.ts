import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/report/index.js';
import { C, CONTACTS, SCRIPT_NAME, emptyPlan, makePlan, makeRun } from './fixture.js';

const lines = (text: string): string[] => text.split('\n');

describe('text report (vendor-reconciler plan)', () => {
  it('says plainly that nothing needs to change for an empty plan', () => {
    const text = renderReport('text', { plan: emptyPlan() });
    expect(lines(text).slice(0, 2)).toEqual([
      'Vendor technicians: what vendor-reconciler would change',
      'Dry run: nothing has been changed. This is what the next run would do.',
    ]);
    expect(text).toContain('\nSUMMARY\n  Nothing needs to change: there is no technician contact in scope.\n');
    expect(text).toContain('  Blocked removals: 0\n');
  });

  it('says so too for a converged tenant, and counts settled contacts instead of listing them', () => {
    const settled = CONTACTS.filter((c) => c.subject.id === C.hank || c.subject.id === C.gina).map((c) => ({ ...c, changeIds: [] }));
    const text = renderReport('text', { plan: emptyPlan(settled) });
    expect(text).toContain('  Nothing needs to change for the 2 contacts in scope.\n');
    expect(text).toContain('Contoso Field Services (2 contacts, 0 changes)\n  Nothing to change: every contact is settled (active or deprovisioned).');
    expect(text).not.toContain('Hank Hill');
  });

  it('gives the summary numbers first', () => {
    const text = renderReport('text', { plan: makePlan() });
    const summary = text.slice(text.indexOf('SUMMARY'), text.indexOf('Adatum Repairs'));
    expect(summary).toContain('  17 changes are planned for 6 contacts. 4 changes are held back. 2 contacts have an error');
    expect(summary).toContain('  Changes:  Invite guest user 1, Record Entra id on contact 1, Update user details 2');
    expect(summary).toContain('  Contacts: Active 3, Invited 1, Waiting for Dataverse user 1, Changes pending 1');
    expect(summary).toContain('  Licence units: 2 needed, 1 available (SPE_F1)\n  ! Not enough licence units: 2 needed, 1 available');
    expect(summary).toContain('  Orphans: 1\n  Blocked removals: 3\n  ! No removal was applied: 3 removals are held back');
    expect(summary).toContain('      - Carol Clark: Remove licence\n');
    expect(summary).toContain('  Errors: 2 contacts\n  Last run: none recorded yet.');
  });

  it('lists vendors in order with the contacts that need attention, their changes, reasons and what to do', () => {
    const text = renderReport('text', { plan: makePlan() });
    const headings = lines(text).filter((l) => /^\S.*\(\d+ contacts?, \d+ changes?\)$/.test(l));
    expect(headings).toEqual([
      'Adatum Repairs (3 contacts, 6 changes)',
      'Contoso Field Services (7 contacts, 9 changes)',
      'No vendor (2 contacts, 2 changes)',
    ]);
    expect(text).toContain(
      '  Bob Brown [Active] contact c0000000…\n' +
        '    ~ Update Dataverse user coordinates: Dataverse user f0000000…\n' +
        '        Latitude: 52.1 → 52.37; Longitude: 4.3 → -4.89\n' +
        "        Why: The contact moved; scheduling uses the Dataverse user's coordinates.\n",
    );
    expect(text).toContain('    - Remove characteristic: Resource characteristic d1000000…\n        Characteristic: d0000000… → (removed)\n');
    expect(text).toContain('    ! Error EMAIL_CHANGED: The contact\'s email changed');
    expect(text).toContain('      What to do: Check with the vendor that this is the same person');
    expect(text).toContain('    Still in place: Entra guest user ivy@example.com; Licence SPE_F1; Technician group membership');
    expect(text).toContain('  … and 2 settled contacts with nothing to change.');
    expect(text).toContain(`  ${SCRIPT_NAME} [Invited]`);
  });

  it('keeps terminal escape sequences from contact data out of the output', () => {
    const plan = makePlan();
    plan.subjects.find((c) => c.subject.id === C.dave)!.subject.displayName = 'Dave \u001b[2J\u001b[31mDoe\u202e';
    const text = renderReport('text', { plan });
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    // Each whole sequence becomes one U+FFFD: no "[2J" left over (hostile-data.test.ts tests the rest).
    expect(text).toContain('Dave \ufffd\ufffdDoe\ufffd [Error]');
  });

  it('for an apply, shows the run and each change\'s outcome', () => {
    const run = makeRun();
    const text = renderReport('text', { plan: run.plan, run });
    expect(text).toContain('RUN run-2025-03-01-1015 (apply, started by a manual trigger): Partly succeeded\n');
    expect(text).toContain('  Applied: 11; Failed: 1; Held back: 4; Not reached: 1\n');
    expect(text).toContain('        Outcome: Failed\n        ! GRAPH_UNAVAILABLE: Microsoft Graph answered 503 four times. What to do: Nothing: the next run retries it.');
  });
});
