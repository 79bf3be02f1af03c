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
import type { DesiredTechnician, InheritedLicence, ObservedTechnician } from './state.js';
import { cmp } from './desired.js';
import { characteristicsByResource, characteristicsOf, chooseResources, systemUsersByAadId } from './match-resources.js';
import { claimUsers, lc, type Claim } from './match-users.js';
import { isGuest, readMark, type MarkReading } from './ownership.js';

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

/** Of `skuIds`, those assigned to the user directly (lower-cased, in the order given). */
export function directSkuIdsOf(user: GraphUser | null, skuIds: readonly string[]): string[] {
  return user ? skuIds.map(lc).filter((sku) => hasDirectLicence(user, sku)) : [];
}

/** Of `skuIds`, the user's entries inherited from a group (lower-cased, in the user's order). */
export function inheritedLicencesOf(user: GraphUser | null, skuIds: readonly string[]): InheritedLicence[] {
  const wanted = new Set(skuIds.map(lc));
  return (user?.licenseAssignmentStates ?? [])
    .filter((s) => s.assignedByGroup !== null && wanted.has(lc(s.skuId)))
    .map((s) => ({ skuId: lc(s.skuId), groupId: lc(s.assignedByGroup), state: s.state ?? null, error: s.error ?? null }));
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
  // Which of the contact's identities is its user, and which its former one (its other account type).
  const identities = new Map(okClaims.map((c) => [c.desired.contactId, identitiesOf(c, users)]));
  const resources = chooseResources(okClaims, systemUsers, observation.bookableResources, (c) => identities.get(c.desired.contactId)!);
  const formerMembers = observation.formerGroupMemberIds ?? {};
  const rcByResource = characteristicsByResource(observation.resourceCharacteristics);

  const byContact = new Map<string, MatchOutcome>();
  for (const [contactId, error] of errors) byContact.set(contactId, { ok: false, error });
  for (const claim of okClaims) {
    const { user, former } = identities.get(claim.desired.contactId)!;
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
        directSkuIds: directSkuIdsOf(user, claim.desired.licence.skuIds),
        inheritedLicences: inheritedLicencesOf(user, claim.desired.licence.skuIds),
        systemUser: user ? (systemUsers.get(user.id.toLowerCase()) ?? null) : null,
        mark: reading,
        formerGrants: user ? formerGrantsOf(user, reading, claim.desired, formerMembers) : { groupIds: [], skuIds: [] },
        formerIdentity: former ? formerIdentityOf(former, markAttribute, memberIds, systemUsers) : null,
        bookableResource: br,
        resourceCharacteristics: characteristicsOf(rcByResource, br),
      },
      warnings: resources.warnings.has(claim.desired.contactId) ? [resources.warnings.get(claim.desired.contactId)!] : [],
    });
    if (user) related.add(user.id.toLowerCase());
    if (former) related.add(former.id.toLowerCase());
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
  const { groupId } = reading.mark;
  const id = user.id.toLowerCase();
  const groupIds = groupId && groupId !== desired.group.groupId && (formerMembers[groupId] ?? []).includes(id) ? [groupId] : [];
  const skuIds = reading.mark.skuIds.filter((sku) => !desired.licence.skuIds.includes(sku) && hasDirectLicence(user, sku));
  return { groupIds, skuIds };
}

/**
 * The contact's user (of its account type) and its former identity (of the other type). A guest is
 * a former identity only when it carries the product's mark for this contact (every guest the
 * product manages gets it on its first run): a guest that merely shares the email of a contact on
 * a service account, or that only its anchor names, is not the product's to change. The anchor
 * moves to the service account, so it could not keep such a guest in view anyway.
 */
function identitiesOf(claim: Claim, users: ReadonlyMap<string, GraphUser>): { user: GraphUser | null; former: GraphUser | null } {
  const guest = claim.userId ? (users.get(claim.userId) ?? null) : null;
  const service = claim.serviceAccountId ? (users.get(claim.serviceAccountId) ?? null) : null;
  if (claim.desired.account === 'service') return { user: service, former: guest && claim.marked ? guest : null };
  return { user: guest, former: service };
}

/**
 * What the former identity still holds that the product granted: the licences its mark records
 * (or, without a mark, the SKUs this contact's account types use), the technician group, and its
 * Dataverse user, which the bookable resource may still point at.
 */
function formerIdentityOf(
  user: GraphUser,
  markAttribute: string,
  memberIds: ReadonlySet<string>,
  systemUsers: ReadonlyMap<string, { systemuserid: string }>,
): ObservedTechnician['formerIdentity'] {
  const reading = readMark(user, markAttribute);
  const skuIds = reading.kind === 'ours' ? reading.mark.skuIds : [];
  const id = user.id.toLowerCase();
  return {
    account: isGuest(user) ? 'guest' : 'service',
    user,
    isGroupMember: memberIds.has(id),
    directSkuIds: directSkuIdsOf(user, skuIds),
    systemUserId: systemUsers.get(id)?.systemuserid ?? null,
  };
}
