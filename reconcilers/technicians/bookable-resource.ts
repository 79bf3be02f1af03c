/**
 * The technician's bookable resource (resource type User, 3) and the contact's lookup to it.
 *
 * Active contact: once Dataverse has an enabled systemuser for the guest, the resource exists with
 * the contact's name, the default time zone and the eight Field Service columns, is active, points
 * at that systemuser, and the contact's o25fs_bookableresourceid points at it. It is created with a
 * deterministic id (reconcilers/technicians/ids.ts) so a retry after a crash cannot make a second one.
 * Deactivated contact: the resource is deactivated (never deleted; bookings keep their history).
 */
import type { Change, Values } from '../../src/model/plan.js';
import type { BookableResourceRow } from '../../src/model/rows.js';
import type { BookableResourceFields, DesiredTechnician, ObservedTechnician } from './state.js';
import { change, listFields, resourceIdOf, sameId, sameNumber, type TechnicianKind } from './common.js';
import { dataverseUserOf, type DataverseUserRef } from './systemuser-add.js';
import { modelTargetId, patchEffect } from './effects.js';
import { createdEarlier, dataverseCreate, dataversePatch } from './requests.js';
import { isCreatedRef } from '../../src/engine/kind.js';

/** Columns compared on an existing resource (resourcetype cannot change; observe reads type 3 only). */
const COMPARED: readonly (keyof BookableResourceFields)[] = [
  'name',
  'timezone',
  'msdyn_startlocation',
  'msdyn_endlocation',
  '_msdyn_organizationalunit_value',
  'msdyn_displayonscheduleboard',
  'msdyn_displayonscheduleassistant',
  'msdyn_hourlyrate',
  'msdyn_timeoffapprovalrequired',
  '_msdyn_warehouse_value',
];

function sameValue(key: keyof BookableResourceFields, observed: unknown, wanted: unknown): boolean {
  if (key === 'msdyn_hourlyrate') return sameNumber(observed as number | null, wanted as number | null, 2);
  if (key.startsWith('_')) return sameId(observed as string | null, wanted as string | null);
  return (observed ?? null) === (wanted ?? null);
}

export function diff(desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  const br = observed.bookableResource;
  if (desired.intent === 'deprovision') {
    if (!br || br.statecode !== 0) return [];
    return [
      change(
        desired,
        'bookableresource.deactivate',
        { service: 'dataverse', entity: 'bookableresource', id: br.bookableresourceid },
        { statecode: br.statecode, statuscode: br.statuscode },
        { statecode: 1, statuscode: 2 },
        'The contact is no longer an active technician, so its bookable resource is deactivated and cannot be scheduled (it is not deleted).',
      ),
    ];
  }
  if (desired.intent !== 'provision') return [];
  // The enabled systemuser, or the one this plan's addUser makes (DATAVERSE_USER_ON_DEMAND); none: the contact waits.
  const systemUserId = dataverseUserOf(desired, observed);
  if (systemUserId === null) return [];
  const resourceId = resourceIdOf(desired, observed);
  const changes: Change[] = [];
  if (!br) {
    changes.push(
      change(
        desired,
        'bookableresource.create',
        { service: 'dataverse', entity: 'bookableresource', id: resourceId },
        null,
        { ...desired.bookableResource.fields, _userid_value: systemUserId, statecode: 0, statuscode: 1 },
        typeof systemUserId === 'string'
          ? 'Dataverse has created the technician\'s user; the bookable resource that makes them schedulable is created for it.'
          : 'The bookable resource that makes the technician schedulable is created for the Dataverse user this run adds on demand.',
      ),
    );
  } else {
    const update = resourceUpdate(desired, br, systemUserId, observed.systemUser?.systemuserid ?? null);
    if (update) changes.push(update);
  }
  if (!sameId(observed.contact._o25fs_bookableresourceid_value, resourceId)) {
    changes.push(
      change(
        desired,
        'contact.link',
        { service: 'dataverse', entity: 'contact', id: desired.contactId },
        { _o25fs_bookableresourceid_value: observed.contact._o25fs_bookableresourceid_value },
        { _o25fs_bookableresourceid_value: resourceId },
        observed.contact._o25fs_bookableresourceid_value
          ? 'The contact\'s Bookable Resource lookup points at another resource than the technician\'s; it is pointed at the right one.'
          : 'The contact\'s Bookable Resource lookup is set, so the vendor admin sees the resource and its work hours on the contact.',
      ),
    );
  }
  return changes;
}

