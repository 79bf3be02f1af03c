/**
 * Plans are data. The dry-run report and the apply read the same Plan; docs/plan-format.md documents
 * its JSON. A Change is one corrective call (or one small group of calls on one object) with its
 * before and after values, its reason in words an admin understands, and the changes it depends on.
 */
import type { ErrorClass } from './errors.js';

/**
 * The change kinds every family declares, as the keys of this interface: the core declares none.
 * Each family adds its own by augmenting it (reconcilers/<family>/change-kinds.ts, TypeScript
 * declaration merging), so `ChangeKind` is the union of all families' kinds and a Record over it
 * (a label per kind) must name each one. The apply order of kinds, the dependency table and the
 * removal kinds are derived from the kinds' declarations (src/engine/kind-registry.ts,
 * src/engine/kind-order.ts), not kept here.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the families' augmentations
export interface ChangeKinds {}

export type ChangeKind = keyof ChangeKinds & string;

/** The kinds of object a change targets, declared by the families in the same way as ChangeKinds. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the families' augmentations
export interface TargetEntities {}

export type TargetEntity = keyof TargetEntities & string;

export interface ChangeTarget {
  /** The service that carries the change out (powerPlatform: the admin API's addUser). */
  service: 'graph' | 'dataverse' | 'powerPlatform';
  entity: TargetEntity;
  /** The object's id; null when the object is created by an earlier change (see `createdBy`). */
  id: string | null;
  /** Id of the change in this plan that creates the object, when `id` is null. */
  createdBy?: string;
}

export type Values = Record<string, unknown>;

/** What a subject is grouped by in reports and scopes (for technicians: the vendor account). */
export interface SubjectGroup {
  id: string;
  /** Null when the group's row was not read (a vendor that no longer exists). */
  name: string | null;
}

/**
 * The source row a family manages objects for, whatever the family: a technician's contact, a
 * member's service account, a portal user. Every change and every SubjectPlan names its subject.
 */
export interface Subject {
  /** The family that planned it (src/engine/family.ts), e.g. `technicians`. */
  family: string;
  /** The table of the source row, e.g. `contacts`. */
  table: string;
  /** The source row's id (lower case, as read). */
  id: string;
  displayName: string;
  group: SubjectGroup | null;
}

export interface Change {
  /** Stable within a plan: `${subject.id}/${kind}` plus `/${key}` where a subject has several. */
  id: string;
  subject: Subject;
  kind: ChangeKind;
  target: ChangeTarget;
  /** Observed values of the columns this change touches; null when the object does not exist. */
  before: Values | null;
  /** Values after the change; null for a removal. */
  after: Values | null;
  /** Why, in words a vendor admin understands. */
  reason: string;
  /** Ids of changes that must succeed first (same subject). */
  dependsOn: string[];
  /** Set by the guards when a change is held back; a blocked change is not applied. */
  blocked?: { code: string; reason: string; action?: string };
}

/** What a contact's provisioning looks like; the stored ones are written on the contact. */
export type ProvisioningStatus =
  | 'pending'
  | 'invited'
  | 'waiting_for_dataverse_user'
  | 'active'
  | 'deprovisioned'
  | 'removal_blocked'
  | 'no_licence_units'
  | 'error'
  | 'quarantined'
  | 'out_of_scope';

export interface ErrorInfo {
  class: ErrorClass;
  code: string;
  message: string;
  action: string;
}

/** One subject's part of the plan: what it asks for, the status it will have, its changes and problems. */
export interface SubjectPlan {
  subject: Subject;
  intent: 'provision' | 'deprovision' | 'ignore';
  /** The status the subject will have once this plan is applied (for a dry run: would have). */
  status: ProvisioningStatus;
  /** Status and error stored on the source row now (for contacts: o25fs_provisioningstatus / _provisioningerror). */
  storedStatus: ProvisioningStatus | null;
  storedError: string | null;
  /**
   * Quarantine counters stored on the source row (for contacts: o25fs_consecutivefailures,
   * o25fs_nextattemptat); present only when set. src/engine/guards/quarantine.ts.
   */
  storedFailures?: number;
  storedNextAttemptAt?: string;
  error?: ErrorInfo;
  /**
   * Problems that do not stop the subject (a characteristic row pointing at a deleted
   * characteristic, an unknown rating or country): its changes still apply; the report shows them.
   */
  warnings?: ErrorInfo[];
  changeIds: string[];
  /**
   * The source row was deleted: its user still carries the product's mark for it, so its access is
   * removed (reconcilers/technicians/deleted-contacts.ts). No status is written (there is no row).
   */
  deleted?: true;
  /** For subjects out of scope: managed objects that still exist (the report lists them). */
  remains?: string[];
  /**
   * The one managed object the subject has, as observed, for the report's group section (for a
   * project task: its work order, its number and system status). Optional: without it the report
   * takes what the subject's changes say of the object (src/report/group-section.ts).
   */
  detail?: SubjectDetail;
}

