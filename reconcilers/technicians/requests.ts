/**
 * The request shapes the technicians kinds share (moved from src/engine/operations.ts, byte for
 * byte): Dataverse bodies with lookups bound by navigation property, the update-only PATCH, the
 * create with a deterministic id, and how such a create tells "already done" from a failure.
 * docs/plan-format.md lists each change kind with its request.
 */
import { resolveCreated, targetId, type CreatedId, type ServiceRequest, type ServiceResponse } from '../../src/engine/kind.js';
import type { Change, TargetEntity, Values } from '../../src/model/plan.js';

/** Lookup value properties (`_x_value`) → the navigation property and entity set to bind. */
const LOOKUPS: Partial<Record<TargetEntity, Record<string, [nav: string, set: string]>>> = {
  contact: { _o25fs_bookableresourceid_value: ['o25fs_BookableResourceId', 'bookableresources'] },
  bookableresource: {
    _userid_value: ['UserId', 'systemusers'],
    _msdyn_organizationalunit_value: ['msdyn_OrganizationalUnit', 'msdyn_organizationalunits'],
    _msdyn_warehouse_value: ['msdyn_warehouse', 'msdyn_warehouses'],
  },
  bookableresourcecharacteristic: {
    _resource_value: ['Resource', 'bookableresources'],
    _characteristic_value: ['Characteristic', 'characteristics'],
    _ratingvalue_value: ['RatingValue', 'ratingvalues'],
  },
};

/** Columns the plan shows for explanation but that are not written (state of a link, not a column). */
const NOT_WRITTEN = new Set(['statecode', 'statuscode']);

/** Dataverse body: plain columns as they are, lookups as `Nav@odata.bind` (null clears the lookup). */
export function dataverseBody(entity: TargetEntity, values: Values, createdId: CreatedId, opts: { create: boolean }): Values {
  const body: Values = {};
  const lookups = LOOKUPS[entity] ?? {};
  for (const [key, raw] of Object.entries(values)) {
    const value = resolveCreated(raw, createdId);
    const lookup = lookups[key];
    if (lookup) {
      const [nav, set] = lookup;
      if (value === null && opts.create) continue;
      body[`${nav}@odata.bind`] = value === null ? null : `/${set}(${String(value)})`;
    } else if (!(opts.create && NOT_WRITTEN.has(key))) {
      body[key] = value;
    }
  }
  return body;
}

const IF_MATCH_ANY = { 'If-Match': '*' };

/** PATCH of the change's `after` on its row. */
export function dataversePatch(change: Change, createdId: CreatedId): ServiceRequest {
  const set = `${change.target.entity}s`;
  // If-Match: * makes the PATCH an update only: it never creates a row that was deleted meanwhile.
  return { method: 'PATCH', url: `${set}(${targetId(change, createdId)})`, headers: IF_MATCH_ANY, body: dataverseBody(change.target.entity, change.after ?? {}, createdId, { create: false }) };
}

/** POST of a row with the change's deterministic id (`key` is the entity's primary id column). */
export function dataverseCreate(change: Change, createdId: CreatedId, set: string, key: string): ServiceRequest {
  return { method: 'POST', url: set, body: { [key]: targetId(change, createdId), ...dataverseBody(change.target.entity, change.after ?? {}, createdId, { create: true }) } };
}

/** A create whose deterministic id already exists was done by an earlier, interrupted run. */
export function createdEarlier(_change: Change, response: ServiceResponse): boolean {
  return response.status === 412;
}
