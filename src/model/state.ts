/**
 * Desired and observed state, per technician contact.
 *
 * `DesiredTechnician` is computed from one contact and the settings, with no I/O (src/engine/desired.ts).
 * `ObservedTechnician` is the slice of the bulk observation matched to that contact (src/engine/match.ts).
 * The reconcilers in reconcilers/ compare the two, one object kind each.
 */
import type {
  BookableResourceCharacteristicRow,
  BookableResourceRow,
  ContactRow,
  GraphUser,
  SystemUserRow,
} from './rows.js';

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
  bookableResource: BookableResourceRow | null;
  /** Characteristic rows on `bookableResource` (all states). */
  resourceCharacteristics: BookableResourceCharacteristicRow[];
}
