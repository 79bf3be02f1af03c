/**
 * Direct membership of the technician security group (the group gives the Dataverse security
 * roles). Graph: POST /groups/{id}/members/$ref, DELETE /groups/{id}/members/{userId}/$ref.
 * The change targets the user (the member); `groupId` is in before/after.
 */
import type { Change } from '../src/model/plan.js';
import type { DesiredTechnician, ObservedTechnician } from '../src/model/state.js';
import { change, userTarget, type Reconciler } from './common.js';

export function diff(desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  if (desired.intent === 'ignore') return [];
  const groupId = desired.group.groupId;
  const target = userTarget(desired, observed);
  if (desired.group.member && !observed.isGroupMember) {
    return [
      change(
        desired,
        'group.add',
        target,
        observed.user ? { groupId, member: false } : null,
        { groupId, member: true },
        observed.user
          ? 'The guest is not a member of the technician group (never added, or taken out by hand); the contact is active, so it is added.'
          : 'The new guest joins the technician group, which gives its Dataverse access.',
      ),
    ];
  }
  if (!desired.group.member && observed.user && observed.isGroupMember) {
    return [
      change(
        desired,
        'group.remove',
        target,
        { groupId, member: true },
        { groupId, member: false },
        'The contact is no longer an active technician, so the guest leaves the technician group.',
      ),
    ];
  }
  return [];
}

export const groupMembershipReconciler: Reconciler = { name: 'group-membership', diff };
