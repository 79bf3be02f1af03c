/**
 * The demo tenant as a file, for the tests that start the `tenant-sim` command (it takes
 * --fixture FILE). The package builds it from its own generator (src/demo-fixture.ts) rather than
 * reading the product's fixtures/demo.json, so its tests need nothing outside packages/tenant-sim;
 * the product's test/unit/demo-fixture-files.test.ts checks that the two are the same bytes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoFixture } from '../../src/demo-fixture.js';

export interface DemoFile {
  /** Absolute path of the written fixture. */
  path: string;
  /** The fixture as the command reads it back (JSON round trip). */
  fixture: ReturnType<typeof JSON.parse>;
  remove(): void;
}

export function writeDemoFixtureFile(): DemoFile {
  const dir = mkdtempSync(join(tmpdir(), 'tenant-sim-fixture-'));
  const path = join(dir, 'demo.json');
  const text = `${JSON.stringify(buildDemoFixture(), null, 2)}\n`;
  writeFileSync(path, text);
  return { path, fixture: JSON.parse(text), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
