/**
 * Desired and observed portal access, per customer contact (desired.ts computes the first from the
 * contact alone; match.ts the second from the bulk observation).
 */
import type { InvitationRow, PortalContactRow } from './rows.js';

export type PortalIntent = 'provision' | 'deprovision' | 'ignore';

export interface DesiredPortal {
  contactId: string;
  accountId: string | null;
  displayName: string;
  /** The address the Send Invitation workflow mails (emailaddress1), trimmed. */
  email: string;
  intent: PortalIntent;
  /** The website and role the access is to (PORTAL_WEBSITE_ID, PORTAL_WEB_ROLE_NAME). */
  websiteId: string;
  roleId: string;
  /** adx_expirydate of an invitation issued by this plan (UTC date). */
  expiryDate: string;
  /**
   * Today (UTC). An invitation whose expiry date is today or earlier is expired: the portal accepts
   * a code only until its expiry date's first hour, UTC (Microsoft's portal source).
   */
  today: string;
  /** The observation's time (ISO 8601): what makes a new invitation's id this plan's own (invitation.ts). */
  observedAt: string;
  sendInvitation: boolean;
  sendWorkflowId: string | null;
}

/** One of the contact's active invitations, judged. */
export interface InvitationView {
  row: InvitationRow;
  /** Issued by the product (created by its application user). */
  ours: boolean;
  redeemed: boolean;
  expired: boolean;
  /** Gives the site's web role (adx_invitation_webrole). */
  givesRole: boolean;
  /** For this site. */
  onSite: boolean;
}

export interface ObservedPortal {
  contact: PortalContactRow;
  /** The contact holds the site's web role (adx_webrole_contact). */
  hasRole: boolean;
  /** The contact's active invitations of any type (invitee = this contact), oldest first. */
  invitations: InvitationView[];
}
