/**
 * reconcilers/technicians/presence.ts for service accounts (issue 12): one licence change per SKU
 * of the persona (change ids keyed by skuId when there are several), and the removals of the
 * former identity's licences and group after a switch (keyed `former-<id>`), through the licence
 * and group kinds' diffs.
 */
import { describe, expect, it } from 'vitest';
import { groupKind, licenceKind } from '../../../reconcilers/technicians/index.js';
import type { FormerIdentity } from '../../../reconcilers/technicians/state.js';
import type { Change } from '../../../src/model/plan.js';
import { GROUP, convergedTech, desiredFor, observedFor } from '../../support/model.js';
import { SA_ID, SA_UPN, SKU_B, saContact, saObserved, saSettings, saTech, saUser, sku } from './service-account-fixture.js';

/** A change as these tables compare it: everything but the subject (tested with the user kind). */
const shapeOf = ({ subject: _s, ...rest }: Change) => rest;
const licenceDiff: typeof licenceKind.diff = (d, o) => licenceKind.diff(d, o);
const groupDiff: typeof groupKind.diff = (d, o) => groupKind.diff(d, o);

const both = [sku, SKU_B];
const t = saTech(both);
const active = desiredFor(t.contact, saSettings(both));
const inactive = desiredFor(saContact({ statecode: 1 }), saSettings(both));
const unanchored = saContact({ o25fs_entraobjectid: null });
const newAccount = { user: null, contact: unanchored, directSkuIds: [], isGroupMember: false, mark: { kind: 'none' } as const };
const onSa = { service: 'graph', entity: 'user', id: 'sa-1' };
const onCreate = { service: 'graph', entity: 'user', id: null, createdBy: `${SA_ID}/user.create` };

/** id, kind, target, before and after; the toggles' reason sentences are presence.ts's own (test/unit/reconcilers/licence-and-group.test.ts). */
const lic = (kind: 'licence.assign' | 'licence.remove', target: unknown, skuId: string, from: boolean | null, key?: string) => ({
  id: key ? `${SA_ID}/${kind}/${key}` : `${SA_ID}/${kind}`,
  kind,
  target,
  before: from === null ? null : { skuId, directlyAssigned: from },
  after: { skuId, directlyAssigned: kind === 'licence.assign' },
});
const strip = (changes: Change[]) => changes.map(({ id, kind, target, before, after }) => ({ id, kind, target, before, after }));

describe('licence: the persona\'s SKUs', () => {
  const cases = [
    {
      reason: 'a new account with two SKUs: one assign per SKU to the created account, keyed by skuId',
      desired: desiredFor(unanchored, saSettings(both)),
      observed: saObserved(t, [], newAccount),
      want: [lic('licence.assign', onCreate, sku, null, sku), lic('licence.assign', onCreate, SKU_B, null, SKU_B)],
    },
    {
      reason: 'a new account with one SKU keeps the unkeyed id guests have',
      desired: desiredFor(unanchored, saSettings([sku])),
      observed: saObserved(saTech([sku]), [], newAccount),
      want: [lic('licence.assign', onCreate, sku, null)],
    },
    { reason: 'both SKUs held: nothing', desired: active, observed: saObserved(t, both), want: [] },
    { reason: 'one of two SKUs removed by hand: only that one is assigned', desired: active, observed: saObserved(t, [sku]), want: [lic('licence.assign', onSa, SKU_B, false, SKU_B)] },
    { reason: 'deactivated: both SKUs removed, keyed', desired: inactive, observed: saObserved(t, both), want: [lic('licence.remove', onSa, sku, true, sku), lic('licence.remove', onSa, SKU_B, true, SKU_B)] },
    { reason: 'deactivated holding one SKU: only that one is removed (no failing removal)', desired: inactive, observed: saObserved(t, [SKU_B]), want: [lic('licence.remove', onSa, SKU_B, true, SKU_B)] },
    { reason: 'ignored: nothing', desired: desiredFor(saContact({ o25fs_setuptechnician: false }), saSettings(both)), observed: saObserved(t, []), want: [] },
  ];
  for (const tc of cases) it(tc.reason, () => expect(strip(licenceDiff(tc.desired, tc.observed))).toEqual(tc.want));

  it('each assign draws one unit of its own SKU', () => {
    const changes = licenceDiff(desiredFor(unanchored, saSettings(both)), saObserved(t, [], newAccount));
    const spec = licenceKind.changes.find((c) => c.kind === 'licence.assign')!;
    expect(changes.map((c) => spec.consumes!(c))).toEqual([{ pool: sku, units: 1 }, { pool: SKU_B, units: 1 }]);
  });

  it('the group stays one change (one group) for a service account', () => {
    expect(strip(groupDiff(desiredFor(unanchored, saSettings(both)), saObserved(t, [], newAccount)))).toEqual([
      { id: `${SA_ID}/group.add`, kind: 'group.add', target: onCreate, before: null, after: { groupId: GROUP, member: true } },
    ]);
  });
});

