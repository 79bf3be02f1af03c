/**
 * The import boundaries of eslint.config.js, run through ESLint's API on small sources, so a rule
 * that stops matching (a renamed folder, a glob typo) fails here instead of silently allowing the
 * import: between the product and the tenant-sim workspace package, and between the layers (core →
 * families → kinds one-way; src/model/ below the engine).
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
  { reason: "its tests may not import the product's engine", file: 'packages/tenant-sim/test/conformance/boundary-probe.ts', code: "import '../../../../src/engine/plan.js';", rules: ['no-restricted-imports'] },
  { reason: 'nor the product by its package name', file: 'packages/tenant-sim/src/boundary-probe.ts', code: "import 'vendor-reconciler';", rules: ['no-restricted-imports'] },
  { reason: "its tests may import the package's own source", file: 'packages/tenant-sim/test/conformance/boundary-probe.ts', code: "import '../../src/index.js';", rules: [] },
  { reason: 'its source may read its own schemas folder', file: 'packages/tenant-sim/src/dataverse/boundary-probe.ts', code: "import '../../schemas/dataverse-entities.json' with { type: 'json' };", rules: [] },
  // Core → families → kinds, one way.
  { reason: 'the engine may not import a family: families are passed in', file: 'src/engine/boundary-probe.ts', code: "import '../../reconcilers/technicians/family.js';", rules: ['no-restricted-imports'] },
  { reason: 'nor from a subfolder of the engine', file: 'src/engine/incremental/boundary-probe.ts', code: "import '../../../reconcilers/technicians/tables.js';", rules: ['no-restricted-imports'] },
  { reason: 'the report may not import a family either (it reads the kinds through src/kinds.ts)', file: 'src/report/boundary-probe.ts', code: "import '../../reconcilers/technicians/index.js';", rules: ['no-restricted-imports'] },
  { reason: 'src/families.ts is the one list of families and imports them', file: 'src/families.ts', code: "import '../reconcilers/technicians/family.js';", rules: [] },
  { reason: 'the CLI, an entry point, may compose with a family', file: 'src/cli/boundary-probe.ts', code: "import '../../reconcilers/technicians/family.js';", rules: [] },
  { reason: 'the engine takes its families as an argument, not from the product list', file: 'src/engine/boundary-probe.ts', code: "import '../families.js';", rules: ['no-restricted-imports'] },
  { reason: 'nor from the product kind registry', file: 'src/engine/guards/boundary-probe.ts', code: "import '../../kinds.js';", rules: ['no-restricted-imports'] },
  { reason: 'the composition root is where the product list is the default', file: 'src/engine/compose.ts', code: "import '../families.js';", rules: [] },
  { reason: "the engine's own family contract is not the product list", file: 'src/engine/boundary-probe.ts', code: "import './family.js';", rules: [] },
  { reason: 'a family may not import another family', file: 'reconcilers/technicians/boundary-probe.ts', code: "import '../accounts/family.js';", rules: ['no-restricted-imports'] },
  { reason: 'nor from a subfolder of its own', file: 'reconcilers/technicians/kinds/boundary-probe.ts', code: "import '../../accounts/family.js';", rules: ['no-restricted-imports'] },
  { reason: 'nor through a path that names reconcilers/', file: 'reconcilers/technicians/boundary-probe.ts', code: "import '../../reconcilers/accounts/family.js';", rules: ['no-restricted-imports'] },
  { reason: "a family's kinds import their own family's helpers", file: 'reconcilers/technicians/boundary-probe.ts', code: "import './common.js';", rules: [] },
  { reason: "and the core's contracts", file: 'reconcilers/technicians/boundary-probe.ts', code: "import '../../src/engine/kind.js';", rules: [] },
  { reason: 'a family still may not use the simulator', file: 'reconcilers/technicians/boundary-probe.ts', code: "import 'tenant-sim';", rules: ['no-restricted-imports'] },
  { reason: 'the model imports nothing of the engine', file: 'src/model/boundary-probe.ts', code: "export type { Kind } from '../engine/kind.js';", rules: ['no-restricted-imports'] },
  { reason: 'nor of a family', file: 'src/model/boundary-probe.ts', code: "import '../../reconcilers/technicians/tables.js';", rules: ['no-restricted-imports'] },
  { reason: 'the model imports its own types', file: 'src/model/boundary-probe.ts', code: "export type { Change } from './plan.js';", rules: [] },
];

describe('import boundaries (eslint.config.js)', () => {
  it.each(cases)('$file: $code → $rules ($reason)', async ({ file, code, rules }) => {
    const [result] = await eslint.lintText(`${code}\n`, { filePath: file });
    expect(result!.messages.map((m) => m.ruleId)).toEqual(rules);
  });
});
