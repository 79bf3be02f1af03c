/**
 * The report model: one reading of a Plan (and, for an apply, its run) that every renderer uses, so
 * text, Markdown, HTML and CSV always say the same thing. Counts are taken from the lists the report
 * shows (changes, subjects), so a summary number always matches the rows below it; only the licence
 * units come from the plan's summary, because "available" is an observation the plan alone holds.
 *
 * The model is generic over families: subjects grouped by their Subject.group, each group of one
 * family. Its words (words.ts) are the technicians' when they are the plan's only family, so a
 * technicians report reads as it always has.
 *
 * The shapes are in model-types.ts and the rows in rows.ts; they are re-exported here so callers keep
 * one import for the whole model.
 */
import type { ChangeOutcome, RunRecord } from '../model/run.js';
import type { RunScope } from '../model/plan.js';
import { upgradePlan, upgradeRunRecord } from '../model/plan-v1.js';
import { plural } from './format.js';
import { CHANGE_OUTCOME_LABELS, RUN_OUTCOME_DESCRIPTIONS, RUN_OUTCOME_LABELS, TRIGGER_LABELS } from './labels.js';
import { groupSections } from './group-section.js';
import { groupSubjects, reportSubjects } from './rows.js';
import { summarise } from './summary.js';
import type { ReportFailure, ReportInput, ReportModel, ReportNotice, ReportRun, ReportSubject } from './model-types.js';
import { familyWords, wordsFor, type ReportWords } from './words.js';

export type {
  LastRunInput,
  ReportChange,
  ReportFailure,
  ReportFamilyStop,
  ReportField,
  ReportGroup,
  ReportInput,
  ReportLastRun,
  ReportLicence,
  ReportModel,
  ReportNotice,
  ReportRun,
  ReportSubject,
  ReportSummary,
  ReportTally,
} from './model-types.js';
export type { ReportWords } from './words.js';
export type { ReportGroupSection, ReportNeedsPerson, ReportObject, ReportSectionChange, ReportSectionMember } from './group-section.js';

export function buildReport(given: ReportInput): ReportModel {
  // A plan of version 1 (a run record stored before families) reads as version 2, and its run as
  // today's record: scope, results by subject key, statuses by subject key (src/model/plan-v1.ts).
  const input: ReportInput = {
    ...given,
    plan: upgradePlan(given.plan),
    ...(given.run ? { run: upgradeRunRecord(given.run) } : {}),
  };
  const { plan, run } = input;
  const applied = run?.mode === 'apply';
  const subjects = reportSubjects(plan, run);
  const families = [...new Set(subjects.map((s) => s.family))];
  const words = wordsFor(families);
  const groups = groupSubjects(subjects, families);
  const summary = summarise(input, subjects, applied, words);
  const model: ReportModel = {
    title: applied ? words.title.applied : words.title.dryRun,
    generatedAt: plan.generatedAt,
    scope: plan.scope,
    scopeText: scopeText(plan.scope, subjects, words),
    dryRun: !applied,
    modeNotice: applied
      ? `This run applied the changes below (run ${run.runId}); each change shows its outcome.`
      : 'Dry run: nothing has been changed. This is what the next run would do.',
    families,
    words,
    summary,
    groups,
    groupSections: groupSections(groups),
    orphans: plan.orphans.map((o) => ({
      ...o,
      kindLabel: o.kind === 'group-member' ? 'Technician group member' : 'Bookable resource',
    })),
    tallies: plan.tallies.filter((t) => t.rows.length > 0),
    stoppedFamilies: (plan.stoppedFamilies ?? []).map((f) => ({ ...f, name: familyWords(f.family).familyName || f.family })),
    source: input,
  };
  const notice = noticeOf(input);
  if (notice) model.notice = notice;
  // A dry run has nothing to report beyond the plan, unless it stopped with a run-level error.
  if (run && (applied || run.error)) model.run = reportRun(run);
  const failure = run ? failureOf(run) : undefined;
  if (failure) {
    model.failure = failure;
    // "Nothing needs to change" would read as good news for a run that never saw the tenant.
    if (failure.beforePlan) model.summary = { ...model.summary, headline: `The run could not read and plan the tenant (${run!.error!.code}): this report shows nothing of it.` };
  }
  return model;
}

