/**
 * The rows of the report: one per change, gathered under its subject, and the subjects under their
 * group (for technicians: changes under the contact, contacts under their vendor). A row carries
 * labels and outcome phrases ready to print, so every renderer reads the same words.
 */
import { subjectKey, type ChangeResult, type RunRecord } from '../model/run.js';
import type { Change, Plan, TargetEntity } from '../model/plan.js';
import { sameValue, shortId } from './format.js';
import {
  CHANGE_KIND_LABELS,
  CHANGE_OUTCOME_DESCRIPTIONS,
  CHANGE_OUTCOME_LABELS,
  ENTITY_LABELS,
  STATUS_DESCRIPTIONS,
  STATUS_LABELS,
  fieldLabel,
  fieldValue,
} from './labels.js';
import { isCreatedRef } from '../engine/kind.js';
import { hasError } from './summary.js';
import type { ReportChange, ReportField, ReportGroup, ReportSubject } from './model-types.js';
import { familyWords, type ReportWords } from './words.js';

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** The subjects in plan order, each with its changes and, after an apply, each change's result. */
export function reportSubjects(plan: Plan, run: RunRecord | undefined): ReportSubject[] {
  const applied = run?.mode === 'apply';
  const results = new Map<string, ChangeResult>(applied ? run.results.map((r) => [r.changeId, r]) : []);
  const changesById = new Map(plan.changes.map((c) => [c.id, c]));

  // Every change lands under a subject; a change whose subject the plan does not list still shows.
  // Subjects are told apart by family and id (subjectKey): two families may share an id.
  const subjectPlans = [...plan.subjects];
  const known = new Set(subjectPlans.map((s) => subjectKey(s.subject)));
  for (const change of plan.changes) {
    const key = subjectKey(change.subject);
    if (known.has(key)) continue;
    known.add(key);
    subjectPlans.push({
      subject: { ...change.subject, displayName: '', group: null }, intent: 'provision',
      status: 'pending', storedStatus: null, storedError: null, changeIds: [],
    });
  }
  const changesBySubject = new Map<string, Change[]>();
  for (const change of plan.changes) {
    const key = subjectKey(change.subject);
    const list = changesBySubject.get(key) ?? [];
    list.push(change);
    changesBySubject.set(key, list);
  }

  return subjectPlans.map((cp): ReportSubject => {
    const { family, table, id, displayName, group } = cp.subject;
    const key = subjectKey(cp.subject);
    const status = (applied ? run.statuses[key] : undefined) ?? cp.status;
    const subject: ReportSubject = {
      family,
      subjectId: id,
      table,
      // A deleted contact is planned from its guest (reconcilers/technicians/deleted-contacts.ts); every format says so.
      displayName: `${displayName.trim() === '' ? '(no name)' : displayName}${cp.deleted ? ' (contact deleted)' : ''}`,
      groupId: group?.id ?? null,
      groupName: group?.name ?? null,
      intent: cp.intent,
      status,
      statusLabel: STATUS_LABELS[status] ?? status,
      statusDescription: STATUS_DESCRIPTIONS[status] ?? '',
      changes: (changesBySubject.get(key) ?? []).map((c) =>
        reportChange(c, changesById, results, applied ? results.get(c.id) ?? null : undefined),
      ),
    };
    if (cp.error) subject.error = cp.error;
    else if (cp.storedError && !applied) subject.lastRecordedError = cp.storedError;
    if (cp.warnings && cp.warnings.length > 0) subject.warnings = cp.warnings;
    if (cp.remains) subject.remains = cp.remains;
    if (cp.detail) subject.detail = cp.detail;
    if (cp.deleted) subject.statusDescription = `The contact was deleted; the access its guest still had is removed (the guest is kept). ${subject.statusDescription}`;
    return subject;
  });
}

