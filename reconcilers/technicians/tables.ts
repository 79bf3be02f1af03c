/**
 * The tables the technicians family reads, each declared once: columns, server-side filter, read
 * mode and the Observation field it fills (src/engine/tables/table.ts says what each part drives).
 * The bulk read (src/engine/observe.ts) and the incremental observer (src/engine/incremental/)
 * both read from here; adding a column is one edit in this file, and the settings hash makes the
 * next run a full read.
 *
 * Lookups by id or email (accounts, anchored non-guests, marked contacts, users with new emails,
 * group members) are not tables: they depend on what the tables returned, and are the family's
 * own reads (observe.ts, incremental.ts).
 */
import { eq, ne, or, type Table } from '../../src/engine/tables/table.js';
import type { BookableResourceCharacteristicRow, BookableResourceRow, CharacteristicRow, GraphUser, RatingValueRow, SubscribedSku, SystemUserRow } from '../../src/model/rows.js';
import type { ContactRow, VendorCharacteristicRow } from './rows.js';

/**
 * The user properties every Graph read of a user selects: the table's, and the lookups' by id and
 * by email in observe.ts (one user looks the same whichever read returned it).
 */
export const USER_SELECT: readonly string[] = [
  'id', 'displayName', 'givenName', 'surname', 'mail', 'otherMails', 'userPrincipalName', 'userType',
  'creationType', 'externalUserState', 'accountEnabled', 'usageLocation', 'assignedLicenses', 'licenseAssignmentStates',
  // The ownership mark lives in one of these (reconcilers/technicians/ownership.ts).
  'onPremisesExtensionAttributes',
  // A service account's key and the properties its vendor segment may live in (issue 12).
  'mailNickname', 'companyName', 'department', 'officeLocation',
];

/** Guest users; the incremental observer follows `/users/delta` and keeps new users that are guests. */
export const USERS: Table<GraphUser> = {
  name: 'users',
  service: 'graph',
  path: '/users',
  key: 'id',
  columns: USER_SELECT,
  filter: eq('userType', 'Guest'),
  mode: 'delta',
  top: 999,
  field: 'users',
};

/** Licence capacity: one small page, read every run (src/engine/guards/licence-capacity.ts). */
export const SUBSCRIBED_SKUS: Table<SubscribedSku> = {
  name: 'subscribedSkus', service: 'graph', path: '/subscribedSkus', key: 'skuId', columns: null, mode: 'full', field: 'subscribedSkus',
};

/** The contact columns; the marked contacts' lookup by id in observe.ts reads the same ones. */
export const CONTACT_COLUMNS: readonly string[] = [
  'contactid', 'fullname', 'firstname', 'lastname', 'emailaddress1', 'statecode', 'statuscode', '_parentcustomerid_value',
  'address1_country', 'address1_latitude', 'address1_longitude', 'o25fs_setuptechnician', '_o25fs_bookableresourceid_value',
  'o25fs_startlocation', 'o25fs_endlocation', '_o25fs_organizationalunitid_value', 'o25fs_displayonscheduleboard',
  'o25fs_enableforavailabilitysearch', 'o25fs_hourlyrate', 'o25fs_timeoffapprovalrequired', '_o25fs_warehouseid_value',
  'o25fs_entraobjectid', 'o25fs_provisioningstatus', 'o25fs_provisioningerror', 'o25fs_accounttype',
  // Quarantine counters and the order licence capacity serves contacts in (src/engine/guards/).
  'o25fs_consecutivefailures', 'o25fs_nextattemptat', 'createdon',
  // The contact's owner, copied to its bookable resource (reconcilers/technicians/bookable-resource-owner.ts).
  '_owninguser_value', '_owningteam_value',
];

