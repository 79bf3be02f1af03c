/**
 * The customer portal family's part of the Observation, declared into the core's interface by
 * declaration merging (as reconcilers/technicians/observation.ts does for its own). Every field is
 * optional: an observation of a run without this family has none of them.
 */
import type { InvitationRow, PortalContactRow, WebRoleRow, WebsiteRow } from './rows.js';

export interface PortalLookups {
  /** PORTAL_WEBSITE_ID's row; null when Dataverse has no such website. */
  website: WebsiteRow | null;
  /** Web roles named PORTAL_WEB_ROLE_NAME, on any website (the family keeps the site's). */
  roles: WebRoleRow[];
  /** Contacts that hold the site's role (adx_webrole_contact), lower case; [] without a role. */
  roleContactIds: string[];
  /** Invitations that give the site's role (adx_invitation_webrole), lower case. */
  roleInvitationIds: string[];
  /** The Send Invitation workflow's id; null when the environment has none (or sending is off). */
  sendWorkflowId: string | null;
  /** The product's own Dataverse user (WhoAmI): the creator of the invitations it issued. */
  appUserId: string;
  /** The customer accounts of the contacts, by id (their names head the report's groups). */
  accounts?: { accountid: string; name: string | null }[];
}

declare module '../../src/model/observation.js' {
  interface Observation {
    /** Contacts with portal access on, or whose portal status the product has written. */
    portalContacts?: PortalContactRow[];
    /** Active invitations of any type (statecode Active); match.ts tells Single from Group. */
    portalInvitations?: InvitationRow[];
    portal?: PortalLookups;
  }
}
