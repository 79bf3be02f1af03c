/**
 * `vendor-reconciler setup` and `doctor` as an admin runs them (bin/vendor-reconciler.mjs, spawned),
 * against a simulated tenant whose contact lacks a column: the settings and credential come from
 * the environment exactly as for plan and apply (the simulator's env line), and the command's exit
 * code and output are the entry functions' (src/setup/commands.ts, tested in setup-commands).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from 'tenant-sim/testing';
import { DEMO_FIXTURE, DEMO_SETTINGS } from '../support/tenant.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let s: RunningSim;

beforeAll(async () => {
  s = await startSim({ ...structuredClone(DEMO_FIXTURE), dataverseMetadata: { missingColumns: ['contact.o25fs_accounttype'] } });
});
afterAll(() => s.stop());

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/vendor-reconciler.mjs', ...args], { cwd: ROOT, env: { ...process.env, ...s.info.env, ...DEMO_SETTINGS } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('vendor-reconciler setup and doctor', () => {
  it('doctor exits 1 naming the missing column; setup plans it, setup --apply creates it; doctor then exits 0', async () => {
    const before = await cli(['doctor']);
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/^Not ready: 1 of \d+ checks failed\./);
    expect(before.stdout).toContain('✗ Column contact.o25fs_accounttype (Account Type, Picklist)');

    const plan = await cli(['setup']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Would create 1 item:\n  + contact.o25fs_accounttype (Account Type, Picklist, options 808950000, 808950001)');

    const applied = await cli(['setup', '--apply']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('  ✓ contact.o25fs_accounttype');

    const after = await cli(['doctor', '--format', 'json']);
    expect(after.code).toBe(0);
    expect((JSON.parse(after.stdout) as { ok: boolean }).ok).toBe(true);
    for (const r of [before, plan, applied, after]) expect(r.stdout + r.stderr).not.toContain(s.info.clientSecret);
  }, 60_000);

  it('--help lists both commands; a usage error exits 2 before anything is read', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/\n {2}doctor \[options\] +check the tenant before the first run, read-only/);
    expect(help.stdout).toMatch(/\n {2}setup \[options\] +create the Dataverse columns/);
    const bad = await cli(['setup', '--format', 'csv']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[1]).toMatch(/^usage: vendor-reconciler setup /);
  });
});
