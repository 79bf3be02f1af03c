/**
 * Presence of the user in a target it is granted: the technician licence, assigned directly (a
 * user who holds it through a group already gets no second, direct assignment; with
 * LICENSE_MODE=group the group carries it and this kind plans nothing for it), and direct
 * membership of the technician security group (which gives the Dataverse security roles). Both are
 * the same toggle, so one parameterised kind, `presence(target)`, gives both: assign when the
 * contact wants it and the user lacks it, remove when the contact no longer wants it and the user
 * has it, and remove grants of earlier settings.
 *
 * Grants of earlier settings are the group and licence that the user's ownership mark records but
 * that TECHNICIAN_GROUP_ID and LICENSE_SKU_ID no longer name (reconcilers/technicians/match.ts finds the ones the
 * user still holds). They are removed whatever the contact's intent, as guarded removals keyed by the
 * old id (so they never collide with today's grant), and the mark is rewritten after them (user.ts,
 * user.mark).
 *
 * The changes target the user; the licence's `skuId` or the group's `groupId` is in before/after.
 * Graph: POST /users/{id}/assignLicense; POST /groups/{id}/members/$ref and
 * DELETE /groups/{id}/members/{userId}/$ref.
 */
import { targetId } from '../../src/engine/kind.js';
import type { Observation } from '../../src/model/observation.js';
import type { Change, ChangeKind } from '../../src/model/plan.js';
import type { DesiredTechnician, FormerIdentity, ObservedTechnician } from './state.js';
import { change, userTarget, type TechnicianChangeSpec, type TechnicianKind } from './common.js';
import { editUser, userIdOf } from './effects.js';

/** How a presence target names its grants, and which of them are of earlier settings. */
export interface FormerGrants {
  /** The property of before/after that holds the target's id (`skuId`, `groupId`). */
  idField: string;
  /** The property that says whether the user has it (`directlyAssigned`, `member`). */
  flag: string;
  former(observed: ObservedTechnician): readonly string[];
  formerReason(id: string): string;
}

export function formerGrantRemovals(grants: FormerGrants, kind: ChangeKind, desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  if (desired.intent === 'ignore' || !observed.user) return [];
  const target = userTarget(desired, observed);
  return grants
    .former(observed)
    .map((id) => change(desired, kind, target, { [grants.idField]: id, [grants.flag]: true }, { [grants.idField]: id, [grants.flag]: false }, grants.formerReason(id), id));
}

/**
 * After a switch of account type (guest to service account or back), the other identity loses what
 * the product granted it, as guarded removals keyed `former-<id>`; the account itself stays.
 */
function formerIdentityRemovals(t: PresenceTarget, desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  const former = observed.formerIdentity;
  if (!former) return [];
  const target = { service: 'graph' as const, entity: 'user' as const, id: former.user.id };
  return t
    .formerIdentityIds(desired, former)
    .map((id) => change(desired, t.remove.kind, target, { [t.idField]: id, [t.flag]: true }, { [t.idField]: id, [t.flag]: false }, t.formerIdentityReason(former, id), `former-${id}`));
}

const identityWord = (former: FormerIdentity): string => (former.account === 'guest' ? 'guest' : 'service account');
const newIdentityWord = (former: FormerIdentity): string => (former.account === 'guest' ? 'a service account' : 'a guest');

/** One target of presence: its change kinds, how it reads desired and observed state, its words. */
export interface PresenceTarget extends FormerGrants {
  name: string;
  assign: Omit<TechnicianChangeSpec, 'runsAfter' | 'removal'> & { kind: ChangeKind; runsAfter: readonly ChangeKind[] };
  remove: Omit<TechnicianChangeSpec, 'runsAfter' | 'removal'> & { kind: ChangeKind };
  /**
   * The target's ids and whether the contact wants the user in them: one group, one licence for a
   * guest, the persona's licences for a service account.
   */
  wanted(desired: DesiredTechnician): { ids: readonly string[]; present: boolean };
  present(observed: ObservedTechnician, id: string): boolean;
  /** The user has it from elsewhere already (a licence inherited from a group): nothing to assign. */
  heldOtherwise?(observed: ObservedTechnician, id: string): boolean;
  /** Not the product's to assign or remove at all under today's settings (LICENSE_MODE=group for the licence). */
  notManaged?(desired: DesiredTechnician): boolean;
  /** What the contact's former identity still holds of this target (reconcilers/technicians/state.ts FormerIdentity). */
  formerIdentityIds(desired: DesiredTechnician, former: FormerIdentity): readonly string[];
  formerIdentityReason(former: FormerIdentity, id: string): string;
  reasons: PresenceReasons;
  /** The same words for a service account (issue 12). */
  serviceAccountReasons: PresenceReasons;
}