/** Whether the resource already points at the systemuser (the one addUser re-enables is the observed row). */
function pointsAt(br: BookableResourceRow, systemUser: string | DataverseUserRef, observedId: string | null): boolean {
  return sameId(br._userid_value, typeof systemUser === 'string' ? systemUser : observedId);
}

function resourceUpdate(desired: DesiredTechnician, br: BookableResourceRow, systemUserId: string | DataverseUserRef, observedSystemUserId: string | null): Change | null {
  const before: Values = {};
  const after: Values = {};
  for (const key of COMPARED) {
    const wanted = desired.bookableResource.fields[key];
    if (!sameValue(key, br[key], wanted)) {
      before[key] = br[key];
      after[key] = wanted;
    }
  }
  const edited = Object.keys(after);
  if (!pointsAt(br, systemUserId, observedSystemUserId)) {
    before._userid_value = br._userid_value;
    after._userid_value = systemUserId;
  }
  const reactivate = br.statecode !== 0 || br.statuscode !== 1;
  if (reactivate) {
    before.statecode = br.statecode;
    before.statuscode = br.statuscode;
    after.statecode = 0;
    after.statuscode = 1;
  }
  if (Object.keys(after).length === 0) return null;
  const reasons: string[] = [];
  if (reactivate) reasons.push('the contact is active again, so the bookable resource is reactivated');
  // Column names lead with "the resource's": capitalising the sentence must not change a column name.
  if (edited.length > 0) reasons.push(`the resource's ${listFields(edited)} ${edited.length === 1 ? 'differs' : 'differ'} from the contact (edited on the resource, or changed on the contact)`);
  if ('_userid_value' in after) reasons.push('the resource points at another Dataverse user than the technician\'s');
  const sentence = reasons.join('; ');
  return change(
    desired,
    'bookableresource.update',
    { service: 'dataverse', entity: 'bookableresource', id: br.bookableresourceid },
    before,
    after,
    `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`,
  );
}

const patchResource = patchEffect('bookableResources', 'bookableresourceid', 'bookable resource');
/** An active resource is what makes the technician schedulable. */
const ACTIVE = { statecode: 0 };

export const bookableResourceKind: TechnicianKind = {
  name: 'bookable-resource',
  changes: [
    {
      kind: 'bookableresource.create',
      label: 'Create bookable resource',
      // With DATAVERSE_USER_ON_DEMAND it points at the systemuser the plan's addUser makes.
      runsAfter: ['systemuser.add'],
      removal: false,
      toRequest: (c, createdId) => dataverseCreate(c, createdId, 'bookableresources', 'bookableresourceid'),
      alreadyDone: createdEarlier,
      effect: (model, c, refs) => {
        const id = modelTargetId(c, refs);
        if (model.bookableResources.some((r) => r.bookableresourceid === id)) throw new Error(`model: duplicate resource ${id}`);
        // The systemuser may be the one this plan's addUser made (`{ createdBy }`, systemuser-add.ts).
        const user = c.after?._userid_value;
        const userId = isCreatedRef(user) ? refs.created(user.createdBy) : user;
        if (userId === undefined) throw new Error(`model: no systemuser for resource ${id}`);
        const row = { ...(c.after as unknown as BookableResourceRow), _userid_value: userId as string | null, bookableresourceid: id };
        return { model: { ...model, bookableResources: [...model.bookableResources, row] }, createdId: id };
      },
    },
    { kind: 'bookableresource.update', label: 'Update bookable resource', runsAfter: ['systemuser.add'], removal: false, access: ACTIVE, toRequest: dataversePatch, effect: patchResource },
    { kind: 'bookableresource.deactivate', label: 'Deactivate bookable resource', runsAfter: [], removal: true, access: ACTIVE, toRequest: dataversePatch, effect: patchResource },
    {
      kind: 'contact.link',
      label: 'Link bookable resource to contact',
      runsAfter: ['bookableresource.create'],
      removal: false,
      toRequest: dataversePatch,
      effect: patchEffect('contacts', 'contactid', 'contact'),
    },
  ],
  diff,
};
