/**
 * CSV for spreadsheets: one row per change, plus one row per contact that has no change, so every
 * contact appears. RFC 4180: CRLF line ends, every field quoted, quotes doubled. Full ids (people
 * filter and join on them). A UTF-8 byte order mark starts the file so Excel reads accented names.
 *
 * Formula injection (OWASP "CSV Injection"): a cell starting with = + - @, tab or carriage return is
 * prefixed with a single quote, so a contact named =HYPERLINK(...) stays text in Excel and Sheets.
 */
import { afterText, describeFields, describeTarget, formatValue } from './format.js';
import type { ReportChange, ReportContact, ReportModel } from './model.js';
import type { ErrorInfo } from '../model/plan.js';

export const CSV_COLUMNS = [
  'Vendor',
  'Contact id',
  'Contact name',
  'Status',
  'Change',
  'Target',
  'Before',
  'After',
  'Reason',
  'Outcome',
  'Error code',
  'Error message',
  'What to do',
] as const;

export function renderCsv(model: ReportModel): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const v of model.vendors) {
    for (const c of v.contacts) {
      const lead = [v.name, c.contactId, c.displayName, c.statusLabel];
      if (c.changes.length === 0) {
        rows.push([...lead, '', '', '', '', remainsText(c), '', ...errorCells(c.error)]);
        continue;
      }
      for (const ch of c.changes) {
        const [before, after] = beforeAfter(ch);
        const err = ch.result?.error ?? (ch.blocked ? blockedError(ch.blocked) : c.error);
        rows.push([...lead, ch.label, describeTarget(ch), before, after, ch.reason, ch.outcomeText, ...errorCells(err)]);
      }
    }
  }
  return `\ufeff${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

function beforeAfter(ch: ReportChange): [string, string] {
  if (ch.shape === 'create') return ['(does not exist yet)', describeFields(ch).join('; ')];
  if (ch.shape === 'remove') {
    return [ch.fields.map((f) => `${f.label}: ${formatValue(f.before)}`).join('; '), '(removed)'];
  }
  return [
    ch.fields.map((f) => `${f.label}: ${formatValue(f.before)}`).join('; '),
    ch.fields.map((f) => `${f.label}: ${afterText(f)}`).join('; '),
  ];
}

function remainsText(c: ReportContact): string {
  if (!c.remains) return '';
  return c.remains.length > 0 ? `Still in place: ${c.remains.join('; ')}` : 'Nothing remains';
}

function blockedError(blocked: { code: string; reason: string }): ErrorInfo {
  return {
    class: 'contact',
    code: blocked.code,
    message: blocked.reason,
    action: 'An admin can release held-back changes with the override (docs/operations.md).',
  };
}

function errorCells(err: ErrorInfo | undefined): string[] {
  return err ? [err.code, err.message, err.action] : ['', '', ''];
}

/** One RFC 4180 field, neutralised against formulas. */
export function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}
