/**
 * What every guard does to a plan: mark some changes `blocked` (with why and what to do), give some
 * subjects another planned status, and recount the summary. Plans are values: the input plan is
 * never changed, a new one is returned.
 */
import type { Change, Plan, PlanSummary, SubjectPlan } from '../../model/plan.js';

/** Stable codes of the guards' holds (docs/operations.md). */
export const REMOVALS_HELD = 'REMOVALS_HELD';
export const NO_LICENCE_UNITS = 'NO_LICENCE_UNITS';
export const QUARANTINED = 'QUARANTINED';

export interface Hold {
  code: string;
  reason: string;
  action: string;
}

export interface GuardEdits {
  /** Change id → why it is held back. A change already held back keeps its first hold. */
  holds: ReadonlyMap<string, Hold>;
  /** Subject id → fields of its SubjectPlan to replace (status, error). */
  subjects?: ReadonlyMap<string, Partial<SubjectPlan>>;
  /** The licence summary to put in place of the plan's (every SKU). */
  licences?: PlanSummary['licences'];
}

export function applyGuardEdits(plan: Plan, edits: GuardEdits): Plan {
  if (edits.holds.size === 0 && (edits.subjects?.size ?? 0) === 0 && !edits.licences) return plan;
  const changes = plan.changes.map((c): Change => {
    const hold = edits.holds.get(c.id);
    return hold && !c.blocked ? { ...c, blocked: { code: hold.code, reason: hold.reason, action: hold.action } } : c;
  });
  const subjects = plan.subjects.map((sp): SubjectPlan => {
    const edit = edits.subjects?.get(sp.subject.id);
    return edit ? { ...sp, ...edit } : sp;
  });
  return { ...plan, changes, subjects, summary: recount(plan.summary, changes, subjects, edits.licences) };
}

/** The summary's counts after guards: statuses, held removals, subjects with an error. */
function recount(summary: PlanSummary, changes: Change[], subjects: SubjectPlan[], licences?: PlanSummary['licences']): PlanSummary {
  const subjectsByStatus: PlanSummary['subjectsByStatus'] = {};
  for (const s of subjects) subjectsByStatus[s.status] = (subjectsByStatus[s.status] ?? 0) + 1;
  return {
    ...summary,
    subjectsByStatus,
    licences: licences ?? summary.licences,
    // Only the removal threshold holds with REMOVALS_HELD, and only removals (removal-threshold.ts),
    // so the code alone counts them: the guards need no kind registry for it.
    blockedRemovals: changes.filter((c) => c.blocked?.code === REMOVALS_HELD).length,
    errors: subjects.filter((s) => s.error).length,
  };
}
