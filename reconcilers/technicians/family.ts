/**
 * The vendor technicians family: a Dataverse contact with Setup Technician on becomes an Entra B2B
 * guest with a licence and the technician group's membership, a Dataverse user, and a bookable
 * resource with its characteristics (src/engine/family.ts states the contract).
 *
 * Planning, per contact: desired state (reconcilers/technicians/desired.ts) → match every contact (duplicates
 * are judged tenant-wide, whatever the scope) → each reconciler's diff for the contacts in scope →
 * per-contact status. The core wires, orders and guards the changes.
 *
 * Observing: the core reads the family's tables (tables.ts) with every other family's, once;
 * observe.ts adds the lookups that depend on the rows (accounts, anchored non-guests, marked
 * contacts, users with new emails, group members).
 */
import { markAttributeOf, type Settings } from '../../src/config.js';
import { type TechnicianSettings } from './settings.js';
import { cmp, computeDesired, indexLookups, type DesiredOutcome } from './desired.js';
import { deletedContactRows } from './deleted-contacts.js';
import type { Family, FamilyPlan } from '../../src/engine/family.js';
import { matchContacts } from './match.js';
import { contactStatusWrites } from './status.js';
import { optionValueToStatus } from './status-codes.js';
import { ConfigurationError, ContactError } from '../../src/model/errors.js';
import type { Observation } from '../../src/model/observation.js';
import type { Change, Orphan, ProvisioningStatus, RunScope, Subject, SubjectPlan } from '../../src/model/plan.js';
import type { ContactRow, VendorCharacteristicRow } from './rows.js';
import type { DesiredTechnician, ObservedTechnician } from './state.js';
import { addsDataverseUser, isWaitingForDataverseUser, needsInvite, needsServiceAccount, TECHNICIAN_KINDS } from './index.js';
import { isGuest } from './ownership.js';
import { serviceAccountSettingsOf } from './service-account-settings.js';
import { checkServiceAccountConfiguration, licenceSummaries, segmentTallies } from './service-account-plan.js';
import { techniciansIncremental } from './incremental.js';
import { checkGroupLicensing, groupLicensingOutcome, type GroupLicensingOutcome } from './group-licensing.js';
import { inheritsLicence } from './presence.js';
import { observeTechnicians } from './observe.js';
import { TECHNICIAN_TABLES } from './tables.js';

export const TECHNICIANS = 'technicians';

const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

/** Throws the ConfigurationError that stops the run when the tenant does not have what settings name. */
export function checkTechnicianConfiguration(observation: Observation, settings: TechnicianSettings): void {
  const sku = observation.subscribedSkus.find((s) => lc(s.skuId) === lc(settings.licenseSkuId));
  if (!sku) {
    const known = observation.subscribedSkus.map((s) => `${s.skuPartNumber} (${s.skuId})`).sort(cmp);
    throw new ConfigurationError(
      'SKU_NOT_SUBSCRIBED',
      `The licence LICENSE_SKU_ID=${settings.licenseSkuId} is not one of the tenant's subscribed SKUs${known.length ? `: ${known.join(', ')}` : ' (it has none)'}. No technician can be licensed, so the run stops.`,
      'Set LICENSE_SKU_ID to the skuId of the technicians\' licence as GET /subscribedSkus lists it, or buy that licence, then run again.',
    );
  }
  checkServiceAccountConfiguration(observation, settings);
  if (observation.groupMemberIds === null) {
    throw new ConfigurationError(
      'GROUP_NOT_FOUND',
      `The technician group TECHNICIAN_GROUP_ID=${settings.technicianGroupId} does not exist in Entra. Technicians cannot get Dataverse access, so the run stops.`,
      'Set TECHNICIAN_GROUP_ID to the object id of the security group that gives the Field Service roles (or recreate the group), then run again.',
    );
  }
  checkGroupLicensing(observation, settings);
}

function inScope(contact: ContactRow, scope: RunScope): boolean {
  if (scope.kind === 'tenant') return true;
  if (scope.family !== TECHNICIANS) return false;
  if (scope.kind === 'group') return lc(contact._parentcustomerid_value) === lc(scope.groupId);
  return scope.subjectIds.some((id) => lc(id) === lc(contact.contactid));
}

