/**
 * The package's own run (`npm test -w tenant-sim`, or `npx vitest run` in this folder): the
 * conformance tests. The repository's root `npm test` runs the same files with the product's suites.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/ca.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
