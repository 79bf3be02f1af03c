/**
 * The command on a terminal: a pseudo-terminal from util-linux `script`, which runs the command with
 * stdin, stdout and stderr on a pty and copies what it prints (stdout and stderr merged, as on a
 * screen) to its own stdout. What only a terminal gets (issue 16, "Tests": progress on a
 * pseudo-TTY; apply's confirmation): the live progress line redrawn in place, colour unless
 * NO_COLOR, and the question before the first write, answered through the pty.
 * Off a terminal, the same is test/integration/cli.test.ts. Skipped where `script` is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { DEMO_SETTINGS } from '../support/tenant.js';
import { startEngineTenant, threeTechnicians, type EngineTenant } from './engine-fixture.js';

const SETTINGS = Object.fromEntries(Object.entries(DEMO_SETTINGS).filter(([k]) => !k.startsWith('PORTAL_') && !k.startsWith('WORK_ORDER_')));
const ROOT = resolve(import.meta.dirname, '../..');
const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;
const ESC = '\u001b';

let t: EngineTenant;
let dir: string;
beforeAll(async () => {
  if (!HAS_SCRIPT) return;
  t = await startEngineTenant(threeTechnicians());
  dir = mkdtempSync(join(tmpdir(), 'vr-cli-tty-'));
});
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the command on a pty; `answer` is typed once the question is on the screen. */
function onTerminal(args: string[], env: Record<string, string> = {}, answer?: string): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, 'bin/vendor-reconciler.mjs', ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((done, fail) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, ...t.s.info.env, ...SETTINGS, TERM: 'xterm', ...env } });
    let screen = '';
    let typed = false;
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString();
      if (answer !== undefined && !typed && screen.includes('Apply these changes?')) {
        typed = true;
        child.stdin.write(`${answer}\r`);
      }
    });
    child.on('error', fail);
    child.on('close', (code) => {
      child.stdin.end();
      done({ code, screen });
    });
  });
}

describe.skipIf(!HAS_SCRIPT)('vendor-reconciler on a terminal', () => {
  it('plan: the live progress line is redrawn in place (erased, drawn again) and coloured', async () => {
    const out = join(dir, 'plan.json');
    const r = await onTerminal(['plan', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.screen).toContain(`${ESC}[1;36mobserve${ESC}[0m: reading the tenant, `);
    expect(r.screen).toContain(`${ESC}[1;36mplan${ESC}[0m: 3 rows, 15 changes\r\n`);
    // The observe line was redrawn in place at least once before its final counts: erased, then drawn again.
    expect(r.screen).toMatch(new RegExp(`${ESC}\\[2K${ESC}\\[1A${ESC}\\[2K${ESC}\\[G${ESC}\\[1;36mobserve${ESC}\\[0m: \\d+ rows? from \\d+ reads?`));
    expect((JSON.parse(readFileSync(out, 'utf8')) as Plan).changes).toHaveLength(15);
  });

  it('NO_COLOR: the same live line without colour', async () => {
    const r = await onTerminal(['plan', '--out', join(dir, 'plain.json')], { NO_COLOR: '1' });
    expect(r.code).toBe(0);
    expect(r.screen).toMatch(new RegExp(`${ESC}\\[2K${ESC}\\[1A${ESC}\\[2K${ESC}\\[Gobserve: \\d+ rows? from \\d+ reads?`));
    expect(r.screen).toContain(`plan: 3 rows, 15 changes\r\n`);
    expect(r.screen).not.toContain(`${ESC}[1;36m`);
  });

  it("apply asks first: any answer but 'yes' cancels with no write; 'yes' applies and the summary comes last", async () => {
    await t.clearLogs();
    const no = await onTerminal(['apply', '--out', join(dir, 'no.txt')], { NO_COLOR: '1' }, 'no');
    expect(no.code).toBe(1);
    expect(no.screen).toContain('Plan: 15 change(s) for 3 row(s):');
    expect(no.screen).toContain("Apply these changes? Only 'yes' applies them: ");
    expect(no.screen).toContain('vendor-reconciler: Apply cancelled: nothing was changed.');
    expect(t.writes()).toEqual([]);

    const yes = await onTerminal(['apply', '--out', join(dir, 'yes.txt')], { NO_COLOR: '1' }, 'yes');
    expect(yes.code).toBe(0);
    expect(t.s.sim.state.invitations).toHaveLength(3);
    expect(yes.screen).toMatch(/apply: 15\/15 changes \(graph \d+\/\d+, dataverse \d+\/\d+\)/);
    expect(yes.screen.trimEnd().split('\r\n').at(-1)).toBe("What to do: 3 invited row(s) continue on the next apply (or the timer's next run).");
  });
});