function planTechnicians(observation: Observation, settings: TechnicianSettings, core: Settings, scope: RunScope): FamilyPlan {
  const lookups = indexLookups(observation);
  const rowsByContact = new Map<string, VendorCharacteristicRow[]>();
  for (const row of observation.vendorCharacteristics) {
    const key = lc(row._o25fs_vendorcontactid_value);
    rowsByContact.set(key, [...(rowsByContact.get(key) ?? []), row]);
  }
  const markAttribute = markAttributeOf(core);
  // Deleted contacts whose users still carry the product's mark are planned as deactivated ones.
  const standIns = deletedContactRows(observation, markAttribute);
  const deleted = new Set(standIns.map((c) => c.contactid));
  const observed: Observation = standIns.length > 0 ? { ...observation, contacts: [...observation.contacts, ...standIns] } : observation;
  const contacts = [...observed.contacts].sort((a, b) => cmp(a.contactid, b.contactid));
  const outcomes = new Map<string, DesiredOutcome>();
  for (const contact of contacts) {
    outcomes.set(contact.contactid, safely(contact, () => computeDesired(contact, rowsByContact.get(lc(contact.contactid)) ?? [], lookups, core)));
  }
  const desiredList = [...outcomes.values()].flatMap((o) => (o.ok ? [o.desired] : []));
  const matched = matchContacts(desiredList, observed, { markAttribute });
  const vendors = new Map(observation.accounts.map((a) => [lc(a.accountid), a.name]));
  const skuNames = new Map(observation.subscribedSkus.map((s) => [lc(s.skuId), s.skuPartNumber]));
  const subjectOf = (contact: ContactRow, displayName: string): Subject => {
    const vendorId = contact._parentcustomerid_value;
    return { family: TECHNICIANS, table: 'contacts', id: contact.contactid, displayName, group: vendorId ? { id: vendorId, name: vendors.get(lc(vendorId)) ?? null } : null };
  };

  const changes: Change[] = [];
  const subjects: SubjectPlan[] = [];
  const segments: string[] = [];
  const orphans: Orphan[] = scope.kind === 'tenant' ? [...matched.groupOrphans] : [];
  for (const contact of contacts) {
    if (!inScope(contact, scope) || matched.superseded.has(contact.contactid)) continue;
    const outcome = outcomes.get(contact.contactid)!;
    const isDeleted = deleted.has(contact.contactid);
    const base = {
      storedStatus: optionValueToStatus(contact.o25fs_provisioningstatus),
      storedError: contact.o25fs_provisioningerror ?? null,
      ...storedQuarantine(contact),
      ...(isDeleted ? { deleted: true as const } : {}),
    };
    if (!outcome.ok) {
      subjects.push({ subject: subjectOf(contact, outcome.displayName), ...base, intent: outcome.intent, status: 'error', error: outcome.error.toJSON(), changeIds: [] });
      continue;
    }
    const { desired } = outcome;
    const subject = subjectOf(contact, desired.user.displayName);
    const match = matched.byContact.get(contact.contactid);
    const warnings = [...outcome.warnings, ...(match?.ok ? match.warnings : [])];
    const common = { subject, ...base, intent: desired.intent, ...warningsOf(warnings) };
    if (!match || !match.ok) {
      const error = match?.error.toJSON() ?? { class: 'contact' as const, code: 'NOT_MATCHED', message: `Contact ${contact.contactid} could not be matched.`, action: 'Open an issue with this plan.' };
      subjects.push({ ...common, status: 'error', error, changeIds: [] });
      continue;
    }
    orphans.push(...(matched.resourceOrphans.get(contact.contactid) ?? []));
    const diffed = safely(contact, () => ({ ok: true as const, changes: desired.intent === 'ignore' ? [] : TECHNICIAN_KINDS.flatMap((k) => k.diff(desired, match.observed)) }));
    if (!diffed.ok) {
      subjects.push({ ...common, status: 'error', error: diffed.error.toJSON(), changeIds: [] });
      continue;
    }
    // A deleted contact has no row to write to: only the access it held is removed.
    const own = (isDeleted ? diffed.changes.filter((c) => c.target.entity !== 'contact') : diffed.changes).map((c) => ({ ...c, subject }));
    changes.push(...own);
    const stuck = systemUserDisabledWarning(desired, match.observed, own);
    // LICENSE_MODE=group: what Entra made of the inherited licence (group-licensing.ts).
    const licensing = groupLicensingOutcome(desired, match.observed, own.some((c) => c.kind === 'group.add'));
    const extra = [...(stuck ? [stuck] : []), ...(licensing && licensing.kind !== 'processing' && licensing.warning ? [licensing.warning] : [])];
    if (desired.intent === 'provision' && desired.serviceAccount) segments.push(desired.serviceAccount.segment.value);
    subjects.push({
      ...common,
      ...(extra.length > 0 ? warningsOf([...warnings, ...extra]) : {}),
      status: plannedStatus(desired, match.observed, licensing),
      changeIds: own.map((c) => c.id).sort(cmp),
      ...(desired.intent === 'ignore' ? { remains: remainsOf(match.observed, skuNames) } : {}),
    });
  }
  // The technician group's name where the run read it (observation.ts technicianGroupName), for the report.
  const groups = observation.technicianGroupName !== undefined ? [{ groupId: settings.technicianGroupId, displayName: observation.technicianGroupName }] : [];
  return { changes, subjects, orphans, licences: licenceSummaries(observation, settings, changes), tallies: segmentTallies(segments, serviceAccountSettingsOf(settings).segmentAttribute), ...(groups.length > 0 ? { groups } : {}) };
}

