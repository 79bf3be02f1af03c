/**
 * The Dataverse user's coordinates follow the contact's (Field Service routes from them), whenever
 * the contact has both latitude and longitude. Dataverse stores them with 5 decimals, so values
 * equal to 5 decimals are equal. The systemuser is never created or deleted here: Dataverse's user
 * sync creates it, or the plan's addUser (DATAVERSE_USER_ON_DEMAND, systemuser-add.ts), whose new
 * systemuser gets the coordinates in the same apply.
 */
import type { Change } from '../../src/model/plan.js';
import type { DesiredTechnician, ObservedTechnician } from './state.js';
import { change, changeId, sameNumber, type TechnicianKind } from './common.js';
import { addsDataverseUser } from './systemuser-add.js';
import { patchEffect } from './effects.js';
import { dataversePatch } from './requests.js';

const DECIMALS = 5;

export function diff(desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  const su = observed.systemUser;
  const want = desired.coordinates;
  if (desired.intent !== 'provision' || !want) return [];
  if (!su) {
    if (!addsDataverseUser(desired, observed)) return [];
    return [
      change(
        desired,
        'systemuser.update',
        { service: 'dataverse', entity: 'systemuser', id: null, createdBy: changeId(desired.contactId, 'systemuser.add') },
        { address1_latitude: null, address1_longitude: null },
        { address1_latitude: want.latitude, address1_longitude: want.longitude },
        "The Dataverse user this run adds has no coordinates; the contact's are copied to it.",
      ),
    ];
  }
  if (sameNumber(su.address1_latitude, want.latitude, DECIMALS) && sameNumber(su.address1_longitude, want.longitude, DECIMALS)) {
    return [];
  }
  return [
    change(
      desired,
      'systemuser.update',
      { service: 'dataverse', entity: 'systemuser', id: su.systemuserid },
      { address1_latitude: su.address1_latitude, address1_longitude: su.address1_longitude },
      { address1_latitude: want.latitude, address1_longitude: want.longitude },
      su.address1_latitude === null && su.address1_longitude === null
        ? 'The Dataverse user has no coordinates; the contact\'s are copied to it.'
        : 'The Dataverse user\'s coordinates differ from the contact\'s (changed elsewhere); the contact\'s are written back.',
    ),
  ];
}

export const systemUserKind: TechnicianKind = {
  name: 'systemuser',
  changes: [
    {
      kind: 'systemuser.update',
      label: 'Update Dataverse user coordinates',
      // A systemuser the plan's addUser makes is written once it exists.
      runsAfter: ['systemuser.add'],
      removal: false,
      toRequest: dataversePatch,
      effect: patchEffect('systemUsers', 'systemuserid', 'systemuser'),
    },
  ],
  diff,
};
