/**
 * The `vendor-reconciler` command as an operator runs it (issue 3, "Shape": `plan` and `apply`,
 * `--format`, `--contact ID`, documented exit codes; issue 16: Terraform's exit codes, validated
 * scopes, confirmation, the saved plan, progress and the apply's summary; docs/cli.md): a child process with the
 * simulator's connection settings in its environment, exactly as it would get them in Azure, and
 * the run's CA trusted through NODE_EXTRA_CA_CERTS (already in process.env, test/setup/global.ts).
 * Its stdio are pipes, so the command is off a terminal: progress comes as plain lines, no colour.
 *
 * The tests share one simulated tenant and run in order: plans first, then applies. Each spawn
 * costs a second or two, so the cases are few and each checks several things.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { DEMO_SETTINGS } from '../support/tenant.js';
import { REF, startEngineTenant, threeTechnicians, type EngineTenant } from './engine-fixture.js';

/** The demo's settings less the customer portal and the project's work orders: this tenant has no portal website and no work order type. */
const SETTINGS = Object.fromEntries(Object.entries(DEMO_SETTINGS).filter(([k]) => !k.startsWith('PORTAL_') && !k.startsWith('WORK_ORDER_')));

const ROOT = resolve(import.meta.dirname, '../..');
const techs = threeTechnicians();
const [ada, , chen] = techs as [(typeof techs)[0], (typeof techs)[0], (typeof techs)[0]];

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

const PROGRESS = /^(observe: started|observe: reading the tenant, [\d.]+ s|observe: [\d,]+ rows? from \d+ reads?(, \d+ look-ups?)?(, [\d.]+\/s)?, [\d.]+ s|plan: \d+ rows, \d+ changes.*|apply: started|apply: \d+\/\d+ changes.*|status writes: started|status writes: \d+ row\(s\) to update.*)$/;
/** stderr's lines that are not progress (progress lines are checked to be only that). */
const notProgress = (stderr: string): string[] => stderr.split('\n').filter((l) => l !== '' && !PROGRESS.test(l));

