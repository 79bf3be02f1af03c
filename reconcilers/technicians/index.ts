/**
 * The technicians family's kinds, one module per managed object kind, in declaration order: the
 * apply order of their change kinds is derived from this order and their `runsAfter`
 * (src/engine/kind-order.ts), so a kind is added here and nowhere else in the engine.
 *
 * - user.ts: the Entra guest (invitation, anchor on the contact, profile, ownership mark);
 * - presence.ts: the licence and the technician group, one toggle over two targets (and the grants
 *   of earlier settings);
 * - systemuser-add.ts: the Dataverse user through addUser, with DATAVERSE_USER_ON_DEMAND;
 * - systemuser.ts: the Dataverse user's coordinates;
 * - bookable-resource.ts: the bookable resource and the contact's lookup to it;
 * - bookable-resource-owner.ts: the resource's owner, copied from the contact's;
 * - characteristics.ts: the resource's characteristics.
 *
 * Each diff is pure: (desired, observed) → changes with no dependencies; src/engine/plan.ts wires
 * them and orders the plan.
 */
import { bookableResourceKind } from './bookable-resource.js';
import { bookableResourceOwnerKind } from './bookable-resource-owner.js';
import { characteristicsKind } from './characteristics.js';
import type { TechnicianKind } from './common.js';
import { GROUP, LICENCE, presence } from './presence.js';
import { systemUserKind } from './systemuser.js';
import { systemUserAddKind } from './systemuser-add.js';
import { userKind } from './user.js';

export type { RequestSettings, TechnicianChangeSpec, TechnicianKind } from './common.js';
export { isWaitingForDataverseUser, needsInvite, needsServiceAccount, resourceIdOf } from './common.js';
export { addsDataverseUser, awaitsDataverseUser } from './systemuser-add.js';

export const licenceKind: TechnicianKind = presence(LICENCE);
export const groupKind: TechnicianKind = presence(GROUP);

export const TECHNICIAN_KINDS: readonly TechnicianKind[] = [userKind, licenceKind, groupKind, systemUserAddKind, systemUserKind, bookableResourceKind, bookableResourceOwnerKind, characteristicsKind];
