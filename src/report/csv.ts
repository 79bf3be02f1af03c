/**
 * CSV for spreadsheets: one row per change, plus one row per contact that has no change, so every
 * contact appears, then one row per value of each tally the report shows (appendTallies). RFC 4180: CRLF line ends, every field quoted, quotes doubled. Full ids (people
 * filter and join on them). A UTF-8 byte order mark starts the file so Excel reads accented names.
 *
 * Formula injection (OWASP "CSV Injection"): a cell whose first visible character is = + - @, or
 * that starts with tab, carriage return or line feed, is prefixed with a single quote, so a contact
 * named =HYPERLINK(...) stays text in Excel and Sheets. "First visible" skips what a reader cannot see
 * but a spreadsheet may drop before it parses (zero-width spaces, the BOM, bidi marks, other format
 * characters, space separators, default-ignorable characters), and the character is compared after
 * NFKC, so the full-width ＝ ＋ － ＠ (and the small forms ﹦ ﹢ ﹣ ﹫) count as = + - @.
 *
 * Terminal safety (terminal-safe.ts): each cell's escape sequences and control characters become
 * U+FFFD before the formula check, so a removed control cannot uncover a formula behind it. Line breaks
 * inside a cell are kept as LF (a CR alone or in CRLF becomes LF): CRLF stays the record separator.
 */
import { afterText, describeFields, describeTarget, formatValue } from './format.js';
import type { ReportObject } from './group-section.js';
import type { ReportChange, ReportModel, ReportSubject, ReportTally } from './model.js';
import { terminalSafe } from './terminal-safe.js';
import type { ErrorInfo } from '../model/plan.js';

/**
 * The header is the technicians' and stays so whatever the families, because spreadsheets and
 * scripts parse it by name: "Vendor" holds the subject's group (named with its family when the plan
 * holds more than one), "Contact id" and "Contact name" the subject's id and name (docs/report.md).
 */
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

/**
 * Appended to the header only when the report shows a tally, so a plan without one keeps the
 * header above exactly. A tally row has these three and Reason (the tally's description); the
 * change and subject rows leave them empty.
 */
export const CSV_TALLY_COLUMNS = ['Tally', 'Value', 'Count'] as const;

/**
 * Appended (before any tally column) only when a family of the plan has its own group section
 * (group-section.ts; for project work orders): the group's id, which "Vendor" (its name) lacks, and
 * the subject's managed object and its status (a task's work order), empty for the group's own row.
 */
export const CSV_GROUP_COLUMNS = ['Group id', 'Object', 'Object status'] as const;

export function renderCsv(model: ReportModel): string {
  const grouped = model.groupSections.length > 0;
  const rows: string[][] = [[...CSV_COLUMNS, ...(grouped ? CSV_GROUP_COLUMNS : [])]];
  const blank = grouped ? CSV_GROUP_COLUMNS.map(() => '') : [];
  const objects = new Map(model.groupSections.flatMap((s) => s.members.map((m) => [`${s.family}/${m.subjectId}`, m.object] as const)));
  // The plan-mode notice, a failed run, then a stopped family: no subject, the status says which.
  if (model.notice) rows.push(['', '', '', 'Plan mode', '', '', '', '', model.notice.text, '', ...errorCells(undefined), ...blank]);
  if (model.failure) rows.push(['', '', '', model.failure.title, '', '', '', '', model.failure.meaning, '', ...errorCells(model.failure.error), ...blank]);
  // A stopped family: its name where the group goes, no subject, the status Stopped.
  for (const f of model.stoppedFamilies) rows.push([f.name, '', '', 'Stopped', '', '', '', '', 'The family planned nothing in this run.', '', ...errorCells(f.error), ...blank]);
  for (const v of model.groups) {
    for (const c of v.subjects) {
      const lead = [v.name, c.subjectId, c.displayName, c.statusLabel];
      const object = objects.get(`${c.family}/${c.subjectId}`);
      const tail = grouped ? [v.groupId ?? '', objectCell(object), object?.status ?? ''] : [];
      // Each warning on a row of its own, Change "Warning", so a filter on the error code finds it.
      for (const w of c.warnings ?? []) rows.push([...lead, 'Warning', '', '', '', '', '', ...errorCells(w), ...tail]);
      if (c.changes.length === 0) {
        rows.push([...lead, '', '', '', '', remainsText(c), '', ...errorCells(c.error), ...tail]);
        continue;
      }
      for (const ch of c.changes) {
        const [before, after] = beforeAfter(ch);
        const err = ch.result?.error ?? (ch.blocked ? blockedError(ch.blocked) : c.error);
        rows.push([...lead, ch.label, describeTarget(ch), before, after, ch.reason, ch.outcomeText, ...errorCells(err), ...tail]);
      }
    }
  }
  if (model.tallies.length > 0) appendTallies(rows, model.tallies);
  return `\ufeff${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/**
 * Every record keeps one width (RFC 4180): the header and each row gain the tally columns, then one
 * row per tally value. Its subject columns stay empty, so a filter on Vendor or Contact id skips it;
 * Count is a bare number so a spreadsheet can sum it.
 */
function appendTallies(rows: string[][], tallies: readonly ReportTally[]): void {
  const width = rows[0]!.length;
  rows[0]!.push(...CSV_TALLY_COLUMNS);
  for (const r of rows.slice(1)) r.push('', '', '');
  const reason = CSV_COLUMNS.indexOf('Reason');
  for (const t of tallies) {
    for (const v of t.rows) {
      const row: string[] = Array.from({ length: width }, () => '');
      row[reason] = t.description;
      rows.push([...row, `${t.title} (${t.unit})`, v.value, String(v.count)]);
    }
  }
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

/** "Work order 00042", "Work order (new)", full ids; empty when the plan says nothing of it. */
function objectCell(o: ReportObject | undefined): string {
  if (!o?.known) return '';
  return o.id === null ? `${o.label} (new)` : `${o.label} ${o.name ?? o.id}`;
}

function remainsText(c: ReportSubject): string {
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

/** Invisible characters a spreadsheet may skip before it looks for a formula. */
const INVISIBLE_LEAD = /^[\p{Cf}\p{Zs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]+/u;
/** What starts a formula (OWASP), once NFKC has folded the full-width and small forms. */
const FORMULA_START = /^[=+\-@\t\r\n]/;

/** True when a spreadsheet could read the value as a formula. */
export function startsFormula(value: string): boolean {
  if (FORMULA_START.test(value)) return true;
  const visible = value.replace(INVISIBLE_LEAD, '');
  const first = visible.codePointAt(0);
  return first !== undefined && FORMULA_START.test(String.fromCodePoint(first).normalize('NFKC'));
}

/** One RFC 4180 field: terminal-safe, neutralised against formulas, quoted. */
export function cell(value: string): string {
  const text = terminalSafe(value.replace(/\r\n?/g, '\n'));
  const safe = startsFormula(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}
