/**
 * The tables the customer portal family reads (src/engine/tables/table.ts). Its contacts are a table
 * of their own name over the contacts entity set: the technicians family keeps other contacts in
 * another Observation field, and a shared declaration must agree on the field. Both are read in
 * full every run (a portal's customers and its open invitations are a few pages).
 *
 * The website, the web role, the role's contacts and invitations, the Send Invitation workflow and
 * WhoAmI are lookups (observe.ts): they depend on the settings, which a table declaration does not.
 */
import { eq, ne, or, type Table } from '../../src/engine/tables/table.js';
import type { InvitationRow, PortalContactRow } from './rows.js';

export const PORTAL_CONTACTS: Table<PortalContactRow> = {
  name: 'portalContacts',
  service: 'dataverse',
  path: 'contacts',
  key: 'contactid',
  columns: ['contactid', 'fullname', 'emailaddress1', 'statecode', '_parentcustomerid_value', 'createdon', 'o25fs_portalaccess', 'o25fs_portalstatus', 'o25fs_portalerror'],
  // Access on, or a status the product wrote: a contact whose access was turned off stays in view
  // until its access is gone.
  filter: or(eq('o25fs_portalaccess', true), ne('o25fs_portalstatus', null)),
  mode: 'full',
  field: 'portalContacts',
};

export const PORTAL_INVITATIONS: Table<InvitationRow> = {
  name: 'adx_invitations',
  service: 'dataverse',
  path: 'adx_invitations',
  key: 'adx_invitationid',
  // Never adx_invitationcode: the code is a credential.
  columns: ['adx_invitationid', 'adx_name', 'adx_type', 'adx_expirydate', '_adx_invitecontact_value', '_adx_redeemedcontact_value', '_adx_website_value', 'adx_redemptions', 'statecode', 'statuscode', 'createdon', '_createdby_value'],
  // Every active one, Group too: one of ours whose type was changed to Group by hand must be seen to
  // be withdrawn (a Group invitation without a maximum stays redeemable: the redemption rules in
  // packages/tenant-sim/src/portal.ts), and the Single ones are judged in match.ts.
  filter: eq('statecode', 0),
  mode: 'full',
  field: 'portalInvitations',
};

export const PORTAL_TABLES: readonly Table[] = [PORTAL_CONTACTS as Table, PORTAL_INVITATIONS as Table];
