// Lint: typescript-eslint's recommended rules; `any` is an error in the core (src/, reconcilers/) and
// in tenant-sim's source. The import boundaries between the product and the tenant-sim workspace
// package are the last blocks; test/unit/lint-boundaries.test.ts proves each one still fires.
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
  ...simulatorStaysInside,
);
