/**
 * The command line's grammar (src/cli/program.ts) without a tenant: what each command hands its
 * action, `--help` and `--version` on stdout with exit 0, and usage errors as one line plus the
 * usage on stderr with exit 2 (issue 16, item 1). The actions record what they were called with.
 */
import { describe, expect, it } from 'vitest';
import { packageVersion, runCli, type ApplyCommandOptions, type CliActions, type DoctorCommandOptions, type PlanCommandOptions, type ServeCommandOptions, type SetupCommandOptions } from '../../../src/cli/program.js';

const ADA = '3f2a8d61-0c1e-4b8e-9d2a-6e5f4c3b2a10';
const VENDOR = 'd7fb2863-4d86-5346-91a7-58f877939fed';

interface Call {
  command: 'plan' | 'apply' | 'serve' | 'doctor' | 'setup';
  options: PlanCommandOptions | ApplyCommandOptions | ServeCommandOptions | DoctorCommandOptions | SetupCommandOptions;
}

async function cli(argv: string[], code = 0): Promise<{ code: number; out: string; err: string; calls: Call[] }> {
  const calls: Call[] = [];
  const actions: CliActions = {
    plan: (options) => (calls.push({ command: 'plan', options }), Promise.resolve(code)),
    apply: (options) => (calls.push({ command: 'apply', options }), Promise.resolve(code)),
    serve: (options) => (calls.push({ command: 'serve', options }), Promise.resolve(code)),
    doctor: (options) => (calls.push({ command: 'doctor', options }), Promise.resolve(code)),
    setup: (options) => (calls.push({ command: 'setup', options }), Promise.resolve(code)),
  };
  let out = '';
  let err = '';
  const result = await runCli(argv, actions, { writeOut: (t) => (out += t), writeErr: (t) => (err += t) });
  return { code: result, out, err, calls };
}

