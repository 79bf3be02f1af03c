/**
 * Reads the CSV report back for the tests: a small RFC 4180 parser and the rows as objects keyed by
 * the header (which it checks, with the byte order mark and the width of every row).
 */
import { expect } from 'vitest';

/** A small RFC 4180 parser: quoted fields, doubled quotes, CRLF or LF record ends, line breaks inside quotes. */
export function parseCsv(text: string): string[][] {
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

export const HEADER = [
  'Vendor', 'Contact id', 'Contact name', 'Status', 'Change', 'Target', 'Before', 'After', 'Reason', 'Outcome',
  'Error code', 'Error message', 'What to do',
];

export function table(csv: string): Record<string, string>[] {
  expect(csv.startsWith('\ufeff')).toBe(true);
  const [header, ...rows] = parseCsv(csv.slice(1));
  expect(header).toEqual(HEADER);
  for (const r of rows) expect(r).toHaveLength(HEADER.length);
  return rows.map((r) => Object.fromEntries(HEADER.map((h, i) => [h, r[i]!])));
}
