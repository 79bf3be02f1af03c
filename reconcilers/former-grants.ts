/**
 * Grants of earlier settings: the technician group and licence that the user's ownership mark
 * records but that TECHNICIAN_GROUP_ID and LICENSE_SKU_ID no longer name (src/engine/match.ts finds
 * the ones the user still holds). They are removed whatever the contact's intent, as guarded
 * removals (group.remove, licence.remove, keyed by the old id so they never collide with today's
 * grant), and the mark is rewritten after them (reconcilers/user.ts, user.mark).
 */
import type { Change } from '../src/model/plan.js';
import type { DesiredTechnician, ObservedTechnician } from '../src/model/state.js';
import { change, userTarget, type Reconciler } from './common.js';

export function diff(desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  if (desired.intent === 'ignore' || !observed.user) return [];
  const target = userTarget(desired, observed);
  const changes: Change[] = [];
  for (const groupId of observed.formerGrants.groupIds) {
    changes.push(
      change(
        desired,
        'group.remove',
        target,
        { groupId, member: true },
        { groupId, member: false },
        `The product added this user to group ${groupId}, which is no longer the technician group (TECHNICIAN_GROUP_ID changed), so it leaves that group.`,
        groupId,
      ),
    );
  }
  for (const skuId of observed.formerGrants.skuIds) {
    changes.push(
      change(
        desired,
        'licence.remove',
        target,
        { skuId, directlyAssigned: true },
        { skuId, directlyAssigned: false },
        `The product assigned licence ${skuId}, which is no longer the technicians' licence (LICENSE_SKU_ID changed), so it is removed.`,
        skuId,
      ),
    );
  }
  return changes;
}

export const formerGrantsReconciler: Reconciler = { name: 'former-grants', diff };
