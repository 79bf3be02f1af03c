/**
 * The rows of the report: one per change, gathered under its contact, and the contacts under their
 * vendor. A row carries labels and outcome phrases ready to print, so every renderer reads the same words.
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
import { isCreatedRef } from '../engine/ids.js';
import { hasError } from './summary.js';
import type { ReportChange, ReportContact, ReportField, ReportVendor } from './model-types.js';

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** The subjects in plan order (shown as contacts), each with its changes and, after an apply, each change's result. */
export function reportContacts(plan: Plan, run: RunRecord | undefined): ReportContact[] {
  const applied = run?.mode === 'apply';
  const results = new Map<string, ChangeResult>(applied ? run.results.map((r) => [r.changeId, r]) : []);
  const changesById = new Map(plan.changes.map((c) => [c.id, c]));

  // Every change lands under a subject; a change whose subject the plan does not list still shows.
  const subjectPlans = [...plan.subjects];
  const known = new Set(subjectPlans.map((s) => s.subject.id));
  for (const change of plan.changes) {
    if (known.has(change.subject.id)) continue;
    known.add(change.subject.id);
    subjectPlans.push({
      subject: { ...change.subject, displayName: '', group: null }, intent: 'provision',
      status: 'pending', storedStatus: null, storedError: null, changeIds: [],
    });
  }
  const changesBySubject = new Map<string, Change[]>();
  for (const change of plan.changes) {
    const list = changesBySubject.get(change.subject.id) ?? [];
    list.push(change);
    changesBySubject.set(change.subject.id, list);
  }

  return subjectPlans.map((cp): ReportContact => {
    const { id, displayName, group } = cp.subject;
    const status = (applied ? run.statuses[subjectKey(cp.subject)] : undefined) ?? cp.status;
    const contact: ReportContact = {
      contactId: id,
      // A deleted contact is planned from its guest (src/engine/deleted-contacts.ts); every format says so.
      displayName: `${displayName.trim() === '' ? '(no name)' : displayName}${cp.deleted ? ' (contact deleted)' : ''}`,
      vendorId: group?.id ?? null,
      vendorName: group?.name ?? null,
      intent: cp.intent,
      status,
      statusLabel: STATUS_LABELS[status] ?? status,
      statusDescription: STATUS_DESCRIPTIONS[status] ?? '',
      changes: (changesBySubject.get(id) ?? []).map((c) =>
        reportChange(c, changesById, results, applied ? results.get(c.id) ?? null : undefined),
      ),
    };
    if (cp.error) contact.error = cp.error;
    else if (cp.storedError && !applied) contact.lastRecordedError = cp.storedError;
    if (cp.remains) contact.remains = cp.remains;
    if (cp.deleted) contact.statusDescription = `The contact was deleted; the access its guest still had is removed (the guest is kept). ${contact.statusDescription}`;
    return contact;
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
    const f: ReportField = { field: k, label: fieldLabel(k), before: fieldValue(k, before[k]), after: fieldValue(k, after[k]) };
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

export function groupByVendor(contacts: ReportContact[]): ReportVendor[] {
  const byVendor = new Map<string, ReportVendor>();
  for (const c of contacts) {
    const key = c.vendorId ?? '';
    let v = byVendor.get(key);
    if (!v) {
      v = { vendorId: c.vendorId, name: vendorName(c), contacts: [], changeCount: 0, errorCount: 0 };
      byVendor.set(key, v);
    }
    v.contacts.push(c);
    v.changeCount += c.changes.length;
    if (hasError(c)) v.errorCount += 1;
  }
  const vendors = [...byVendor.values()];
  for (const v of vendors) {
    v.contacts.sort((a, b) => collator.compare(a.displayName, b.displayName) || compareIds(a.contactId, b.contactId));
  }
  // Named vendors by name, then vendors whose name is unknown, then "No vendor".
  const rank = (v: ReportVendor): number => (v.vendorId === null ? 2 : v.contacts.some((c) => c.vendorName) ? 0 : 1);
  return vendors.sort(
    (a, b) => rank(a) - rank(b) || collator.compare(a.name, b.name) || compareIds(a.vendorId ?? '', b.vendorId ?? ''),
  );
}

function vendorName(c: ReportContact): string {
  if (c.vendorId === null) return 'No vendor';
  const name = c.vendorName?.trim();
  return name ? name : `Vendor ${shortId(c.vendorId)}`;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
