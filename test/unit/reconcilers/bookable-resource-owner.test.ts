/**
 * reconcilers/technicians/bookable-resource-owner.ts: the technician's bookable resource is owned
 * by the contact's owner (a user or a team), and assigned by `ownerid@odata.bind`.
 */
import { describe, expect, it } from 'vitest';
import { bookableResourceOwnerKind, diff } from '../../../reconcilers/technicians/bookable-resource-owner.js';
import { toRequest } from '../../../src/engine/operations.js';
import { PRODUCT_KINDS } from '../../../src/kinds.js';
import { convergedTech, desiredFor, observedFor, technicianSubject, testSettings } from '../../support/model.js';

const USER = 'a1111111-0000-4000-8000-000000000001';
const TEAM = 'a2222222-0000-4000-8000-000000000002';
const APP = 'a3333333-0000-4000-8000-000000000003';
const byUser = { _owninguser_value: USER, _owningteam_value: null };
const byTeam = { _owninguser_value: null, _owningteam_value: TEAM };
const byApp = { _owninguser_value: APP, _owningteam_value: null };

const t = convergedTech(1, byUser);
const onResource = { service: 'dataverse', entity: 'bookableresource', id: 'br-1' };

describe('bookable resource owner', () => {
  const cases = [
    {
      reason: 'the resource is owned by the application that created it: assigned to the contact\'s owner',
      contact: t.contact,
      resource: { ...t.resource, ...byApp },
      want: [{ id: 'c-1/bookableresource.owner', subject: technicianSubject('c-1'), kind: 'bookableresource.owner', target: onResource, before: byApp, after: byUser, reason: "The bookable resource's owner differs from the contact's owner (reassigned on one of them); the resource is assigned to the contact's owner.", dependsOn: [] }],
    },
    { reason: 'owned like the contact: nothing', contact: t.contact, resource: { ...t.resource, ...byUser }, want: [] },
    {
      reason: 'owned like the contact, ids in other case: nothing (Dataverse ids compare case-insensitively)',
      contact: t.contact,
      resource: { ...t.resource, _owninguser_value: USER.toUpperCase(), _owningteam_value: null },
      want: [],
    },
    {
      reason: 'a team owns the contact: the resource is assigned to that team',
      contact: { ...t.contact, ...byTeam },
      resource: { ...t.resource, ...byUser },
      want: [{ id: 'c-1/bookableresource.owner', subject: technicianSubject('c-1'), kind: 'bookableresource.owner', target: onResource, before: byUser, after: byTeam, reason: "The bookable resource's owner differs from the contact's owner (reassigned on one of them); the resource is assigned to the contact's owner.", dependsOn: [] }],
    },
    {
      reason: 'the contact\'s owner was not read (a row without the owner columns): nothing, rather than guessing',
      contact: { ...t.contact, _owninguser_value: undefined, _owningteam_value: undefined },
      resource: { ...t.resource, ...byApp },
      want: [],
    },
    { reason: 'a deactivated contact: its resource is left as it is', contact: { ...t.contact, statecode: 1 }, resource: { ...t.resource, ...byApp }, want: [] },
  ];
  for (const c of cases) {
    it(c.reason, () => expect(diff(desiredFor(c.contact), observedFor({ ...t, contact: c.contact }, { bookableResource: c.resource }))).toEqual(c.want));
  }

  it('a resource created in this plan is assigned after its create, on its deterministic id', () => {
    const [owner] = diff(desiredFor(t.contact), observedFor(t, { bookableResource: null }));
    expect(owner).toMatchObject({ kind: 'bookableresource.owner', before: null, after: byUser, target: { service: 'dataverse', entity: 'bookableresource' } });
    expect(owner!.target.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(bookableResourceOwnerKind.changes[0]!.runsAfter).toEqual(['bookableresource.create']);
  });

  it('waiting for the Dataverse user: nothing (there is no resource to own yet)', () => {
    expect(diff(desiredFor(t.contact), observedFor(t, { systemUser: null, bookableResource: null }))).toEqual([]);
  });
});

describe('bookable resource owner request', () => {
  const created = (): string | undefined => undefined;
  const owner = (after: Record<string, unknown>) => ({
    id: 'c-1/bookableresource.owner', subject: { family: 'technicians', table: 'contacts', id: 'c-1', displayName: 'Ana Silva', group: null },
    kind: 'bookableresource.owner' as const, target: { service: 'dataverse' as const, entity: 'bookableresource' as const, id: 'br-1' },
    before: byApp, after, reason: 'r', dependsOn: [],
  });
  it('a user owner is bound through ownerid to systemusers, as an update only', () => {
    expect(toRequest(owner(byUser), created, testSettings(), PRODUCT_KINDS)).toEqual({ method: 'PATCH', url: 'bookableresources(br-1)', headers: { 'If-Match': '*' }, body: { 'ownerid@odata.bind': `/systemusers(${USER})` } });
  });
  it('a team owner is bound through ownerid to teams', () => {
    expect(toRequest(owner(byTeam), created, testSettings(), PRODUCT_KINDS)).toEqual({ method: 'PATCH', url: 'bookableresources(br-1)', headers: { 'If-Match': '*' }, body: { 'ownerid@odata.bind': `/teams(${TEAM})` } });
  });
  it('a change naming no owner is refused rather than sent with an empty bind', () => {
    expect(() => toRequest(owner({ _owninguser_value: null, _owningteam_value: null }), created, testSettings(), PRODUCT_KINDS)).toThrow(/names no owner/);
  });
});
