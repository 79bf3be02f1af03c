/**
 * The deployed Functions package holds no simulator code, no test-only dependency and no TypeScript
 * runner (issue 11, "The simulator as its own package"). Four views of the same promise:
 * - the static import graph from src/functions/index.ts (the app's entry) stays inside src/ and
 *   reconcilers/ and names only production dependencies;
 * - what `npm run build` compiles (tsconfig.build.json with the imports it follows) has no file of
 *   packages/ nor the dev-time CLI;
 * - package.json `dependencies`, and what they pull in through package-lock.json, hold none of the
 *   dev-time packages below;
 * - .funcignore leaves packages/ out of the upload (docs/deploy.md §7 builds the package).
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; link?: boolean }> };

const DEV_ONLY: { name: string; reason: string }[] = [
  { name: 'tenant-sim', reason: 'the simulator: the product takes it as a dev dependency for the demo and the tests' },
  { name: 'tsx', reason: 'a TypeScript runner: the app runs the compiled dist/, and bin/*.mjs are dev-time tools' },
  { name: 'typescript', reason: 'the compiler runs before the upload, not in it' },
  { name: 'vitest', reason: 'the test runner' },
  { name: 'fast-check', reason: 'property tests only' },
  { name: '@peculiar/x509', reason: "the simulator's certificate authority" },
  { name: 'reflect-metadata', reason: "needed only by @peculiar/x509's dependency injection" },
  { name: 'azurite', reason: 'local storage for tests and `serve`' },
  { name: 'playwright-core', reason: 'the browser tests' },
  { name: 'esbuild', reason: "tsx's and vite's transpiler" },
];

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageOf = (spec: string): string => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
const isBuiltin = (spec: string): boolean => spec.startsWith('node:') || builtinModules.includes(spec);

/** Every file the entry reaches through static imports and exports (`import type` included: stricter). */
function importGraph(entry: string): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const { fileName: spec } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!spec.startsWith('.')) {
        bare.add(spec);
        continue;
      }
      const target = resolve(dirname(file), spec);
      const candidates = [target.replace(/\.js$/, '.ts'), target, `${target}.ts`, join(target, 'index.ts')];
      const found = candidates.find((c) => existsSync(c) && !c.endsWith('/'));
      if (!found) throw new Error(`${relative(ROOT, file)} imports ${spec}, which resolves to no file`);
      if (found.endsWith('.ts')) queue.push(found);
      else files.add(found);
    }
  }
  return { files, bare };
}

describe('the deployed Functions package', () => {
  const graph = importGraph(join(ROOT, 'src/functions/index.ts'));
  const files = [...graph.files].map((f) => relative(ROOT, f));

  it('src/functions/index.ts reaches only src/ and reconcilers/ (never packages/ nor the dev-time CLI)', () => {
    expect(files).toContain('src/functions/reconcile.ts'); // the walk follows imports
    expect(files.length).toBeGreaterThan(30);
    expect(files.filter((f) => !/^(src|reconcilers)\//.test(f) || f.startsWith('src/cli/'))).toEqual([]);
  });

  it('imports only node built-ins and production dependencies', () => {
    const packages = [...graph.bare].filter((s) => !isBuiltin(s)).map(packageOf);
    expect(packages.filter((p) => !(p in pkg.dependencies))).toEqual([]);
  });

  it('tsconfig.build.json compiles no simulator file and no CLI file, with the imports it follows', () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } });
    const program = ts.createProgram({ rootNames: config!.fileNames, options: { ...config!.options, noEmit: true } });
    const compiled = program.getSourceFiles().map((f) => relative(ROOT, f.fileName)).filter((f) => !f.includes('node_modules/'));
    expect(compiled).toContain('src/functions/index.ts');
    expect(compiled.filter((f) => f.startsWith('packages/') || f.startsWith('src/cli/'))).toEqual([]);
  });

  it('the lockfile walk reaches transitive production packages (so an absence below means something)', () => {
    expect(prodClosure()).toContain('@azure/core-rest-pipeline'); // through @azure/identity and @azure/storage-blob
    expect(prodClosure()).toContain('p-limit');
  });

  it.each(DEV_ONLY)('$name is not a production dependency, directly or through the lockfile ($reason)', ({ name }) => {
    expect(Object.keys(pkg.dependencies)).not.toContain(name);
    expect(prodClosure()).not.toContain(name);
  });

  it('tenant-sim is a dev dependency of the product, and .funcignore keeps packages/ out of the upload', () => {
    expect(pkg.devDependencies['tenant-sim']).toBe('0.1.0');
    expect(readFileSync(join(ROOT, '.funcignore'), 'utf8').split('\n')).toContain('/packages');
  });
});

/** Names of every package the root's `dependencies` pull in, as package-lock.json resolves them (node's lookup: nearest node_modules up the tree). */
function prodClosure(): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const locate = (from: string, name: string): string | undefined => {
    for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
      const key = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
      if (lock.packages[key]) return key;
      if (dir === '') return undefined;
    }
  };
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    const entry = lock.packages[key]!;
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const at = locate(key, name);
      if (at === undefined) continue; // an optional dependency for another platform
      names.add(name);
      visit(at);
    }
  };
  visit('');
  return names;
}
