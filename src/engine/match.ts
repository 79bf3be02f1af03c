/**
 * Matching: which observed objects belong to which contact (issue 3, "Matching").
 *
 * The Entra user is found by the anchor written on the contact (o25fs_entraobjectid) and, before
 * there is one, by email: mail, otherMails, userPrincipalName or the guest UPN form
 * (`local_domain#EXT#@…`), case-insensitive. Anything unclear is an error on that contact and no
 * change for it, never a guess: two candidate users, two contacts wanting one user, an anchored
 * user whose email no longer fits. The systemuser follows the user (azureactivedirectoryobjectid),
 * the bookable resource follows the contact's lookup, else the systemuser.
 */
import { ContactError } from '../model/errors.js';
import type { Observation } from '../model/observation.js';
import type { Orphan } from '../model/plan.js';
import type { BookableResourceRow, ContactRow, GraphUser, SystemUserRow } from '../model/rows.js';
import type { DesiredTechnician, ObservedTechnician } from '../model/state.js';
import { cmp } from './desired.js';

export type MatchOutcome = { ok: true; observed: ObservedTechnician } | { ok: false; error: ContactError };

export interface MatchResult {
  byContact: Map<string, MatchOutcome>;
  /** Group members that belong to no contact (never changed; the report lists them). */
  groupOrphans: Orphan[];
  /** Extra bookable resources found for a contact's user, by contact id (never changed). */
  resourceOrphans: Map<string, Orphan[]>;
}

const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

/** The UPN Entra gives a guest invited with `email`, up to the "@": `a_contoso.com#ext#`. */
export function guestUpnLocalPart(email: string): string {
  return `${email.replace('@', '_')}#ext#`.toLowerCase();
}

/** Does this user carry this email (mail, otherMails, UPN, or guest UPN form)? */
export function userHasEmail(user: GraphUser, email: string): boolean {
  if (email === '') return false;
  const e = email.toLowerCase();
  const upn = lc(user.userPrincipalName);
  return (
    lc(user.mail) === e ||
    user.otherMails.some((m) => lc(m) === e) ||
    upn === e ||
    upn.slice(0, upn.lastIndexOf('@')) === guestUpnLocalPart(e)
  );
}

function usersByEmailIndex(users: readonly GraphUser[]): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  const add = (key: string, id: string): void => {
    if (key === '') return;
    let set = index.get(key);
    if (!set) index.set(key, (set = new Set()));
    set.add(id);
  };
  for (const u of users) {
    const id = u.id.toLowerCase();
    add(lc(u.mail), id);
    for (const m of u.otherMails) add(lc(m), id);
    const upn = lc(u.userPrincipalName);
    add(upn, id);
    const at = upn.lastIndexOf('@');
    if (upn.includes('#ext#') && at > 0) add(`upnlocal:${upn.slice(0, at)}`, id);
  }
  return index;
}

/** Domains of the tenant itself: the domain part of guests' UPNs and of members' UPNs. */
function tenantDomains(users: readonly GraphUser[]): Set<string> {
  const domains = new Set<string>();
  for (const u of users) {
    const upn = lc(u.userPrincipalName);
    const at = upn.lastIndexOf('@');
    if (at > 0 && (upn.includes('#ext#') || lc(u.userType) === 'member')) domains.add(upn.slice(at + 1));
  }
  return domains;
}

interface Claim {
  desired: DesiredTechnician;
  contact: ContactRow;
  userId: string | null;
  via: 'anchor' | 'email' | 'none';
}

