/**
 * `apply`'s confirmation, as Terraform asks it: after the plan is computed and before the first
 * write, the command shows what it is about to change and applies only when the operator types
 * `yes`. `--yes` skips the question. Off a terminal (a script, CI, a pipe) nobody can answer, so
 * without `--yes` the command refuses before it reads anything, rather than hang or guess.
 * `apply --plan FILE` does not ask: the saved plan was reviewed when it was made (Terraform does the
 * same for a saved plan), and the command refuses it if the tenant has moved since.
 *
 * The terminal check and the question are injected (`ConfirmIo`), so both are tested as units
 * (test/unit/cli/confirm.test.ts); the default reads stdin and writes the question to stderr.
 */
import { createInterface } from 'node:readline/promises';
import { ConfigurationError } from '../model/errors.js';
import type { Plan } from '../model/plan.js';
import { terminalSafe } from '../report/terminal-safe.js';

export interface ConfirmIo {
  /** Whether someone can answer: stdin and stderr are both a terminal. */
  interactive: boolean;
  /** Writes `question` and resolves to the line typed. */
  ask(question: string): Promise<string>;
  writeErr(text: string): void;
}

export function terminalIo(): ConfirmIo {
  return {
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    ask: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
    writeErr: (text) => void process.stderr.write(text),
  };
}

/** The code the CLI recognises to say "cancelled" rather than print a failed run's report. */
export const NOT_CONFIRMED = 'APPLY_NOT_CONFIRMED';

/** Before anything is read: off a terminal, `apply` without `--yes` stops here. */
export function requireAnswerable(io: ConfirmIo, yes: boolean): void {
  if (yes || io.interactive) return;
  throw new ConfigurationError(
    NOT_CONFIRMED,
    'apply asks for confirmation before it changes anything, and this is not a terminal where someone can answer.',
    'Review the changes with `vendor-reconciler plan`, then run `vendor-reconciler apply --yes` (or save the plan with `plan --out plan.json` and run `apply --plan plan.json`).',
  );
}

/** One line per kind of change, with its count: what the question is about. */
export function planSummaryLines(plan: Plan): string[] {
  const byKind = Object.entries(plan.summary.changesByKind).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const subjects = new Set(plan.changes.map((c) => `${c.subject.family}/${c.subject.id}`)).size;
  const held = plan.changes.filter((c) => c.blocked).length;
  return [
    `Plan: ${plan.changes.length} change(s) for ${subjects} row(s)${held > 0 ? `, ${held} held back by a guard (not applied)` : ''}:`,
    ...byKind.map(([kind, n]) => `  ${String(n).padStart(5)}  ${kind}`),
  ];
}

/**
 * Shows the plan's changes and asks; resolves when the answer is `yes`, throws APPLY_NOT_CONFIRMED
 * otherwise. A plan with nothing to apply is not asked about.
 */
export async function confirmPlan(plan: Plan, io: ConfirmIo, yes: boolean): Promise<Plan> {
  if (yes || plan.changes.every((c) => c.blocked)) return plan;
  requireAnswerable(io, yes);
  io.writeErr(terminalSafe(`${planSummaryLines(plan).join('\n')}\n`));
  const answer = (await io.ask("Apply these changes? Only 'yes' applies them: ")).trim().toLowerCase();
  if (answer === 'yes') return plan;
  throw new ConfigurationError(NOT_CONFIRMED, 'Apply cancelled: nothing was changed.', 'Run `vendor-reconciler plan` to review the changes, then apply again and answer yes.');
}
