/**
 * `vendor-reconciler plan --format json | …` delivers the whole document (issue 9, item 7). The
 * command used to call process.exit() right after writing the report; a pipe on Linux takes 64 KiB
 * at once and Node queues the rest, so the reader got a document cut at 64 KiB (src/cli/output.ts).
 *
 * A real shell pipeline, as an operator types it: the command in a child process, its stdout an OS
 * pipe into a reader that waits a second before it reads (as jq does while it starts), for a tenant
 * whose report is well over 1 MB. The command's own exit code is written to a file by the shell,
 * because a pipeline's status is its last command's.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { DEMO_SETTINGS } from '../support/tenant.js';
import { startEngineTenant, technician, type EngineTenant } from './engine-fixture.js';

/** The demo's settings less the customer portal and the project's work orders: this tenant has no portal website and no work order type. */
const SETTINGS = Object.fromEntries(Object.entries(DEMO_SETTINGS).filter(([k]) => !k.startsWith('PORTAL_') && !k.startsWith('WORK_ORDER_')));

const ROOT = resolve(import.meta.dirname, '../..');
const TECHNICIANS = 900;
const ONE_MB = 1024 * 1024;

const techs = Array.from({ length: TECHNICIANS }, (_, i) =>
  technician(i + 1, {
    first: `Technician${String(i + 1).padStart(4, '0')}`,
    last: 'Pipewright',
    vendor: (['fabrikam', 'northwind', 'tailspin'] as const)[i % 3],
    characteristics: [['hvac', 'expert'], ['electrical', 'competent'], ['plumbing', 'proficient']],
  }),
);

let t: EngineTenant;
let dir: string;
beforeAll(async () => {
  t = await startEngineTenant(techs);
  dir = mkdtempSync(join(tmpdir(), 'vr-cli-pipe-'));
});
afterAll(async () => {
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Piped {
  /** What the reader at the end of the pipe received. */
  stdout: string;
  stderr: string;
  /** vendor-reconciler's own exit code. */
  code: number;
}

/** `vendor-reconciler <args> | <reader>` in /bin/sh; the default reader waits a second, then reads all. */
function piped(args: string[], reader = '{ sleep 1; cat; }'): Promise<Piped> {
  const codeFile = join(dir, 'code');
  const command = `{ "$0" bin/vendor-reconciler.mjs ${args.join(' ')}; echo $? > "$1"; } | ${reader}`;
  return new Promise((done, fail) => {
    const child = spawn('/bin/sh', ['-c', command, process.execPath, codeFile], {
      cwd: ROOT,
      env: { ...process.env, ...t.s.info.env, ...SETTINGS },
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', () => done({ stdout: Buffer.concat(out).toString('utf8'), stderr, code: Number(readFileSync(codeFile, 'utf8').trim()) }));
  });
}

/** stderr carries the progress lines (src/cli/progress.ts) and nothing else when all goes well. */
const onlyProgress = (stderr: string): string[] => stderr.split('\n').filter((l) => l !== '' && !/^(observe|plan): /.test(l));

describe('vendor-reconciler in a pipe', () => {
  it('plan --format json --detailed-exitcode | (slow reader): the whole plan of over 1 MB arrives and parses, exit code 2', async () => {
    const r = await piped(['plan', '--format', 'json', '--detailed-exitcode']);
    expect(onlyProgress(r.stderr)).toEqual([]);
    expect(r.stderr).toContain(`plan: ${TECHNICIANS} rows, `);
    expect(r.code).toBe(2);
    expect(Buffer.byteLength(r.stdout)).toBeGreaterThan(ONE_MB);
    expect(r.stdout.endsWith('}\n')).toBe(true);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.subjects).toHaveLength(TECHNICIANS);
    expect(plan.summary.changesByKind['user.invite']).toBe(TECHNICIANS);
    expect(plan.changes).toHaveLength(Object.values(plan.summary.changesByKind).reduce((a, b) => a + (b ?? 0), 0));
    expect(plan.subjects.map((c) => c.subject.id).sort()).toEqual(techs.map((x) => x.id).sort());
  });

  it('plan (text) | (slow reader): the text report arrives whole too, ending with its last vendor', async () => {
    const r = await piped(['plan']);
    expect(r.code).toBe(0);
    expect(Buffer.byteLength(r.stdout)).toBeGreaterThan(64 * 1024);
    const last = techs.filter((x) => x.n % 3 === 0).at(-1)!;
    expect(r.stdout).toContain(`  ${last.displayName} [`);
    expect(r.stdout.endsWith('\n')).toBe(true);
  });

  it('plan --format json | head -c 100: a reader that stops early ends the command quietly with its exit code', async () => {
    const r = await piped(['plan', '--format', 'json', '--detailed-exitcode'], 'head -c 100');
    expect(r.stdout).toHaveLength(100);
    expect(r.stdout.startsWith('{\n  "version": 2,')).toBe(true);
    expect(onlyProgress(r.stderr)).toEqual([]);
    expect(r.code).toBe(2);
  });
});