export interface PresenceReasons {
  assignExisting: string;
  assignNew: string;
  remove: string;
}

export function presence(t: PresenceTarget): TechnicianKind {
  const diff = (desired: DesiredTechnician, observed: ObservedTechnician): Change[] => {
    if (desired.intent === 'ignore' || t.notManaged?.(desired)) return [];
    const { ids, present: wanted } = t.wanted(desired);
    const reasons = desired.account === 'service' ? t.serviceAccountReasons : t.reasons;
    const target = userTarget(desired, observed);
    const toggle: Change[] = [];
    for (const id of ids) {
      // One id keeps the change id it always had; several (a persona's licences) are told apart by id.
      const key = ids.length > 1 ? id : undefined;
      const has = t.present(observed, id);
      if (wanted && !has) {
        if (t.heldOtherwise?.(observed, id)) continue;
        toggle.push(
          change(
            desired,
            t.assign.kind,
            target,
            observed.user ? { [t.idField]: id, [t.flag]: false } : null,
            { [t.idField]: id, [t.flag]: true },
            observed.user ? reasons.assignExisting : reasons.assignNew,
            key,
          ),
        );
      } else if (!wanted && observed.user && has) {
        toggle.push(change(desired, t.remove.kind, target, { [t.idField]: id, [t.flag]: true }, { [t.idField]: id, [t.flag]: false }, reasons.remove, key));
      }
    }
    return [...toggle, ...formerGrantRemovals(t, t.remove.kind, desired, observed), ...formerIdentityRemovals(t, desired, observed)];
  };
  const access = { [t.flag]: true };
  return {
    name: t.name,
    changes: [
      { ...t.assign, removal: false, access },
      { ...t.remove, runsAfter: [], removal: true, access },
    ],
    diff,
  };
}

const lc = (v: unknown): string => String(v).toLowerCase();

/** Whether the user holds `skuId` through a group: an entry that is not a failed one (Error or Disabled). */
export function inheritsLicence(observed: ObservedTechnician, skuId: string, groupId?: string): boolean {
  return (observed.inheritedLicences ?? []).some(
    (l) => l.skuId === lc(skuId) && (groupId === undefined || l.groupId === lc(groupId)) && (l.state === null || l.state === 'Active' || l.state === 'ActiveWithError'),
  );
}

export const LICENCE: PresenceTarget = {
  name: 'licence',
  idField: 'skuId',
  flag: 'directlyAssigned',
  former: (observed) => observed.formerGrants.skuIds,
  formerReason: (skuId) => `The product assigned licence ${skuId}, which is no longer the technicians' licence (LICENSE_SKU_ID changed), so it is removed.`,
  wanted: (desired) => ({ ids: desired.licence.skuIds, present: desired.licence.assigned }),
  present: (observed, id) => observed.directSkuIds.includes(id),
  // A licence the user inherits (and has: not a failed inheritance) needs no direct assignment too.
  heldOtherwise: (observed, id) => inheritsLicence(observed, id),
  // In group mode the technician group carries the licence: the product never calls assignLicense.
  notManaged: (desired) => desired.licence.fromGroup !== undefined,
  formerIdentityIds: (_desired, former) => former.directSkuIds,
  formerIdentityReason: (former, skuId) => `The contact's identity is now ${newIdentityWord(former)}, so licence ${skuId} is removed from its former ${identityWord(former)} ${former.user.userPrincipalName} (the account stays).`,
  reasons: {
    assignExisting: 'The guest has no direct assignment of the technician licence (never assigned, or removed by hand); the contact is active, so it is assigned.',
    assignNew: 'The new guest gets the technician licence once its usage location is set.',
    remove: 'The contact is no longer an active technician, so the technician licence is removed (the guest account stays).',
  },
  serviceAccountReasons: {
    assignExisting: "The service account has no direct assignment of this licence of the persona (never assigned, or removed by hand); the contact is active, so it is assigned.",
    assignNew: "The new service account gets each licence of the persona (SERVICE_ACCOUNT_SKU_IDS); its usage location is set when it is created.",
    remove: 'The contact is no longer an active technician, so this licence is removed from its service account (the account stays, disabled).',
  },
  assign: {
    kind: 'licence.assign',
    label: 'Assign licence',
    runsAfter: ['user.invite', 'user.create', 'user.update'],
    consumes: (c) => ({ pool: lc(c.after?.skuId), units: 1 }),
    // Assigning a SKU the user already has only rewrites its disabled plans: safe to repeat.
    toRequest: (c, createdId) => ({ method: 'POST', url: `/users/${targetId(c, createdId)}/assignLicense`, idempotent: true, body: { addLicenses: [{ skuId: c.after?.skuId, disabledPlans: [] }], removeLicenses: [] } }),
    effect: (model, c, refs) => {
      const sku = String(c.after?.skuId);
      return {
        model: editUser(model, c, refs, (u) => ({
          ...u,
          licenseAssignmentStates: [...(u.licenseAssignmentStates ?? []), { skuId: sku, assignedByGroup: null }],
          assignedLicenses: u.assignedLicenses.some((l) => l.skuId === sku) ? u.assignedLicenses : [...u.assignedLicenses, { skuId: sku, disabledPlans: [] }],
        })),
      };
    },
  },
  remove: {
    kind: 'licence.remove',
    label: 'Remove licence',
    toRequest: (c, createdId) => ({ method: 'POST', url: `/users/${targetId(c, createdId)}/assignLicense`, body: { addLicenses: [], removeLicenses: [c.before?.skuId] } }),
    effect: (model, c, refs) => {
      const sku = lc(c.before?.skuId);
      return {
        model: editUser(model, c, refs, (u) => {
          // Only the direct assignment goes; a licence inherited from a group stays assigned.
          const states = (u.licenseAssignmentStates ?? []).filter((s) => !(lc(s.skuId) === sku && s.assignedByGroup === null));
          const assignedLicenses = states.some((s) => lc(s.skuId) === sku) ? u.assignedLicenses : u.assignedLicenses.filter((l) => lc(l.skuId) !== sku);
          return { ...u, licenseAssignmentStates: states, assignedLicenses };
        }),
      };
    },
  },
};