/** Technicians (o25fs_setuptechnician), plus contacts that carry an anchor (o25fs_entraobjectid). */
export const CONTACTS: Table<ContactRow> = {
  name: 'contacts',
  service: 'dataverse',
  path: 'contacts',
  key: 'contactid',
  columns: CONTACT_COLUMNS,
  filter: or(eq('o25fs_setuptechnician', true), ne('o25fs_entraobjectid', null)),
  mode: 'change-tracked',
  field: 'contacts',
};

export const VENDOR_CHARACTERISTICS: Table<VendorCharacteristicRow> = {
  name: 'vendorCharacteristics',
  service: 'dataverse',
  path: 'o25fs_vendorcharacteristics',
  key: 'o25fs_vendorcharacteristicid',
  columns: ['o25fs_vendorcharacteristicid', '_o25fs_vendorcontactid_value', '_o25fs_characteristicid_value', '_o25fs_ratingvalueid_value', 'statecode'],
  mode: 'change-tracked',
  field: 'vendorCharacteristics',
};

/** Characteristics and rating values are one page each and read every run (a rename must show). */
export const CHARACTERISTICS: Table<CharacteristicRow> = {
  name: 'characteristics', service: 'dataverse', path: 'characteristics', key: 'characteristicid', columns: ['characteristicid', 'name', 'statecode'], mode: 'full', field: 'characteristics',
};

export const RATING_VALUES: Table<RatingValueRow> = {
  name: 'ratingValues', service: 'dataverse', path: 'ratingvalues', key: 'ratingvalueid', columns: ['ratingvalueid', 'name', 'value', '_ratingmodel_value'], mode: 'full', field: 'ratingValues',
};

/** Dataverse users linked to Entra: a technician's bookable resource points at its user's (`_userid_value`). */
export const SYSTEM_USERS: Table<SystemUserRow> = {
  name: 'systemUsers',
  service: 'dataverse',
  path: 'systemusers',
  key: 'systemuserid',
  columns: ['systemuserid', 'azureactivedirectoryobjectid', 'internalemailaddress', 'fullname', 'isdisabled', 'address1_latitude', 'address1_longitude'],
  filter: ne('azureactivedirectoryobjectid', null),
  mode: 'change-tracked',
  field: 'systemUsers',
};

/** Bookable resources of type User (3). */
export const BOOKABLE_RESOURCES: Table<BookableResourceRow> = {
  name: 'bookableResources',
  service: 'dataverse',
  path: 'bookableresources',
  key: 'bookableresourceid',
  columns: [
    'bookableresourceid', 'name', 'resourcetype', '_userid_value', 'timezone', 'statecode', 'statuscode', 'msdyn_startlocation',
    'msdyn_endlocation', '_msdyn_organizationalunit_value', 'msdyn_displayonscheduleboard', 'msdyn_displayonscheduleassistant',
    'msdyn_hourlyrate', 'msdyn_timeoffapprovalrequired', '_msdyn_warehouse_value', '_owninguser_value', '_owningteam_value',
  ],
  filter: eq('resourcetype', 3),
  mode: 'change-tracked',
  field: 'bookableResources',
};

export const RESOURCE_CHARACTERISTICS: Table<BookableResourceCharacteristicRow> = {
  name: 'resourceCharacteristics',
  service: 'dataverse',
  path: 'bookableresourcecharacteristics',
  key: 'bookableresourcecharacteristicid',
  columns: ['bookableresourcecharacteristicid', '_resource_value', '_characteristic_value', '_ratingvalue_value', 'statecode'],
  mode: 'change-tracked',
  field: 'resourceCharacteristics',
};

/** The family's tables, in the order their reads start (the order observe.ts issued them before). */
export const TECHNICIAN_TABLES: readonly Table[] = [
  USERS, SUBSCRIBED_SKUS, CONTACTS, VENDOR_CHARACTERISTICS, CHARACTERISTICS, RATING_VALUES, SYSTEM_USERS, BOOKABLE_RESOURCES, RESOURCE_CHARACTERISTICS,
];
