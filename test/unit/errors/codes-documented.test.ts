/**
 * Error codes are a closed, typed set (src/model/error-codes.ts): the error classes' constructors
 * accept only its codes, so TypeScript rejects an undeclared one. This test keeps the set and
 * docs/operations.md's "Error codes" section equal in both directions, checks each code's class
 * against the class the docs give it, and checks every code is still raised somewhere (a code
 * nothing raises is a stale row). The "HTTP trigger answers" codes are HTTP bodies, not errors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, HOLD_CODES, isErrorCode } from '../../../src/model/error-codes.js';
import { ContactError } from '../../../src/model/errors.js';

const ROOT = resolve(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

const docs = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
const section = docs.slice(docs.indexOf('## Error codes'), docs.indexOf('### HTTP trigger answers'));

/** Rows of the section's tables: the codes in the first cell, and the class cell when the table has one. */
function documentedRows(): { codes: string[]; cls: string | null }[] {
  const rows: { codes: string[]; cls: string | null }[] = [];
  let hasClass = false;
  for (const line of section.split('\n')) {
    if (line.startsWith('| Code |')) hasClass = line.startsWith('| Code | Class |');
    const m = /^\| (`[A-Z][A-Z0-9_]+`(?:, `[A-Z][A-Z0-9_]+`)*) \|([^|]*)\|/.exec(line);
    if (!m) continue;
    const codes = [...m[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((x) => x[1]!);
    rows.push({ codes, cls: hasClass ? m[2]!.trim() : null });
  }
  return rows;
}

describe('error codes', () => {
  const rows = documentedRows();
  const documented = new Set(rows.flatMap((r) => r.codes));
  const declared = [...Object.keys(ERROR_CODES), ...HOLD_CODES];

  it('the docs scan finds the tables (the test can fail)', () => {
    expect(documented.size).toBeGreaterThan(40);
    expect(documented).toContain('EMAIL_INVALID');
    expect(rows.find((r) => r.codes.includes('GRAPH_THROTTLED'))?.cls).toBe('throttled');
  });

  it('every declared code has a row in docs/operations.md', () => {
    expect(declared.filter((c) => !documented.has(c)).sort()).toEqual([]);
  });

  it('every documented code is declared (the set is closed)', () => {
    expect([...documented].filter((c) => !declared.includes(c)).sort()).toEqual([]);
  });

  it("each code's class is the class its row gives", () => {
    const wrong = rows.flatMap((r) =>
      r.cls === null ? [] : r.codes.filter((c) => isErrorCode(c) && ERROR_CODES[c] !== r.cls).map((c) => `${c}: declared ${isErrorCode(c) ? ERROR_CODES[c] : '?'}, documented ${r.cls}`),
    );
    expect(wrong).toEqual([]);
  });

  it('every declared code is raised somewhere (no stale code)', () => {
    const text = [...sources('src'), ...sources('reconcilers')]
      .filter((f) => !f.endsWith(join('model', 'error-codes.ts')) && !f.includes(join('src', 'simulator')))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    // The throttled codes are built from a per-service table (src/clients/retry-policy.ts).
    expect(declared.filter((c) => !text.includes(`'${c}'`)).sort()).toEqual([]);
  });

  it('an error carries its declared class and code', () => {
    const err = new ContactError('EMAIL_INVALID', 'm', 'a');
    expect(err.toJSON()).toEqual({ class: ERROR_CODES.EMAIL_INVALID, code: 'EMAIL_INVALID', message: 'm', action: 'a' });
  });
});
