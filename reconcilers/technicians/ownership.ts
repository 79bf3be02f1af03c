/**
 * Ownership: which Entra users vendor-reconciler may act on (docs/operations.md, "What the product
 * owns").
 *
 * Contacts are written by vendor admins, who are outsiders, so nothing a contact says is proof that
 * a user is the technician's. The proof is a mark the product writes on every user it invites or
 * adopts, in one of the user's extension attributes (onPremisesExtensionAttributes, writable on
 * cloud-only users by the app alone; vendor admins and guests cannot write it):
 *
 *   vendor-reconciler:v1;contact=<contactid>;group=<groupid>;sku=<skuId>
 *   vendor-reconciler:v1;contact=<contactid>;account=service;group=<groupid>;sku=<skuId>,<skuId>
 *
 * The second form is written by the create call of a service account (issue 12), the only Member
 * user the product ever makes: POST /users carries the mark, so the account is the product's from
 * its first moment. A mark without `account=service` on a Member proves nothing (a guest the product
 * marked and someone later converted to a Member is staff's now).
 *
 * It names the contact the user belongs to and records what the product granted it (the technician
 * group and licence of the settings at the time), so a deleted contact and a changed
 * TECHNICIAN_GROUP_ID or LICENSE_SKU_ID can still be cleaned up from Entra alone, on a fresh
 * machine.
 *
 * The rules, applied by every path that finds a user (the plan's matching, the anchor column and the
 * look-up right before an invitation):
 * - A guest (userType Guest) is ownable; a Member is ownable only when its mark says the product
 *   created it as a service account (isOwnableMember). A staff Member account never is.
 * - A user marked for another contact that still exists belongs to that contact.
 * - A user is this contact's when its mark names the contact, or, before it has a mark, when its
 *   mail, otherMails or guest UPN holds the contact's email. Nothing else (not the anchor alone).
 */
import type { GraphUser } from '../../src/model/rows.js';
import type { MarkReading, OwnerMark } from './state.js';

export const MARK_PREFIX = 'vendor-reconciler:v1;';
/** Each extension attribute holds up to 1,024 characters (onPremisesExtensionAttributes resource). */
export const MARK_MAX_LENGTH = 1024;

export type { MarkReading, OwnerMark } from './state.js';

export function formatMark(mark: OwnerMark): string {
  const parts = [`contact=${mark.contactId.toLowerCase()}`];
  if (mark.account === 'service') parts.push('account=service');
  if (mark.groupId) parts.push(`group=${mark.groupId.toLowerCase()}`);
  if (mark.skuIds.length > 0) parts.push(`sku=${mark.skuIds.map((s) => s.toLowerCase()).join(',')}`);
  return `${MARK_PREFIX}${parts.join(';')}`;
}

export function parseMark(value: string | null | undefined): MarkReading {
  const v = (value ?? '').trim();
  if (v === '') return { kind: 'none' };
  if (!v.startsWith(MARK_PREFIX)) return { kind: 'foreign', value: v };
  const fields = new Map<string, string>();
  for (const part of v.slice(MARK_PREFIX.length).split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1).toLowerCase());
  }
  const contactId = fields.get('contact');
  if (!contactId) return { kind: 'foreign', value: v };
  const skuIds = (fields.get('sku') ?? '').split(',').filter((s) => s !== '');
  const account = fields.get('account') === 'service' ? 'service' : 'guest';
  return { kind: 'ours', mark: { contactId, account, groupId: fields.get('group') ?? null, skuIds } };
}

/** The raw value of the mark attribute on a user (null when unset or not read). */
export function markValueOf(user: GraphUser, attribute: string): string | null {
  return user.onPremisesExtensionAttributes?.[attribute] ?? null;
}

export function readMark(user: GraphUser, attribute: string): MarkReading {
  return parseMark(markValueOf(user, attribute));
}

/** The contact a user's mark names, or null. */
export function markedContactOf(user: GraphUser, attribute: string): string | null {
  const reading = readMark(user, attribute);
  return reading.kind === 'ours' ? reading.mark.contactId : null;
}

/** Guests only: a Member account is staff (or a service account) and never the product's to adopt. */
export function isGuest(user: GraphUser): boolean {
  return (user.userType ?? '').toLowerCase() === 'guest';
}

/** The contact a service account's mark names: a Member whose mark says the product created it; else null. */
export function serviceAccountContactOf(user: GraphUser, attribute: string): string | null {
  if (isGuest(user)) return null;
  const reading = readMark(user, attribute);
  return reading.kind === 'ours' && reading.mark.account === 'service' ? reading.mark.contactId : null;
}

/** A Member the product created as a service account (for some contact): never staff. */
export function isOwnableMember(user: GraphUser, attribute: string): boolean {
  return serviceAccountContactOf(user, attribute) !== null;
}

export function sameMark(a: OwnerMark, b: OwnerMark): boolean {
  return formatMark(a) === formatMark(b);
}
