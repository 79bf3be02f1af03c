/**
 * Matching: which observed objects belong to which contact (issue 3, "Matching").
 *
 * Users first (match-users.ts: anchor, then email; anything unclear is an error on that contact and
 * no change for it, never a guess), then the Dataverse rows that hang off the user
 * (match-resources.ts). This file puts the two together into one ObservedTechnician per contact and
 * lists the group members nobody claimed. Callers import from here only, so the split stays internal.
 */
import type { ContactError } from '../model/errors.js';
import type { Observation } from '../model/observation.js';
import type { Orphan } from '../model/plan.js';
import type { GraphUser } from '../model/rows.js';
import type { DesiredTechnician, ObservedTechnician } from '../model/state.js';
import { cmp } from './desired.js';
import { characteristicsByResource, characteristicsOf, chooseResources, systemUsersByAadId } from './match-resources.js';
import { claimUsers, lc } from './match-users.js';

export { guestUpnLocalPart, userHasEmail } from './match-users.js';

export type MatchOutcome = { ok: true; observed: ObservedTechnician } | { ok: false; error: ContactError };

export interface MatchResult {
  byContact: Map<string, MatchOutcome>;
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
export function matchContacts(desiredList: readonly DesiredTechnician[], observation: Observation): MatchResult {
  const sorted = [...desiredList].sort((a, b) => cmp(a.contactId.toLowerCase(), b.contactId.toLowerCase()));
  const users = new Map(observation.users.map((u) => [u.id.toLowerCase(), u]));
  const { claims, errors, related } = claimUsers(sorted, observation, users);
  const okClaims = claims.filter((c) => !errors.has(c.desired.contactId));

  // Only now that each user has at most one contact can systemusers and resources be shared out.
  const systemUsers = systemUsersByAadId(observation.systemUsers);
  const memberIds = new Set((observation.groupMemberIds ?? []).map((m) => m.toLowerCase()));
  const resources = chooseResources(okClaims, systemUsers, observation.bookableResources);
  const rcByResource = characteristicsByResource(observation.resourceCharacteristics);

  const byContact = new Map<string, MatchOutcome>();
  for (const [contactId, error] of errors) byContact.set(contactId, { ok: false, error });
  for (const claim of okClaims) {
    const user = claim.userId ? (users.get(claim.userId) ?? null) : null;
    const br = resources.chosen.get(claim.desired.contactId) ?? null;
    byContact.set(claim.desired.contactId, {
      ok: true,
      observed: {
        contact: claim.contact,
        user,
        isGroupMember: user ? memberIds.has(user.id.toLowerCase()) : false,
        hasDirectLicence: user ? hasDirectLicence(user, claim.desired.licence.skuId) : false,
        systemUser: user ? (systemUsers.get(user.id.toLowerCase()) ?? null) : null,
        bookableResource: br,
        resourceCharacteristics: characteristicsOf(rcByResource, br),
      },
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
  return { byContact, groupOrphans, resourceOrphans: resources.orphans };
}