describe('former identity: its licences and group are removed, the account stays', () => {
  const g = convergedTech(1);
  const guestFormer = (over: Partial<FormerIdentity> = {}): FormerIdentity => ({ account: 'guest', user: g.user, isGroupMember: true, directSkuIds: [sku], systemUserId: 'su-1', ...over });
  const saFormer = (over: Partial<FormerIdentity> = {}): FormerIdentity => ({ account: 'service', user: saUser(both), isGroupMember: true, directSkuIds: both, systemUserId: 'su-sa', ...over });
  const onGuest = { service: 'graph', entity: 'user', id: 'u-1' };
  const guestUpn = g.user.userPrincipalName;
  const guestOnSa = desiredFor(t.contact, saSettings(both));
  const backOnGuest = desiredFor(g.contact);

  const cases: { reason: string; diff: typeof licenceDiff; desired: typeof active; observed: ReturnType<typeof observedFor>; want: unknown[] }[] = [
    {
      reason: 'guest → service account: the former guest loses its licence (key former-<sku>)',
      diff: licenceDiff,
      desired: guestOnSa,
      observed: saObserved(t, both, { formerIdentity: guestFormer() }),
      want: [{ id: `${SA_ID}/licence.remove/former-${sku}`, kind: 'licence.remove', target: onGuest, before: { skuId: sku, directlyAssigned: true }, after: { skuId: sku, directlyAssigned: false }, dependsOn: [],
        reason: `The contact's identity is now a service account, so licence ${sku} is removed from its former guest ${guestUpn} (the account stays).` }],
    },
    {
      reason: 'guest → service account: the former guest leaves the technician group (key former-<group>)',
      diff: groupDiff,
      desired: guestOnSa,
      observed: saObserved(t, both, { formerIdentity: guestFormer() }),
      want: [{ id: `${SA_ID}/group.remove/former-${GROUP}`, kind: 'group.remove', target: onGuest, before: { groupId: GROUP, member: true }, after: { groupId: GROUP, member: false }, dependsOn: [],
        reason: `The contact's identity is now a service account, so its former guest ${guestUpn} leaves the technician group (the account stays).` }],
    },
    {
      reason: 'service account → guest: each persona SKU of the former service account is removed',
      diff: licenceDiff,
      desired: backOnGuest,
      observed: observedFor(g, { formerIdentity: saFormer() }),
      want: both.map((s) => ({ id: `c-1/licence.remove/former-${s}`, kind: 'licence.remove', target: onSa, before: { skuId: s, directlyAssigned: true }, after: { skuId: s, directlyAssigned: false }, dependsOn: [],
        reason: `The contact's identity is now a guest, so licence ${s} is removed from its former service account ${SA_UPN} (the account stays).` })),
    },
    {
      reason: 'service account → guest: the former service account leaves the group',
      diff: groupDiff,
      desired: backOnGuest,
      observed: observedFor(g, { formerIdentity: saFormer() }),
      want: [{ id: `c-1/group.remove/former-${GROUP}`, kind: 'group.remove', target: onSa, before: { groupId: GROUP, member: true }, after: { groupId: GROUP, member: false }, dependsOn: [],
        reason: `The contact's identity is now a guest, so its former service account ${SA_UPN} leaves the technician group (the account stays).` }],
    },
    {
      reason: 'the former identity holds nothing any more: no removal',
      diff: licenceDiff,
      desired: guestOnSa,
      observed: saObserved(t, both, { formerIdentity: guestFormer({ directSkuIds: [], isGroupMember: false }) }),
      want: [],
    },
    {
      reason: 'the former identity out of the group already: no group removal',
      diff: groupDiff,
      desired: guestOnSa,
      observed: saObserved(t, both, { formerIdentity: guestFormer({ isGroupMember: false }) }),
      want: [],
    },
  ];
  for (const tc of cases) it(tc.reason, () => expect(tc.diff(tc.desired, tc.observed).map(shapeOf)).toEqual(tc.want));

  it('switched and deactivated at once: the new identity\'s licences go and the former\'s too', () => {
    const changes = licenceDiff(inactive, saObserved(t, [SKU_B], { formerIdentity: guestFormer() }));
    expect(strip(changes)).toEqual([
      lic('licence.remove', onSa, SKU_B, true, SKU_B),
      { id: `${SA_ID}/licence.remove/former-${sku}`, kind: 'licence.remove', target: onGuest, before: { skuId: sku, directlyAssigned: true }, after: { skuId: sku, directlyAssigned: false } },
    ]);
    expect(changes[1]!.reason).toBe(`The contact's identity is now a service account, so licence ${sku} is removed from its former guest ${guestUpn} (the account stays).`);
  });

  it('the ids of one plan stay distinct when the same SKU is both assigned to the new identity and removed from the former', () => {
    const ids = licenceDiff(desiredFor(unanchored, saSettings(both)), saObserved(t, [], { ...newAccount, formerIdentity: guestFormer() })).map((c) => c.id);
    expect(ids).toEqual([`${SA_ID}/licence.assign/${sku}`, `${SA_ID}/licence.assign/${SKU_B}`, `${SA_ID}/licence.remove/former-${sku}`]);
  });
});
