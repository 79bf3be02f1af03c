/**
 * Every managed object kind, one reconciler each. Each diff is pure: (desired, observed) → changes
 * with no dependencies; src/engine/plan.ts wires dependencies and orders the plan.
 */
import { bookableResourceReconciler } from './bookable-resource.js';
import { characteristicsReconciler } from './characteristics.js';
import { formerGrantsReconciler } from './former-grants.js';
import type { Reconciler } from './common.js';
import { groupMembershipReconciler } from './group-membership.js';
import { licenceReconciler } from './licence.js';
import { systemUserReconciler } from './systemuser.js';
import { userReconciler } from './user.js';

export type { Reconciler } from './common.js';
export { isWaitingForDataverseUser, needsInvite, resourceIdOf } from './common.js';

export const RECONCILERS: readonly Reconciler[] = [
  userReconciler,
  licenceReconciler,
  groupMembershipReconciler,
  formerGrantsReconciler,
  systemUserReconciler,
  bookableResourceReconciler,
  characteristicsReconciler,
];
