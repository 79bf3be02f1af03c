/**
 * The Dataverse side of matching, once each user has at most one contact: the systemuser follows
 * the user (azureactivedirectoryobjectid), the bookable resource follows the contact's lookup, else
 * the systemuser. Resources left over are orphans for the report and never changed
 * (docs/plan-format.md, "Orphans"): the reconciler does not guess which of two resources to drop.
 */
import type { Observation } from '../model/observation.js';
import type { Orphan } from '../model/plan.js';
import type { BookableResourceRow, SystemUserRow } from '../model/rows.js';
import { cmp } from './desired.js';
import { lc, type Claim } from './match-users.js';

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
 * The bookable resource of each contact: its lookup when that resource is not another contact's
 * (by userid), else the lowest-id resource of its systemuser. A resource the lookup names and
 * several contacts want goes to the lowest contact id. Extra resources of the same user are orphans.
 */
export function chooseResources(
  claims: readonly Claim[],
  systemUsers: ReadonlyMap<string, SystemUserRow>,
  rows: readonly BookableResourceRow[],
): { chosen: Map<string, BookableResourceRow>; orphans: Map<string, Orphan[]> } {
  const byId = new Map(rows.map((r) => [r.bookableresourceid.toLowerCase(), r]));
  const byUserId = new Map<string, BookableResourceRow[]>();
  for (const r of [...rows].sort((a, b) => cmp(lc(a.bookableresourceid), lc(b.bookableresourceid)))) {
    const u = lc(r._userid_value);
    if (u) byUserId.set(u, [...(byUserId.get(u) ?? []), r]);
  }
  const systemUserOf = (c: Claim): string =>
    c.userId ? lc(systemUsers.get(c.userId)?.systemuserid) : '';
  const ownerOfSystemUser = new Map<string, string>();
  for (const c of claims) {
    const s = systemUserOf(c);
    if (s) ownerOfSystemUser.set(s, c.desired.contactId);
  }
  const lookupWanted = new Map<string, string>(); // resource id -> lowest contact id wanting it by lookup only
  const candidates = new Map<string, BookableResourceRow | null>();
  for (const c of [...claims].sort((a, b) => cmp(a.desired.contactId, b.desired.contactId))) {
    const lookup = byId.get(lc(observationLookup(c)));
    const own = systemUserOf(c);
    let pick: BookableResourceRow | null = null;
    if (lookup) {
      const owner = ownerOfSystemUser.get(lc(lookup._userid_value));
      const ownsByUser = own !== '' && lc(lookup._userid_value) === own;
      const foreign = owner !== undefined && owner !== c.desired.contactId;
      if (!foreign) {
        if (ownsByUser) pick = lookup;
        else if (!lookupWanted.has(lc(lookup.bookableresourceid))) {
          lookupWanted.set(lc(lookup.bookableresourceid), c.desired.contactId);
          pick = lookup;
        }
      }
    }
    const mine = own ? (byUserId.get(own) ?? []) : [];
    // Prefer the systemuser's own resource over a lookup that points at a resource of nobody.
    if (pick && lc(pick._userid_value) !== own && mine.length > 0) pick = mine[0]!;
    if (!pick && mine.length > 0) pick = mine[0]!;
    candidates.set(c.desired.contactId, pick);
  }
  const chosen = new Map<string, BookableResourceRow>();
  for (const [contactId, pick] of candidates) if (pick) chosen.set(contactId, pick);
  const taken = new Set([...chosen.values()]);
  const orphans = new Map<string, Orphan[]>();
  for (const c of claims) {
    const pick = chosen.get(c.desired.contactId) ?? null;
    const own = systemUserOf(c);
    const extra = (own ? (byUserId.get(own) ?? []) : []).filter((r) => !taken.has(r));
    const lookup = byId.get(lc(observationLookup(c)));
    if (lookup && !taken.has(lookup) && !extra.includes(lookup) && !ownerOfSystemUser.has(lc(lookup._userid_value))) {
      extra.push(lookup);
    }
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
  return { chosen, orphans };
}

function observationLookup(c: Claim): string | null {
  return c.contact._o25fs_bookableresourceid_value;
}