describe('vendor-reconciler', () => {
  it('plan --format json: exit 0 with the pending changes as a JSON plan on stdout, progress lines on stderr, and no write', async () => {
    await t.clearLogs();
    const r = await cli(['plan', '--format', 'json']);
    expect(r.code).toBe(0);
    // Off a terminal: plain lines, one per phase start and end, no control sequence.
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).not.toContain('\r');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('observe: started');
    // The observe line's end: what it read (the rows of every table, the look-ups beside them).
    expect(lines[1]).toMatch(/^observe: [\d,]+ rows from \d+ reads(, \d+ look-ups?)?(, [\d.]+\/s)?, [\d.]+ s$/);
    expect(lines.at(-1)).toBe('plan: 3 rows, 15 changes');
    expect(notProgress(r.stderr)).toEqual([]);
    const plan = planOf(r);
    expect(plan.version).toBe(2);
    expect(plan.scope).toEqual({ kind: 'tenant' });
    expect(plan.changes).toHaveLength(15); // per technician: invite, anchor, profile, licence, group
    expect(plan.summary.changesByKind['user.invite']).toBe(3);
    expect(plan.run.mode).toBe('dry-run');
    expect(t.writes()).toEqual([]);
  });

  it('plan --detailed-exitcode: exit 2 when changes are pending (Terraform\'s -detailed-exitcode)', async () => {
    const r = await cli(['plan', '--detailed-exitcode', '--format', 'csv']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(ada.id);
  });

  it('plan --contact ID limits the plan to that contact', async () => {
    const r = await cli(['plan', '--format', 'json', '--contact', ada.id.toUpperCase()]);
    expect(r.code).toBe(0);
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

  it('plan --contact with an id no contact has: exit 1, the unknown id named, never "nothing to change"', async () => {
    const unknown = 'c0000000-0000-4000-8000-000000000999';
    const r = await cli(['plan', '--format', 'json', '--contact', ada.id, '--contact', unknown]);
    expect(r.code).toBe(1);
    expect(notProgress(r.stderr)).toEqual([
      `vendor-reconciler: No technicians contact has the id ${unknown}: nothing was planned for it.`,
      expect.stringMatching(/^What to do: Check the ids/),
    ]);
    const report = planOf(r);
    expect(report.run.outcome).toBe('failed');
    expect((report.run as unknown as { error: { code: string } }).error.code).toBe('SCOPE_NOT_FOUND');
    expect(report.changes).toEqual([]);

    const text = await cli(['plan', '--contact', unknown]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^THE RUN FAILED: SCOPE_NOT_FOUND$/m);
    expect(text.stdout).not.toMatch(/^Nothing needs to change/m);
  });

  it('plan --vendor with a vendor that has no technician: exit 1, SCOPE_NOT_FOUND; a malformed one is a usage error', async () => {
    const tailspin = REF.vendors.tailspin;
    const r = await cli(['plan', '--vendor', tailspin]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`vendor-reconciler: The vendor account ${tailspin} has no technicians contact: nothing was planned for it.`);

    const bad = await cli(['plan', '--vendor', 'tailspin']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^vendor-reconciler: .*--vendor takes a GUID.*\nusage: vendor-reconciler plan \[options\]/);
  });

  it('plan --format markdown --out FILE writes the report to the file, not to stdout', async () => {
    const out = join(dir, 'plan.md');
    const r = await cli(['plan', '--format', 'markdown', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(true);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^#/);
    for (const x of techs) expect(text).toContain(x.displayName);
  });

  it('plan --format html links each contact into Dynamics 365 at DATAVERSE_URL, as the app\'s report does, and names the technician group', async () => {
    const r = await cli(['plan', '--format', 'html']);
    expect(r.code).toBe(0);
    const base = t.settings.dataverseUrl.replace(/\/$/, '');
    expect(base).toMatch(/^https:\/\//);
    for (const x of techs) expect(r.stdout).toContain(`href="${base}/main.aspx?etn=contact&amp;id=${x.id}&amp;pagetype=entityrecord"`);
    expect(r.stdout.match(/etn=contact&amp;/g)).toHaveLength(techs.length);
    const name = String(t.s.sim.state.graph.groups.get(REF.groupId)!.displayName);
    expect(r.stdout).toContain(`<span class="id-name">${name}</span> <span class="id" title="${REF.groupId}">`);
  });

  it('apply off a terminal without --yes: refuses before reading anything, exit 1, nothing written', async () => {
    await t.clearLogs();
    const r = await cli(['apply']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^vendor-reconciler: apply asks for confirmation before it changes anything, and this is not a terminal where someone can answer\.\nWhat to do: .*apply --yes/);
    expect(t.wire).toEqual([]);
  });

  it('plan --out FILE.json saves the plan; apply --plan refuses it, naming the row, once the tenant moved; applies exactly it otherwise', async () => {
    const saved = join(dir, 'ada-plan.json');
    const p = await cli(['plan', '--contact', ada.id, '--out', saved]);
    expect(p.code).toBe(0);
    expect(p.stdout).toBe('');
    expect((JSON.parse(readFileSync(saved, 'utf8')) as Plan).changes).toHaveLength(5);

    // Ada's first name changes after the plan was saved: her invitation and profile are not what was reviewed.
    await t.clearLogs();
    const row = t.contact(ada.id);
    row.firstname = 'Augusta';
    row.fullname = 'Augusta Lovelace';
    const refused = await cli(['apply', '--plan', saved, '--format', 'json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Refusing to apply ${saved}: the tenant changed since the plan was saved`);
    expect(refused.stderr).toContain(`for 2 change(s) of 1 row(s): Ada Lovelace (technicians ${ada.id}): user.invite different now, user.update different now. Nothing was changed.`);
    expect(refused.stderr).toContain('Nothing was changed.');
    expect((planOf(refused).run as unknown as { error: { code: string } }).error.code).toBe('SAVED_PLAN_STALE');
    expect(t.writes()).toEqual([]);

    // Back as it was: the saved plan holds again and is applied, Ada's changes only (no --yes needed).
    row.firstname = 'Ada';
    row.fullname = 'Ada Lovelace';
    const applied = await cli(['apply', '--plan', saved, '--format', 'json']);
    expect(applied.code).toBe(0);
    const run = planOf(applied).run as unknown as { outcome: string; results: { changeId: string; outcome: string }[] };
    expect(run.outcome).toBe('succeeded');
    expect(run.results.map((x) => x.changeId).sort()).toEqual([...(JSON.parse(readFileSync(saved, 'utf8')) as Plan).changes.map((c) => c.id)].sort());
    expect(t.s.sim.state.invitations.map((i) => i.invitedUserEmailAddress)).toEqual([ada.email]);

    // Applied once, the same file is no longer needed: refused, not applied twice.
    const again = await cli(['apply', '--plan', saved]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Ada Lovelace (technicians ${ada.id}): user.invite no longer needed, contact.anchor no longer needed`);

    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{"hello": 1}');
    const invalid = await cli(['apply', '--plan', junk]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(`vendor-reconciler: ${junk} is not a saved plan`);
  });

  it('apply --yes: exit 0 and a summary printed last; after the user sync, apply again; then plan exits 0 with no changes', async () => {
    const first = await cli(['apply', '--yes']);
    expect(first.code).toBe(0);
    expect(t.s.sim.state.invitations).toHaveLength(3);
    const tail = notProgress(first.stderr);
    expect(tail[0]).toMatch(/^Apply succeeded \(run [0-9a-f-]+\)\.$/);
    expect(tail[1]).toMatch(/^ {2}Applied: \d+ change\(s\) for 2 row\(s\): .*2 user\.invite/);
    expect(tail.at(-1)).toBe("What to do: 2 invited row(s) continue on the next apply (or the timer's next run). Run apply again after Dataverse's user sync has created the new users.");
    expect(first.stderr.trimEnd().endsWith(tail.at(-1)!)).toBe(true);

    t.sync();
    const second = await cli(['apply', '-y', '--format', 'json']);
    expect(second.code).toBe(0);
    expect(planOf(second).run.outcome).toBe('succeeded');
    expect(t.table('bookableresources')).toHaveLength(3);

    const plan = await cli(['plan', '--format', 'json', '--detailed-exitcode']);
    expect(plan.code).toBe(0);
    expect(planOf(plan).changes).toEqual([]);
  });

  it('apply: a row that ends in Error makes the exit code 3, and the summary says so', async () => {
    t.contact(chen.id).emailaddress1 = 'chen.wu-at-northwind';
    const r = await cli(['apply', '--yes', '--format', 'json']);
    expect(r.code).toBe(3);
    expect(planOf(r).run.outcome).toBe('succeeded');
    expect(r.stderr).toContain('  Rows in Error: 1 (their error is on the row and in the report).');
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(/^What to do: Fix what each error says/);
  });

  it('a bad setting: exit 1, the setting named on stderr, nothing on stdout', async () => {
    const r = await cli(['plan'], { DEFAULT_USAGE_LOCATION: 'Britain' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('DEFAULT_USAGE_LOCATION must be a two-letter ISO 3166-1 country code such as US or GB; "Britain" is not one: did you mean GB?');
    expect(r.stderr).toContain('What to do:');
  });

  it('--help and --version on stdout, exit 0; an unknown command or option: exit 2, one line and the usage', async () => {
    const help = await cli(['plan', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: vendor-reconciler plan \[options\]/);
    expect(help.stderr).toBe('');
    const version = await cli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`, stderr: '' });

    const r = await cli(['reconcile']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^vendor-reconciler: unknown command 'reconcile'\nusage: vendor-reconciler <plan\|apply\|serve\|doctor\|setup> \[options\]/);

    const option = await cli(['plan', '--contacts', ada.id]);
    expect(option.code).toBe(2);
    expect(option.stdout).toBe('');
    expect(option.stderr).toMatch(/^vendor-reconciler: unknown option '--contacts'.*\nusage: vendor-reconciler plan \[options\].*\n$/);
  });
});
