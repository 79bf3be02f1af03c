/**
 * Desired portal access for one customer contact, with no I/O.
 *
 * Access on (o25fs_portalaccess Yes) on an active contact: provision. Access off, or the contact
 * deactivated, on a contact whose portal status the product has written (it manages it): its
 * access is removed. A contact the product never managed is left alone, whatever roles it holds.
 * The invitation goes to emailaddress1 (the Send Invitation workflow mails only that column), so
 * an active contact without one is an error on its row.
 */
import { ContactError } from '../../src/model/errors.js';
import type { PortalSettings } from './settings.js';
import type { PortalContactRow } from './rows.js';
import type { DesiredPortal, PortalIntent } from './state.js';

export type PortalDesiredOutcome = { ok: true; desired: DesiredPortal } | { ok: false; error: ContactError; intent: PortalIntent; displayName: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DAY_MS = 86_400_000;

export function intentOf(contact: PortalContactRow): PortalIntent {
  if (contact.statecode === 0 && contact.o25fs_portalaccess === true) return 'provision';
  return contact.o25fs_portalstatus !== null && contact.o25fs_portalstatus !== undefined ? 'deprovision' : 'ignore';
}

/** The UTC calendar date of an instant, "YYYY-MM-DD" (adx_expirydate is DateOnly). */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export interface PortalContext {
  roleId: string;
  sendWorkflowId: string | null;
  /** The observation's time. */
  now: number;
}

export function computePortalDesired(contact: PortalContactRow, settings: PortalSettings, context: PortalContext): PortalDesiredOutcome {
  const intent = intentOf(contact);
  const email = (contact.emailaddress1 ?? '').trim();
  const displayName = (contact.fullname ?? '').trim() || email || contact.contactid;
  if (intent === 'provision' && !EMAIL.test(email)) {
    return {
      ok: false,
      intent,
      displayName,
      error: new ContactError(
        'PORTAL_EMAIL_MISSING',
        email === ''
          ? `Contact ${contact.contactid} should have portal access but has no email address (emailaddress1); the invitation is mailed there.`
          : `Contact ${contact.contactid} should have portal access but its email address is not usable (emailaddress1); the invitation is mailed there.`,
        "Enter the customer's email address on the contact; the next run issues the invitation.",
      ),
    };
  }
  return {
    ok: true,
    desired: {
      contactId: contact.contactid.toLowerCase(),
      accountId: contact._parentcustomerid_value,
      displayName,
      email,
      intent,
      websiteId: settings.websiteId.toLowerCase(),
      roleId: context.roleId,
      expiryDate: utcDate(context.now + settings.invitationExpiryDays * DAY_MS),
      today: utcDate(context.now),
      observedAt: new Date(context.now).toISOString(),
      sendInvitation: settings.sendInvitation,
      sendWorkflowId: context.sendWorkflowId,
    },
  };
}
