/**
 * The `vendor-reconciler` command as an operator runs it (issue 3, "Shape": `plan` and `apply`,
 * `--format`, `--contact ID`, documented exit codes; docs/cli.md): a child process with the
 * simulator's connection settings in its environment, exactly as it would get them in Azure, and
 * the run's CA trusted through NODE_EXTRA_CA_CERTS (already in process.env, test/setup/global.ts).
 *
 * The tests share one simulated tenant and run in order: plans first, then applies. Each spawn
 * costs a second or two, so the cases are few and each checks several things.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { DEMO_SETTINGS } from '../support/tenant.js';
import { startEngineTenant, threeTechnicians, type EngineTenant } from './engine-fixture.js';

/** The demo's settings less the customer portal and the project's work orders: this tenant has no portal website and no work order type. */
const SETTINGS = Object.fromEntries(Object.entries(DEMO_SETTINGS).filter(([k]) => !k.startsWith('PORTAL_') && !k.startsWith('WORK_ORDER_')));

const ROOT = resolve(import.meta.dirname, '../..');
const techs = threeTechnicians();
const [ada] = techs as [(typeof techs)[0]];

let t: EngineTenant;
let dir: string;
beforeAll(async () => {
  t = await startEngineTenant(techs);
  dir = mkdtempSync(join(tmpdir(), 'vr-cli-'));
});
afterAll(async () => {
  await t.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/vendor-reconciler.mjs', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...t.s.info.env, ...SETTINGS, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const planOf = (r: Result): Plan & { run: { mode: string; outcome: string } } => JSON.parse(r.stdout) as Plan & { run: { mode: string; outcome: string } };

describe('vendor-reconciler', () => {
  it('plan --format json: exit 2 with the pending changes as a JSON plan on stdout, and no write', async () => {
    await t.clearLogs();
    const r = await cli(['plan', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(2);
    const plan = planOf(r);
    expect(plan.version).toBe(2);
    expect(plan.scope).toEqual({ kind: 'tenant' });
    expect(plan.changes).toHaveLength(15); // per technician: invite, anchor, profile, licence, group
    expect(plan.summary.changesByKind['user.invite']).toBe(3);
    expect(plan.run.mode).toBe('dry-run');
    expect(t.writes()).toEqual([]);
  });

  it('plan --contact ID limits the plan to that contact', async () => {
    const r = await cli(['plan', '--format', 'json', '--contact', ada.id.toUpperCase()]);
    expect(r.code).toBe(2);
    const plan = planOf(r);
    expect(plan.scope).toEqual({ kind: 'subjects', family: 'technicians', subjectIds: [ada.id] });
    expect(plan.subjects.map((c) => c.subject.id)).toEqual([ada.id]);
    expect(plan.changes.map((c) => c.id)).toEqual([
      `${ada.id}/user.invite`,
      `${ada.id}/contact.anchor`,
      `${ada.id}/user.update`,
      `${ada.id}/licence.assign`,
      `${ada.id}/group.add`,
    ]);
  });

  it('plan --format markdown --out FILE writes the report to the file, not to stdout', async () => {
    const out = join(dir, 'plan.md');
    const r = await cli(['plan', '--format', 'markdown', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(true);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^#/);
    for (const x of techs) expect(text).toContain(x.displayName);
  });

  it('apply: exit 0; after the user sync, apply again; then plan exits 0 with no changes', async () => {
    const first = await cli(['apply']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(t.s.sim.state.invitations).toHaveLength(3);

    t.sync();
    const second = await cli(['apply', '--format', 'json']);
    expect(second.code).toBe(0);
    expect(planOf(second).run.outcome).toBe('succeeded');
    expect(t.table('bookableresources')).toHaveLength(3);

    const plan = await cli(['plan', '--format', 'json']);
    expect(plan.code).toBe(0);
    expect(planOf(plan).changes).toEqual([]);
  });

  it('a bad setting: exit 1, the setting named on stderr, nothing on stdout', async () => {
    const r = await cli(['plan'], { DEFAULT_USAGE_LOCATION: 'Britain' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('DEFAULT_USAGE_LOCATION must be a two-letter ISO 3166-1 country code such as US or GB; "Britain" is not one: did you mean GB?');
    expect(r.stderr).toContain('What to do:');
  });

  it('an unknown command or option prints the usage and exits 1', async () => {
    const r = await cli(['reconcile']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^usage:\n {2}vendor-reconciler plan/);
    expect(r.stderr).toContain('vendor-reconciler apply');

    const option = await cli(['plan', '--contacts', ada.id]);
    expect(option.code).toBe(1);
    expect(option.stdout).toBe('');
    expect(option.stderr).toMatch(/^vendor-reconciler: Unknown option '--contacts'.*\nusage:\n/s);
  });
});
