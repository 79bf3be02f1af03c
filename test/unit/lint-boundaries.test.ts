/**
 * The import boundaries of eslint.config.js between the product and the tenant-sim workspace
 * package, run through ESLint's API on small sources, so a rule that stops matching (a renamed
 * folder, a glob typo) fails here instead of silently allowing the import.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: resolve(import.meta.dirname, '../..') });

const cases: { reason: string; file: string; code: string; rules: string[] }[] = [
  { reason: 'product code may not reach into the package by path', file: 'src/engine/boundary-probe.ts', code: "import '../../packages/tenant-sim/src/index.js';", rules: ['no-restricted-imports'] },
  { reason: 'the engine may not use the simulator at all: only the CLI demo does', file: 'src/engine/boundary-probe.ts', code: "import 'tenant-sim';", rules: ['no-restricted-imports'] },
  { reason: 'a kind module may not load it dynamically either', file: 'reconcilers/boundary-probe.ts', code: "void import('tenant-sim');", rules: ['no-restricted-syntax'] },
  { reason: 'the Functions app may not use a documented subpath', file: 'src/functions/boundary-probe.ts', code: "import 'tenant-sim/tls';", rules: ['no-restricted-imports'] },
  { reason: 'the CLI demo may import the package by name', file: 'src/cli/boundary-probe.ts', code: "import 'tenant-sim';", rules: [] },
  { reason: "the CLI may not import the package's internals", file: 'src/cli/boundary-probe.ts', code: "import 'tenant-sim/src/server.js';", rules: ['no-restricted-imports'] },
  { reason: 'tests use the exports map, not a path into packages/', file: 'test/unit/boundary-probe.ts', code: "import '../../packages/tenant-sim/src/tls.js';", rules: ['no-restricted-imports'] },
  { reason: 'a dynamic import by path is caught too', file: 'test/unit/boundary-probe.ts', code: "void import('../../packages/tenant-sim/src/tls.js');", rules: ['no-restricted-syntax'] },
  { reason: 'tests may import a documented subpath', file: 'test/unit/boundary-probe.ts', code: "import 'tenant-sim/testing';", rules: [] },
  { reason: 'the bench imports the package by name', file: 'bench/boundary-probe.ts', code: "import 'tenant-sim/fixture-builders';", rules: [] },
  { reason: "the simulator may not import the product's src/", file: 'packages/tenant-sim/src/boundary-probe.ts', code: "import '../../../src/model/plan.js';", rules: ['no-restricted-imports'] },
  { reason: 'nor, two folders deeper, its reconcilers/', file: 'packages/tenant-sim/src/dataverse/boundary-probe.ts', code: "import '../../../../reconcilers/index.js';", rules: ['no-restricted-imports'] },
  { reason: "its tests may not import the product's engine", file: 'packages/tenant-sim/test/conformance/boundary-probe.ts', code: "import '../../../../src/engine/ownership.js';", rules: ['no-restricted-imports'] },
  { reason: 'nor the product by its package name', file: 'packages/tenant-sim/src/boundary-probe.ts', code: "import 'vendor-reconciler';", rules: ['no-restricted-imports'] },
  { reason: "its tests may import the package's own source", file: 'packages/tenant-sim/test/conformance/boundary-probe.ts', code: "import '../../src/index.js';", rules: [] },
  { reason: 'its source may read its own schemas folder', file: 'packages/tenant-sim/src/dataverse/boundary-probe.ts', code: "import '../../schemas/dataverse-entities.json' with { type: 'json' };", rules: [] },
];

describe('import boundaries (eslint.config.js)', () => {
  it.each(cases)('$file: $code → $rules ($reason)', async ({ file, code, rules }) => {
    const [result] = await eslint.lintText(`${code}\n`, { filePath: file });
    expect(result!.messages.map((m) => m.ruleId)).toEqual(rules);
  });
});
