/**
 * The few lines `apply` prints last, on stderr, after the report: what changed, what failed and
 * what to do. The report (stdout, `--out`) has every change; this is what an operator reads first
 * when a long run ends, so it names failures with their row, code and action, and stays short.
 */
import type { ChangeKind, Plan } from '../model/plan.js';
import type { RunRecord } from '../model/run.js';
import { terminalSafe } from '../report/terminal-safe.js';

const MAX_FAILURES_LISTED = 5;

function byKind(plan: Plan, ids: Set<string>): string {
  const counts = new Map<ChangeKind, number>();
  for (const c of plan.changes) if (ids.has(c.id)) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

/** Rows whose final status is Error: what makes `apply` exit non-zero even when no request failed. */
export function rowsInError(run: RunRecord): number {
  return Object.values(run.statuses).filter((s) => s === 'error').length;
}

export function applySummary(run: RunRecord, paint: (code: string, text: string) => string = (_c, t) => t): string {
  const plan = run.plan;
  const changes = new Map(plan.changes.map((c) => [c.id, c]));
  const outcome = (o: string): Set<string> => new Set(run.results.filter((r) => r.outcome === o).map((r) => r.changeId));
  const applied = outcome('applied');
  const failed = run.results.filter((r) => r.outcome === 'failed');
  const rows = (ids: Iterable<string>): number => new Set([...ids].map((id) => changes.get(id)?.subject.id)).size;
  const lines = [`Apply ${run.outcome} (run ${run.runId}).`];

  if (run.error) lines.push(`  Run error: ${run.error.message}`);
  lines.push(applied.size > 0 ? `  Applied: ${applied.size} change(s) for ${rows(applied)} row(s): ${byKind(plan, applied)}.` : '  Applied: nothing.');
  if (failed.length > 0) {
    lines.push(`  Failed: ${failed.length} change(s) for ${rows(failed.map((r) => r.changeId))} row(s):`);
    for (const r of failed.slice(0, MAX_FAILURES_LISTED)) {
      const c = changes.get(r.changeId);
      const who = c ? `${c.subject.displayName || c.subject.id} (${c.subject.family} ${c.subject.id})` : r.subjectKey;
      lines.push(`    ${who}: ${c?.kind ?? r.changeId}: ${r.error ? `${r.error.code}: ${r.error.message} What to do: ${r.error.action}` : 'failed'}`);
    }
    if (failed.length > MAX_FAILURES_LISTED) lines.push(`    … and ${failed.length - MAX_FAILURES_LISTED} more (the report lists them all).`);
  }
  const other = ['blocked', 'skipped', 'not_reached'].map((o) => [o.replace('_', ' '), outcome(o).size] as const).filter(([, n]) => n > 0);
  if (other.length > 0) lines.push(`  Not applied: ${other.map(([o, n]) => `${n} ${o === 'blocked' ? 'held back by a guard' : o}`).join(', ')}.`);
  const inError = rowsInError(run);
  if (inError > 0) lines.push(`  Rows in Error: ${inError} (their error is on the row and in the report).`);

  const todo: string[] = [];
  if (run.error) todo.push(run.error.action);
  if (failed.length > 0 || inError > 0) todo.push('Fix what each error says, then run apply again; the others are done.');
  if (outcome('blocked').size > 0) todo.push('Review the held-back changes in the report (removals: --release-removals releases them).');
  // New technicians take two applies (docs/cli.md "apply"): say so, or a first apply reads as finished.
  const invited = Object.values(run.statuses).filter((s) => s === 'invited').length;
  if (invited > 0) todo.push(`${invited} invited row(s) continue on the next apply (or the timer's next run).`);
  if (Object.values(run.statuses).includes('waiting_for_dataverse_user')) todo.push("Run apply again after Dataverse's user sync has created the new users.");
  lines.push(`What to do: ${todo.length > 0 ? todo.join(' ') : 'nothing; the run applied every change.'}`);
  // Contact data is made safe first; the colour goes on the labels after.
  return terminalSafe(`${lines.join('\n')}\n`).replace(/^( {2})(Run error|Failed|Rows in Error):/gm, (_m, sp: string, label: string) => `${sp}${paint('31', label)}:`);
}
