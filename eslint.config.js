// Lint: typescript-eslint's recommended rules; `any` is an error in the core (src/, reconcilers/) and
// in tenant-sim's source. The import boundaries are the last blocks: the product and the tenant-sim
// workspace package stay apart, and the layers stay one-way (core → families → kinds: src/ does not
// import reconcilers/, a family does not import another, src/model/ imports neither the engine nor
// a family). test/unit/lint-boundaries.test.ts proves each one still fires.
//
// A file gets the options of the last block that sets no-restricted-imports for it (flat config
// replaces a rule's options, it does not merge them), so every block repeats the simulator patterns.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const SIM = 'packages/tenant-sim';

/** Product → simulator: through the package name and its exports map only, never by path. */
const simulatorInternals = [
  { regex: '(^|/)packages/tenant-sim(/|$)', message: 'Import the simulator as `tenant-sim` (or a subpath of its exports map), not by a path into packages/.' },
  { regex: '^tenant-sim/(src|test|bin|docs)(/|$)', message: "That is tenant-sim's internals: use `tenant-sim` or a subpath its package.json exports." },
];
/** Product runtime → simulator at all: only the CLI's demo and `serve --demo` start one (a dev dependency). */
const simulatorAtAll = { regex: '^tenant-sim(/|$)', message: 'Only src/cli/ (the demo and serve --demo) may use the simulator: it is a dev dependency, absent from the deployed app.' };
const dynamicIntoPackages = {
  selector: "ImportExpression > Literal[value=/(^|\\/)packages\\/tenant-sim(\\/|$)/]",
  message: 'Import the simulator as `tenant-sim`, not by a path into packages/.',
};

/** Core → families: only src/families.ts lists them (and src/cli/, an entry point, may compose). */
const noFamilyModules = { regex: '(^|/)reconcilers(/|$)', message: 'The core does not import reconcilers/: families are passed in (src/families.ts lists them, src/engine/compose.ts passes them).' };
/** The engine takes its families as an argument: only its composition root knows the product's. */
const noFamilyList = { regex: '(^|/)(families|kinds)\\.js$', message: 'The engine takes its families as an argument; only src/engine/compose.ts reads the product\'s list (src/families.ts, src/kinds.ts).' };
/** The model is the bottom layer: types only, shared by everyone above it. */
const noEngineFromModel = { regex: '(^|/)engine(/|$)', message: 'src/model/ holds the shared types: it imports nothing of src/engine/.' };

/**
 * A family's kinds import the core and their own family, never another family. A file N folders
 * below reconcilers/<family>/ reaches a sibling family with exactly N + 1 `../` and then a folder
 * name; or through a path that names reconcilers/<other>/. One block per family folder and depth.
 */
const FAMILY_FOLDERS = readdirSync(new URL('./reconcilers/', import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const familiesStayApart = FAMILY_FOLDERS.flatMap((family) => [0, 1, 2, 3].map((depth) => ({
  files: [`reconcilers/${family}/${'*/'.repeat(depth)}*.ts`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [
        ...simulatorInternals, simulatorAtAll,
        { regex: `^(\\.\\./){${depth + 1}}(?!\\.\\.)`, message: `reconcilers/${family}/ may not import another family's folder: share through src/ instead.` },
        { regex: `(^|/)reconcilers/(?!${family}/)`, message: `reconcilers/${family}/ may not import another family's folder: share through src/ instead.` },
      ],
    }],
  },
})));

/**
 * Simulator → product: no relative import may climb out of packages/tenant-sim. A file N folders
 * below the package root leaves it with N + 1 `../`, so there is one block per depth (0 to 5);
 * the package name `vendor-reconciler` is refused everywhere in it.
 */
const simulatorStaysInside = [0, 1, 2, 3, 4, 5].map((depth) => ({
  files: [`${SIM}/${'*/'.repeat(depth)}*.{ts,mjs,js}`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [
        { regex: `^(\\.\\./){${depth + 1},}`, message: 'tenant-sim is its own package: it may not import the product (src/, reconcilers/, test/, bench/) by relative path.' },
        { regex: '^vendor-reconciler(/|$)', message: 'tenant-sim may not depend on the product.' },
      ],
    }],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'test-results/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', `${SIM}/test/**/*.ts`],
    rules: { '@typescript-eslint/no-explicit-any': 'warn', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  // Product code, tests, bench and bin/ reach the simulator only through the package name.
  {
    files: ['src/cli/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'bin/**/*.mjs', '*.ts', '*.js'],
    rules: {
      'no-restricted-imports': ['error', { patterns: simulatorInternals }],
      'no-restricted-syntax': ['error', dynamicIntoPackages],
    },
  },
  {
    files: ['src/**/*.ts', 'reconcilers/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...simulatorInternals, simulatorAtAll] }],
      'no-restricted-syntax': ['error', dynamicIntoPackages, { selector: "ImportExpression > Literal[value=/^tenant-sim(\\/|$)/]", message: simulatorAtAll.message }],
    },
  },
  // src/ does not import reconcilers/ (src/families.ts is the list; src/cli/ is excluded above;
  // setup's column list, a command-line entry point like src/cli/, reads the families' option values).
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/families.ts', 'src/setup/requirements-columns.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...simulatorInternals, simulatorAtAll, noFamilyModules] }] },
  },
  {
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/compose.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...simulatorInternals, simulatorAtAll, noFamilyModules, noFamilyList] }] },
  },
  {
    files: ['src/model/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...simulatorInternals, simulatorAtAll, noFamilyModules, noEngineFromModel] }] },
  },
  ...familiesStayApart,
  ...simulatorStaysInside,
);
