/**
 * Which Entra user each contact claims: by the anchor written on the contact (o25fs_entraobjectid)
 * and, before there is one, by email (mail, otherMails, userPrincipalName or the guest UPN form
 * `local_domain#EXT#@…`), case-insensitive. Anything unclear is an error on that contact rather than
 * a guess, because a wrong match would hand one technician's access to another.
 */
import { ContactError } from '../model/errors.js';
import type { Observation } from '../model/observation.js';
import type { ContactRow, GraphUser } from '../model/rows.js';
import type { DesiredTechnician } from '../model/state.js';
import { cmp } from './desired.js';

export const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

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

/** A contact's claim on a user; `via` decides who keeps a user that two contacts want. */
export interface Claim {
  desired: DesiredTechnician;
  contact: ContactRow;
  userId: string | null;
  via: 'anchor' | 'email' | 'none';
}

export interface UserClaims {
  /** In contact-id order, including contacts in error (filter them with `errors`). */
  claims: Claim[];
  errors: Map<string, ContactError>;
  /** Users tied to some contact, even one in error: never reported as orphans. */
  related: Set<string>;
}

function idList(ids: Iterable<string>): string {
  return [...ids].sort(cmp).join(', ');
}

/**
 * Claims a user for every desired technician, then settles users that several contacts want.
 * `sorted` must be in contact-id order so that errors and claims come out in a stable order.
 */
export function claimUsers(
  sorted: readonly DesiredTechnician[],
  observation: Observation,
  users: ReadonlyMap<string, GraphUser>,
): UserClaims {
  const emailIndex = usersByEmailIndex(observation.users);
  const ownDomains = tenantDomains(observation.users);
  const errors = new Map<string, ContactError>();
  const related = new Set<string>();
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
  return { claims, errors, related };
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