/** Removes `userId` from the group `groupId`: a group of earlier settings, else the technician group. */
function leave(model: Observation, groupId: string, userId: string): Observation {
  const former = model.formerGroupMemberIds?.[groupId];
  if (former) return { ...model, formerGroupMemberIds: { ...model.formerGroupMemberIds, [groupId]: former.filter((m) => m !== userId) } };
  return { ...model, groupMemberIds: (model.groupMemberIds ?? []).filter((m) => m !== userId) };
}

export const GROUP: PresenceTarget = {
  name: 'group',
  idField: 'groupId',
  flag: 'member',
  former: (observed) => observed.formerGrants.groupIds,
  formerReason: (groupId) => `The product added this user to group ${groupId}, which is no longer the technician group (TECHNICIAN_GROUP_ID changed), so it leaves that group.`,
  wanted: (desired) => ({ ids: [desired.group.groupId], present: desired.group.member }),
  present: (observed) => observed.isGroupMember,
  formerIdentityIds: (desired, former) => (former.isGroupMember ? [desired.group.groupId] : []),
  formerIdentityReason: (former) => `The contact's identity is now ${newIdentityWord(former)}, so its former ${identityWord(former)} ${former.user.userPrincipalName} leaves the technician group (the account stays).`,
  reasons: {
    assignExisting: 'The guest is not a member of the technician group (never added, or taken out by hand); the contact is active, so it is added.',
    assignNew: 'The new guest joins the technician group, which gives its Dataverse access.',
    remove: 'The contact is no longer an active technician, so the guest leaves the technician group.',
  },
  serviceAccountReasons: {
    assignExisting: 'The service account is not a member of the technician group (never added, or taken out by hand); the contact is active, so it is added.',
    assignNew: 'The new service account joins the technician group, which gives its Dataverse access.',
    remove: 'The contact is no longer an active technician, so its service account leaves the technician group.',
  },
  assign: {
    kind: 'group.add',
    label: 'Add to technician group',
    runsAfter: ['user.invite', 'user.create'],
    toRequest: (c, createdId, settings) => ({
      method: 'POST',
      url: `/groups/${String(c.after?.groupId)}/members/$ref`,
      body: { '@odata.id': `${settings.graphBaseUrl}/directoryObjects/${targetId(c, createdId)}` },
    }),
    effect: (model, c, refs) => ({ model: { ...model, groupMemberIds: [...(model.groupMemberIds ?? []), userIdOf(model, c, refs)] } }),
  },
  remove: {
    kind: 'group.remove',
    label: 'Remove from technician group',
    toRequest: (c, createdId) => ({ method: 'DELETE', url: `/groups/${String(c.before?.groupId)}/members/${targetId(c, createdId)}/$ref` }),
    effect: (model, c, refs) => ({ model: leave(model, String(c.before?.groupId), userIdOf(model, c, refs)) }),
  },
};
