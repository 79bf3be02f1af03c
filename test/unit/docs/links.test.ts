/**
 * The documentation points only to files in this repository (issue 16, "A clean package"): every
 * relative Markdown link resolves to a file or folder here, no link or quoted path leaves the
 * repository, and every file path a page quotes in backticks (`src/…`, `docs/…`, …) exists, so a
 * renamed file can't leave a page pointing at nothing.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const SKIP = new Set(['node_modules', '.git', 'dist', 'test-results']);

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...markdownFiles(path));
    else if (name.endsWith('.md')) out.push(path);
  }
  return out;
}

const pages = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs')), ...markdownFiles(join(ROOT, 'packages'))];

/** `[text](target)` links, without the ones inside fenced code blocks. */
function links(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

/** Repository paths quoted in backticks: a top-level folder of this repository, then a file name. */
const QUOTED_PATH = /`((?:src|reconcilers|test|docs|bench|packages|bin)\/[A-Za-z0-9_./-]+\.(?:ts|mjs|md|json|bicep|ps1|sh))`/g;

describe('documentation links', () => {
  it('finds the pages it checks', () => {
    expect(pages.length).toBeGreaterThan(10);
  });

  for (const page of pages) {
    const name = relative(ROOT, page);
    it(`${name}: relative links resolve inside the repository`, () => {
      const text = readFileSync(page, 'utf8');
      const broken: string[] = [];
      for (const target of links(text)) {
        if (/^(https?:|mailto:|#)/.test(target)) continue;
        const path = resolve(dirname(page), decodeURI(target.split('#')[0]!));
        if (relative(ROOT, path).startsWith('..') || !existsSync(path)) broken.push(target);
      }
      expect(broken).toEqual([]);
    });

    it(`${name}: names no path outside the repository`, () => {
      const text = readFileSync(page, 'utf8');
      expect(text.match(/\.\.\/shared\/|\/work\/[a-z]/g) ?? []).toEqual([]);
    });

    it(`${name}: every quoted repository file exists`, () => {
      const text = readFileSync(page, 'utf8');
      const missing = [...text.matchAll(QUOTED_PATH)]
        .map((m) => m[1]!)
        .filter((p) => !p.includes('*') && !existsSync(join(ROOT, p)) && !existsSync(join(ROOT, 'packages/tenant-sim', p)));
      expect(missing).toEqual([]);
    });
  }
});
