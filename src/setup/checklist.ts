/**
 * The doctor's checklist: one line per thing the tenant needs, whether it is there, and what to do
 * when it is not. The text form is what `vendor-reconciler doctor` prints (commands.ts).
 */
export interface CheckResult {
  /** What was checked, in the operator's words ("Graph app role User.ReadWrite.All"). */
  check: string;
  ok: boolean;
  /** What to do; null when ok. */
  fix: string | null;
  /** What was found, when it helps ("100 units, 35 used"). */
  detail?: string;
}

export const pass = (check: string, detail?: string): CheckResult => ({ check, ok: true, fix: null, ...(detail ? { detail } : {}) });
export const fail = (check: string, fix: string, detail?: string): CheckResult => ({ check, ok: false, fix, ...(detail ? { detail } : {}) });

export interface Checklist {
  results: CheckResult[];
  ok: boolean;
}

export function checklist(results: CheckResult[]): Checklist {
  return { results, ok: results.every((r) => r.ok) };
}

/** The checklist as text: problems first (what to do), then what is in place. */
export function renderChecklist(list: Checklist): string {
  const failed = list.results.filter((r) => !r.ok);
  const lines: string[] = [];
  lines.push(failed.length === 0 ? `Ready: all ${list.results.length} checks passed.` : `Not ready: ${failed.length} of ${list.results.length} checks failed.`);
  if (failed.length > 0) {
    lines.push('', 'To fix:');
    for (const r of failed) lines.push(`  ✗ ${r.check}${r.detail ? ` (${r.detail})` : ''}`, `      ${r.fix}`);
  }
  const passed = list.results.filter((r) => r.ok);
  if (passed.length > 0) {
    lines.push('', 'In place:');
    for (const r of passed) lines.push(`  ✓ ${r.check}${r.detail ? ` (${r.detail})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
