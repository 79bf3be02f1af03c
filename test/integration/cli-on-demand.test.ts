/**
 * `vendor-reconciler apply` against the simulator with the simulator's first-line `env` and only
 * DATAVERSE_USER_ON_DEMAND=true added (issue 15 item 1): one apply takes new contacts to Active
 * (the Power Platform admin API's addUser, then the bookable resource), and the next plan is empty.
 * The background user sync never fires here (a one-hour delay), so only addUser makes systemusers.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { DEMO_SETTINGS } from '../support/tenant.js';
import { STATUS_VALUE, startEngineTenant, threeTechnicians, type EngineTenant } from './engine-fixture.js';

const SETTINGS = Object.fromEntries(Object.entries(DEMO_SETTINGS).filter(([k]) => !k.startsWith('PORTAL_') && !k.startsWith('WORK_ORDER_')));
const ROOT = resolve(import.meta.dirname, '../..');
const techs = threeTechnicians();

let t: EngineTenant;
beforeAll(async () => {
  t = await startEngineTenant(techs);
});
afterAll(() => t.stop());

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/vendor-reconciler.mjs', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...t.s.info.env, ...SETTINGS, DATAVERSE_USER_ON_DEMAND: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('vendor-reconciler apply with DATAVERSE_USER_ON_DEMAND=true', () => {
  it('one apply: exit 0, every new contact Active with its bookable resource; then plan exits 0 with no changes', async () => {
    const applied = await cli(['apply', '--yes']);
    // Progress goes to stderr (docs/cli.md); the exit code and the report say how it went.
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Add Dataverse user on demand 3');
    expect(t.s.sim.requests.filter((r) => r.service === 'powerPlatform').map((r) => r.status)).toEqual([200, 200, 200]);
    for (const tech of techs) {
      const contact = t.contact(tech.id);
      expect(contact.o25fs_provisioningstatus).toBe(STATUS_VALUE.active);
      expect(contact._o25fs_bookableresourceid_value).toBeTruthy();
    }
    expect(t.table('bookableresources')).toHaveLength(3);
    // The secret the operator exported is never printed.
    expect(applied.stdout + applied.stderr).not.toContain(t.s.info.clientSecret);

    const planned = await cli(['plan', '--format', 'json']);
    expect(planned.code).toBe(0);
    expect((JSON.parse(planned.stdout) as Plan).changes).toEqual([]);
  }, 120_000);
});