function idList(ids: Iterable<string>): string {
  return [...ids].sort(cmp).join(', ');
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
  const emailIndex = usersByEmailIndex(observation.users);
  const ownDomains = tenantDomains(observation.users);
  const errors = new Map<string, ContactError>();
  const related = new Set<string>(); // users tied to some contact, even one in error: never orphans
  const claims: Claim[] = [];
  const contacts = new Map(observation.contacts.map((c) => [c.contactid, c]));

  for (const d of sorted) {
    const contact = contacts.get(d.contactId);
    if (!contact) continue;
    const anchored = d.anchorUserId ? users.get(d.anchorUserId) : undefined;
    if (anchored) related.add(anchored.id.toLowerCase());
    if (d.intent === 'ignore') {
      // Out of scope: only the anchor says what is ours; nothing is claimed by email.
      claims.push({ desired: d, contact, userId: anchored ? anchored.id.toLowerCase() : null, via: anchored ? 'anchor' : 'none' });
      continue;
    }
    if (anchored) {
      // A deprovision follows the anchor even if the email changed: access must go either way.
      if (d.intent === 'provision' && !userHasEmail(anchored, d.email)) {
        const old = anchored.mail ?? anchored.otherMails[0] ?? anchored.userPrincipalName;
        errors.set(
          d.contactId,
          new ContactError(
            'EMAIL_CHANGED',
            `The email of contact ${d.contactId} changed from ${old} to ${d.email}, but the contact is bound to the guest ${anchored.id} (${old}). Nothing is changed for this contact.`,
            'Change the email back, or remove the old guest\'s access and clear o25fs_entraobjectid on the contact so the next run invites the new address.',
          ),
        );
        continue;
      }
      claims.push({ desired: d, contact, userId: anchored.id.toLowerCase(), via: 'anchor' });
      continue;
    }
    // No anchor, or the anchored user is gone (deleted by hand): match by email.
    if (d.email === '') {
      claims.push({ desired: d, contact, userId: null, via: 'none' });
      continue;
    }
    const candidates = new Set<string>([
      ...(emailIndex.get(d.email) ?? []),
      ...(emailIndex.get(`upnlocal:${guestUpnLocalPart(d.email)}`) ?? []),
    ]);
    for (const id of candidates) related.add(id);
    if (candidates.size > 1) {
      errors.set(
        d.contactId,
        new ContactError(
          'AMBIGUOUS_USER',
          `${candidates.size} Entra users carry the email ${d.email} of contact ${d.contactId}: ${idList(candidates)}. Nothing is changed for this contact.`,
          `Delete or change the email of the users that are not this technician, or write the right user's object id into o25fs_entraobjectid on the contact.`,
        ),
      );
      continue;
    }
    const [only] = candidates;
    if (only === undefined && d.intent === 'provision' && ownDomains.has(d.email.slice(d.email.lastIndexOf('@') + 1))) {
      errors.set(
        d.contactId,
        new ContactError(
          'EMAIL_IN_TENANT_DOMAIN',
          `The email ${d.email} of contact ${d.contactId} is in one of this tenant's own domains, so it cannot be invited as a guest, and no user has it.`,
          'Use the technician\'s own (vendor) email address on the contact, or create the member user first so it can be matched.',
        ),
      );
      continue;
    }
    claims.push({ desired: d, contact, userId: only ?? null, via: only === undefined ? 'none' : 'email' });
  }

  resolveDuplicates(claims, errors);
  const okClaims = claims.filter((c) => !errors.has(c.desired.contactId));

  // Systemusers and bookable resources, now that each user has at most one contact.
  const systemUsers = new Map<string, SystemUserRow>();
  for (const s of [...observation.systemUsers].sort((a, b) => cmp(lc(a.systemuserid), lc(b.systemuserid)))) {
    const aad = lc(s.azureactivedirectoryobjectid);
    if (aad && !systemUsers.has(aad)) systemUsers.set(aad, s);
  }
  const memberIds = new Set((observation.groupMemberIds ?? []).map((m) => m.toLowerCase()));
  const resources = chooseResources(okClaims, systemUsers, observation.bookableResources);
  const rcByResource = new Map<string, Observation['resourceCharacteristics']>();
  for (const row of observation.resourceCharacteristics) {
    const key = lc(row._resource_value);
    rcByResource.set(key, [...(rcByResource.get(key) ?? []), row]);
  }

  const byContact = new Map<string, MatchOutcome>();
  for (const [contactId, error] of errors) byContact.set(contactId, { ok: false, error });
  for (const claim of okClaims) {
    const contact = claim.contact;
    const user = claim.userId ? (users.get(claim.userId) ?? null) : null;
    const systemUser = user ? (systemUsers.get(user.id.toLowerCase()) ?? null) : null;
    const br = resources.chosen.get(claim.desired.contactId) ?? null;
    byContact.set(claim.desired.contactId, {
      ok: true,
      observed: {
        contact,
        user,
        isGroupMember: user ? memberIds.has(user.id.toLowerCase()) : false,
        hasDirectLicence: user ? hasDirectLicence(user, claim.desired.licence.skuId) : false,
        systemUser,
        bookableResource: br,
        resourceCharacteristics: br
          ? [...(rcByResource.get(br.bookableresourceid.toLowerCase()) ?? [])].sort((a, b) =>
              cmp(lc(a.bookableresourcecharacteristicid), lc(b.bookableresourcecharacteristicid)),
            )
          : [],
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

/**
 * One user, one contact. Contacts sharing an email, or wanting the same user, get an error unless
 * exactly one of them holds the user by its anchor (that one keeps it).
 */
function resolveDuplicates(claims: Claim[], errors: Map<string, ContactError>): void {
  const active = claims.filter((c) => c.desired.intent !== 'ignore' && !errors.has(c.desired.contactId));
  const byEmail = new Map<string, Claim[]>();
  for (const c of active) {
    if (c.desired.email === '') continue;
    byEmail.set(c.desired.email, [...(byEmail.get(c.desired.email) ?? []), c]);
  }
  for (const [email, group] of byEmail) {
    if (group.length < 2) continue;
    for (const c of group) {
      if (c.via === 'anchor') continue;
      const others = group.filter((o) => o !== c).map((o) => o.desired.contactId);
      errors.set(
        c.desired.contactId,
        new ContactError(
          'DUPLICATE_EMAIL',
          `Contact ${c.desired.contactId} has the same email (${email}) as contact(s) ${idList(others)}. Nothing is changed for this contact.`,
          'Give each technician contact its own email address, or turn Setup Technician off on the duplicate contact.',
        ),
      );
    }
  }

  const byUser = new Map<string, Claim[]>();
  for (const c of claims) {
    if (!c.userId || errors.has(c.desired.contactId)) continue;
    byUser.set(c.userId, [...(byUser.get(c.userId) ?? []), c]);
  }
  for (const [userId, group] of byUser) {
    if (group.length < 2) continue;
    const anchoredClaims = group.filter((c) => c.via === 'anchor');
    const keeper = anchoredClaims.length === 1 ? anchoredClaims[0] : undefined;
    for (const c of group) {
      if (c === keeper) continue;
      if (c.desired.intent === 'ignore') {
        c.userId = null; // out of scope: just do not list the user as remaining
        continue;
      }
      const others = group.filter((o) => o !== c).map((o) => o.desired.contactId);
      errors.set(
        c.desired.contactId,
        new ContactError(
          c.via === 'anchor' ? 'DUPLICATE_ANCHOR' : 'USER_TAKEN',
          `The Entra user ${userId} that contact ${c.desired.contactId} ${c.via === 'anchor' ? 'is anchored to' : 'matches by email'} also belongs to contact(s) ${idList(others)}. Nothing is changed for this contact.`,
          c.via === 'anchor'
            ? 'Clear o25fs_entraobjectid on the contact that is not this technician (e.g. a copied contact).'
            : 'Fix the email so it matches only this technician\'s user, or write the right user\'s object id into o25fs_entraobjectid.',
        ),
      );
    }
  }
}

/**
 * The bookable resource of each contact: its lookup when that resource is not another contact's
 * (by userid), else the lowest-id resource of its systemuser. A resource the lookup names and
 * several contacts want goes to the lowest contact id. Extra resources of the same user are orphans.
 */
function chooseResources(
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