function reportChange(
  change: Change,
  changesById: Map<string, Change>,
  results: Map<string, ChangeResult>,
  result: ChangeResult | null | undefined,
): ReportChange {
  const shape = change.before === null ? 'create' : change.after === null ? 'remove' : 'update';
  const target: ReportChange['target'] = { ...change.target, entityLabel: entityLabel(change.target.entity) };
  // An invitation names itself as the creator of its user: that is just "new".
  const createdBy = change.target.createdBy === change.id ? undefined : change.target.createdBy;
  const creator = createdBy ? changesById.get(createdBy) : undefined;
  if (creator) target.createdByLabel = CHANGE_KIND_LABELS[creator.kind];
  const rc: ReportChange = {
    id: change.id,
    kind: change.kind,
    label: CHANGE_KIND_LABELS[change.kind] ?? change.kind,
    target,
    shape,
    fields: changedFields(change, changesById, results),
    reason: change.reason,
    dependsOn: change.dependsOn,
    outcomeText: change.blocked ? `Held back: ${change.blocked.reason}` : 'Planned',
  };
  if (change.blocked) rc.blocked = change.blocked;
  if (result === null) {
    rc.outcomeText = 'No result recorded';
  } else if (result !== undefined) {
    rc.result = { outcome: result.outcome, label: CHANGE_OUTCOME_LABELS[result.outcome] };
    if (result.error) rc.result.error = result.error;
    if (result.createdId) rc.result.createdId = result.createdId;
    const guard = change.blocked?.reason ?? result.error?.message;
    rc.outcomeText =
      result.outcome === 'blocked' && guard
        ? `Held back: ${guard}`
        : (CHANGE_OUTCOME_DESCRIPTIONS[result.outcome] ?? result.outcome);
  }
  return rc;
}

function entityLabel(entity: TargetEntity): string {
  return ENTITY_LABELS[entity] ?? entity;
}

/**
 * The fields worth showing: all of a new or removed object's, only the differing ones of an update.
 * A value only known once an earlier change has run (`{ createdBy }`, e.g. the invited user's id that
 * contact.anchor writes) shows as "the new id, from …", or, after an apply, as the id it received.
 */
function changedFields(
  change: Change,
  changesById: Map<string, Change>,
  results: Map<string, ChangeResult>,
): ReportField[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  const field = (k: string): ReportField => {
    const f: ReportField = { field: k, label: fieldLabel(k), before: fieldValue(k, before[k], change.target.entity), after: fieldValue(k, after[k], change.target.entity) };
    const ref = after[k];
    if (isCreatedRef(ref)) {
      const createdId = results.get(ref.createdBy)?.createdId;
      if (createdId) f.after = createdId;
      else f.afterFrom = CHANGE_KIND_LABELS[changesById.get(ref.createdBy)?.kind ?? 'user.invite'] ?? ref.createdBy;
    }
    return f;
  };
  if (change.before === null || change.after === null) return keys.map(field);
  const differing = keys.filter((k) => !sameValue(before[k], after[k]));
  return (differing.length > 0 ? differing : keys).map(field);
}

/**
 * The subjects under their groups (Subject.group: for technicians, the vendor). Groups of one family
 * stay together, families in the order given; within a family: named groups by name, then groups
 * whose name is unknown, then the subjects with no group. With more than one family, each heading
 * names its family.
 */
export function groupSubjects(subjects: ReportSubject[], families: readonly string[]): ReportGroup[] {
  const named = families.length > 1;
  const byGroup = new Map<string, ReportGroup>();
  for (const c of subjects) {
    const key = `${c.family}/${c.groupId ?? ''}`;
    let v = byGroup.get(key);
    if (!v) {
      // A group heading speaks its own family's words ("No vendor"), whatever else the report holds.
      const name = groupName(c, familyWords(c.family));
      v = { family: c.family, groupId: c.groupId, name: named ? `${name} (${c.family})` : name, subjects: [], changeCount: 0, errorCount: 0 };
      byGroup.set(key, v);
    }
    v.subjects.push(c);
    v.changeCount += c.changes.length;
    if (hasError(c)) v.errorCount += 1;
  }
  const groups = [...byGroup.values()];
  for (const v of groups) {
    v.subjects.sort((a, b) => collator.compare(a.displayName, b.displayName) || compareIds(a.subjectId, b.subjectId));
  }
  const familyRank = (v: ReportGroup): number => families.indexOf(v.family);
  // Named groups by name, then groups whose name is unknown, then "No vendor".
  const rank = (v: ReportGroup): number => (v.groupId === null ? 2 : v.subjects.some((c) => c.groupName) ? 0 : 1);
  return groups.sort(
    (a, b) => familyRank(a) - familyRank(b) || rank(a) - rank(b) || collator.compare(a.name, b.name) || compareIds(a.groupId ?? '', b.groupId ?? ''),
  );
}

function groupName(c: ReportSubject, words: ReportWords): string {
  if (c.groupId === null) return words.noGroup;
  const name = c.groupName?.trim();
  return name ? name : `${words.unnamedGroup} ${shortId(c.groupId)}`;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
