/**
 * Version 1 of the plan JSON (before families, issue 11) and its reading as version 2, and the run
 * record around it. Run records stored before families hold a v1 plan and a v1 scope, results that
 * name a `contactId` and statuses keyed by the bare contact id; the run history upgrades them as it
 * reads them, so the report and the API only ever see version 2. docs/plan-format.md has the
 * mapping, field by field; this file is that mapping as code.
 */
import type { ChangeKind, Plan, ProvisioningStatus, RunScope, Subject, SubjectPlan } from './plan.js';
import { PLAN_VERSION, type Change } from './plan.js';
import { parseSubjectKey, subjectKey, type ChangeResult, type RunRecord } from './run.js';

/** The scope as version 1 wrote it (and as the CLI's --vendor/--contact and the API still name it). */
export type RunScopeV1 =
  | { kind: 'tenant' }
  | { kind: 'vendor'; vendorId: string }
  | { kind: 'contacts'; contactIds: string[] };

export type ChangeV1 = Omit<Change, 'subject'> & { contactId: string };

export type ContactPlanV1 = Omit<SubjectPlan, 'subject'> & {
  contactId: string;
  vendorId: string | null;
  vendorName: string | null;
  displayName: string;
};

export interface PlanV1 {
  version: 1;
  generatedAt: string;
  scope: RunScopeV1;
  changes: ChangeV1[];
  contacts: ContactPlanV1[];
  orphans: Plan['orphans'];
  summary: {
    changesByKind: Partial<Record<ChangeKind, number>>;
    contactsByStatus: Partial<Record<ProvisioningStatus, number>>;
    licence: { skuId: string; skuPartNumber: string | null; unitsNeeded: number; unitsAvailable: number | null };
    orphans: number;
    blockedRemovals: number;
    errors: number;
  };
}

/** Version 1 knew one family: every contact was a technician. */
const FAMILY = 'technicians';

export function upgradeScope(scope: RunScope | RunScopeV1): RunScope {
  if (scope.kind === 'vendor') return { kind: 'group', family: FAMILY, groupId: scope.vendorId };
  if (scope.kind === 'contacts') return { kind: 'subjects', family: FAMILY, subjectIds: scope.contactIds };
  return scope;
}

/**
 * A version 2 plan as stored before tallies (issue 12) were added to it: the field is additive, so
 * the version stayed 2 and a plan without it has no tally.
 */
export type PlanV2Stored = Omit<Plan, 'tallies'> & { tallies?: Plan['tallies'] };

const hasTallies = (plan: PlanV2Stored): plan is Plan => Array.isArray(plan.tallies);

export function upgradePlan(plan: PlanV2Stored | PlanV1): Plan {
  // Today's plan is returned as it is (the same object); one stored without tallies gets [].
  if (plan.version === PLAN_VERSION) return hasTallies(plan) ? plan : { ...plan, tallies: [] };
  const subjects = new Map<string, Subject>();
  const contacts = plan.contacts.map(({ contactId, vendorId, vendorName, displayName, ...rest }): SubjectPlan => {
    const subject: Subject = { family: FAMILY, table: 'contacts', id: contactId, displayName, group: vendorId ? { id: vendorId, name: vendorName } : null };
    subjects.set(contactId, subject);
    return { subject, ...rest };
  });
  const changes = plan.changes.map(({ contactId, ...rest }): Change => ({
    ...rest,
    // A change whose contact the plan does not list keeps its id, with nothing else known.
    subject: subjects.get(contactId) ?? { family: FAMILY, table: 'contacts', id: contactId, displayName: '', group: null },
  }));
  const { contactsByStatus, licence, ...summary } = plan.summary;
  return {
    version: PLAN_VERSION,
    generatedAt: plan.generatedAt,
    scope: upgradeScope(plan.scope),
    changes,
    subjects: contacts,
    orphans: plan.orphans,
    // Version 1 counted nothing for the report.
    tallies: [],
    // v1's empty plan (a run stopped before planning) had a licence with no SKU: v2 lists none.
    summary: { ...summary, subjectsByStatus: contactsByStatus, licences: licence.skuId === '' ? [] : [licence] },
  };
}

/** A change's result as stored before families: its contact's id, no family. */
export type ChangeResultV1 = Omit<ChangeResult, 'subjectKey'> & { contactId: string };

/**
 * A run record as stored before families: a v1 plan and scope (or, for records written while plan
 * v2 was new, a v2 plan with v1 results), results with `contactId`, statuses by bare contact id.
 */
export type RunRecordV1 = Omit<RunRecord, 'plan' | 'scope' | 'results'> & {
  plan: PlanV2Stored | PlanV1;
  scope: RunScope | RunScopeV1;
  results: (ChangeResult | ChangeResultV1)[];
};

/** Any stored run record, of either shape, read as today's RunRecord. Today's records pass unchanged. */
export function upgradeRunRecord(stored: RunRecord | RunRecordV1): RunRecord {
  const plan = upgradePlan(stored.plan);
  const subjectOf = new Map(plan.changes.map((c) => [c.id, c.subject]));
  const results = stored.results.map((r): ChangeResult => {
    if (!('contactId' in r)) return r;
    const { contactId, ...rest } = r;
    // The change's subject names its family; a result whose change the plan lacks was a technician's.
    return { ...rest, subjectKey: subjectKey(subjectOf.get(r.changeId) ?? { family: FAMILY, id: contactId }) };
  });
  // A key with no family (a bare contact id: GUIDs hold no `/`) was a technician's.
  const statuses = Object.fromEntries(
    Object.entries(stored.statuses).map(([key, status]) => [parseSubjectKey(key) ? key : subjectKey({ family: FAMILY, id: key }), status]),
  );
  return { ...stored, scope: upgradeScope(stored.scope), plan, results, statuses };
}
