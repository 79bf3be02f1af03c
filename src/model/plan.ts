/**
 * Plans are data. The dry-run report and the apply read the same Plan; docs/plan-format.md documents
 * its JSON. A Change is one corrective call (or one small group of calls on one object) with its
 * before and after values, its reason in words an admin understands, and the changes it depends on.
 */
import type { ErrorClass } from './errors.js';

export type ChangeKind =
  | 'user.invite'
  | 'user.update'
  | 'user.mark'
  | 'licence.assign'
  | 'licence.remove'
  | 'group.add'
  | 'group.remove'
  | 'contact.anchor'
  | 'systemuser.update'
  | 'bookableresource.create'
  | 'bookableresource.update'
  | 'bookableresource.deactivate'
  | 'contact.link'
  | 'characteristic.create'
  | 'characteristic.update'
  | 'characteristic.delete';

// The apply order of kinds, the dependency table and the removal kinds are derived from the kinds'
// declarations (src/engine/kind-registry.ts, src/engine/kind-order.ts), not kept here.

export type TargetEntity =
  | 'user'
  | 'group'
  | 'contact'
  | 'systemuser'
  | 'bookableresource'
  | 'bookableresourcecharacteristic';

export interface ChangeTarget {
  service: 'graph' | 'dataverse';
  entity: TargetEntity;
  /** The object's id; null when the object is created by an earlier change (see `createdBy`). */
  id: string | null;
  /** Id of the change in this plan that creates the object, when `id` is null. */
  createdBy?: string;
}

export type Values = Record<string, unknown>;

export interface Change {
  /** Stable within a plan: `${contactId}/${kind}` plus `/${key}` where a contact has several. */
  id: string;
  contactId: string;
  kind: ChangeKind;
  target: ChangeTarget;
  /** Observed values of the columns this change touches; null when the object does not exist. */
  before: Values | null;
  /** Values after the change; null for a removal. */
  after: Values | null;
  /** Why, in words a vendor admin understands. */
  reason: string;
  /** Ids of changes that must succeed first (same contact). */
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

export interface ContactPlan {
  contactId: string;
  vendorId: string | null;
  vendorName: string | null;
  displayName: string;
  intent: 'provision' | 'deprovision' | 'ignore';
  /** The status the contact will have once this plan is applied (for a dry run: would have). */
  status: ProvisioningStatus;
  /** Status and error stored on the contact now (o25fs_provisioningstatus / _provisioningerror). */
  storedStatus: ProvisioningStatus | null;
  storedError: string | null;
  /**
   * Quarantine counters stored on the contact (o25fs_consecutivefailures, o25fs_nextattemptat);
   * present only when set. src/engine/guards/quarantine.ts.
   */
  storedFailures?: number;
  storedNextAttemptAt?: string;
  error?: ErrorInfo;
  /**
   * Problems that do not stop the contact (a characteristic row pointing at a deleted
   * characteristic, an unknown rating or country): its changes still apply; the report shows them.
   */
  warnings?: ErrorInfo[];
  changeIds: string[];
  /**
   * The contact row was deleted: its user still carries the product's mark for it, so its access is
   * removed (src/engine/deleted-contacts.ts). No status is written (there is no row).
   */
  deleted?: true;
  /** For contacts out of scope: managed objects that still exist (the report lists them). */
  remains?: string[];
}

export interface Orphan {
  kind: 'group-member' | 'bookableresource';
  id: string;
  displayName: string | null;
  reason: string;
}

export type RunScope =
  | { kind: 'tenant' }
  | { kind: 'vendor'; vendorId: string }
  | { kind: 'contacts'; contactIds: string[] };

export interface PlanSummary {
  changesByKind: Partial<Record<ChangeKind, number>>;
  contactsByStatus: Partial<Record<ProvisioningStatus, number>>;
  licence: { skuId: string; skuPartNumber: string | null; unitsNeeded: number; unitsAvailable: number | null };
  orphans: number;
  blockedRemovals: number;
  errors: number;
}

export interface Plan {
  version: 1;
  generatedAt: string;
  scope: RunScope;
  /** In apply order: every change comes after the changes it depends on. */
  changes: Change[];
  contacts: ContactPlan[];
  orphans: Orphan[];
  summary: PlanSummary;
}
