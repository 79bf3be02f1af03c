import { describe, expect, it } from 'vitest';
import { quietConsole } from '../setup/quiet-console.js';

describe('quietConsole', () => {
  it.each([
    { reason: 'the package detecting no host', log: 'WARNING: Failed to detect the Azure Functions runtime. Switching "@azure/functions" package to test mode - not all features are supported.\n', dropped: true },
    { reason: 'a skipped registration', log: 'WARNING: Skipping call to register function "plan" because the "@azure/functions" package is in test mode.\n', dropped: true },
    { reason: 'both in one write', log: 'WARNING: Failed to detect the Azure Functions runtime. Switching "@azure/functions" package to test mode - not all features are supported.\nWARNING: Skipping call to register function "run" because the "@azure/functions" package is in test mode.\n', dropped: true },
    { reason: 'another warning of the package stays', log: 'WARNING: Unexpected call to log after the function completed\n', dropped: false },
    { reason: 'a known line next to an unknown one stays', log: 'WARNING: Skipping call to register function "plan" because the "@azure/functions" package is in test mode.\nsomething else\n', dropped: false },
    { reason: 'a product line stays', log: 'vendor-reconciler: run failed\n', dropped: false },
  ])('$reason', ({ log, dropped }) => {
    expect(quietConsole(log)).toBe(dropped ? false : undefined);
  });
});
