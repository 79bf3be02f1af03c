/**
 * The service objects several families read, in the services' own property names: Graph users and
 * licences, and the standard Dataverse tables (accounts, users, bookable resources and their
 * characteristics). A family's own tables and solution columns are typed in its folder (the
 * technicians': reconcilers/technicians/rows.ts).
 *
 * Dataverse rows use logical column names, `_x_value` for lookups (docs/dataverse-schema.md). Graph
 * users use Graph property names. Only the columns the product reads are listed; everything is
 * nullable because Dataverse returns null for empty columns.
 */

export interface AccountRow {
  accountid: string;
  name: string | null;
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
  /** A service account's stable key (`vr-<contact id>`, reconcilers/technicians/service-account-name.ts). */
  mailNickname?: string | null;
  /** Properties a service account's vendor segment may live in (SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE). */
  companyName?: string | null;
  department?: string | null;
  officeLocation?: string | null;
}

export interface SubscribedSku {
  skuId: string;
  skuPartNumber: string;
  capabilityStatus: string;
  consumedUnits: number;
  prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut?: number };
}
