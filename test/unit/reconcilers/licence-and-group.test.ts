/** reconcilers/technicians/presence.ts over its two targets: direct licence and direct membership, both ways. */
import { describe, expect, it } from 'vitest';
import { groupKind, licenceKind } from '../../../reconcilers/technicians/index.js';
import { GROUP, SKU, convergedTech, desiredFor, observedFor, technicianSubject } from '../../support/model.js';

const groupDiff = groupKind.diff;
const licenceDiff = licenceKind.diff;

const t = convergedTech(1);
const active = desiredFor(t.contact);
const inactive = desiredFor({ ...t.contact, statecode: 1 });
const ignored = desiredFor({ ...t.contact, o25fs_setuptechnician: false });
const onUser = { service: 'graph', entity: 'user', id: 'u-1' };
const onInvite = { service: 'graph', entity: 'user', id: null, createdBy: 'c-1/user.invite' };

describe('licence reconciler', () => {
  const cases = [
    { reason: 'active and licensed: nothing', desired: active, observed: observedFor(t), want: [] },
    { reason: 'active, licence removed by hand: assign', desired: active, observed: observedFor(t, { directSkuIds: [] }), want: [{ id: 'c-1/licence.assign', subject: technicianSubject('c-1'), kind: 'licence.assign', target: onUser, before: { skuId: SKU, directlyAssigned: false }, after: { skuId: SKU, directlyAssigned: true }, reason: 'The guest has no direct assignment of the technician licence (never assigned, or removed by hand); the contact is active, so it is assigned.', dependsOn: [] }] },
    { reason: 'active, user to be invited: assign to the invited user', desired: active, observed: observedFor(t, { user: null, directSkuIds: [] }), want: [{ id: 'c-1/licence.assign', subject: technicianSubject('c-1'), kind: 'licence.assign', target: onInvite, before: null, after: { skuId: SKU, directlyAssigned: true }, reason: 'The new guest gets the technician licence once its usage location is set.', dependsOn: [] }] },
    { reason: 'deactivated and licensed: remove', desired: inactive, observed: observedFor(t), want: [{ id: 'c-1/licence.remove', subject: technicianSubject('c-1'), kind: 'licence.remove', target: onUser, before: { skuId: SKU, directlyAssigned: true }, after: { skuId: SKU, directlyAssigned: false }, reason: 'The contact is no longer an active technician, so the technician licence is removed (the guest account stays).', dependsOn: [] }] },
    { reason: 'deactivated and already unlicensed: nothing (no failing removal)', desired: inactive, observed: observedFor(t, { directSkuIds: [] }), want: [] },
    { reason: 'ignored: nothing even when licensed', desired: ignored, observed: observedFor(t), want: [] },
  ];
  for (const tc of cases) it(tc.reason, () => expect(licenceDiff(tc.desired, tc.observed)).toEqual(tc.want));
});

describe('group membership reconciler', () => {
  const cases = [
    { reason: 'active member: nothing', desired: active, observed: observedFor(t), want: [] },
    { reason: 'active, taken out of the group by hand: add', desired: active, observed: observedFor(t, { isGroupMember: false }), want: [{ id: 'c-1/group.add', subject: technicianSubject('c-1'), kind: 'group.add', target: onUser, before: { groupId: GROUP, member: false }, after: { groupId: GROUP, member: true }, reason: 'The guest is not a member of the technician group (never added, or taken out by hand); the contact is active, so it is added.', dependsOn: [] }] },
    { reason: 'deactivated member: remove', desired: inactive, observed: observedFor(t), want: [{ id: 'c-1/group.remove', subject: technicianSubject('c-1'), kind: 'group.remove', target: onUser, before: { groupId: GROUP, member: true }, after: { groupId: GROUP, member: false }, reason: 'The contact is no longer an active technician, so the guest leaves the technician group.', dependsOn: [] }] },
    { reason: 'deactivated non-member: nothing (no failing "not a member")', desired: inactive, observed: observedFor(t, { isGroupMember: false }), want: [] },
    { reason: 'ignored member: nothing', desired: ignored, observed: observedFor(t), want: [] },
  ];
  for (const tc of cases) it(tc.reason, () => expect(groupDiff(tc.desired, tc.observed)).toEqual(tc.want));
});
