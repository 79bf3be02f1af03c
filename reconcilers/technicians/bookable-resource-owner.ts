/**
 * The bookable resource's owner: the contact's owner (a user or a team), as the original solution's
 * plugin copied `ownerid` from the contact to the resource it created and on every contact update.
 * Without this the resource is owned by the application user that created it, so the vendor's
 * account manager (or team) does not see it under "my resources" and record-level security keyed on
 * the owner does not apply to it.
 *
 * Dataverse assigns a record by updating its owner: `PATCH /bookableresources(id)` with
 * `ownerid@odata.bind` naming `/systemusers(id)` or `/teams(id)` (the Bookable Resource table
 * reference: message Assign, OwnerId targets systemuser and team). Which of the two owns a row is
 * read from the read-only `_owninguser_value` / `_owningteam_value` (exactly one is set), so no
 * lookup annotation is needed.
 *
 * Only the technician's own resource is assigned (the one match-resources verified), only while the
 * contact is an active technician (a deactivated resource is left as it is), and only when the
 * contact's owner is known. The change is its own call after the create rather than part of it: an
 * assignment Dataverse refuses (the owner lacks a privilege on the table, say) then fails this change
 * alone, and the technician is still schedulable.
 */
import type { Change, Values } from '../../src/model/plan.js';
import type { BookableResourceRow } from '../../src/model/rows.js';
import type { ContactRow } from './rows.js';
import { awaitsDataverseUser } from './systemuser-add.js';
import type { DesiredTechnician, ObservedTechnician } from './state.js';
import { change, resourceIdOf, sameId, type TechnicianKind } from './common.js';
import { patchEffect } from './effects.js';
import { targetId } from '../../src/engine/kind.js';

/** Who owns a row: the owning user or the owning team, as Dataverse reports them. */
interface Owner {
  _owninguser_value: string | null;
  _owningteam_value: string | null;
}

function ownerOf(row: Pick<ContactRow, '_owninguser_value' | '_owningteam_value'> | Pick<BookableResourceRow, '_owninguser_value' | '_owningteam_value'>): Owner {
  return { _owninguser_value: row._owninguser_value ?? null, _owningteam_value: row._owningteam_value ?? null };
}

const known = (o: Owner): boolean => o._owninguser_value !== null || o._owningteam_value !== null;
const sameOwner = (a: Owner, b: Owner): boolean => sameId(a._owninguser_value, b._owninguser_value) && sameId(a._owningteam_value, b._owningteam_value);

export function diff(desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  if (desired.intent !== 'provision' || awaitsDataverseUser(desired, observed)) return [];
  const wanted = ownerOf(observed.contact);
  if (!known(wanted)) return [];
  const br = observed.bookableResource;
  const after: Values = { ...wanted };
  if (!br) {
    return [
      change(
        desired,
        'bookableresource.owner',
        { service: 'dataverse', entity: 'bookableresource', id: resourceIdOf(desired, observed) },
        null,
        after,
        "The new bookable resource is given the contact's owner, so it is owned like the contact rather than by the application.",
      ),
    ];
  }
  const current = ownerOf(br);
  if (sameOwner(current, wanted)) return [];
  return [
    change(
      desired,
      'bookableresource.owner',
      { service: 'dataverse', entity: 'bookableresource', id: br.bookableresourceid },
      { ...current },
      after,
      "The bookable resource's owner differs from the contact's owner (reassigned on one of them); the resource is assigned to the contact's owner.",
    ),
  ];
}

/** The principal the change assigns: a user or a team, bound through the owner navigation property. */
function ownerBind(after: Values | null): string {
  const user = after?._owninguser_value;
  const team = after?._owningteam_value;
  if (typeof user === 'string' && user) return `/systemusers(${user})`;
  if (typeof team === 'string' && team) return `/teams(${team})`;
  throw new Error('bookableresource.owner: the change names no owner');
}

export const bookableResourceOwnerKind: TechnicianKind = {
  name: 'bookable-resource-owner',
  changes: [
    {
      kind: 'bookableresource.owner',
      label: 'Assign bookable resource to the contact\'s owner',
      runsAfter: ['bookableresource.create'],
      removal: false,
      // If-Match: * keeps it an update: a resource deleted meanwhile is not created again by the assignment.
      toRequest: (c, createdId) => ({
        method: 'PATCH',
        url: `bookableresources(${targetId(c, createdId)})`,
        headers: { 'If-Match': '*' },
        body: { 'ownerid@odata.bind': ownerBind(c.after) },
      }),
      effect: patchEffect('bookableResources', 'bookableresourceid', 'bookable resource'),
    },
  ],
  diff,
};
