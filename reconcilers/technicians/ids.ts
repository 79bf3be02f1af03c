/**
 * Deterministic ids, so that a crash between "create" and "remember what was created" can never
 * make a second object: the retry POSTs the same id, and Dataverse answers "already exists"
 * instead of creating a twin (issue 5, crash safety).
 *
 * Name-based UUIDs, RFC 4122 §4.3 version 5 (SHA-1), under a namespace fixed for this product.
 * Names are lower-cased so the ids do not depend on how a service spells a GUID.
 */
import { createHash } from 'node:crypto';

/** vendor-reconciler's namespace UUID (random, fixed forever: changing it would orphan every resource). */
export const ID_NAMESPACE = '6d1c3f0e-5a8b-4c27-9f4e-2b7a1d9c8e53';

function bytesOf(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** RFC 4122 version-5 UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string = ID_NAMESPACE): string {
  const hash = createHash('sha1').update(bytesOf(namespace)).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50; // version 5
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id vendor-reconciler gives the bookable resource it creates for a contact. */
export function bookableResourceIdFor(contactId: string): string {
  return uuidV5(`bookableresource:${contactId.toLowerCase()}`);
}

/** The id of the bookable resource characteristic row for one characteristic on one resource. */
export function resourceCharacteristicIdFor(resourceId: string, characteristicId: string): string {
  return uuidV5(`bookableresourcecharacteristic:${resourceId.toLowerCase()}:${characteristicId.toLowerCase()}`);
}

// The created-id reference is the core's (src/engine/kind.ts); re-exported for the family's modules.
export { isCreatedRef, type CreatedRef } from '../../src/engine/kind.js';
