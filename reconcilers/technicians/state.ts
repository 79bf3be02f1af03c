/**
 * Desired and observed state, per technician contact.
 *
 * `DesiredTechnician` is computed from one contact and the settings, with no I/O (reconcilers/technicians/desired.ts).
 * `ObservedTechnician` is the slice of the bulk observation matched to that contact (reconcilers/technicians/match.ts).
 * The reconcilers in reconcilers/ compare the two, one object kind each.
 */
import type { BookableResourceCharacteristicRow, BookableResourceRow, GraphUser, SystemUserRow } from '../../src/model/rows.js';
import type { ContactRow } from './rows.js';

/** The product's ownership mark on a user (reconcilers/technicians/ownership.ts writes and reads it). */
export interface OwnerMark {
  contactId: string;
  /** Which identity the product made the user as: an invited or adopted guest, or a service account it created. */
  account: AccountType;
  /** The technician group the product granted, when recorded. */
  groupId: string | null;
  /** The licence SKUs the product granted (one for a guest, the persona's for a service account). */
  skuIds: string[];
}

/** The contact's identity (o25fs_accounttype): a B2B guest, or a member service account (issue 12). */
export type AccountType = 'guest' | 'service';

/** What the service account is made of, deterministic from the contact (service-account-name.ts). */
export interface DesiredServiceAccount {
  userPrincipalName: string;
  /** `vr-` and the contact id: stable whatever the names do, the key the look-up before creating uses. */
  mailNickname: string;
  /** The vendor segment: the user property and the vendor account's name, cut to the property's limit. */
  segment: { attribute: string; value: string };
}

/** What a user's mark attribute holds: nothing, our mark, or somebody else's value. */
export type MarkReading = { kind: 'none' } | { kind: 'ours'; mark: OwnerMark } | { kind: 'foreign'; value: string };

/** What the contact asks for: provision it, deprovision it, or leave it alone. */
export type Intent = 'provision' | 'deprovision' | 'ignore';

/** The eight Field Service columns mapped from the contact, plus what the product always sets. */
export interface BookableResourceFields {
  name: string;
  resourcetype: 3;
  timezone: number;
  msdyn_startlocation: number | null;
  msdyn_endlocation: number | null;
  _msdyn_organizationalunit_value: string | null;
  msdyn_displayonscheduleboard: boolean;
  msdyn_displayonscheduleassistant: boolean;
  msdyn_hourlyrate: number | null;
  msdyn_timeoffapprovalrequired: boolean;
  _msdyn_warehouse_value: string | null;
}

export interface DesiredCharacteristic {
  characteristicId: string;
  ratingValueId: string | null;
}

export interface DesiredTechnician {
  contactId: string;
  vendorId: string | null;
  intent: Intent;
  /** Lower-cased, trimmed email; the matching key before an anchor exists. */
  email: string;
  /** Contact's stored anchor (o25fs_entraobjectid), if any. */
  anchorUserId: string | null;
  user: {
    displayName: string;
    givenName: string | null;
    surname: string | null;
    usageLocation: string;
    /** Only set when the BLOCK_SIGN_IN_ON_DEPROVISION option is on; undefined = not managed. */
    accountEnabled?: boolean;
  };
  /** The ownership mark the user must carry, in which extension attribute (reconcilers/technicians/ownership.ts). */
  owner: { attribute: string; mark: string };
  /** Guest, or the service account it is made of (null for a guest). */
  account: AccountType;
  serviceAccount: DesiredServiceAccount | null;
  /** The licences the identity needs: LICENSE_SKU_ID for a guest, SERVICE_ACCOUNT_SKU_IDS for a service account. */
  licence: {
    skuIds: string[];
    assigned: boolean;
    /**
     * LICENSE_MODE=group: the technician group (this id) carries the licence and membership is the
     * assignment; the product never assigns or removes it itself (reconcilers/technicians/group-licensing.ts).
     * Absent: direct mode.
     */
    fromGroup?: string;
  };
  group: { groupId: string; member: boolean };
  /** Coordinates to hold on the systemuser; null when the contact has none (then not managed). */
  coordinates: { latitude: number; longitude: number } | null;
  bookableResource: { active: boolean; fields: BookableResourceFields };
  /** Sorted by characteristicId, one per characteristic. */
  characteristics: DesiredCharacteristic[];
}

export interface ObservedTechnician {
  contact: ContactRow;
  /** The Entra user anchored or matched to this contact; null when none exists yet. */
  user: GraphUser | null;
  /** Direct member of the technician group. */
  isGroupMember: boolean;
  /** The SKUs assigned to `user` directly (not only inherited from a group), lower-cased. */
  directSkuIds: string[];
  /**
   * The user's licenceAssignmentStates entries of the desired SKUs inherited from a group (any
   * group), lower-cased. Absent means none (observed states built before group licensing was read).
   */
  inheritedLicences?: InheritedLicence[];
  systemUser: SystemUserRow | null;
  /** What the user's ownership-mark attribute holds (reconcilers/technicians/ownership.ts). */
  mark: MarkReading;
  /**
   * Grants the mark records from earlier settings (another group or licence than today's) that the
   * user still holds: the product removes them.
   */
  formerGrants: { groupIds: string[]; skuIds: string[] };
  /**
   * The contact's other identity the product made (its guest after a switch to a service account, or
   * the reverse): its access is removed, the account itself is kept (formerIdentityRemovals in reconcilers/technicians/presence.ts).
   */
  formerIdentity: FormerIdentity | null;
  bookableResource: BookableResourceRow | null;
  /** Characteristic rows on `bookableResource` (all states). */
  resourceCharacteristics: BookableResourceCharacteristicRow[];
}

/** One inherited licence of a user, as Graph's licenseAssignmentState gives it (resources/licenseassignmentstate). */
export interface InheritedLicence {
  skuId: string;
  groupId: string;
  /** Active, ActiveWithError, Disabled or Error; null when Graph gave none. */
  state: string | null;
  /** None, CountViolation, MutuallyExclusiveViolation, …; null when Graph gave none. */
  error: string | null;
}

/** A user of the contact's other account type, with the access it still holds. */
export interface FormerIdentity {
  account: AccountType;
  user: GraphUser;
  isGroupMember: boolean;
  directSkuIds: string[];
  /** Its Dataverse user: the bookable resource may still point at it and moves to the new one. */
  systemUserId: string | null;
}
