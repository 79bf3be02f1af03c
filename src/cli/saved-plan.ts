/**
 * The saved plan: `plan --out plan.json` writes the JSON plan (src/report/json.ts,
 * docs/plan-format.md), and `apply --plan plan.json` applies exactly that plan.
 *
 * "Exactly" as Terraform means it for a saved plan: the apply re-observes the tenant and recomputes
 * the plan (a change's request is built from what the tenant holds now), then compares the saved
 * changes with the fresh ones before any write. It refuses, naming the rows, when:
 * - a saved change is no longer needed (the fresh plan lacks it);
 * - a saved change is different now (kind, target, before, after, what it depends on, held back or not);
 * - a row of the saved plan needs a change now that the saved plan did not hold.
 * Changes for rows the saved plan did not know (a contact created since) are left out, not
 * applied: the run applies the saved changes only. Nothing here knows a family: changes are
 * compared by their generic fields.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { ConfigurationError } from '../model/errors.js';
import type { Change, Plan, PlanSummary, Subject } from '../model/plan.js';
import { upgradePlan, type PlanV1, type PlanV2Stored } from '../model/plan-v1.js';

/** Reads a file written by `plan --format json` (any plan version the product reads). */
export function readSavedPlan(path: string): Plan {
  const invalid = (why: string): ConfigurationError =>
    new ConfigurationError('SAVED_PLAN_INVALID', `${path} is not a saved plan: ${why}.`, 'Save the plan again with `vendor-reconciler plan --out plan.json` and apply that file.');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw invalid((err as Error).message);
  }
  if (typeof doc !== 'object' || doc === null) throw invalid('it holds no JSON object');
  const d = doc as { version?: unknown; changes?: unknown; scope?: unknown; run?: { mode?: unknown; outcome?: unknown } };
  if ((d.version !== 1 && d.version !== 2) || !Array.isArray(d.changes) || typeof d.scope !== 'object') throw invalid('it has no plan version, scope and changes (was it written with --format json?)');
  if (d.run?.outcome === 'failed') throw invalid('it is the report of a run that failed, which planned nothing');
  if (d.run?.mode === 'apply') throw invalid('it is the report of an apply, whose changes have already run');
  return upgradePlan(doc as PlanV2Stored | PlanV1);
}

/** What a change does, without its wording: two changes that do the same compare equal. */
function essence(c: Change): unknown {
  return JSON.parse(JSON.stringify({ kind: c.kind, subject: [c.subject.family, c.subject.id], target: c.target, before: c.before, after: c.after, dependsOn: [...c.dependsOn].sort(), blocked: c.blocked?.code ?? null })) as unknown;
}

const rowKey = (s: Pick<Subject, 'family' | 'id'>): string => `${s.family}/${s.id.toLowerCase()}`;
const rowName = (s: Subject): string => (s.displayName ? `${s.displayName} (${s.family} ${s.id})` : `${s.family} ${s.id}`);

export interface Divergence {
  row: Subject;
  changeId: string;
  why: 'no longer needed' | 'different now' | 'newly needed';
}

/** The saved changes that the fresh plan no longer holds as they were, and the rows' new changes. */
export function divergences(saved: Plan, fresh: Plan): Divergence[] {
  const freshById = new Map(fresh.changes.map((c) => [c.id, c]));
  const savedIds = new Set(saved.changes.map((c) => c.id));
  const savedRows = new Set([...saved.subjects.map((s) => rowKey(s.subject)), ...saved.changes.map((c) => rowKey(c.subject))]);
  const out: Divergence[] = [];
  for (const c of saved.changes) {
    const now = freshById.get(c.id);
    if (!now) out.push({ row: c.subject, changeId: c.id, why: 'no longer needed' });
    else if (!isDeepStrictEqual(essence(c), essence(now))) out.push({ row: c.subject, changeId: c.id, why: 'different now' });
  }
  for (const c of fresh.changes) if (!savedIds.has(c.id) && savedRows.has(rowKey(c.subject))) out.push({ row: c.subject, changeId: c.id, why: 'newly needed' });
  return out;
}

/** Counts the summary holds over changes and rows, for the plan cut down to the saved changes. */
function summaryOf(plan: Plan, changes: Change[], subjects: Plan['subjects']): PlanSummary {
  const changesByKind: PlanSummary['changesByKind'] = {};
  for (const c of changes) changesByKind[c.kind] = (changesByKind[c.kind] ?? 0) + 1;
  const subjectsByStatus: PlanSummary['subjectsByStatus'] = {};
  for (const s of subjects) subjectsByStatus[s.status] = (subjectsByStatus[s.status] ?? 0) + 1;
  return { ...plan.summary, changesByKind, subjectsByStatus, blockedRemovals: changes.filter((c) => c.blocked).length, errors: subjects.filter((s) => s.error).length };
}

/**
 * The engine's checkPlan for `apply --plan`: the fresh plan limited to the saved plan's rows and
 * changes, or SAVED_PLAN_STALE naming what moved.
 */
export function holdToSavedPlan(saved: Plan, path: string): (fresh: Plan) => Plan {
  return (fresh) => {
    const moved = divergences(saved, fresh);
    if (moved.length > 0) {
      // One entry per row, its changes after it: the row is what the operator looks up.
      const rows = new Map<string, { row: Subject; what: string[] }>();
      for (const d of moved) {
        const entry = rows.get(rowKey(d.row)) ?? { row: d.row, what: [] };
        const prefix = `${d.row.id}/`;
        entry.what.push(`${d.changeId.startsWith(prefix) ? d.changeId.slice(prefix.length) : d.changeId} ${d.why}`);
        rows.set(rowKey(d.row), entry);
      }
      const listed = [...rows.values()].slice(0, 20).map((r) => `${rowName(r.row)}: ${r.what.join(', ')}`);
      const more = rows.size > listed.length ? `; and ${rows.size - listed.length} more row(s)` : '';
      throw new ConfigurationError(
        'SAVED_PLAN_STALE',
        `Refusing to apply ${path}: the tenant changed since the plan was saved (${saved.generatedAt}), for ${moved.length} change(s) of ${rows.size} row(s): ${listed.join('; ')}${more}. Nothing was changed.`,
        'Save a new plan with `vendor-reconciler plan --out plan.json`, review it, and apply that file.',
      );
    }
    const rows = new Set([...saved.subjects.map((s) => rowKey(s.subject)), ...saved.changes.map((c) => rowKey(c.subject))]);
    const ids = new Set(saved.changes.map((c) => c.id));
    const changes = fresh.changes.filter((c) => ids.has(c.id));
    const subjects = fresh.subjects.filter((s) => rows.has(rowKey(s.subject))).map((s) => ({ ...s, changeIds: s.changeIds.filter((id) => ids.has(id)) }));
    return { ...fresh, changes, subjects, summary: summaryOf(fresh, changes, subjects) };
  };
}
