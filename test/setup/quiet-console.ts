/**
 * Console lines the test runs drop, each a known message that says nothing about the code under test
 * (issue 16: "installing and testing print no warning a newcomer has to wonder about").
 *
 * - @azure/functions, imported without the Functions host (every test that loads src/functions/),
 *   switches to its test mode and says so once per registration. The tests drive the handlers
 *   directly and check the registrations through app-instance.ts, so the host's absence is the
 *   point, not a fault. Any other message from the package still shows.
 */
const EXPECTED: RegExp[] = [
  /^WARNING: Failed to detect the Azure Functions runtime\. Switching "@azure\/functions" package to test mode/,
  /^WARNING: Skipping call to (register|dispose) .* because the "@azure\/functions" package is in test mode\.$/,
];

/** vitest's onConsoleLog: false drops the line. */
export function quietConsole(log: string): false | undefined {
  const lines = log.trimEnd().split('\n');
  return lines.every((line) => EXPECTED.some((re) => re.test(line))) ? false : undefined;
}
