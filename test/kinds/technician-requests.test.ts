/**
 * The request each technicians change kind makes (moved from src/engine/operations.ts into the kinds;
 * docs/plan-format.md lists them), through the generic dispatch, with its exact method, URL, headers
 * and body; and the per-kind answers: the invitation's created id, "already done" for deterministic
 * creates, the licence unit a licence.assign draws.
 */
import { describe, expect, it } from 'vitest';
import { capacityOf, PRODUCT_KINDS } from '../../src/kinds.js';
import { createApplyDeps, toRequest } from '../../src/engine/operations.js';
import type { DataverseApi, GraphApi, ServiceResponse } from '../../src/clients/types.js';
import type { Change, ChangeKind, ChangeTarget, Values } from '../../src/model/plan.js';
import { testSettings } from '../support/model.js';

const settings = testSettings({ sendInvitationEmail: true });
const created = (id: string): string | undefined => (id === 'c-1/user.invite' ? 'u-new' : id === 'c-1/bookableresource.create' ? 'br-new' : undefined);
const onUser: ChangeTarget = { service: 'graph', entity: 'user', id: 'u-1' };
const onInvite: ChangeTarget = { service: 'graph', entity: 'user', id: null, createdBy: 'c-1/user.invite' };
const dv = (entity: ChangeTarget['entity'], id: string): ChangeTarget => ({ service: 'dataverse', entity, id });

function ch(kind: ChangeKind, target: ChangeTarget, before: Values | null, after: Values | null): Change {
  return { id: `c-1/${kind}`, subject: { family: 'technicians', table: 'contacts', id: 'c-1', displayName: 'Ana Silva', group: null }, kind, target, before, after, reason: 'r', dependsOn: [] };
}

const IF_MATCH = { 'If-Match': '*' };

const cases = [
  {
    reason: 'an invitation posts the email and name, the redirect and the e-mail setting, as a guest',
    change: ch('user.invite', { ...onInvite }, null, { mail: 'ana@vendor.example', displayName: 'Ana Silva' }),
    want: { method: 'POST', url: '/invitations', body: { invitedUserEmailAddress: 'ana@vendor.example', invitedUserDisplayName: 'Ana Silva', inviteRedirectUrl: 'https://contoso.crm.dynamics.com', sendInvitationMessage: true, invitedUserType: 'Guest' } },
  },
  { reason: 'a profile update patches the invited user with its after values', change: ch('user.update', onInvite, null, { usageLocation: 'DE' }), want: { method: 'PATCH', url: '/users/u-new', body: { usageLocation: 'DE' } } },
  { reason: 'the mark on its own is the same PATCH', change: ch('user.mark', onUser, {}, { onPremisesExtensionAttributes: { extensionAttribute15: 'm' } }), want: { method: 'PATCH', url: '/users/u-1', body: { onPremisesExtensionAttributes: { extensionAttribute15: 'm' } } } },
  {
    reason: 'a licence assignment adds the SKU with no disabled plans, and may be repeated',
    change: ch('licence.assign', onUser, { skuId: 'sku-1', directlyAssigned: false }, { skuId: 'sku-1', directlyAssigned: true }),
    want: { method: 'POST', url: '/users/u-1/assignLicense', idempotent: true, body: { addLicenses: [{ skuId: 'sku-1', disabledPlans: [] }], removeLicenses: [] } },
  },
  {
    reason: 'a licence removal removes the SKU of before',
    change: ch('licence.remove', onUser, { skuId: 'sku-old', directlyAssigned: true }, { skuId: 'sku-old', directlyAssigned: false }),
    want: { method: 'POST', url: '/users/u-1/assignLicense', body: { addLicenses: [], removeLicenses: ['sku-old'] } },
  },
  {
    reason: 'joining the group posts a reference to the directory object',
    change: ch('group.add', onInvite, null, { groupId: 'g-1', member: true }),
    want: { method: 'POST', url: '/groups/g-1/members/$ref', body: { '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/u-new' } },
  },
  { reason: 'leaving the group deletes the membership of before', change: ch('group.remove', onUser, { groupId: 'g-old', member: true }, { groupId: 'g-old', member: false }), want: { method: 'DELETE', url: '/groups/g-old/members/u-1/$ref' } },
  {
    reason: 'the anchor patches the contact with the invited user id, update only',
    change: ch('contact.anchor', dv('contact', 'c-1'), { o25fs_entraobjectid: null }, { o25fs_entraobjectid: { createdBy: 'c-1/user.invite' } }),
    want: { method: 'PATCH', url: 'contacts(c-1)', headers: IF_MATCH, body: { o25fs_entraobjectid: 'u-new' } },
  },
  {
    reason: 'coordinates patch the systemuser',
    change: ch('systemuser.update', dv('systemuser', 'su-1'), { address1_latitude: null }, { address1_latitude: 47.6, address1_longitude: -122.3 }),
    want: { method: 'PATCH', url: 'systemusers(su-1)', headers: IF_MATCH, body: { address1_latitude: 47.6, address1_longitude: -122.3 } },
  },
  {
    reason: 'a resource is created with its deterministic id, lookups bound, no state columns and no null lookups',
    change: ch('bookableresource.create', dv('bookableresource', 'br-1'), null, { name: 'Ana', _userid_value: 'su-1', _msdyn_warehouse_value: null, statecode: 0, statuscode: 1 }),
    want: { method: 'POST', url: 'bookableresources', body: { bookableresourceid: 'br-1', name: 'Ana', 'UserId@odata.bind': '/systemusers(su-1)' } },
  },
  {
    reason: 'a resource update writes the state columns and clears a lookup with null',
    change: ch('bookableresource.update', dv('bookableresource', 'br-1'), { statecode: 1 }, { statecode: 0, statuscode: 1, _msdyn_organizationalunit_value: null }),
    want: { method: 'PATCH', url: 'bookableresources(br-1)', headers: IF_MATCH, body: { statecode: 0, statuscode: 1, 'msdyn_OrganizationalUnit@odata.bind': null } },
  },
  {
    reason: 'a deactivation patches the state',
    change: ch('bookableresource.deactivate', dv('bookableresource', 'br-1'), { statecode: 0, statuscode: 1 }, { statecode: 1, statuscode: 2 }),
    want: { method: 'PATCH', url: 'bookableresources(br-1)', headers: IF_MATCH, body: { statecode: 1, statuscode: 2 } },
  },
  {
    reason: 'the link binds the contact to the resource this plan creates',
    change: ch('contact.link', dv('contact', 'c-1'), { _o25fs_bookableresourceid_value: null }, { _o25fs_bookableresourceid_value: { createdBy: 'c-1/bookableresource.create' } }),
    want: { method: 'PATCH', url: 'contacts(c-1)', headers: IF_MATCH, body: { 'o25fs_BookableResourceId@odata.bind': '/bookableresources(br-new)' } },
  },
  {
    reason: 'a characteristic row is created with its deterministic id and three lookups',
    change: ch('characteristic.create', dv('bookableresourcecharacteristic', 'brc-1'), null, { _resource_value: 'br-1', _characteristic_value: 'ch-1', _ratingvalue_value: 'rv-1' }),
    want: { method: 'POST', url: 'bookableresourcecharacteristics', body: { bookableresourcecharacteristicid: 'brc-1', 'Resource@odata.bind': '/bookableresources(br-1)', 'Characteristic@odata.bind': '/characteristics(ch-1)', 'RatingValue@odata.bind': '/ratingvalues(rv-1)' } },
  },
  {
    reason: 'a characteristic update rebinds the rating',
    change: ch('characteristic.update', dv('bookableresourcecharacteristic', 'brc-1'), { _ratingvalue_value: 'rv-0' }, { _ratingvalue_value: 'rv-1' }),
    want: { method: 'PATCH', url: 'bookableresourcecharacteristics(brc-1)', headers: IF_MATCH, body: { 'RatingValue@odata.bind': '/ratingvalues(rv-1)' } },
  },
  { reason: 'a characteristic row is deleted by id', change: ch('characteristic.delete', dv('bookableresourcecharacteristic', 'brc-1'), { _characteristic_value: 'ch-1' }, null), want: { method: 'DELETE', url: 'bookableresourcecharacteristics(brc-1)' } },
];