describe('vendor-reconciler: the grammar', () => {
  it('plan hands its action the options, defaults filled in, ids lower-cased', async () => {
    const r = await cli(['plan', '--contact', ADA.toUpperCase(), '--contact', VENDOR, '--format', 'markdown']);
    expect(r.calls).toEqual([{ command: 'plan', options: { format: 'markdown', contact: [ADA, VENDOR], detailedExitcode: false } }]);
    expect((await cli(['plan', '--vendor', VENDOR.toUpperCase(), '--detailed-exitcode'])).calls[0]!.options).toEqual({ format: 'text', contact: [], vendor: VENDOR, detailedExitcode: true });
  });

  it("the action's exit code is the command's", async () => {
    expect((await cli(['plan'], 1)).code).toBe(1);
    expect((await cli(['apply', '--yes'], 3)).code).toBe(3);
  });

  it('--out FILE.json without --format writes JSON; another name, or an explicit --format, does not', async () => {
    expect((await cli(['plan', '--out', 'plan.JSON'])).calls[0]!.options).toMatchObject({ format: 'json', out: 'plan.JSON' });
    expect((await cli(['plan', '--out', 'plan.md'])).calls[0]!.options).toMatchObject({ format: 'text', out: 'plan.md' });
    expect((await cli(['plan', '--out', 'plan.json', '--format', 'html'])).calls[0]!.options).toMatchObject({ format: 'html' });
  });

  it('apply takes --yes (-y), --release-removals and --plan', async () => {
    expect((await cli(['apply', '-y', '--release-removals'])).calls[0]!.options).toEqual({ format: 'text', contact: [], releaseRemovals: true, yes: true });
    expect((await cli(['apply', '--plan', 'p.json'])).calls[0]!.options).toEqual({ format: 'text', contact: [], releaseRemovals: false, yes: false, plan: 'p.json' });
  });

  it('serve takes --port (a number) and --demo', async () => {
    expect((await cli(['serve'])).calls[0]!.options).toEqual({ port: 7071, demo: false });
    expect((await cli(['serve', '--port', '0', '--demo'])).calls[0]!.options).toEqual({ port: 0, demo: true });
  });

  it('doctor takes --format; setup takes --apply, --solution and --format (text by default)', async () => {
    expect((await cli(['doctor'])).calls).toEqual([{ command: 'doctor', options: { format: 'text' } }]);
    expect((await cli(['doctor', '--format', 'json'])).calls[0]!.options).toEqual({ format: 'json' });
    expect((await cli(['setup'])).calls[0]!.options).toEqual({ format: 'text', apply: false });
    expect((await cli(['setup', '--apply', '--solution', 'VendorReconciler', '--format', 'json'])).calls[0]!.options).toEqual({ format: 'json', apply: true, solution: 'VendorReconciler' });
  });

  it.each([
    { reason: 'doctor has no --apply', argv: ['doctor', '--apply'], says: "unknown option '--apply'" },
    { reason: 'a report format doctor does not write', argv: ['doctor', '--format', 'html'], says: "option '--format <format>' argument 'html' is invalid" },
    { reason: 'a solution name that is not a unique name', argv: ['setup', '--solution', 'my solution'], says: '--solution takes a solution\'s unique name' },
  ])('usage error: $reason', async ({ argv, says }) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.calls).toEqual([]);
    expect(r.err).toContain(says);
    expect(r.err).toContain(`usage: vendor-reconciler ${argv[0]} `);
  });

  it('--help, for the program and each command, goes to stdout and exits 0', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.err).toBe('');
    expect(top.out).toMatch(/^Usage: vendor-reconciler <plan\|apply\|serve\|doctor\|setup> \[options\]/);
    for (const c of ['plan', 'apply', 'serve']) expect(top.out).toMatch(new RegExp(`^  ${c} \\[options\\]`, 'm'));
    for (const [command, flags] of [['plan', ['--format', '--out', '--contact', '--vendor', '--detailed-exitcode']], ['apply', ['--yes', '--plan', '--release-removals']], ['serve', ['--port', '--demo']]] as const) {
      const r = await cli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.calls).toEqual([]);
      expect(r.out).toMatch(new RegExp(`^Usage: vendor-reconciler ${command} \\[options\\]`));
      for (const f of flags) expect(r.out).toContain(f);
    }
  });

  it("--version prints package.json's version and exits 0", async () => {
    const r = await cli(['--version']);
    expect(r).toMatchObject({ code: 0, out: `${packageVersion()}\n`, err: '' });
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['reconcile'], "vendor-reconciler: unknown command 'reconcile'", 'vendor-reconciler <plan|apply|serve|doctor|setup> [options]'],
    [['plan', '--contacts', ADA], "vendor-reconciler: unknown option '--contacts' (Did you mean --contact?)", 'vendor-reconciler plan [options]'],
    [['plan', '--format', 'pdf'], "vendor-reconciler: option '--format <format>' argument 'pdf' is invalid. Allowed choices are text, json, markdown, html, csv.", 'vendor-reconciler plan [options]'],
    [['plan', '--vendor', 'fabrikam'], 'is invalid. --vendor takes a GUID such as d7fb2863-4d86-5346-91a7-58f877939fed; "fabrikam" is not one.', 'vendor-reconciler plan [options]'],
    [['apply', '--contact', '42'], '--contact takes a GUID', 'vendor-reconciler apply [options]'],
    [['apply', '--plan', 'p.json', '--contact', ADA], "option '--plan <file>' cannot be used with option '--contact <id>'", 'vendor-reconciler apply [options]'],
    [['serve', '--port', 'http'], '--port takes a port number from 0 to 65535', 'vendor-reconciler serve [options]'],
    [['plan', 'extra'], "too many arguments for 'plan'", 'vendor-reconciler plan [options]'],
    [[], 'vendor-reconciler: a command is needed: plan, apply, serve, doctor or setup', 'vendor-reconciler <plan|apply|serve|doctor|setup> [options]'],
  ])('usage error %j: exit 2, one line that says what, then the usage, on stderr; nothing runs', async (argv, what, usage) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.calls).toEqual([]);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^vendor-reconciler: /);
    expect(lines[0]).toContain(what);
    expect(lines[1]).toMatch(new RegExp(`^usage: ${usage.replace(/[[\]|<>]/g, '\\$&')} `));
  });
});
