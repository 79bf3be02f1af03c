/**
 * What `plan` and `apply` do: one engine run (src/engine/engine.ts), its report on stdout or in
 * `--out`, progress and the apply's summary on stderr, and the exit code (docs/cli.md):
 *
 *   plan   0 the plan was made (changes or not); 1 error; with --detailed-exitcode, 2 changes pending
 *   apply  0 every change applied and no row in Error; 3 some rows ended in Error (the report and the
 *          summary say which and why); 1 the run failed, stopped or was not confirmed
 *
 * The engine is told two things through its hooks: `checkPlan` (the scope named rows that exist; a
 * saved plan still holds; the operator confirmed) and `progress`. Everything the command touches
 * outside the engine (the terminal, the clock, stdout) comes in as `CommandIo`, so the commands are
 * testable without spawning (test/unit/cli/run-command.test.ts).
 */
import { writeFileSync } from 'node:fs';
import type { ReconcileEngine } from '../engine/engine.js';
import type { Plan, RunScope } from '../model/plan.js';
import type { RunRecord } from '../model/run.js';
import { renderReport } from '../report/index.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { confirmPlan, NOT_CONFIRMED, requireAnswerable, type ConfirmIo } from './confirm.js';
import type { ApplyCommandOptions, PlanCommandOptions, ReportOptions } from './program.js';
import { createProgress, type Progress } from './progress.js';
import { holdToSavedPlan, readSavedPlan } from './saved-plan.js';
import { checkScopeFound, scopeFrom } from './scope.js';
import { applySummary, rowsInError } from './summary.js';

export interface CommandIo {
  /** Builds the engine once the arguments are known to be good (settings are read here). */
  engine(): ReconcileEngine;
  /**
   * The Dynamics 365 environment the HTML report links records into (the DATAVERSE_URL setting, as
   * the app's report routes give it: src/app/http-handlers.ts); asked only after the run, so from
   * the settings engine() read. Absent: no links.
   */
  environmentUrl?(): string;
  writeOut(text: string): void;
  writeErr(text: string): void;
  confirm: ConfirmIo;
  /** stderr is a terminal; colour is wanted on it (a terminal and no NO_COLOR). */
  stderrTty: boolean;
  color: boolean;
}

export const EXIT = { ok: 0, error: 1, changesPending: 2, rowsInError: 3 } as const;

const paintWith = (color: boolean) => (code: string, text: string): string => (color ? `\u001b[${code}m${text}\u001b[0m` : text);

function errorLines(error: { message: string; action: string }): string {
  return terminalSafe(`vendor-reconciler: ${error.message}\nWhat to do: ${error.action}\n`);
}

/** Runs the engine with a progress line that redraws while requests are out. */
async function runWithProgress(io: CommandIo, request: Parameters<ReconcileEngine['run']>[0]): Promise<RunRecord> {
  const progress: Progress = createProgress({ write: io.writeErr, tty: io.stderrTty, color: io.color, ...(process.stderr.columns ? { columns: process.stderr.columns } : {}) });
  const timer = setInterval(() => progress.tick(), io.stderrTty ? 250 : 1000);
  timer.unref();
  try {
    return await io.engine().run({ ...request, progress: (e) => progress.on(e) });
  } finally {
    clearInterval(timer);
    progress.stop();
  }
}

function writeReport(io: CommandIo, options: ReportOptions, run: RunRecord): void {
  const environmentUrl = io.environmentUrl?.();
  const output = renderReport(options.format, { plan: run.plan, run, ...(environmentUrl ? { environmentUrl } : {}) });
  if (options.out) writeFileSync(options.out, output);
  else io.writeOut(output.endsWith('\n') ? output : `${output}\n`);
}

const scoped = (scope: RunScope) => (plan: Plan): Plan => {
  checkScopeFound(scope, plan);
  return plan;
};

export async function planCommand(options: PlanCommandOptions, io: CommandIo): Promise<number> {
  const scope = scopeFrom(options.contact, options.vendor);
  const run = await runWithProgress(io, { scope, dryRun: true, trigger: 'cli', checkPlan: scoped(scope) });
  writeReport(io, options, run);
  if (run.error) io.writeErr(errorLines(run.error));
  if (run.outcome === 'failed' || run.outcome === 'stopped') return EXIT.error;
  return options.detailedExitcode && run.plan.changes.length > 0 ? EXIT.changesPending : EXIT.ok;
}

export async function applyCommand(options: ApplyCommandOptions, io: CommandIo): Promise<number> {
  // A saved plan is its own approval; otherwise someone must be able to answer before anything is read.
  const saved = options.plan ? readSavedPlan(options.plan) : undefined;
  if (!saved) requireAnswerable(io.confirm, options.yes);
  const scope = saved ? saved.scope : scopeFrom(options.contact, options.vendor);
  const checkPlan = saved
    ? holdToSavedPlan(saved, options.plan!)
    : async (plan: Plan): Promise<Plan> => confirmPlan(scoped(scope)(plan), io.confirm, options.yes);
  const run = await runWithProgress(io, {
    scope,
    dryRun: false,
    trigger: 'cli',
    checkPlan,
    ...(options.releaseRemovals ? { overrides: { releaseRemovals: true } } : {}),
  });
  if (run.error?.code === NOT_CONFIRMED) {
    io.writeErr(errorLines(run.error));
    return EXIT.error;
  }
  writeReport(io, options, run);
  // The summary is the last thing printed: what an operator reads when a long run ends.
  io.writeErr(applySummary(run, paintWith(io.color)));
  if (run.outcome === 'failed' || run.outcome === 'stopped') return EXIT.error;
  return run.outcome === 'partial' || rowsInError(run) > 0 ? EXIT.rowsInError : EXIT.ok;
}
