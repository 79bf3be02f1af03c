/**
 * The report model: one reading of a Plan (and, for an apply, its run) that every renderer uses, so
 * text, Markdown, HTML and CSV always say the same thing. Counts are taken from the lists the report
 * shows (changes, contacts), so a summary number always matches the rows below it; only the licence
 * units come from the plan's summary, because "available" is an observation the plan alone holds.
 *
 * Values stay raw here (unknown); each renderer formats and escapes them for its own medium.
 */
import type { ChangeOutcome, ChangeResult, RunRecord } from '../model/run.js';
import type {
  Change,
  ChangeKind,
  ChangeTarget,
  ContactPlan,
  ErrorInfo,
  Orphan,
  Plan,
  ProvisioningStatus,
  RunScope,
  TargetEntity,
} from '../model/plan.js';
import { plural, sameValue, shortId } from './format.js';
import {
  CHANGE_KIND_LABELS,
  CHANGE_OUTCOME_DESCRIPTIONS,
  CHANGE_OUTCOME_LABELS,
  ENTITY_LABELS,
  RUN_OUTCOME_DESCRIPTIONS,
  RUN_OUTCOME_LABELS,
  STATUS_DESCRIPTIONS,
  STATUS_LABELS,
  TRIGGER_LABELS,
  fieldLabel,
  fieldValue,
} from './labels.js';
import { isCreatedRef } from '../engine/ids.js';
import { hasError, summarise } from './summary.js';

export type LastRunInput = Pick<RunRecord, 'runId' | 'finishedAt' | 'outcome' | 'error' | 'mode'> & {
  errors: number;
  changesApplied: number;
};

export interface ReportInput {
  plan: Plan;
  /** The run that produced (dry run) or applied this plan, if any. */
  run?: RunRecord;
  /** The latest stored run's summary, for the "last run" line. Defaults to `run` when it is an apply. */
  lastRun?: LastRunInput;
}

export interface ReportField {
  field: string;
  label: string;
  before: unknown;
  after: unknown;
  /** When the new value is only known once a change this one depends on has run (a new object's id). */
  afterFrom?: string;
}

export interface ReportChange {
  id: string;
  kind: ChangeKind;
  label: string;
  target: ChangeTarget & { entityLabel: string; createdByLabel?: string };
  /** create: the object does not exist yet; remove: `after` is null; update: the rest. */
  shape: 'create' | 'update' | 'remove';
  /** The fields the change alters (for an update, only those whose value differs). */
  fields: ReportField[];
  reason: string;
  dependsOn: string[];
  blocked?: { code: string; reason: string };
  /** For an applied run only: what happened to this change. */
  result?: { outcome: ChangeOutcome; label: string; error?: ErrorInfo; createdId?: string };
  /** One short phrase: "Planned", "Held back: …", or the run's outcome. */
  outcomeText: string;
}

export interface ReportContact {
  contactId: string;
  displayName: string;
  vendorId: string | null;
  vendorName: string | null;
  intent: ContactPlan['intent'];
  status: ProvisioningStatus;
  statusLabel: string;
  statusDescription: string;
  error?: ErrorInfo;
  /** The error stored on the contact by an earlier run, when this plan found none (o25fs_provisioningerror). */
  lastRecordedError?: string;
  changes: ReportChange[];
  /** Out-of-scope contacts: what still exists. */
  remains?: string[];
}

export interface ReportVendor {
  vendorId: string | null;
  name: string;
  contacts: ReportContact[];
  changeCount: number;
  errorCount: number;
}

export interface ReportLastRun extends LastRunInput {
  outcomeLabel: string;
  sentence: string;
}

export interface ReportSummary {
  headline: string;
  /** Further plain sentences (e.g. contacts waiting for Dataverse's user sync). */
  notes: string[];
  totalChanges: number;
  contactsWithChanges: number;
  totalContacts: number;
  changesByKind: { kind: ChangeKind; label: string; count: number }[];
  contactsByStatus: { status: ProvisioningStatus; label: string; count: number }[];
  licence: {
    skuId: string;
    skuName: string;
    unitsNeeded: number;
    unitsAvailable: number | null;
    /** Units missing; 0 when enough (or unknown). */
    shortage: number;
    warning: string | null;
  };
  orphans: number;
  blockedRemovals: number;
  blockedRemovalNotice: string | null;
  blockedRemovalItems: { contactId: string; contactName: string; changeId: string; label: string }[];
  /** Contacts with an error to act on. */
  errors: number;
  lastRun: ReportLastRun | null;
}

