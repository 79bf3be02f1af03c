/**
 * Everything one run observes, read in bulk (a handful of paged reads, never one GET per contact).
 * src/engine/observe.ts fills it through the clients; src/engine/plan.ts turns it into a Plan with
 * no I/O, so the whole decision is a pure function of this object and the settings.
 */
import type {
  AccountRow,
  BookableResourceCharacteristicRow,
  BookableResourceRow,
  CharacteristicRow,
  ContactRow,
  GraphUser,
  RatingValueRow,
  SubscribedSku,
  SystemUserRow,
  VendorCharacteristicRow,
} from './rows.js';

export interface Observation {
  observedAt: string;
  /**
   * Every contact with o25fs_setuptechnician = true, plus contacts that carry an anchor
   * (o25fs_entraobjectid), plus the contacts an owned user's mark names (reconcilers/technicians/ownership.ts).
   */
  contacts: ContactRow[];
  /**
   * Contacts an owned user's mark names that no longer exist: deleted contacts, whose users lose
   * access. Absent means none (observations built before marks existed).
   */
  deletedContactIds?: string[];
  accounts: AccountRow[];
  vendorCharacteristics: VendorCharacteristicRow[];
  characteristics: CharacteristicRow[];
  ratingValues: RatingValueRow[];
  /** Guest users of the tenant, plus any user looked up by id or email for a contact. */
  users: GraphUser[];
  /** Direct members of the technician group (ids, lower case); null when the group does not exist. */
  groupMemberIds: string[] | null;
  /**
   * Direct members (ids, lower case) of the groups owned users' marks record as granted that are not
   * the technician group any more (TECHNICIAN_GROUP_ID changed), by group id; a group that no longer
   * exists has none. Absent means none.
   */
  formerGroupMemberIds?: Record<string, string[]>;
  subscribedSkus: SubscribedSku[];
  systemUsers: SystemUserRow[];
  /** Bookable resources of type User (3). */
  bookableResources: BookableResourceRow[];
  resourceCharacteristics: BookableResourceCharacteristicRow[];
}
