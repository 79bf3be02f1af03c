/**
 * The summary at the top of every report, in the order an admin asks the questions: what will change,
 * where does everyone stand, is there a licence for everyone, what is held back, how did the last run go.
 * Sentences are written here once so every format says them the same way.
 */
import { REMOVALS_HELD } from '../engine/guards/hold.js';
import type { ChangeKind, Plan, ProvisioningStatus } from '../model/plan.js';
import { CHANGE_KIND_ORDER, REMOVAL_KINDS } from '../kinds.js';
import { formatDateTime, plural, shortId } from './format.js';
import { CHANGE_KIND_LABELS, PROVISIONING_STATUSES, RELEASE_HINT, RUN_OUTCOME_LABELS, STATUS_LABELS } from './labels.js';
import type { ReportChange, ReportInput, ReportLastRun, ReportLicence, ReportSubject, ReportSummary } from './model-types.js';
import type { ReportWords } from './words.js';

export function summarise(input: ReportInput, subjects: ReportSubject[], applied: boolean, words: ReportWords): ReportSummary {
  const changes = subjects.flatMap((c) => c.changes);
  const errors = subjects.filter(hasError).length;
  const blockedRemovalItems = subjects.flatMap((c) =>
    c.changes
      .filter(isBlockedRemoval)
      .map((ch) => ({ family: c.family, subjectId: c.subjectId, subjectName: c.displayName, changeId: ch.id, label: ch.label })),
  );
  // Removals nothing holds back (a removal held by quarantine is neither the threshold's nor "not held back").
  const otherRemovals = changes.filter((ch) => REMOVAL_KINDS.has(ch.kind) && !isHeld(ch)).length;
  const subjectsByStatus = countStatuses(subjects);
  const waiting = subjectsByStatus.find((s) => s.status === 'waiting_for_dataverse_user')?.count ?? 0;

  const notes: string[] = [];
  if (waiting > 0) {
    notes.push(
      `${plural(waiting, `${words.member} is`, `${words.member}s are`)} waiting for Dataverse to create their user from Entra; this resolves on its own.`,
    );
  }

  return {
    headline: headline(changes, subjects, errors, applied, words),
    notes,
    totalChanges: changes.length,
    subjectsWithChanges: subjects.filter((c) => c.changes.length > 0).length,
    totalSubjects: subjects.length,
    changesByKind: countKinds(changes),
    subjectsByStatus,
    licences: licences(input, words),
    orphans: input.plan.orphans.length,
    blockedRemovals: blockedRemovalItems.length,
    blockedRemovalNotice: blockedRemovalNotice(blockedRemovalItems.length, otherRemovals, applied),
    blockedRemovalItems,
    errors,
    lastRun: lastRun(input, errors),
  };
}

export function hasError(c: ReportSubject): boolean {
  return c.error !== undefined || c.changes.some((ch) => ch.result?.outcome === 'failed');
}

/** Held back by any guard (the plan's `blocked`, or the run's `blocked` outcome). */
function isHeld(ch: ReportChange): boolean {
  return ch.blocked !== undefined || ch.result?.outcome === 'blocked';
}

/**
 * A removal the removal threshold guard holds back (code REMOVALS_HELD, src/engine/guards/). Removals
 * held by quarantine are not counted: the threshold notice and its release do not concern them.
 */
export function isBlockedRemoval(ch: ReportChange): boolean {
  if (!REMOVAL_KINDS.has(ch.kind)) return false;
  if (ch.blocked) return ch.blocked.code === REMOVALS_HELD;
  return ch.result?.outcome === 'blocked' && ch.result.error?.code === REMOVALS_HELD;
}

function headline(changes: ReportChange[], subjects: ReportSubject[], errors: number, applied: boolean, words: ReportWords): string {
  const one = words.subject;
  const withChanges = subjects.filter((c) => c.changes.length > 0).length;
  const errorSentence =
    errors > 0 ? ` ${plural(errors, `${one} has an error`, `${one}s have an error`)} an admin needs to look at (see below).` : '';
  if (changes.length === 0) {
    if (errors > 0) return `Nothing is planned to change, but${errorSentence}`;
    return subjects.length === 0
      ? `Nothing needs to change: there is no ${words.member === one ? one : `${words.member} ${one}`} in scope.`
      : `Nothing needs to change for the ${plural(subjects.length, one)} in scope.`;
  }
  const heldBack = changes.filter(isHeld).length;
  const heldSentence = heldBack > 0 ? ` ${plural(heldBack, 'change is', 'changes are')} held back.` : '';
  if (!applied) {
    return `${plural(changes.length, 'change is', 'changes are')} planned for ${plural(withChanges, one)}.${heldSentence}${errorSentence}`;
  }
  const count = (o: string): number => changes.filter((c) => c.result?.outcome === o).length;
  const parts = [
    count('failed') > 0 ? `${count('failed')} failed` : '',
    count('skipped') > 0 ? `${count('skipped')} skipped` : '',
    count('not_reached') > 0 ? `${count('not_reached')} not reached` : '',
  ].filter((p) => p !== '');
  const rest = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  return `${count('applied')} of ${plural(changes.length, 'change')} applied for ${plural(withChanges, one)}${rest}.${heldSentence}${errorSentence}`;
}

