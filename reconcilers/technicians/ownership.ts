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
 *
 * It names the contact the user belongs to and records what the product granted it (the technician
 * group and licence of the settings at the time), so a deleted contact and a changed
 * TECHNICIAN_GROUP_ID or LICENSE_SKU_ID can still be cleaned up from Entra alone, on a fresh
 * machine.
 *
 * The rules, applied by every path that finds a user (the plan's matching, the anchor column and the
 * look-up right before an invitation):
 * - Only guests (userType Guest) are ownable; a Member (staff) account never is.
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
  if (mark.groupId) parts.push(`group=${mark.groupId.toLowerCase()}`);
  if (mark.skuId) parts.push(`sku=${mark.skuId.toLowerCase()}`);
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
  return { kind: 'ours', mark: { contactId, groupId: fields.get('group') ?? null, skuId: fields.get('sku') ?? null } };
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

export function sameMark(a: OwnerMark, b: OwnerMark): boolean {
  return formatMark(a) === formatMark(b);
}
