/**
 * The technicians family's part of the Observation (src/model/observation.ts declares only what the
 * core itself reads). The family declares its fields here by augmenting the core's interface, so
 * the core never names a contact, and every module that reads the Observation sees one object.
 * reconcilers/technicians/observe.ts (bulk) and incremental.ts (delta reads) fill these fields.
 */
import type { AccountRow, BookableResourceCharacteristicRow, BookableResourceRow, CharacteristicRow, GraphUser, RatingValueRow, SystemUserRow } from '../../src/model/rows.js';
import type { ContactRow, VendorCharacteristicRow } from './rows.js';

declare module '../../src/model/observation.js' {
  interface Observation {
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
    /**
     * Guest users of the tenant, plus any user looked up by id or email for a contact, plus the
     * service accounts (Members whose mailNickname starts with `vr-`, read while SERVICE_ACCOUNT_DOMAIN is set).
     */
    users: GraphUser[];
    /**
     * SERVICE_ACCOUNT_DOMAIN as GET /domains/{id} answered: null when the tenant has no such domain;
     * absent when the setting is unset (then no service account is created).
     */
    serviceAccountDomain?: { id: string; isVerified: boolean; authenticationType: string } | null;
    /**
     * LICENSE_MODE=group: the skuIds (lower case) of the technician group's assignedLicenses
     * (reconcilers/technicians/group-licensing.ts). Absent in direct mode, where it is not read.
     */
    technicianGroupSkuIds?: string[];
    /**
     * The technician group's displayName, for the report (group-licensing.ts readTechnicianGroup:
     * one GET of the group every run, which also gives its licences in group mode and, on an
     * incremental round, whether it still exists). Absent when the group does not exist.
     */
    technicianGroupName?: string;
    /** Direct members of the technician group (ids, lower case); null when the group does not exist. */
    groupMemberIds: string[] | null;
    /**
     * Direct members (ids, lower case) of the groups owned users' marks record as granted that are not
     * the technician group any more (TECHNICIAN_GROUP_ID changed), by group id; a group that no longer
     * exists has none. Absent means none.
     */
    formerGroupMemberIds?: Record<string, string[]>;
    systemUsers: SystemUserRow[];
    /** Bookable resources of type User (3). */
    bookableResources: BookableResourceRow[];
    resourceCharacteristics: BookableResourceCharacteristicRow[];
  }
}
