/**
 * The `vendor-reconciler` command's entry point (bin/vendor-reconciler.mjs imports it): the grammar
 * is program.ts, `plan` and `apply` are run-command.ts, `serve` is serve.ts, `doctor` and `setup`
 * are src/setup/commands.ts. docs/cli.md documents
 * the commands, their options and exit codes; `vendor-reconciler --help` and `<command> --help`
 * list them.
 *
 * Settings are read only once the arguments are good, so a usage error (exit 2) never depends on the
 * environment. The command ends once stdout has taken the whole report (output.ts): piped into jq,
 * a report of any size arrives whole. Error lines pass terminalSafe(): they can quote contact data.
 */
import type { Settings } from '../config.js';
import { createEngine } from '../engine/compose.js';
import { loadSettings } from '../families.js';
import { asReconcilerError } from '../model/errors.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { terminalIo } from './confirm.js';
import { exitWhenFlushed, guardBrokenPipe } from './output.js';
import { runCli } from './program.js';
import { colorWanted } from './progress.js';
import { applyCommand, planCommand, type CommandIo } from './run-command.js';

function commandIo(): CommandIo {
  const stderrTty = Boolean(process.stderr.isTTY);
  // Read once, when the engine is built; the report's links use the same DATAVERSE_URL.
  let settings: Settings | undefined;
  const loaded = (): Settings => (settings ??= loadSettings());
  return {
    engine: () => createEngine(loaded()),
    environmentUrl: () => loaded().dataverseUrl,
    writeOut: (t) => void process.stdout.write(t),
    writeErr: (t) => void process.stderr.write(t),
    confirm: terminalIo(),
    stderrTty,
    color: colorWanted(stderrTty),
  };
}

/** doctor and setup (src/setup/commands.ts) answer with their output: written here, their exit code returned. */
function written(result: { stdout: string; stderr: string; exitCode: number }): number {
  if (result.stdout) process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  return result.exitCode;
}

guardBrokenPipe();
runCli(process.argv.slice(2), {
  plan: (o) => planCommand(o, commandIo()),
  apply: (o) => applyCommand(o, commandIo()),
  serve: async (o) => (await import('./serve.js')).serve(o),
  doctor: async (o) => written(await (await import('../setup/commands.js')).doctorCommand(o)),
  setup: async (o) => written(await (await import('../setup/commands.js')).setupCommand(o)),
}).then(
  (code) => exitWhenFlushed(code),
  (err: unknown) => {
    const e = asReconcilerError(err);
    process.stderr.write(terminalSafe(`vendor-reconciler: ${e.message}\nWhat to do: ${e.action}\n`));
    return exitWhenFlushed(1);
  },
);