/** Said at the top of the report of a plan-mode deployment (docs/deploy.md "The first deployment only reports"). */
export const PLAN_MODE_NOTICE =
  'This deployment is in plan mode (RECONCILE_MODE=plan): the scheduled run only reports and changes nothing. Set RECONCILE_MODE=apply to let it change the tenant.';

/**
 * The timer dry-runs only in plan mode (src/app/scheduled-run.ts), so its record says which mode it
 * ran in without storing the setting: a report rendered later, after the switch to apply, still
 * tells the truth about that run. A caller that knows the app's mode can pass it for any report.
 */
function noticeOf(input: ReportInput): ReportNotice | undefined {
  const timerDryRun = input.run?.trigger === 'timer' && input.run.mode === 'dry-run';
  return timerDryRun || input.reconcileMode === 'plan' ? { kind: 'plan-mode', text: PLAN_MODE_NOTICE } : undefined;
}

/** Failed or stopped with a run-level error; `beforePlan` when it ended before it had a plan. */
function failureOf(run: RunRecord): (ReportFailure & { beforePlan: boolean }) | undefined {
  if (!run.error || (run.outcome !== 'failed' && run.outcome !== 'stopped')) return undefined;
  const beforePlan = run.plan.subjects.length === 0 && run.plan.changes.length === 0 && run.results.length === 0;
  const title = run.outcome === 'failed' ? 'The run failed' : 'The run stopped early';
  const meaning = beforePlan
    ? 'It ended before it could read and plan the tenant, so nothing was changed and the report below is empty: that does not mean nothing needs to change.'
    : run.outcome === 'failed'
      ? 'Changes after the error were not sent (they show as not reached); nothing already applied is undone.'
      : 'Changes after the stop were not reached; the next run picks them up.';
  return { title, meaning, error: run.error, beforePlan };
}

function scopeText(scope: RunScope, subjects: ReportSubject[], words: ReportWords): string {
  switch (scope.kind) {
    case 'tenant':
      return words.tenantScope;
    case 'group': {
      const name = subjects.find((c) => c.family === scope.family && c.groupId === scope.groupId && c.groupName)?.groupName;
      return `One ${words.group}: ${name ?? scope.groupId}.`;
    }
    case 'subjects': {
      const names = scope.subjectIds.map(
        (id) => subjects.find((c) => c.family === scope.family && c.subjectId === id)?.displayName ?? `${words.subject} ${id}`,
      );
      return names.length <= 5
        ? `${plural(names.length, `chosen ${words.subject}`)}: ${names.join(', ')}.`
        : `${plural(names.length, `chosen ${words.subject}`)}.`;
    }
  }
}

function reportRun(run: RunRecord): ReportRun {
  const counts = new Map<ChangeOutcome, number>();
  for (const r of run.results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const order: ChangeOutcome[] = ['applied', 'failed', 'skipped', 'blocked', 'not_reached'];
  const rr: ReportRun = {
    runId: run.runId,
    mode: run.mode,
    trigger: run.trigger,
    triggerText: TRIGGER_LABELS[run.trigger] ?? run.trigger,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    outcome: run.outcome,
    outcomeLabel: RUN_OUTCOME_LABELS[run.outcome] ?? run.outcome,
    outcomeDescription: RUN_OUTCOME_DESCRIPTIONS[run.outcome] ?? '',
    resultCounts: order
      .filter((o) => (counts.get(o) ?? 0) > 0)
      .map((o) => ({ outcome: o, label: CHANGE_OUTCOME_LABELS[o], count: counts.get(o) ?? 0 })),
  };
  if (run.error) rr.error = run.error;
  return rr;
}
