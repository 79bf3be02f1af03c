/**
 * The resilience suites of issue 5 that take minutes rather than seconds: chaos (test/chaos/:
 * injected 429s, 503s and latency, low service-protection limits) and crash (test/crash/: an apply
 * in a child process killed with SIGKILL at seeded points). Same CA setup as the main suite.
 * `npm run test:resilience`; .ci/run runs it after `npm test` and counts its tests too.
 */
import { defineConfig } from 'vitest/config';
import { quietConsole } from './test/setup/quiet-console.js';

export default defineConfig({
  test: {
    onConsoleLog: quietConsole,
    include: ['test/chaos/**/*.test.ts', 'test/crash/**/*.test.ts'],
    globalSetup: ['test/setup/global.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
