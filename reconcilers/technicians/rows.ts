/**
 * The technicians family's own Dataverse rows: the contact with the vendor self-service solution's
 * (o25fs) columns and the ones this product adds, and the vendor's technician characteristics. In
 * the services' own property names (logical column names, `_x_value` for lookups;
 * docs/dataverse-schema.md). The rows every family shares are in src/model/rows.ts.
 */

/** contact, with the vendor self-service (o25fs) columns and the ones this product adds. */
export interface ContactRow {
  contactid: string;
  fullname: string | null;
  firstname: string | null;
  lastname: string | null;
  emailaddress1: string | null;
  statecode: number; // 0 Active, 1 Inactive
  statuscode?: number | null;
  /** Vendor account (Customer lookup; the report groups by it). */
  _parentcustomerid_value: string | null;
  address1_country: string | null;
  address1_latitude: number | null;
  address1_longitude: number | null;
  o25fs_setuptechnician: boolean | null;
  /** Guest (808950000 or empty) or Service account (808950001): the identity the technician gets (issue 12). */
  o25fs_accounttype?: number | null;
  _o25fs_bookableresourceid_value: string | null;
  o25fs_startlocation: number | null;
  o25fs_endlocation: number | null;
  _o25fs_organizationalunitid_value: string | null;
  o25fs_displayonscheduleboard: boolean | null;
  o25fs_enableforavailabilitysearch: boolean | null;
  o25fs_hourlyrate: number | null;
  o25fs_timeoffapprovalrequired: boolean | null;
  _o25fs_warehouseid_value: string | null;
  /**
   * The contact's owner: the owning user or the owning team (read-only; exactly one is set in
   * Dataverse). Optional: rows built before the owner was read have neither.
   */
  _owninguser_value?: string | null;
  _owningteam_value?: string | null;
  // Added by vendor-reconciler (docs/dataverse-schema.md):
  /** Entra object id of the technician's guest user: the anchor. */
  o25fs_entraobjectid: string | null;
  /** Provisioning status shown to the vendor admin (ProvisioningStatus values). */
  o25fs_provisioningstatus: number | null;
  /** Last error, in words the vendor admin can act on; null when none. */
  o25fs_provisioningerror: string | null;
  /** Set just before an invitation is sent; cleared once the anchor is written (crash safety). */
  o25fs_invitationpendingon?: string | null;
  /** Runs in a row in which this contact failed (quarantine, docs/operations.md); null means 0. */
  o25fs_consecutivefailures?: number | null;
  /** While quarantined: no attempt before this time (ISO 8601, UTC). */
  o25fs_nextattemptat?: string | null;
  /** Set by Dataverse on create; licence capacity serves the oldest contacts first. */
  createdon?: string | null;
}

/** o25fs_vendorcharacteristic: a technician characteristic as the vendor admin entered it. */
export interface VendorCharacteristicRow {
  o25fs_vendorcharacteristicid: string;
  _o25fs_vendorcontactid_value: string | null;
  _o25fs_characteristicid_value: string | null;
  _o25fs_ratingvalueid_value: string | null;
  statecode: number;
}
