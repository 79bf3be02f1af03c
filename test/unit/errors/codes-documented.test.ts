/**
 * Every error code the product raises is documented in docs/operations.md with what to do (issue 5's
 * rule, kept true by this test as codes are added: issue 9 added ten). The codes are read from the
 * sources, as the constructors of the closed error classes name them (src/model/errors.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

const CONSTRUCTED = /new (?:ContactError|TransientError|ThrottledError|ConfigurationError)\(\s*'([A-Z][A-Z0-9_]+)'/g;

describe('error codes', () => {
  const codes = new Set<string>();
  for (const file of [...sources('src'), ...sources('reconcilers')]) {
    if (file.includes(`${join('src', 'simulator')}`)) continue; // the simulator answers as Microsoft does; its codes are not ours
    for (const m of readFileSync(file, 'utf8').matchAll(CONSTRUCTED)) codes.add(m[1]!);
  }
  const docs = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');

  it('are found in the sources (the scan works)', () => {
    expect(codes.size).toBeGreaterThan(30);
    for (const known of ['EMAIL_INVALID', 'ANCHOR_NOT_OWNABLE', 'EMAIL_BELONGS_TO_MEMBER', 'SKU_NOT_SUBSCRIBED']) expect(codes).toContain(known);
  });

  it('each has a row in docs/operations.md', () => {
    expect([...codes].filter((c) => !docs.includes(`\`${c}\``)).sort()).toEqual([]);
  });
});