export const techniciansFamily: Family<TechnicianSettings> = {
  name: TECHNICIANS,
  tables: TECHNICIAN_TABLES,
  kinds: TECHNICIAN_KINDS,
  settingsOf: (settings) => settings.families.technicians ?? null,
  observe: observeTechnicians,
  incremental: techniciansIncremental,
  checkConfiguration: (observation, settings) => checkTechnicianConfiguration(observation, settings),
  plan: planTechnicians,
  statusWrites: (subjects, statuses) => contactStatusWrites(subjects, statuses),
  // Technicians with access today: the technician group's direct members (tenant-wide).
  withAccess: (observation) => observation.groupMemberIds?.length ?? 0,
  createdAt: (observation) => {
    const rows = new Map(observation.contacts.map((c) => [lc(c.contactid), c.createdon ?? null]));
    return (subjectId) => rows.get(lc(subjectId)) ?? null;
  },
};

/**
 * One contact's data must never stop the run: anything unforeseen while working out its desired
 * state or its changes becomes an error on that contact alone.
 */
function safely<T extends { ok: true }>(
  contact: ContactRow,
  work: () => T | Extract<DesiredOutcome, { ok: false }>,
): T | Extract<DesiredOutcome, { ok: false }> {
  try {
    return work();
  } catch (err) {
    return {
      ok: false,
      contactId: contact.contactid,
      vendorId: contact._parentcustomerid_value,
      intent: 'ignore',
      displayName: contact.contactid,
      error: new ContactError(
        'CONTACT_DATA_UNUSABLE',
        `Contact ${contact.contactid} could not be planned: its data made the product fail (${err instanceof Error ? err.name : 'error'}). Nothing is changed for this contact; every other contact goes on.`,
        'Check the contact\'s email, names and numbers for unusual characters or values and correct them; if they look right, report this message with the plan.',
      ),
    };
  }
}

/** The quarantine counters stored on the contact, only when set (src/engine/guards/quarantine.ts). */
function storedQuarantine(contact: ContactRow): Pick<SubjectPlan, 'storedFailures' | 'storedNextAttemptAt'> {
  const failures = contact.o25fs_consecutivefailures ?? 0;
  const next = contact.o25fs_nextattemptat ?? null;
  return { ...(failures > 0 ? { storedFailures: failures } : {}), ...(next ? { storedNextAttemptAt: next } : {}) };
}

