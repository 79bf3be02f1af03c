/**
 * The Dataverse user's coordinates follow the contact's (Field Service routes from them), whenever
 * the contact has both latitude and longitude. Dataverse stores them with 5 decimals, so values
 * equal to 5 decimals are equal. The systemuser is never created or deleted here: Dataverse's user
 * sync creates it.
 */
import type { Change } from '../../src/model/plan.js';
import type { DesiredTechnician, ObservedTechnician } from './state.js';
import { change, sameNumber, type TechnicianKind } from './common.js';
import { patchEffect } from './effects.js';
import { dataversePatch } from './requests.js';

const DECIMALS = 5;

export function diff(desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  const su = observed.systemUser;
  const want = desired.coordinates;
  if (desired.intent !== 'provision' || !su || !want) return [];
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
      runsAfter: [],
      removal: false,
      toRequest: dataversePatch,
      effect: patchEffect('systemUsers', 'systemuserid', 'systemuser'),
    },
  ],
  diff,
};
