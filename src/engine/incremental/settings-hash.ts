/**
 * The fingerprint a snapshot is valid for. Any change forces a full read:
 * - every setting (the tenant URLs, the technician group, the SKU, defaults and guard settings all
 *   shape what is read or how it is planned; hashing all of them is simpler and safe), and
 * - the shape of the reads: the columns and filters of observe.ts. A deltaLink carries the $select
 *   it was opened with, so a release that reads a new column must start over from a full read.
 */
import { createHash } from 'node:crypto';
import type { Settings } from '../../config.js';
import {
  BOOKABLE_RESOURCE_COLUMNS, BOOKABLE_RESOURCE_FILTER, CONTACT_COLUMNS, CONTACT_FILTER, RESOURCE_CHARACTERISTIC_COLUMNS, SYSTEMUSER_COLUMNS,
  SYSTEMUSER_FILTER, USER_SELECT, VENDOR_CHARACTERISTIC_COLUMNS,
} from '../observe.js';
import { SNAPSHOT_FORMAT } from './snapshot-store.js';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

export function settingsHash(settings: Settings): string {
  const reads = {
    format: SNAPSHOT_FORMAT,
    users: USER_SELECT,
    contacts: [CONTACT_COLUMNS, CONTACT_FILTER],
    vendorCharacteristics: VENDOR_CHARACTERISTIC_COLUMNS,
    systemUsers: [SYSTEMUSER_COLUMNS, SYSTEMUSER_FILTER],
    bookableResources: [BOOKABLE_RESOURCE_COLUMNS, BOOKABLE_RESOURCE_FILTER],
    resourceCharacteristics: RESOURCE_CHARACTERISTIC_COLUMNS,
  };
  return createHash('sha256').update(JSON.stringify(canonical({ settings, reads }))).digest('hex');
}
