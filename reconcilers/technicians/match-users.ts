/**
 * Which Entra user each contact claims: by the anchor written on the contact (o25fs_entraobjectid),
 * by the product's ownership mark on the user, and, before either, by email (mail, otherMails,
 * userPrincipalName or the guest UPN form `local_domain#EXT#@…`), case-insensitive.
 *
 * A claim must pass the ownership rules of ownership.ts: the anchor is verified, never trusted (a
 * vendor admin can type any object id into it), a Member account is never claimed, and a user marked
 * for another contact stays that contact's. Anything unclear is an error on that contact rather than
 * a guess, because a wrong match would hand one technician's access to another, or a vendor's
 * contact power over a staff account.
 */
import { ContactError } from '../../src/model/errors.js';
import type { Observation } from '../../src/model/observation.js';
import type { GraphUser } from '../../src/model/rows.js';
import type { ContactRow } from './rows.js';
import type { DesiredTechnician } from './state.js';
import { cmp } from './desired.js';
import { emailKey } from './email.js';
import { isGuest, isOwnableMember, markedContactOf, serviceAccountContactOf } from './ownership.js';
import { upnTaken } from './service-account-create.js';

export const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

/**
 * An observed address in the form desired.ts gives the contact's email (NFC, case-folded:
 * reconcilers/technicians/email.ts), so a guest whose mail Entra stores decomposed still matches; a value that is
 * no usable address (a UPN of another shape) is only lower-cased.
 */
export const mailKey = (v: string | null | undefined): string => emailKey(v) ?? lc(v);

/** The UPN Entra gives a guest invited with `email`, up to the "@": `a_contoso.com#ext#`. */
export function guestUpnLocalPart(email: string): string {
  return `${email.replace('@', '_')}#ext#`.toLowerCase();
}