export interface ReportRun {
  runId: string;
  mode: RunRecord['mode'];
  trigger: RunRecord['trigger'];
  /** "the scheduled timer", "a manual trigger", "the command line". */
  triggerText: string;
  startedAt: string;
  finishedAt: string;
  outcome: RunRecord['outcome'];
  outcomeLabel: string;
  outcomeDescription: string;
  error?: ErrorInfo;
  resultCounts: { outcome: ChangeOutcome; label: string; count: number }[];
}

export interface ReportModel {
  title: string;
  generatedAt: string;
  scope: RunScope;
  scopeText: string;
  /** True unless this is the report of an apply. */
  dryRun: boolean;
  /** One sentence under the title: dry run or applied. */
  modeNotice: string;
  summary: ReportSummary;
  vendors: ReportVendor[];
  orphans: (Orphan & { kindLabel: string })[];
  run?: ReportRun;
  /** The inputs as given, for the JSON renderer. */
  source: ReportInput;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

export function buildReport(input: ReportInput): ReportModel {
  const { plan, run } = input;
  const applied = run?.mode === 'apply';
  const results = new Map<string, ChangeResult>(applied ? run.results.map((r) => [r.changeId, r]) : []);
  const changesById = new Map(plan.changes.map((c) => [c.id, c]));

  // Every change lands under a contact; a change whose contact the plan does not list still shows.
  const contactPlans = [...plan.contacts];
  const known = new Set(contactPlans.map((c) => c.contactId));
  for (const change of plan.changes) {
    if (known.has(change.contactId)) continue;
    known.add(change.contactId);
    contactPlans.push({
      contactId: change.contactId, vendorId: null, vendorName: null, displayName: '', intent: 'provision',
      status: 'pending', storedStatus: null, storedError: null, changeIds: [],
    });
  }
  const changesByContact = new Map<string, Change[]>();
  for (const change of plan.changes) {
    const list = changesByContact.get(change.contactId) ?? [];
    list.push(change);
    changesByContact.set(change.contactId, list);
  }

  const contacts = contactPlans.map((cp): ReportContact => {
    const status = (applied ? run.statuses[cp.contactId] : undefined) ?? cp.status;
    const contact: ReportContact = {
      contactId: cp.contactId,
      displayName: cp.displayName.trim() === '' ? '(no name)' : cp.displayName,
      vendorId: cp.vendorId,
      vendorName: cp.vendorName,
      intent: cp.intent,
      status,
      statusLabel: STATUS_LABELS[status] ?? status,
      statusDescription: STATUS_DESCRIPTIONS[status] ?? '',
      changes: (changesByContact.get(cp.contactId) ?? []).map((c) =>
        reportChange(c, changesById, results, applied ? results.get(c.id) ?? null : undefined),
      ),
    };
    if (cp.error) contact.error = cp.error;
    else if (cp.storedError && !applied) contact.lastRecordedError = cp.storedError;
    if (cp.remains) contact.remains = cp.remains;
    return contact;
  });

  const vendors = groupByVendor(contacts);
  const summary = summarise(input, contacts, applied);
  const model: ReportModel = {
    title: applied
      ? 'Vendor technicians: what vendor-reconciler changed'
      : 'Vendor technicians: what vendor-reconciler would change',
    generatedAt: plan.generatedAt,
    scope: plan.scope,
    scopeText: scopeText(plan.scope, contacts),
    dryRun: !applied,
    modeNotice: applied
      ? `This run applied the changes below (run ${run.runId}); each change shows its outcome.`
      : 'Dry run: nothing has been changed. This is what the next run would do.',
    summary,
    vendors,
    orphans: plan.orphans.map((o) => ({
      ...o,
      kindLabel: o.kind === 'group-member' ? 'Technician group member' : 'Bookable resource',
    })),
    source: input,
  };
  // A dry run has nothing to report beyond the plan, unless it stopped with a run-level error.
  if (run && (applied || run.error)) model.run = reportRun(run);
  return model;
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

function groupByVendor(contacts: ReportContact[]): ReportVendor[] {
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

function scopeText(scope: RunScope, contacts: ReportContact[]): string {
  switch (scope.kind) {
    case 'tenant':
      return 'The whole tenant: every contact with Setup technician on.';
    case 'vendor': {
      const name = contacts.find((c) => c.vendorId === scope.vendorId && c.vendorName)?.vendorName;
      return `One vendor: ${name ?? scope.vendorId}.`;
    }
    case 'contacts': {
      const names = scope.contactIds.map(
        (id) => contacts.find((c) => c.contactId === id)?.displayName ?? `contact ${id}`,
      );
      return names.length <= 5
        ? `${plural(names.length, 'chosen contact')}: ${names.join(', ')}.`
        : `${plural(names.length, 'chosen contact')}.`;
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
