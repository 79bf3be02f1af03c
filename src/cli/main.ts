/**
 * The `vendor-reconciler` command.
 *
 *   vendor-reconciler plan  [--format text|json|markdown|html|csv] [--out FILE] [--contact ID]… [--vendor ID]
 *   vendor-reconciler apply [--format text|json|markdown|html|csv] [--out FILE] [--contact ID]… [--vendor ID] [--release-removals]
 *   vendor-reconciler serve [--port N] [--demo]   (src/cli/serve.ts: the HTTP routes on localhost)
 *
 * --release-removals releases the removals the threshold guard holds back (docs/operations.md);
 * RELEASE_HELD_REMOVALS=true in the environment does the same.
 *
 * Exit codes (docs/cli.md): plan → 0 nothing to change, 2 changes pending, 1 error.
 * apply → 0 every change applied, 3 some contacts failed (the report says which and why), 1 the run
 * failed or stopped (configuration error, deadline).
 *
 * The command ends once stdout has taken the whole report (output.ts): piped into jq, a report of
 * any size arrives whole. Error lines pass terminalSafe(): they can quote contact data.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSettings } from '../families.js';
import { createEngine } from '../engine/compose.js';
import { asReconcilerError } from '../model/errors.js';
import type { RunScope } from '../model/plan.js';
import { renderReport, type ReportFormat } from '../report/index.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { exitWhenFlushed, guardBrokenPipe } from './output.js';

const USAGE = `usage:
  vendor-reconciler plan  [--format text|json|markdown|html|csv] [--out FILE] [--contact ID]... [--vendor ID]
  vendor-reconciler apply [--format text|json|markdown|html|csv] [--out FILE] [--contact ID]... [--vendor ID] [--release-removals]
  vendor-reconciler serve [--port N] [--demo]
`;

const FORMATS: ReportFormat[] = ['text', 'json', 'markdown', 'html', 'csv'];

export function scopeFrom(contacts: string[] | undefined, vendor: string | undefined): RunScope {
  // --contact and --vendor name the technicians family's subjects and groups.
  if (contacts && contacts.length > 0) return { kind: 'subjects', family: 'technicians', subjectIds: contacts.map((c) => c.toLowerCase()) };
  if (vendor) return { kind: 'group', family: 'technicians', groupId: vendor.toLowerCase() };
  return { kind: 'tenant' };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'serve') return (await import('./serve.js')).serve(rest);
  if (command !== 'plan' && command !== 'apply') {
    process.stderr.write(USAGE);
    return command === '--help' || command === '-h' ? 0 : 1;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        format: { type: 'string', default: 'text' },
        out: { type: 'string' },
        contact: { type: 'string', multiple: true },
        vendor: { type: 'string' },
        'release-removals': { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    // A mistyped option is a usage error, not a run failure to retry.
    process.stderr.write(`vendor-reconciler: ${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  const { values } = parsed;
  const format = values.format as ReportFormat;
  if (!FORMATS.includes(format)) {
    process.stderr.write(`vendor-reconciler: --format must be one of ${FORMATS.join(', ')}; got "${values.format}"\n`);
    return 1;
  }

  const settings = loadSettings();
  const engine = createEngine(settings);
  const run = await engine.run({
    scope: scopeFrom(values.contact, values.vendor),
    dryRun: command === 'plan',
    trigger: 'cli',
    ...(values['release-removals'] ? { overrides: { releaseRemovals: true } } : {}),
  });
  const output = renderReport(format, { plan: run.plan, run });
  if (values.out) writeFileSync(values.out, output);
  else process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);

  if (run.error) process.stderr.write(terminalSafe(`vendor-reconciler: ${run.error.message}\nWhat to do: ${run.error.action}\n`));
  if (run.outcome === 'failed' || run.outcome === 'stopped') return 1;
  if (command === 'plan') return run.plan.changes.length > 0 ? 2 : 0;
  return run.outcome === 'partial' ? 3 : 0;
}

guardBrokenPipe();
main(process.argv.slice(2)).then(
  (code) => exitWhenFlushed(code),
  (err: unknown) => {
    const e = asReconcilerError(err);
    process.stderr.write(terminalSafe(`vendor-reconciler: ${e.message}\nWhat to do: ${e.action}\n`));
    return exitWhenFlushed(1);
  },
);
