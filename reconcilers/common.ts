/**
 * What every reconciler shares: building a Change, naming its target, and two facts derived from
 * the observed state (is the contact waiting for Dataverse's user sync; which bookable resource
 * id the contact's resource has or will have). Pure functions only.
 */
import { bookableResourceIdFor } from '../src/engine/ids.js';
import type { Change, ChangeKind, ChangeTarget, Values } from '../src/model/plan.js';
import type { DesiredTechnician, ObservedTechnician } from '../src/model/state.js';

/** One managed object kind: a pure diff from desired and observed state to changes. */
export interface Reconciler {
  name: string;
  /** Changes with `dependsOn: []`; the plan builder wires the dependencies. */
  diff(desired: DesiredTechnician, observed: ObservedTechnician): Change[];
}

export function changeId(contactId: string, kind: ChangeKind, key?: string): string {
  return key === undefined ? `${contactId}/${kind}` : `${contactId}/${kind}/${key}`;
}

export function change(
  desired: DesiredTechnician,
  kind: ChangeKind,
  target: ChangeTarget,
  before: Values | null,
  after: Values | null,
  reason: string,
  key?: string,
): Change {
  return { id: changeId(desired.contactId, kind, key), contactId: desired.contactId, kind, target, before, after, reason, dependsOn: [] };
}

export const sameId = (a: string | null | undefined, b: string | null | undefined): boolean =>
  (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** The Entra user a change acts on: the observed one, or the one the invitation in this plan creates. */
export function userTarget(desired: DesiredTechnician, observed: ObservedTechnician): ChangeTarget {
  return observed.user
    ? { service: 'graph', entity: 'user', id: observed.user.id }
    : { service: 'graph', entity: 'user', id: null, createdBy: changeId(desired.contactId, 'user.invite') };
}

/** A user will be invited for this contact in this plan. */
export function needsInvite(desired: DesiredTechnician, observed: ObservedTechnician): boolean {
  return desired.intent === 'provision' && observed.user === null;
}

/**
 * The bookable resource needs a Dataverse user first: until Dataverse's user sync has created an
 * enabled systemuser for the guest, the contact waits (a state, not an error).
 */
export function isWaitingForDataverseUser(observed: ObservedTechnician): boolean {
  return observed.systemUser === null || observed.systemUser.isdisabled;
}

/** The id of the contact's bookable resource: the observed one, else the deterministic new id. */
export function resourceIdOf(desired: DesiredTechnician, observed: ObservedTechnician): string {
  return observed.bookableResource?.bookableresourceid ?? bookableResourceIdFor(desired.contactId);
}

/** Numbers as Dataverse stores them: equal within half the column's last decimal. */
export function sameNumber(a: number | null | undefined, b: number | null | undefined, decimals: number): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  return Math.abs(a - b) < 0.5 * 10 ** -decimals;
}

export function listFields(keys: readonly string[]): string {
  return keys.length <= 1 ? (keys[0] ?? '') : `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]}`;
}
