/**
 * Terminal escape sequences in contact data (issue 9, item 7): a vendor admin types a name, an email,
 * or data that ends up in an error text, and an admin prints the report in a terminal
 * (`vendor-reconciler plan`, `--format markdown|csv|html` without --out, `curl …/api/plan`).
 * Every format must reach the terminal without one control character but newline and tab (and the
 * CSV's CRLF record ends); JSON must also give every value back exactly (src/report/terminal-safe.ts).
 * Sequence grammar: ECMA-48, as xterm implements it.
 */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/model/plan.js';
import { renderReport, type ReportFormat } from '../../../src/report/index.js';
import { table } from './csv-table.js';
import { C, makePlan, makeRun } from './fixture.js';

const CASES = [
  { reason: 'CSI erases the screen and SGR recolours what follows', payload: '\u001b[2J\u001b[1;31m', shown: '\ufffd\ufffd', remnant: '[1;31m' },
  {
    reason: 'OSC 8 hides a link target behind innocent text (BEL-terminated)',
    payload: '\u001b]8;;https://evil.example/\u0007here\u001b]8;;\u0007',
    shown: '\ufffdhere\ufffd',
    remnant: 'evil.example',
  },
  { reason: 'OSC 52 writes the reader\'s clipboard (ST-terminated)', payload: '\u001b]52;c;Y3VybCBldmlsfHNo\u001b\\', shown: '\ufffd', remnant: '52;c;' },
  { reason: 'the C1 CSI (U+009B) is the one-character form of ESC [', payload: '\u009b2J', shown: '\ufffd', remnant: '2J' },
  { reason: 'a C1 OSC with the C1 string terminator sets the window title', payload: '\u009d0;pwned\u009c', shown: '\ufffd', remnant: 'pwned' },
  { reason: 'a DCS string queries the terminal', payload: '\u001bP$q m\u001b\\', shown: '\ufffd', remnant: '$q' },
  { reason: 'ESC c resets the terminal', payload: '\u001bc', shown: '\ufffd', remnant: null },
  { reason: 'an unterminated OSC loses its introducer; its text stays visible', payload: '\u001b]0;title', shown: '\ufffd0;title', remnant: null },
  {
    reason: 'bidi overrides and isolates show text in another order than it is stored (Trojan Source)',
    payload: '\u202eevil\u202c\u2066x\u2069',
    shown: '\ufffdevil\ufffd\ufffdx\ufffd',
    remnant: '\u202e',
  },
  { reason: 'BEL, backspace, DEL and NEL are controls too', payload: '\u0007\b\u007f\u0085', shown: '\ufffd\ufffd\ufffd\ufffd', remnant: '\b' },
];

/** What no format may print: C0 but tab and newline, DEL, C1, bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const name = (payload: string): string => `Mallory ${payload} Doe`;
const email = (payload: string): string => `mallory${payload}@adatum.example`;
const errorText = (payload: string): string => `The email changed to ${payload}.`;

/** The fixture plan with the payload in a name, a vendor name, an email, an error, a reason and an orphan. */
function hostilePlan(payload: string): Plan {
  const plan = makePlan();
  const alice = plan.subjects.find((c) => c.subject.id === C.alice)!;
  alice.subject.displayName = name(payload);
  for (const c of plan.subjects.filter((x) => x.subject.group?.name === 'Adatum Repairs')) c.subject.group!.name = `Adatum ${payload}`;
  const invite = plan.changes.find((c) => c.id === `${C.alice}/user.invite`)!;
  invite.after = { invitedUserEmailAddress: email(payload), invitedUserDisplayName: name(payload) };
  const dave = plan.subjects.find((c) => c.subject.id === C.dave)!;
  dave.error = { ...dave.error!, message: errorText(payload), action: `Ask ${payload} why.` };
  plan.changes.find((c) => c.subject.id === C.bob)!.reason = `Moved to ${payload}.`;
  plan.orphans[0]!.displayName = name(payload);
  return plan;
}

function render(format: ReportFormat, payload: string): string {
  const plan = hostilePlan(payload);
  const run = { ...makeRun(), plan };
  run.results = run.results.map((r) =>
    r.error ? { ...r, error: { ...r.error, message: errorText(payload) } } : r,
  );
  return renderReport(format, { plan, run });
}

describe.each(CASES)('hostile contact data: $reason', ({ payload, shown, remnant }) => {
  it.each(['text', 'markdown', 'html'] as const)('%s prints no control character; each sequence becomes one U+FFFD', (format) => {
    const out = render(format, payload);
    expect(out).not.toMatch(UNSAFE);
    if (remnant) expect(out).not.toContain(remnant);
    expect(out).toContain(name(shown));
    expect(out).toContain(email(shown));
    expect(out).toContain(errorText(shown));
  });

  it('csv: the same in every cell, CRLF only as the record end, and the cells read back terminal-safe', () => {
    const csv = render('csv', payload);
    expect(csv.replace(/\r\n/g, '\n')).not.toMatch(UNSAFE);
    if (remnant) expect(csv).not.toContain(remnant);
    const rows = table(csv);
    const alice = rows.filter((r) => r['Contact id'] === C.alice);
    expect(alice.map((r) => r['Contact name'])).toContain(name(shown));
    expect(alice.find((r) => r.Change === 'Invite guest user')!.After).toContain(email(shown));
    expect(rows.find((r) => r['Contact id'] === C.dave)!['Error message']).toBe(errorText(shown));
  });

  it('json: nothing raw reaches the terminal, and JSON.parse gives every value back exactly', () => {
    const json = render('json', payload);
    expect(json).not.toMatch(UNSAFE);
    const parsed = JSON.parse(json) as Plan & { run: { results: { error?: { message: string } }[] } };
    expect(parsed.subjects.find((c) => c.subject.id === C.alice)!.subject.displayName).toBe(name(payload));
    expect(parsed.changes.find((c) => c.id === `${C.alice}/user.invite`)!.after).toEqual({
      invitedUserEmailAddress: email(payload),
      invitedUserDisplayName: name(payload),
    });
    expect(parsed.subjects.find((c) => c.subject.id === C.dave)!.error!.message).toBe(errorText(payload));
    expect(parsed.run.results.find((r) => r.error)!.error!.message).toBe(errorText(payload));
    expect(parsed.orphans[0]!.displayName).toBe(name(payload));
  });
});

describe('hostile contact data: JSON escapes', () => {
  it('writes ESC, DEL, C1, bidi controls and line separators as \\u escapes', () => {
    const json = render('json', '\u001b\u007f\u009b\u202e\u2066\u2028\u2029');
    expect(json).toContain('Mallory \\u001b\\u007f\\u009b\\u202e\\u2066\\u2028\\u2029 Doe');
  });
});
