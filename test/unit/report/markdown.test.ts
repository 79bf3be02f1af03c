import { describe, expect, it } from 'vitest';
import { CONTENT_TYPES, renderReport } from '../../../src/report/index.js';
import { emptyPlan, makePlan } from './fixture.js';

describe('Markdown report', () => {
  it('gives the summary numbers in a table before the vendors', () => {
    const md = renderReport('markdown', { plan: makePlan() });
    expect(md.indexOf('## Summary')).toBeLessThan(md.indexOf('## Adatum Repairs'));
    for (const row of [
      '| Changes | 17 |',
      '| Contacts | 12 |',
      '| Contacts with errors | 2 |',
      '| Licence units needed | 2 |',
      '| Licence units available (SPE\\_F1) | 1 |',
      '| Orphans | 1 |',
      '| Blocked removals | 3 |',
      '| Invite guest user | 1 |',
      '| Update user details | 2 |',
      '| Waiting for Dataverse user | 1 |',
    ]) {
      expect(md).toContain(`\n${row}\n`);
    }
    expect(md).toContain('> **Warning:** Not enough licence units: 2 needed, 1 available');
    expect(md).toContain('> **Held back:** No removal was applied: 3 removals are held back by the threshold guard');
    expect(CONTENT_TYPES.markdown).toBe('text/markdown; charset=utf-8');
  });

  it('groups by vendor in order, with changes, reasons and what to do', () => {
    const md = renderReport('markdown', { plan: makePlan() });
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual([
      '## Summary',
      '## Adatum Repairs (3 contacts, 6 changes)',
      '## Contoso Field Services (7 contacts, 9 changes, 2 errors)',
      '## No vendor (2 contacts, 2 changes)',
      '## Orphans',
    ]);
    expect(md).toContain('- **Alice Adams**: Changes pending (contact c0000000…)\n  - Invite guest user: Entra user (new)\n');
    expect(md).toContain('    - Why: A licence needs a usage location; the contact lives in the Netherlands.');
    expect(md).toContain('  - **Error EMAIL\\_CHANGED:** The contact\'s email changed');
    expect(md).toContain('    **What to do:** Check with the vendor that this is the same person');
  });

  it('escapes names so they cannot inject HTML, links or table cells', () => {
    const plan = makePlan();
    plan.orphans[0]!.displayName = 'a | b [x](https://evil.example) *bold*';
    const md = renderReport('markdown', { plan });
    expect(md).toContain('- **&lt;script&gt;alert(1)&lt;/script&gt;**: Invited');
    expect(md).not.toMatch(/<script|<img|<b>/i);
    expect(md).toContain('| a \\| b \\[x\\](https://evil.example) \\*bold\\* |');
    expect(md).toContain(`**=HYPERLINK("x")**`);
    expect(md).not.toMatch(/(?<!\\)\]\(/); // every "](" is escaped: no live link
  });

  it('says plainly that nothing needs to change for an empty plan', () => {
    expect(renderReport('markdown', { plan: emptyPlan() })).toContain(
      '**Nothing needs to change: there is no technician contact in scope.**',
    );
  });
});
