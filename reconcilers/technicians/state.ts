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
  /** The technician group the product granted, when recorded. */
  groupId: string | null;
  /** The licence SKU the product granted, when recorded. */
  skuId: string | null;
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
  licence: { skuId: string; assigned: boolean };
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
  /** The licence SKU is assigned directly (not only inherited from a group). */
  hasDirectLicence: boolean;
  systemUser: SystemUserRow | null;
  /** What the user's ownership-mark attribute holds (reconcilers/technicians/ownership.ts). */
  mark: MarkReading;
  /**
   * Grants the mark records from earlier settings (another group or licence than today's) that the
   * user still holds: the product removes them.
   */
  formerGrants: { groupIds: string[]; skuIds: string[] };
  bookableResource: BookableResourceRow | null;
  /** Characteristic rows on `bookableResource` (all states). */
  resourceCharacteristics: BookableResourceCharacteristicRow[];
}
