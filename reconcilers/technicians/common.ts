/**
 * What every technicians kind shares: the kind type bound to the family's types, building a Change,
 * naming its target, and two facts derived from the observed state (is the contact waiting for
 * Dataverse's user sync; which bookable resource id the contact's resource has or will have).
 * Pure functions only.
 */
import { bookableResourceIdFor } from './ids.js';
import type { ChangeKindSpec, Kind } from '../../src/engine/kind.js';
import type { Observation } from '../../src/model/observation.js';
import type { Change, ChangeKind, ChangeTarget, Subject, Values } from '../../src/model/plan.js';
import type { DesiredTechnician, ObservedTechnician } from './state.js';

/**
 * The settings the technicians' requests read: the core's Graph URL and ownership mark attribute,
 * and the family's own (`families.technicians`, src/config.ts).
 */
export interface RequestSettings {
  graphBaseUrl: string;
  ownershipMarkAttribute?: string;
  families: { technicians?: { inviteRedirectUrl: string; sendInvitationEmail: boolean } };
  /** DATAVERSE_USER_ON_DEMAND's environment (src/config-power-platform.ts), for addUser's route. */
  powerPlatform?: { environmentId: string };
}

/** A technicians kind: diff over one contact's desired and observed state; effects on the Observation. */
export type TechnicianKind = Kind<DesiredTechnician, ObservedTechnician, RequestSettings, Observation>;
export type TechnicianChangeSpec = ChangeKindSpec<RequestSettings, Observation>;

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
  return { id: changeId(desired.contactId, kind, key), subject: subjectOf(desired), kind, target, before, after, reason, dependsOn: [] };
}

/**
 * The contact as a diff knows it. The vendor's name is not part of the desired state: the
 * technicians family (reconcilers/technicians/family.ts) puts the full subject on every change.
 */
export function subjectOf(desired: DesiredTechnician): Subject {
  return { family: 'technicians', table: 'contacts', id: desired.contactId, displayName: desired.user.displayName, group: desired.vendorId ? { id: desired.vendorId, name: null } : null };
}

export const sameId = (a: string | null | undefined, b: string | null | undefined): boolean =>
  (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** contact.anchor: the contact's o25fs_entraobjectid from `current` to `next` (an id, or `{ createdBy }`). */
export function anchorChange(desired: DesiredTechnician, current: string | null, next: Values[string], reason: string): Change {
  return change(desired, 'contact.anchor', { service: 'dataverse', entity: 'contact', id: desired.contactId }, { o25fs_entraobjectid: current }, { o25fs_entraobjectid: next }, reason);
}

/** The Entra user a change acts on: the observed one, or the one the invitation in this plan creates. */
export function userTarget(desired: DesiredTechnician, observed: ObservedTechnician): ChangeTarget {
  return observed.user
    ? { service: 'graph', entity: 'user', id: observed.user.id }
    : { service: 'graph', entity: 'user', id: null, createdBy: changeId(desired.contactId, desired.account === 'service' ? 'user.create' : 'user.invite') };
}

/** A guest will be invited for this contact in this plan. */
export function needsInvite(desired: DesiredTechnician, observed: ObservedTechnician): boolean {
  return desired.intent === 'provision' && observed.user === null && desired.account === 'guest';
}

/** A service account will be created for this contact in this plan. */
export function needsServiceAccount(desired: DesiredTechnician, observed: ObservedTechnician): boolean {
  return desired.intent === 'provision' && observed.user === null && desired.account === 'service' && desired.serviceAccount !== null;
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

/**
 * Reasons are read by vendor admins, who know the fields by their form labels, not by Graph
 * property or Dataverse column names.
 */
export const FIELD_WORDS: Readonly<Record<string, string>> = {
  displayName: 'display name',
  givenName: 'first name',
  surname: 'last name',
  usageLocation: 'usage location',
  accountEnabled: 'sign-in',
  otherMails: 'other emails',
  companyName: 'company name',
  department: 'department',
  officeLocation: 'office location',
  name: 'name',
  timezone: 'time zone',
  msdyn_startlocation: 'start location',
  msdyn_endlocation: 'end location',
  _msdyn_organizationalunit_value: 'organisational unit',
  msdyn_displayonscheduleboard: 'display on schedule board',
  msdyn_displayonscheduleassistant: 'availability search',
  msdyn_hourlyrate: 'hourly rate',
  msdyn_timeoffapprovalrequired: 'time-off approval',
  _msdyn_warehouse_value: 'warehouse',
  _userid_value: 'Dataverse user',
  _owninguser_value: 'owner (user)',
  _owningteam_value: 'owner (team)',
};

/** "a", "a and b", "a, b and c", each field in the words of FIELD_WORDS. */
export function listFields(keys: readonly string[]): string {
  const words = keys.map((k) => FIELD_WORDS[k] ?? k);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
