/**
 * The customer portal family's kinds, in declaration order (the apply order follows from it and
 * their runsAfter, src/engine/kind-order.ts):
 * - web-role.ts: the contact's web role (adx_webrole_contact);
 * - invitation.ts: the contact's one usable invitation (issue, give the role, send, retire, withdraw).
 */
import type { PortalKind } from './common.js';
import { invitationKind } from './invitation.js';
import { webRoleKind } from './web-role.js';

export type { PortalKind } from './common.js';

export const PORTAL_KINDS: readonly PortalKind[] = [webRoleKind, invitationKind];
