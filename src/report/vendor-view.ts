/**
 * The per-vendor view (`?vendor=<account id>` on GET /api/plan and GET /api/runs/{id}): the report's
 * input cut down to one vendor's contacts, so the page can be shared with that vendor's admin
 * without showing any other vendor's people. Applied to the input, before any format renders it,
 * so every format (the JSON too) holds only what the view shows.
 *
 * What stays: the vendor's subjects, their changes and (for a run) their results and statuses; the
 * run's own outcome and error, the families stopped by configuration (no one's data) and the "last
 * run" line (counts only). What goes, unless the plan was already planned for this vendor alone
 * (then the engine scoped them): orphans (a group member matching no contact belongs to no vendor),
 * tallies and the licence lines, which count over the whole tenant.
 */
import type { Plan, RunScope } from '../model/plan.js';
import { upgradePlan, upgradeRunRecord } from '../model/plan-v1.js';
import { subjectKey, type RunRecord } from '../model/run.js';
import type { ReportInput } from './model-types.js';

export interface VendorViewScope {
  /** The family whose group the vendor is (the API's vendor ids name the technicians'). */
  family: string;
  /** The vendor's account id, lower case. */
  groupId: string;
}

export function vendorView(input: ReportInput, vendor: VendorViewScope): ReportInput {
  const plan = viewPlan(upgradePlan(input.plan), vendor);
  const view: ReportInput = { ...input, plan };
  if (input.run) {
    const run = upgradeRunRecord(input.run);
    const changeIds = new Set(plan.changes.map((c) => c.id));
    const keys = new Set(plan.subjects.map((s) => subjectKey(s.subject)));
    const record: RunRecord = {
      ...run,
      scope: plan.scope,
      plan,
      results: run.results.filter((r) => changeIds.has(r.changeId)),
      statuses: Object.fromEntries(Object.entries(run.statuses).filter(([key]) => keys.has(key))),
    };
    view.run = record;
  }
  return view;
}

function viewPlan(plan: Plan, vendor: VendorViewScope): Plan {
  const scope: RunScope = { kind: 'group', family: vendor.family, groupId: vendor.groupId };
  const planned = plan.scope.kind === 'group' && plan.scope.family === vendor.family && plan.scope.groupId.toLowerCase() === vendor.groupId;
  const subjects = plan.subjects.filter((s) => s.subject.family === vendor.family && s.subject.group?.id.toLowerCase() === vendor.groupId);
  const keys = new Set(subjects.map((s) => subjectKey(s.subject)));
  // A change whose subject the plan does not list has no known vendor: it is not this vendor's.
  const changes = plan.changes.filter((c) => keys.has(subjectKey(c.subject)));
  const orphans = planned ? plan.orphans : [];
  return {
    ...plan,
    scope,
    subjects,
    changes,
    orphans,
    tallies: planned ? plan.tallies : [],
    summary: {
      ...plan.summary,
      changesByKind: countBy(changes.map((c) => c.kind)),
      subjectsByStatus: countBy(subjects.map((s) => s.status)),
      licences: planned ? plan.summary.licences : [],
      orphans: orphans.length,
      blockedRemovals: changes.filter((c) => c.blocked).length,
      errors: subjects.filter((s) => s.error).length,
    },
  };
}

function countBy<K extends string>(values: readonly K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