/**
 * The Dataverse user is disabled although the guest qualifies (enabled, licensed, in the group) and
 * this plan changes none of that: someone disabled it, or the user sync is stuck. The product never
 * writes systemuser state, so the contact waits; the warning says why and what to do.
 */
function systemUserDisabledWarning(desired: DesiredTechnician, observed: ObservedTechnician, own: Change[]): ContactError | null {
  const su = observed.systemUser;
  if (desired.intent !== 'provision' || !su?.isdisabled || !observed.user || observed.user.accountEnabled === false) return null;
  // With DATAVERSE_USER_ON_DEMAND the plan asks the Power Platform to sync it (systemuser-add.ts).
  if (addsDataverseUser(desired, observed)) return null;
  if (desired.licence.skuIds.some((sku) => !observed.directSkuIds.includes(sku) && !inheritsLicence(observed, sku)) || !observed.isGroupMember || own.some((c) => c.kind === 'licence.assign' || c.kind === 'group.add' || c.kind === 'user.update')) return null;
  return new ContactError(
    'SYSTEMUSER_DISABLED',
    `The Dataverse user ${su.systemuserid} of contact ${desired.contactId} is disabled although the ${desired.account === 'service' ? 'service account' : 'guest'} is enabled, licensed and in the technician group; the contact waits and its bookable resource is left as it is.`,
    "Dataverse's user sync normally enables it again within minutes. If it stays disabled, open the user in the Power Platform admin center (or run Add-AdminPowerAppsSyncUser) to sync it again.",
  );
}

function warningsOf(warnings: ContactError[]): { warnings?: SubjectPlan['warnings'] } {
  return warnings.length > 0 ? { warnings: warnings.map((w) => w.toJSON()) } : {};
}

/** The status the contact will have once this plan is applied. */
function plannedStatus(desired: DesiredTechnician, observed: ObservedTechnician, licensing: GroupLicensingOutcome | null): ProvisioningStatus {
  if (desired.intent === 'ignore') return 'out_of_scope';
  if (desired.intent === 'deprovision') return 'deprovisioned';
  // The plan adds the Dataverse user and then the bookable resource (DATAVERSE_USER_ON_DEMAND): active once applied.
  if (addsDataverseUser(desired, observed)) return 'active';
  if (needsInvite(desired, observed)) return 'invited';
  if (licensing?.kind === 'failed') return licensing.status;
  // Entra is still processing the inherited licence: waiting, like the Dataverse user that needs it.
  if (licensing?.kind === 'processing') return 'waiting_for_dataverse_user';
  // A new service account needs no acceptance: it waits for Dataverse's user sync like a licensed guest.
  if (needsServiceAccount(desired, observed)) return 'waiting_for_dataverse_user';
  if (isWaitingForDataverseUser(observed)) return 'waiting_for_dataverse_user';
  return 'active';
}

/** What an out-of-scope contact still has (nothing is removed unless DEPROVISION_WHEN_SETUP_OFF). */
function remainsOf(observed: ObservedTechnician, skuNames: ReadonlyMap<string, string>): string[] {
  const remains: string[] = [];
  const user = observed.user;
  if (user) {
    remains.push(`Entra ${isGuest(user) ? 'guest' : 'service account'} ${user.userPrincipalName} (${user.id})${user.accountEnabled === false ? ', sign-in blocked' : ''}`);
    for (const sku of observed.directSkuIds) remains.push(`licence ${skuNames.get(sku) ?? sku}, assigned directly`);
    for (const l of observed.inheritedLicences ?? []) if (inheritsLicence(observed, l.skuId, l.groupId)) remains.push(`licence ${skuNames.get(l.skuId) ?? l.skuId}, inherited from group ${l.groupId}`);
    if (observed.isGroupMember) remains.push('membership of the technician group');
  }
  const br = observed.bookableResource;
  if (br && br.statecode === 0) remains.push(`active bookable resource ${br.name ?? ''} (${br.bookableresourceid})`.replace('  ', ' '));
  return remains;
}
