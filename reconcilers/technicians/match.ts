/**
 * Matching: which observed objects belong to which contact (issue 3, "Matching").
 *
 * Users first (match-users.ts: anchor, then email; anything unclear is an error on that contact and
 * no change for it, never a guess), then the Dataverse rows that hang off the user
 * (match-resources.ts). This file puts the two together into one ObservedTechnician per contact and
 * lists the group members nobody claimed. Callers import from here only, so the split stays internal.
 */
import { ContactError } from '../../src/model/errors.js';
import type { Observation } from '../../src/model/observation.js';
import type { Orphan } from '../../src/model/plan.js';
import type { GraphUser } from '../../src/model/rows.js';
import type { DesiredTechnician, ObservedTechnician } from './state.js';
import { cmp } from './desired.js';
import { characteristicsByResource, characteristicsOf, chooseResources, systemUsersByAadId } from './match-resources.js';
import { claimUsers, lc } from './match-users.js';
import { readMark, type MarkReading } from './ownership.js';

export { guestUpnLocalPart, userHasEmail } from './match-users.js';

export type MatchOutcome = { ok: true; observed: ObservedTechnician; warnings: ContactError[] } | { ok: false; error: ContactError };

export interface MatchResult {
  byContact: Map<string, MatchOutcome>;
  /** Deleted contacts whose user a live contact with the same email takes over. */
  superseded: Set<string>;
  /** Group members that belong to no contact (never changed; the report lists them). */
  groupOrphans: Orphan[];
  /** Extra bookable resources found for a contact's user, by contact id (never changed). */
  resourceOrphans: Map<string, Orphan[]>;
}

export function hasDirectLicence(user: GraphUser, skuId: string): boolean {
  const sku = skuId.toLowerCase();
  if (user.licenseAssignmentStates) {
    return user.licenseAssignmentStates.some((s) => lc(s.skuId) === sku && s.assignedByGroup === null);
  }
  return user.assignedLicenses.some((l) => lc(l.skuId) === sku);
}

/**
 * Matches every desired technician (all intents) to what the observation holds. `desired` may be in
 * any order; the result does not depend on it.
 */
export interface MatchOptions {
  /** The extension attribute holding the ownership mark (OWNERSHIP_MARK_ATTRIBUTE). */
  markAttribute?: string;
}

export function matchContacts(desiredList: readonly DesiredTechnician[], observation: Observation, options: MatchOptions = {}): MatchResult {
  const sorted = [...desiredList].sort((a, b) => cmp(a.contactId.toLowerCase(), b.contactId.toLowerCase()));
  const users = new Map(observation.users.map((u) => [u.id.toLowerCase(), u]));
  const markAttribute = options.markAttribute ?? 'extensionAttribute15';
  const deleted = new Set((observation.deletedContactIds ?? []).map((id) => id.toLowerCase()));
  const { claims, errors, related, superseded } = claimUsers(sorted, observation, users, { markAttribute, deleted });
  const okClaims = claims.filter((c) => !errors.has(c.desired.contactId));

  // Only now that each user has at most one contact can systemusers and resources be shared out.
  const systemUsers = systemUsersByAadId(observation.systemUsers);
  const memberIds = new Set((observation.groupMemberIds ?? []).map((m) => m.toLowerCase()));
  const resources = chooseResources(okClaims, systemUsers, observation.bookableResources);
  const former = observation.formerGroupMemberIds ?? {};
  const rcByResource = characteristicsByResource(observation.resourceCharacteristics);

  const byContact = new Map<string, MatchOutcome>();
  for (const [contactId, error] of errors) byContact.set(contactId, { ok: false, error });
  for (const claim of okClaims) {
    const user = claim.userId ? (users.get(claim.userId) ?? null) : null;
    const reading = user ? readMark(user, markAttribute) : ({ kind: 'none' } as const);
    if (user && reading.kind === 'foreign' && claim.desired.intent !== 'ignore') {
      // Writing the mark would overwrite a value the tenant keeps there for its own use.
      byContact.set(claim.desired.contactId, { ok: false, error: markAttributeInUse(claim.desired.contactId, user, markAttribute) });
      continue;
    }
    const br = resources.chosen.get(claim.desired.contactId) ?? null;
    byContact.set(claim.desired.contactId, {
      ok: true,
      observed: {
        contact: claim.contact,
        user,
        isGroupMember: user ? memberIds.has(user.id.toLowerCase()) : false,
        hasDirectLicence: user ? hasDirectLicence(user, claim.desired.licence.skuId) : false,
        systemUser: user ? (systemUsers.get(user.id.toLowerCase()) ?? null) : null,
        mark: reading,
        formerGrants: user ? formerGrantsOf(user, reading, claim.desired, former) : { groupIds: [], skuIds: [] },
        bookableResource: br,
        resourceCharacteristics: characteristicsOf(rcByResource, br),
      },
      warnings: resources.warnings.has(claim.desired.contactId) ? [resources.warnings.get(claim.desired.contactId)!] : [],
    });
    if (user) related.add(user.id.toLowerCase());
  }

  const groupOrphans: Orphan[] = [...memberIds]
    .filter((id) => !related.has(id))
    .sort(cmp)
    .map((id) => ({
      kind: 'group-member' as const,
      id,
      displayName: users.get(id)?.displayName ?? null,
      reason: 'Member of the technician group but not the user of any technician contact; left as it is.',
    }));
  return { byContact, superseded, groupOrphans, resourceOrphans: resources.orphans };
}

function markAttributeInUse(contactId: string, user: GraphUser, attribute: string): ContactError {
  return new ContactError(
    'MARK_ATTRIBUTE_IN_USE',
    `The Entra user ${user.userPrincipalName} (${user.id}) of contact ${contactId} already holds a value in ${attribute}, which vendor-reconciler uses for its ownership mark; it is not overwritten, so nothing is changed for this contact.`,
    'Set OWNERSHIP_MARK_ATTRIBUTE to an extension attribute (extensionAttribute1 to 15) the tenant does not use, or clear this one on the user.',
  );
}

/**
 * What the product granted this user under earlier settings and the user still holds: the group and
 * licence its mark records, when they are no longer TECHNICIAN_GROUP_ID and LICENSE_SKU_ID.
 */
function formerGrantsOf(
  user: GraphUser,
  reading: MarkReading,
  desired: DesiredTechnician,
  formerMembers: Readonly<Record<string, string[]>>,
): ObservedTechnician['formerGrants'] {
  if (reading.kind !== 'ours' || reading.mark.contactId !== desired.contactId.toLowerCase()) return { groupIds: [], skuIds: [] };
  const { groupId, skuId } = reading.mark;
  const id = user.id.toLowerCase();
  const groupIds = groupId && groupId !== desired.group.groupId && (formerMembers[groupId] ?? []).includes(id) ? [groupId] : [];
  const skuIds = skuId && skuId !== desired.licence.skuId && hasDirectLicence(user, skuId) ? [skuId] : [];
  return { groupIds, skuIds };
}