/**
 * One line per SKU the plan draws on (a second SKU is a second line). A plan that draws on none (a
 * run that stopped before planning) still has the one line reports always showed: 0 needed.
 */
function licences(input: ReportInput, words: ReportWords): ReportLicence[] {
  const listed = input.plan.summary.licences;
  const lines = listed.length > 0 ? listed : [{ skuId: '', skuPartNumber: null, unitsNeeded: 0, unitsAvailable: null }];
  return lines.map((l) => licenceLine(l, words));
}

function licenceLine(l: Plan['summary']['licences'][number], words: ReportWords): ReportLicence {
  const skuName = l.skuPartNumber ?? shortId(l.skuId);
  const shortage = l.unitsAvailable === null ? 0 : Math.max(0, l.unitsNeeded - Math.max(0, l.unitsAvailable));
  let warning: string | null = null;
  if (shortage > 0) {
    const available = Math.max(0, l.unitsAvailable ?? 0);
    const who =
      available === 0
        ? `No ${words.member} can get a licence now`
        : `${plural(available, `${words.member} gets`, `${words.member}s get`)} a licence, in a stable order`;
    warning =
      `Not enough licence units: ${l.unitsNeeded} needed, ${available} available (${skuName}). ` +
      `${who}; the other ${shortage} ${shortage === 1 ? 'is' : 'are'} marked "No licence units" until more units are bought or freed.`;
  }
  return { skuId: l.skuId, skuName, unitsNeeded: l.unitsNeeded, unitsAvailable: l.unitsAvailable, shortage, warning };
}

function blockedRemovalNotice(blocked: number, otherRemovals: number, applied: boolean): string | null {
  if (blocked === 0) return null;
  const held = `${plural(blocked, 'removal is', 'removals are')} held back by the threshold guard`;
  if (otherRemovals === 0) return `No removal was applied: ${held}; ${RELEASE_HINT}`;
  const others = `${plural(otherRemovals, 'other removal')} ${applied ? (otherRemovals === 1 ? 'was' : 'were') : (otherRemovals === 1 ? 'is' : 'are')} not held back`;
  return `${held[0]?.toUpperCase()}${held.slice(1)} (${others}); ${RELEASE_HINT}`;
}

function lastRun(input: ReportInput, errors: number): ReportLastRun | null {
  const { run } = input;
  const last =
    input.lastRun ??
    (run?.mode === 'apply'
      ? {
          runId: run.runId,
          finishedAt: run.finishedAt,
          outcome: run.outcome,
          mode: run.mode,
          errors: errors + (run.error ? 1 : 0),
          changesApplied: run.results.filter((r) => r.outcome === 'applied').length,
          ...(run.error ? { error: run.error } : {}),
        }
      : undefined);
  if (!last) return null;
  const outcomeLabel = RUN_OUTCOME_LABELS[last.outcome] ?? last.outcome;
  const what = last.mode === 'dry-run' ? 'a dry run' : `${plural(last.changesApplied, 'change')} applied`;
  let sentence = `${formatDateTime(last.finishedAt)}, ${outcomeLabel.toLowerCase()}: ${what}, ${plural(last.errors, 'error')} (run ${last.runId}).`;
  if (last.error) sentence += ` ${last.error.message} What to do: ${last.error.action}`;
  return { ...last, outcomeLabel, sentence };
}

function countStatuses(subjects: ReportSubject[]): ReportSummary['subjectsByStatus'] {
  const counts = new Map<ProvisioningStatus, number>();
  for (const c of subjects) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  const known = PROVISIONING_STATUSES.filter((s) => counts.has(s));
  const unknown = [...counts.keys()].filter((s) => !PROVISIONING_STATUSES.includes(s));
  return [...known, ...unknown].map((s) => ({ status: s, label: STATUS_LABELS[s] ?? s, count: counts.get(s) ?? 0 }));
}

function countKinds(changes: ReportChange[]): ReportSummary['changesByKind'] {
  const counts = new Map<ChangeKind, number>();
  for (const ch of changes) counts.set(ch.kind, (counts.get(ch.kind) ?? 0) + 1);
  const unknown = [...counts.keys()].filter((k) => !CHANGE_KIND_ORDER.includes(k));
  return [...CHANGE_KIND_ORDER.filter((k) => counts.has(k)), ...unknown].map((k) => ({
    kind: k,
    label: CHANGE_KIND_LABELS[k] ?? k,
    count: counts.get(k) ?? 0,
  }));
}
