import { defineConfig } from 'vitest/config';
import { quietConsole } from './test/setup/quiet-console.js';

export default defineConfig({
  test: {
    onConsoleLog: quietConsole,
    // packages/*/test: the workspace packages' own suites (tenant-sim's conformance tests).
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    // test/chaos and test/crash run apart (npm run test:resilience; .ci/run runs both): they spend
    // most of a minute each waiting on Retry-After and child processes.
    exclude: ['test/browser/**', 'test/chaos/**', 'test/crash/**', 'node_modules/**'],
    globalSetup: ['test/setup/global.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
