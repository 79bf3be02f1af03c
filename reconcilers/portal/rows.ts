/**
 * The Dataverse rows the customer portal family reads (standard data model of the Field Service
 * portal template: docs/dataverse-schema.md "Customer portal"). An invitation's code
 * (adx_invitationcode) is never read: it is a credential, and whatever the product reads may end up
 * in a snapshot or a report.
 */

/** A customer contact, with the columns the product adds for portal access. */
export interface PortalContactRow {
  contactid: string;
  fullname: string | null;
  emailaddress1: string | null;
  statecode: number;
  _parentcustomerid_value: string | null;
  createdon?: string | null;
  /** Should this contact have portal access (Yes/No)? */
  o25fs_portalaccess: boolean | null;
  /** The product's status for the contact (status.ts); null until the product first wrote one. */
  o25fs_portalstatus: number | null;
  o25fs_portalerror: string | null;
}

/** adx_invitation, without its code. */
export interface InvitationRow {
  adx_invitationid: string;
  adx_name: string | null;
  /** 756150000 Single, 756150001 Group. */
  adx_type: number;
  /** DateOnly, "YYYY-MM-DD"; null: never expires. */
  adx_expirydate: string | null;
  _adx_invitecontact_value: string | null;
  _adx_redeemedcontact_value: string | null;
  _adx_website_value: string | null;
  adx_redemptions: number | null;
  statecode: number;
  /** 1 New, 756150000 Sent, 756150001 Redeemed (state 0); 2 Inactive (state 1). */
  statuscode: number;
  createdon: string | null;
  /** The systemuser that created it: the product's own application user for the ones it issued. */
  _createdby_value: string | null;
}

export interface WebRoleRow {
  adx_webroleid: string;
  adx_name: string | null;
  _adx_websiteid_value: string | null;
}

export interface WebsiteRow {
  adx_websiteid: string;
  adx_name: string | null;
}

export const INVITATION = {
  single: 756150000,
  group: 756150001,
  new: 1,
  sent: 756150000,
  redeemed: 756150001,
  inactive: 2,
} as const;