/** Does this user carry this email (mail, otherMails, UPN, or guest UPN form)? */
export function userHasEmail(user: GraphUser, email: string): boolean {
  if (email === '') return false;
  const e = mailKey(email);
  const upn = lc(user.userPrincipalName);
  return (
    mailKey(user.mail) === e ||
    user.otherMails.some((m) => mailKey(m) === e) ||
    mailKey(upn) === e ||
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
    add(mailKey(u.mail), id);
    for (const m of u.otherMails) add(mailKey(m), id);
    const upn = lc(u.userPrincipalName);
    add(mailKey(upn), id);
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

/** A contact's claim on a user; `via` and `marked` decide who keeps a user that two contacts want. */
export interface Claim {
  desired: DesiredTechnician;
  contact: ContactRow;
  userId: string | null;
  via: 'anchor' | 'mark' | 'email' | 'none';
  /** The user carries the product's mark for this contact. */
  marked: boolean;
  /**
   * The contact's service account (a Member the product created for it), by its anchor or its mark;
   * `userId` above is always the contact's guest. match.ts makes the one of the contact's account
   * type its user and the other its former identity.
   */
  serviceAccountId: string | null;
  serviceAccountVia: 'anchor' | 'mark' | 'none';
}

export interface UserClaims {
  /** In contact-id order, including contacts in error (filter them with `errors`). */
  claims: Claim[];
  errors: Map<string, ContactError>;
  /** Users tied to some contact, even one in error: never reported as orphans. */
  related: Set<string>;
  /** Deleted contacts whose user a live contact with the same email takes over (no removal for them). */
  superseded: Set<string>;
}

export interface ClaimOptions {
  /** The extension attribute holding the ownership mark. */
  markAttribute: string;
  /** Contacts that no longer exist (their users' marks still name them). */
  deleted: ReadonlySet<string>;
}

function idList(ids: Iterable<string>): string {
  return [...ids].sort(cmp).join(', ');
}

const describe = (u: GraphUser): string => `${u.userPrincipalName} (${u.id})`;

/** Users by the contact their mark names; only guests (a Member's mark proves nothing here). */
function usersByMark(users: readonly GraphUser[], attribute: string): Map<string, GraphUser[]> {
  const index = new Map<string, GraphUser[]>();
  for (const u of users) {
    const contactId = markedContactOf(u, attribute);
    if (contactId && isGuest(u)) index.set(contactId, [...(index.get(contactId) ?? []), u]);
  }
  return index;
}

/** Service accounts by the contact their mark names (lowest id first, so duplicates pick alike). */
function serviceAccountsByContact(users: readonly GraphUser[], attribute: string): Map<string, GraphUser[]> {
  const index = new Map<string, GraphUser[]>();
  for (const u of [...users].sort((a, b) => cmp(a.id.toLowerCase(), b.id.toLowerCase()))) {
    const contactId = serviceAccountContactOf(u, attribute);
    if (contactId) index.set(contactId, [...(index.get(contactId) ?? []), u]);
  }
  return index;
}

/**
 * Claims a user for every desired technician, then settles users that several contacts want.
 * `sorted` must be in contact-id order so that errors and claims come out in a stable order.
 */
export function claimUsers(
  sorted: readonly DesiredTechnician[],
  observation: Observation,
  users: ReadonlyMap<string, GraphUser>,
  options: ClaimOptions,
): UserClaims {
  const emailIndex = usersByEmailIndex(observation.users);
  const ownDomains = tenantDomains(observation.users);
  const byMark = usersByMark(observation.users, options.markAttribute);
  const serviceAccounts = serviceAccountsByContact(observation.users, options.markAttribute);
  const errors = new Map<string, ContactError>();
  const related = new Set<string>();
  const claims: Claim[] = [];
  const contacts = new Map(observation.contacts.map((c) => [c.contactid.toLowerCase(), c]));
  const markOf = (u: GraphUser): string | null => markedContactOf(u, options.markAttribute);
  /** The live contact, other than `contactId`, that a user's mark gives it to. */
  const ownerElse = (u: GraphUser, contactId: string): string | null => {
    const owner = markOf(u);
    return owner && owner !== contactId.toLowerCase() && !options.deleted.has(owner) ? owner : null;
  };

  for (const d of sorted) {
    const contact = contacts.get(d.contactId.toLowerCase());
    if (!contact) continue;
    const id = d.contactId.toLowerCase();
    // The service account first: it does not depend on the email, and the guest's claim must know
    // whether the anchor is the service account (then the guest is found by its mark or email).
    const anchoredTo = d.anchorUserId ? users.get(d.anchorUserId) : undefined;
    const anchoredSa = anchoredTo && serviceAccountContactOf(anchoredTo, options.markAttribute) === id ? anchoredTo : undefined;
    const saByMark = (serviceAccounts.get(id) ?? []).filter((u) => u !== anchoredSa);
    if (!anchoredSa && saByMark.length > 1 && d.intent !== 'ignore') {
      claims.push({ desired: d, contact, userId: null, via: 'none', marked: false, serviceAccountId: null, serviceAccountVia: 'none' });
      errors.set(
        d.contactId,
        new ContactError(
          'AMBIGUOUS_USER',
          `${saByMark.length} service accounts carry the product's mark for contact ${d.contactId}: ${idList(saByMark.map((u) => u.id.toLowerCase()))}. Nothing is changed for this contact.`,
          "Disable the service accounts that are not this technician's and clear their mark (the ownership attribute, docs/operations.md), or write the right account's object id into o25fs_entraobjectid on the contact.",
        ),
      );
      continue;
    }
    const sa = anchoredSa ?? saByMark[0];
    if (sa) related.add(sa.id.toLowerCase());
    // The account to be created: its deterministic names must be free (service-account-create.ts
    // checks again right before creating; this makes the dry run say it first).
    const names = d.account === 'service' && d.intent === 'provision' && !sa ? d.serviceAccount : null;
    const holder = names ? observation.users.find((u) => lc(u.mailNickname) === names.mailNickname || lc(u.userPrincipalName) === names.userPrincipalName.toLowerCase()) : undefined;
    if (names && holder) {
      claims.push({ desired: d, contact, userId: null, via: 'none', marked: false, serviceAccountId: null, serviceAccountVia: 'none' });
      errors.set(d.contactId, upnTaken(d.contactId, names.userPrincipalName, holder));
      continue;
    }
    const saClaim = { serviceAccountId: sa ? sa.id.toLowerCase() : null, serviceAccountVia: anchoredSa ? ('anchor' as const) : sa ? ('mark' as const) : ('none' as const) };
    const wantsGuest = d.account === 'guest';
    const push = (userId: string | null, via: Claim['via'], marked: boolean): void => {
      claims.push({ desired: d, contact, userId, via, marked, ...saClaim });
    };
    // A contact in error keeps a claim on no user, so duplicate emails still count it.
    const fail = (error: ContactError): void => {
      errors.set(d.contactId, error);
      push(null, 'none', false);
    };
    // The anchor names the guest unless it names the contact's own service account.
    const anchored = anchoredSa ? undefined : anchoredTo;
    if (anchored) related.add(anchored.id.toLowerCase());
    const markedHere = (byMark.get(id) ?? []).filter((u) => u.id.toLowerCase() !== anchored?.id.toLowerCase());

    if (anchored) {
      const owner = ownerElse(anchored, id);
      const problem = owner
        ? `belongs to contact ${owner}: the product's mark on it names that contact`
        : !isGuest(anchored)
          ? `is a Member account (${describe(anchored)}): staff accounts, and service accounts the product did not create for this contact, are never the product's to change`
          : null;
      if (problem) {
        // Out of scope: not claimed, not an error (nothing is done for it anyway).
        if (d.intent === 'ignore') push(null, 'none', false);
        else fail(anchorNotOwnable(d.contactId, anchored, problem));
        continue;
      }
      const marked = markOf(anchored) === id;
      const hasEmail = userHasEmail(anchored, d.email);
      if (d.intent === 'ignore') {
        push(marked || hasEmail ? anchored.id.toLowerCase() : null, marked || hasEmail ? 'anchor' : 'none', marked);
        continue;
      }
      if (!marked && !hasEmail) {
        fail(anchorNotVerified(d.contactId, anchored, d.email));
        continue;
      }
      // Ours, but the contact's email is no longer the user's: an active contact waits for a person to
      // decide; a deprovision goes on, since access must go either way.
      if (d.intent === 'provision' && !hasEmail && wantsGuest) {
        fail(emailChanged(d.contactId, anchored, d.email));
        continue;
      }
      push(anchored.id.toLowerCase(), 'anchor', marked);
      continue;
    }
    if (d.intent === 'ignore') {
      push(null, 'none', false);
      continue;
    }
    // No anchor, or the anchored user is gone: the user the product marked for this contact.
    if (markedHere.length > 1) {
      fail(
        new ContactError(
          'AMBIGUOUS_USER',
          `${markedHere.length} Entra users carry the product's mark for contact ${d.contactId}: ${idList(markedHere.map((u) => u.id.toLowerCase()))}. Nothing is changed for this contact.`,
          'Clear the mark (the ownership attribute, docs/operations.md) on the users that are not this technician, or write the right user\'s object id into o25fs_entraobjectid on the contact.',
        ),
      );
      continue;
    }
    const [mine] = markedHere;
    if (mine) {
      related.add(mine.id.toLowerCase());
      if (d.intent === 'provision' && wantsGuest && !userHasEmail(mine, d.email)) fail(emailChanged(d.contactId, mine, d.email));
      else push(mine.id.toLowerCase(), 'mark', true);
      continue;
    }
    // Before the product has marked anyone for it: by email. A contact on a service account adopts
    // no guest by email: only a guest the product already made for it is its (former) identity.
    if (d.email === '' || !wantsGuest) {
      push(null, 'none', false);
      continue;
    }
    const candidates = new Set<string>([
      ...(emailIndex.get(d.email) ?? []),
      ...(emailIndex.get(`upnlocal:${guestUpnLocalPart(d.email)}`) ?? []),
    ]);
    for (const c of candidates) related.add(c);
    // A service account carries its person's email in otherMails; it is found by its mark, never by email.
    for (const c of [...candidates]) {
      const u = users.get(c);
      if (u && isOwnableMember(u, options.markAttribute)) candidates.delete(c);
    }
    // In id order, so the Member named in an error is the same whatever order Graph listed users in.
    const found = [...candidates].sort(cmp).map((c) => users.get(c)).filter((u): u is GraphUser => u !== undefined);
    const member = found.find((u) => !isGuest(u));
    if (member) {
      fail(emailBelongsToMember(d.contactId, d.email, member));
      continue;
    }
    if (candidates.size > 1) {
      fail(
        new ContactError(
          'AMBIGUOUS_USER',
          `${candidates.size} Entra users carry the email ${d.email} of contact ${d.contactId}: ${idList(candidates)}. Nothing is changed for this contact.`,
          `Delete or change the email of the users that are not this technician, or write the right user's object id into o25fs_entraobjectid on the contact.`,
        ),
      );
      continue;
    }
    const only = found[0];
    const owner = only ? ownerElse(only, id) : null;
    if (only && owner) {
      // Bound to another contact that still exists: never adopted, whatever that contact's state.
      const sameEmail = emailKey(contacts.get(owner)?.emailaddress1) === d.email;
      fail(
        sameEmail
          ? new ContactError(
              'DUPLICATE_EMAIL',
              `Contact ${d.contactId} has the same email (${d.email}) as contact ${owner}, whose Entra user ${describe(only)} it is. Nothing is changed for this contact.`,
              `Give each technician contact its own email address. If this contact replaces ${owner}, clear the email on ${owner} (or deactivate it) first.`,
            )
          : new ContactError(
              'USER_TAKEN',
              `The Entra user ${describe(only)} that contact ${d.contactId} matches by email belongs to contact ${owner} (the product's mark on it names that contact). Nothing is changed for this contact.`,
              `Give each technician contact its own email address; if contact ${owner} is not this technician, clear its email or deactivate it first.`,
            ),
      );
      continue;
    }
    if (!only && d.intent === 'provision' && ownDomains.has(d.email.slice(d.email.lastIndexOf('@') + 1))) {
      fail(
        new ContactError(
          'EMAIL_IN_TENANT_DOMAIN',
          `The email ${d.email} of contact ${d.contactId} is in one of this tenant's own domains, so it cannot be invited as a guest, and no user has it.`,
          'Use the technician\'s own (vendor) email address on the contact.',
        ),
      );
      continue;
    }
    push(only ? only.id.toLowerCase() : null, only ? 'email' : 'none', false);
  }

  const superseded = resolveDuplicates(claims, errors, options.deleted);
  return { claims, errors, related, superseded };
}

function anchorNotOwnable(contactId: string, user: GraphUser, problem: string): ContactError {
  return new ContactError(
    'ANCHOR_NOT_OWNABLE',
    `Contact ${contactId} is anchored (o25fs_entraobjectid) to the Entra user ${user.id}, which ${problem}. Nothing is changed for this contact or that user.`,
    'Clear o25fs_entraobjectid on the contact (it was copied or typed in); the next run finds or invites the technician by email.',
  );
}

function anchorNotVerified(contactId: string, user: GraphUser, email: string): ContactError {
  return new ContactError(
    'ANCHOR_NOT_VERIFIED',
    `Contact ${contactId} is anchored to the guest ${describe(user)}, but that guest carries neither the contact's email${email ? ` (${email})` : ''} nor the product's mark for this contact, so nothing shows it is this technician's. Nothing is changed for this contact or that guest, and no access is removed.`,
    'If the technician\'s email changed, put the old address back until the next run has marked the guest; if the anchor was copied from another contact, clear o25fs_entraobjectid.',
  );
}

function emailChanged(contactId: string, user: GraphUser, email: string): ContactError {
  const old = user.mail ?? user.otherMails[0] ?? user.userPrincipalName;
  return new ContactError(
    'EMAIL_CHANGED',
    `The email of contact ${contactId} changed from ${old} to ${email}, but the contact is bound to the guest ${user.id} (${old}). Nothing is changed for this contact.`,
    'Change the email back, or remove the old guest\'s access and clear o25fs_entraobjectid on the contact so the next run invites the new address.',
  );
}

export function emailBelongsToMember(contactId: string, email: string, user: Pick<GraphUser, 'id' | 'userPrincipalName'>): ContactError {
  return new ContactError(
    'EMAIL_BELONGS_TO_MEMBER',
    `The email ${email} of contact ${contactId} belongs to the Member account ${user.userPrincipalName} (${user.id}), a staff or service account. The product never invites, adopts or changes Member accounts, so nothing is done for this contact.`,
    'Enter the technician\'s own (vendor) email address on the contact. If this person really is staff, they need no vendor technician account: turn Setup Technician off.',
  );
}

/**
 * One user, one contact. Contacts sharing an email, or wanting the same user, get an error unless
 * one of them legitimately holds the user: the contact the user's mark names; before the user has a
 * mark, the contact that holds it by a verified anchor and was created first (then the lowest id).
 * A deleted contact gives way to a live contact with the user's email (a technician re-added).
 */
function resolveDuplicates(claims: Claim[], errors: Map<string, ContactError>, deleted: ReadonlySet<string>): Set<string> {
  const superseded = new Set<string>();
  // A contact already in error still counts: two contacts with one email are a duplicate whichever
  // of them is also wrong in another way (an attacker can always add a second fault).
  const byEmail = new Map<string, Claim[]>();
  for (const c of claims) {
    if (c.desired.intent === 'ignore' || c.desired.email === '' || deleted.has(c.desired.contactId.toLowerCase())) continue;
    byEmail.set(c.desired.email, [...(byEmail.get(c.desired.email) ?? []), c]);
  }
  for (const [email, group] of byEmail) {
    if (group.length < 2) continue;
    for (const c of group) {
      // A contact holding its identity (its guest, or its service account when that is its type) keeps it.
      const holds = c.via === 'anchor' || c.via === 'mark' || (c.desired.account === 'service' && c.serviceAccountVia !== 'none');
      if (holds || errors.has(c.desired.contactId)) continue;
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
  for (const [userId, all] of byUser) {
    if (all.length < 2) continue;
    const live = all.filter((c) => !deleted.has(c.desired.contactId.toLowerCase()));
    for (const c of all) if (!live.includes(c) && live.some((l) => l.desired.intent !== 'ignore')) superseded.add(c.desired.contactId);
    let group = live.length > 0 ? live : all;
    if (group.length < 2) continue;
    // A contact on a service account wants its guest only as its former identity, to take access
    // away, and only one the product's mark gives it (match.ts): an unmarked guest another contact
    // also claims is not fought over.
    const yielding = group.filter((c) => c.desired.account === 'service' && !c.marked);
    for (const c of yielding) c.userId = null;
    group = group.filter((c) => !yielding.includes(c));
    if (group.length < 2) continue;
    const keeper = keeperOf(group);
    for (const c of group) {
      if (c === keeper) continue;
      if (c.desired.intent === 'ignore') {
        c.userId = null; // out of scope: just do not list the user as remaining
        continue;
      }
      const others = group.filter((o) => o !== c).map((o) => o.desired.contactId);
      const anchoredHere = c.via === 'anchor' || c.via === 'mark';
      errors.set(
        c.desired.contactId,
        new ContactError(
          anchoredHere ? 'DUPLICATE_ANCHOR' : 'USER_TAKEN',
          `The Entra user ${userId} that contact ${c.desired.contactId} ${anchoredHere ? 'is anchored to' : 'matches by email'} also belongs to contact(s) ${idList(others)}${keeper ? `; contact ${keeper.desired.contactId} keeps it` : ''}. Nothing is changed for this contact.`,
          anchoredHere
            ? 'Clear o25fs_entraobjectid on the contact that is not this technician (e.g. a copied contact).'
            : 'Fix the email so it matches only this technician\'s user, or write the right user\'s object id into o25fs_entraobjectid.',
        ),
      );
    }
  }
  return superseded;
}

/** Who keeps a user several contacts claim: its mark's contact, else the oldest verified anchor. */
function keeperOf(group: readonly Claim[]): Claim | undefined {
  const marked = group.filter((c) => c.marked);
  if (marked.length === 1) return marked[0];
  if (marked.length > 1) return undefined;
  const anchored = group.filter((c) => c.via === 'anchor' && c.desired.intent !== 'ignore');
  if (anchored.length === 0) return undefined;
  const created = (c: Claim): number => {
    const t = Date.parse(c.contact.createdon ?? '');
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
  };
  return [...anchored].sort((a, b) => created(a) - created(b) || cmp(a.desired.contactId.toLowerCase(), b.desired.contactId.toLowerCase()))[0];
}