/** A subject's managed object as the report names it (SubjectPlan.detail). */
export interface SubjectDetail {
  /** What the object is, in the family's words: "Work order". */
  label: string;
  /** Its id; null while it does not exist yet. */
  id: string | null;
  /** Its name or number as the service holds it ("00042"); null when it has none. */
  name: string | null;
  /** Its status in the family's words ("Scheduled"); null when it has none. */
  status: string | null;
}

export interface Orphan {
  kind: 'group-member' | 'bookableresource';
  id: string;
  displayName: string | null;
  reason: string;
}

/**
 * Which subjects a run plans: all of them, one group of one family (a vendor's technicians), or
 * named subjects of one family. Version 1's `vendor` and `contacts` scopes are read as the
 * technicians family's `group` and `subjects` (src/model/plan-v1.ts).
 */
export type RunScope =
  | { kind: 'tenant' }
  | { kind: 'group'; family: string; groupId: string }
  | { kind: 'subjects'; family: string; subjectIds: string[] };

/** Licence units of one SKU: what this plan assigns and what the tenant has free. */
export interface LicenceSummary {
  skuId: string;
  skuPartNumber: string | null;
  unitsNeeded: number;
  unitsAvailable: number | null;
}

/**
 * An Entra group a family's changes name by id (the technician group), with its display name as
 * the run read it, so the report can show the name next to the id.
 */
export interface GroupName {
  groupId: string;
  displayName: string;
}

export interface PlanSummary {
  changesByKind: Partial<Record<ChangeKind, number>>;
  subjectsByStatus: Partial<Record<ProvisioningStatus, number>>;
  /** One entry per SKU a family draws on (sorted by skuId); families drawing the same SKU share one. */
  licences: LicenceSummary[];
  /**
   * The groups whose names the run read (sorted by groupId, one per group). Added within version 2:
   * absent when the run read no group's name (a plan stored before, or the group does not exist).
   */
  groups?: GroupName[];
  orphans: number;
  blockedRemovals: number;
  errors: number;
}

/**
 * One value a family counts over its subjects, and how many carry it: something an admin acts on
 * outside the product (for technicians: an information-barrier segment to define per value).
 */
export interface TallyRow {
  /** As the services hold it (often typed by a vendor admin: every report format escapes it). */
  value: string;
  count: number;
}

/**
 * A count a family reports beside its subjects (issue 12: the information-barrier segments in use).
 * `id` is stable within the family; `title`, `description` and `unit` are the family's words, e.g.
 * "Information-barrier segments in use", what the values are and what to do, "service accounts".
 */
export interface Tally {
  id: string;
  /** The family that counted it (src/engine/family.ts). */
  family: string;
  title: string;
  description: string;
  unit: string;
  /** Sorted by value, as the family gives them; a tally with no row has nothing in use. */
  rows: TallyRow[];
}

export const PLAN_VERSION = 2;

export interface Plan {
  version: typeof PLAN_VERSION;
  generatedAt: string;
  scope: RunScope;
  /** In apply order: every change comes after the changes it depends on. */
  changes: Change[];
  /** Every subject the plan looked at, in id order within its family. */
  subjects: SubjectPlan[];
  orphans: Orphan[];
  /**
   * Every family's tallies, in family order. Added within version 2 (issue 12): a stored plan
   * without the field reads as [] (src/model/plan-v1.ts upgradePlan).
   */
  tallies: Tally[];
  /**
   * Families whose configuration the tenant failed (a missing web role, an unknown SKU) while
   * another family could still plan: each planned nothing and says why. Present only when one did;
   * when every configured family fails, the run stops instead (src/engine/plan.ts). Added within
   * version 2 (issue 13).
   */
  stoppedFamilies?: FamilyStop[];
  summary: PlanSummary;
}

/** A family that planned nothing in this run because its configuration failed against the tenant. */
export interface FamilyStop {
  family: string;
  error: ErrorInfo;
}
