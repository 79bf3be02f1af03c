/**
 * The Dataverse side of matching, once each user has at most one contact: the systemuser follows
 * the user (azureactivedirectoryobjectid), the bookable resource follows the contact's lookup, else
 * the systemuser. Resources left over are orphans for the report and never changed
 * (docs/plan-format.md, "Orphans"): the reconciler does not guess which of two resources to drop.
 */
import type { Observation } from '../../src/model/observation.js';
import type { Orphan } from '../../src/model/plan.js';
import type { BookableResourceRow, GraphUser, SystemUserRow } from '../../src/model/rows.js';
import { cmp } from './desired.js';
import { lc, type Claim } from './match-users.js';
import { bookableResourceIdFor } from './ids.js';
import { ContactError } from '../../src/model/errors.js';

type CharacteristicRows = Observation['resourceCharacteristics'];

/** Systemusers by Entra object id; the lowest systemuserid wins so that duplicates pick the same row every run. */
export function systemUsersByAadId(rows: readonly SystemUserRow[]): Map<string, SystemUserRow> {
  const systemUsers = new Map<string, SystemUserRow>();
  for (const s of [...rows].sort((a, b) => cmp(lc(a.systemuserid), lc(b.systemuserid)))) {
    const aad = lc(s.azureactivedirectoryobjectid);
    if (aad && !systemUsers.has(aad)) systemUsers.set(aad, s);
  }
  return systemUsers;
}

export function characteristicsByResource(rows: CharacteristicRows): Map<string, CharacteristicRows> {
  const index = new Map<string, CharacteristicRows>();
  for (const row of rows) {
    const key = lc(row._resource_value);
    index.set(key, [...(index.get(key) ?? []), row]);
  }
  return index;
}

/** Sorted by id so the diff and the plan do not depend on the order Dataverse returned them in. */
export function characteristicsOf(
  index: ReadonlyMap<string, CharacteristicRows>,
  resource: BookableResourceRow | null,
): CharacteristicRows {
  if (!resource) return [];
  return [...(index.get(resource.bookableresourceid.toLowerCase()) ?? [])].sort((a, b) =>
    cmp(lc(a.bookableresourcecharacteristicid), lc(b.bookableresourcecharacteristicid)),
  );
}

/**
 * The bookable resource of each contact. The contact's lookup (o25fs_bookableresourceid) is written
 * by vendor admins, so it is followed only to a resource that is this contact's own: one whose user
 * is this contact's systemuser, or the one the product creates for this contact (its deterministic
 * id). A lookup pointing anywhere else (a staff member's resource, another technician's) is left
 * alone and reported as a warning, and the contact's own resource is used: the lowest-id resource of
 * its systemuser. Extra resources of the same user are orphans (listed, never changed).
 */
export function chooseResources(
  claims: readonly Claim[],
  systemUsers: ReadonlyMap<string, SystemUserRow>,
  rows: readonly BookableResourceRow[],
  identities: (claim: Claim) => { user: GraphUser | null; former: GraphUser | null },
): { chosen: Map<string, BookableResourceRow>; orphans: Map<string, Orphan[]>; warnings: Map<string, ContactError> } {
  const byId = new Map(rows.map((r) => [r.bookableresourceid.toLowerCase(), r]));
  const byUserId = new Map<string, BookableResourceRow[]>();
  for (const r of [...rows].sort((a, b) => cmp(lc(a.bookableresourceid), lc(b.bookableresourceid)))) {
    const u = lc(r._userid_value);
    if (u) byUserId.set(u, [...(byUserId.get(u) ?? []), r]);
  }
  const systemUserOf = (c: Claim): string => {
    const user = identities(c).user;
    return user ? lc(systemUsers.get(user.id.toLowerCase())?.systemuserid) : '';
  };
  // After a switch of account type the resource still points at the former identity's Dataverse
  // user: it is still the contact's, and moves to the new one (bookable-resource.ts).
  const formerSystemUserOf = (c: Claim): string => {
    const former = identities(c).former;
    return former ? lc(systemUsers.get(former.id.toLowerCase())?.systemuserid) : '';
  };
  const chosen = new Map<string, BookableResourceRow>();
  const warnings = new Map<string, ContactError>();
  for (const c of [...claims].sort((a, b) => cmp(a.desired.contactId, b.desired.contactId))) {
    const own = systemUserOf(c);
    const formerOwn = formerSystemUserOf(c);
    const mine = [...(own ? (byUserId.get(own) ?? []) : []), ...(formerOwn ? (byUserId.get(formerOwn) ?? []) : [])];
    const lookupId = lc(c.contact._o25fs_bookableresourceid_value);
    const lookup = byId.get(lookupId);
    const holder = lc(lookup?._userid_value);
    const ownsLookup = lookup !== undefined && ((holder !== '' && (holder === own || holder === formerOwn)) || lookupId === bookableResourceIdFor(c.desired.contactId));
    const pick = ownsLookup ? lookup : mine[0];
    if (pick) chosen.set(c.desired.contactId, pick);
    if (lookup && !ownsLookup && c.desired.intent !== 'ignore') warnings.set(c.desired.contactId, resourceNotOwned(c.desired.contactId, lookup));
  }
  const taken = new Set([...chosen.values()]);
  const orphans = new Map<string, Orphan[]>();
  for (const c of claims) {
    const pick = chosen.get(c.desired.contactId) ?? null;
    const own = systemUserOf(c);
    const formerOwn = formerSystemUserOf(c);
    const extra = [...(own ? (byUserId.get(own) ?? []) : []), ...(formerOwn ? (byUserId.get(formerOwn) ?? []) : [])].filter((r) => !taken.has(r));
    if (extra.length > 0) {
      orphans.set(
        c.desired.contactId,
        extra.map((r) => ({
          kind: 'bookableresource' as const,
          id: r.bookableresourceid,
          displayName: r.name,
          reason: `Another bookable resource of contact ${c.desired.contactId} or its user (the contact uses ${pick?.bookableresourceid ?? 'a new one'}); left as it is.`,
        })),
      );
    }
  }
  return { chosen, orphans, warnings };
}

function resourceNotOwned(contactId: string, resource: BookableResourceRow): ContactError {
  return new ContactError(
    'RESOURCE_NOT_OWNED',
    `The bookable resource lookup of contact ${contactId} points at ${resource.name ?? 'a resource'} (${resource.bookableresourceid}), which is not this technician's (its Dataverse user is another person's, or it has none). That resource is left as it is; the technician's own resource is used.`,
    "Nothing is needed for the technician; the product sets the lookup to the technician's own resource. Check who changed the lookup if it was not a mistake.",
  );
}
