/**
 * The rows vendor-reconciler reads, in the services' own property names.
 *
 * Dataverse rows use logical column names, `_x_value` for lookups (schema: ../shared/reference/
 * seed-solution-facts.md §1, docs/dataverse-schema.md for the columns this product adds). Graph users
 * use Graph property names. Only the columns the product reads are listed; everything is nullable
 * because Dataverse returns null for empty columns.
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

export interface AccountRow {
  accountid: string;
  name: string | null;
}

/** o25fs_vendorcharacteristic: a technician characteristic as the vendor admin entered it. */
export interface VendorCharacteristicRow {
  o25fs_vendorcharacteristicid: string;
  _o25fs_vendorcontactid_value: string | null;
  _o25fs_characteristicid_value: string | null;
  _o25fs_ratingvalueid_value: string | null;
  statecode: number;
}

export interface SystemUserRow {
  systemuserid: string;
  azureactivedirectoryobjectid: string | null;
  internalemailaddress: string | null;
  fullname: string | null;
  isdisabled: boolean;
  address1_latitude: number | null;
  address1_longitude: number | null;
}

export interface BookableResourceRow {
  bookableresourceid: string;
  name: string | null;
  resourcetype: number;
  _userid_value: string | null;
  timezone: number | null;
  statecode: number; // 0 Active, 1 Inactive
  statuscode: number; // 1 Active, 2 Inactive
  msdyn_startlocation: number | null;
  msdyn_endlocation: number | null;
  _msdyn_organizationalunit_value: string | null;
  msdyn_displayonscheduleboard: boolean | null;
  msdyn_displayonscheduleassistant: boolean | null;
  msdyn_hourlyrate: number | null;
  msdyn_timeoffapprovalrequired: boolean | null;
  _msdyn_warehouse_value: string | null;
  /** The resource's owner (read-only columns; assigned through `ownerid@odata.bind`). */
  _owninguser_value?: string | null;
  _owningteam_value?: string | null;
}

export interface BookableResourceCharacteristicRow {
  bookableresourcecharacteristicid: string;
  _resource_value: string | null;
  _characteristic_value: string | null;
  _ratingvalue_value: string | null;
  statecode: number;
}

export interface CharacteristicRow {
  characteristicid: string;
  name: string | null;
  statecode?: number;
}

export interface RatingValueRow {
  ratingvalueid: string;
  name: string | null;
  value: number | null;
  _ratingmodel_value: string | null;
}

export interface AssignedLicense {
  skuId: string;
  disabledPlans: string[];
}

export interface LicenseAssignmentState {
  skuId: string;
  /** null for a direct assignment, else the group it is inherited from. */
  assignedByGroup: string | null;
  state?: string | null;
  error?: string | null;
}

/** Microsoft Graph user, with the non-default properties we $select. */
export interface GraphUser {
  id: string;
  displayName: string | null;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  otherMails: string[];
  userPrincipalName: string;
  userType: string | null;
  creationType?: string | null;
  externalUserState?: string | null;
  accountEnabled: boolean | null;
  usageLocation: string | null;
  assignedLicenses: AssignedLicense[];
  licenseAssignmentStates?: LicenseAssignmentState[];
  /**
   * extensionAttribute1–15 (returned only with $select); one of them carries the product's
   * ownership mark (reconcilers/technicians/ownership.ts).
   */
  onPremisesExtensionAttributes?: Record<string, string | null> | null;
}

export interface SubscribedSku {
  skuId: string;
  skuPartNumber: string;
  capabilityStatus: string;
  consumedUnits: number;
  prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut?: number };
}
