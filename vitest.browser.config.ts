/**
 * The browser end-to-end tests (test/browser/): `vendor-reconciler serve --demo` opened in headless
 * Chromium (Debian's chromium package at /usr/bin/chromium, driven by playwright-core). Separate from
 * the main suite because they need that browser; .ci/run installs it and counts these tests too:
 *   npx vitest run -c vitest.browser.config.ts
 */
import { defineConfig } from 'vitest/config';
import { quietConsole } from './test/setup/quiet-console.js';

export default defineConfig({
  test: {
    onConsoleLog: quietConsole,
    include: ['test/browser/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