describe('the request of each technicians change kind', () => {
  for (const c of cases) {
    it(c.reason, () => {
      expect(JSON.stringify(toRequest(c.change, created, settings, PRODUCT_KINDS))).toBe(JSON.stringify(c.want));
    });
  }

  it('a reference to an object not created yet is a transient DEPENDENCY_NOT_CREATED, not a request', () => {
    expect(() => toRequest(ch('user.update', onInvite, null, {}), () => undefined, settings, PRODUCT_KINDS)).toThrow('The object created by c-1/user.invite has no id yet.');
  });
});

describe('what each kind reads from the answer', () => {
  const deps = createApplyDeps(settings, {} as GraphApi, {} as DataverseApi, PRODUCT_KINDS);
  const precondition: ServiceResponse = { status: 412, headers: {}, body: { error: { code: '0x80040237', message: 'A record with matching key values already exists.' } } };

  it('the invitation gives the new user id in lower case; other kinds create no id the plan uses', () => {
    const answer: ServiceResponse = { status: 201, headers: {}, body: { invitedUser: { id: 'U-NEW' } } };
    expect(deps.createdIdOf(cases[0]!.change, answer)).toBe('u-new');
    expect(deps.createdIdOf(cases[9]!.change, answer)).toBeUndefined();
  });

  const refusals = [
    { reason: 'a resource create whose deterministic id exists was done by an earlier run', change: cases[9]!.change, done: true },
    { reason: 'so was a characteristic create', change: cases[13]!.change, done: true },
    { reason: 'the same answer to an update is a failure', change: cases[10]!.change, done: false },
  ];
  for (const r of refusals) {
    it(r.reason, () => {
      const request = toRequest(r.change, created, settings, PRODUCT_KINDS);
      expect(deps.errorOf(r.change, request, precondition) === null).toBe(r.done);
    });
  }

  it('a licence assignment draws one unit of its SKU; nothing else draws capacity', () => {
    expect(capacityOf(cases[3]!.change)).toEqual({ pool: 'sku-1', units: 1 });
    expect(cases.filter((c) => c.change.kind !== 'licence.assign').map((c) => capacityOf(c.change))).toEqual(Array(cases.length - 1).fill(null));
  });
});
