/**
 * Conformance: ownership of user-owned rows (contact, bookableresource). Sources:
 * - Learn, Bookable Resource table reference (bookableresource.md; contact.md likewise): OwnershipType
 *   UserOwned; the Assign message is "PATCH /bookableresources(id): Update the ownerid property";
 *   OwnerId is Type Owner, Targets systemuser, team, SystemRequired; OwningUser and OwningTeam are
 *   read-only;
 * - Learn, principal EntityType: ownerid is "systemuserid or teamid" (one navigation property, two sets);
 * - Learn, "How access to a record is determined": Assign is a privilege of its own.
 * Where the docs are silent (the default owner of a create, binding owninguser, deleting an owning
 * team) the simulator takes the stricter reading: docs/simulator-dataverse.md "Ownership".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privilegesOf } from '../../src/dataverse/privileges.js';
import { DEFAULT_APP_USER_ID } from '../../src/dataverse/ownership.js';
import { DEFAULT_CLIENT_ID, stateFromFixture } from '../../src/state.js';
import { ownedBy, teamRow } from '../../src/fixture-builders.js';
import type { Fixture } from '../../src/index.js';
import { startSim, type RunningSim } from '../support/sim.js';
import { RESOURCE_1, USER_1, USER_2, contactId, dataverseFixture, g } from './dataverse-fixture.js';

const APP_USER = g(9, 'bbbbbbbb');
const TEAM_A = g(1, '12121212');
const TEAM_B = g(2, '12121212');
const OWNED_CONTACT = contactId(6);

/** The shared fixture, plus two teams, the app's application user and a contact owned by team A. */
function ownershipFixture(withAppUser = true): Fixture {
  const f = dataverseFixture();
  const dv = f.dataverse!;
  dv.teams = [teamRow(TEAM_A, 'Field Service North'), teamRow(TEAM_B, 'Field Service South')];
  if (withAppUser) dv.systemusers!.push({ systemuserid: APP_USER, fullname: '# vendor-reconciler', applicationid: DEFAULT_CLIENT_ID, isdisabled: false, accessmode: 4 });
  // A fixture may name only the owner: the simulator fills the owning columns.
  dv.contacts!.push({ contactid: OWNED_CONTACT, lastname: 'Owned', statecode: 0, statuscode: 1, _ownerid_value: TEAM_A });
  return f;
}

let s: RunningSim;
beforeEach(async () => {
  s = await startSim(ownershipFixture());
});
afterEach(() => s.stop());

const row = (set: string, id: string): Record<string, unknown> | undefined => s.sim.state.dataverse.get(set, id);
const owner = (set: string, id: string): unknown[] => {
  const r = row(set, id)!;
  return [r._ownerid_value, r._owninguser_value, r._owningteam_value];
};
const NEW_RESOURCE = { name: 'Ann Archer', resourcetype: 3, timezone: 85, 'UserId@odata.bind': `/systemusers(${USER_1})` };
const assign = (target: unknown, id = RESOURCE_1): ReturnType<RunningSim['dataverse']> =>
  s.dataverse('PATCH', `bookableresources(${id})`, { body: { 'ownerid@odata.bind': target }, headers: { 'If-Match': '*' } });

describe('owner on create (bookableresource.md OwnerId: SystemRequired, Targets systemuser, team)', () => {
  it('without ownerid@odata.bind the row is owned by the calling app\'s application user', async () => {
    const id = g(20, 'cccccccc');
    expect((await s.dataverse('POST', 'bookableresources', { body: { bookableresourceid: id, ...NEW_RESOURCE } })).status).toBe(204);
    expect(owner('bookableresources', id)).toEqual([APP_USER, APP_USER, null]);
  });

  it('with no application user in the fixture the default owner is the documented fixed id', async () => {
    await s.stop();
    s = await startSim(ownershipFixture(false));
    const id = g(21, '11111111');
    expect((await s.dataverse('POST', 'contacts', { body: { contactid: id, lastname: 'Zed' } })).status).toBe(204);
    expect(owner('contacts', id)).toEqual([DEFAULT_APP_USER_ID, DEFAULT_APP_USER_ID, null]);
  });

  it.each([
    { target: `/systemusers(${USER_2})`, expected: [USER_2, USER_2, null], reason: 'a user owner sets owninguser' },
    { target: `/teams(${TEAM_B.toUpperCase()})`, expected: [TEAM_B, null, TEAM_B], reason: 'a team owner sets owningteam; ids are stored lower-case' },
  ])('ownerid@odata.bind $target on create ($reason)', async ({ target, expected }) => {
    const id = g(22, 'cccccccc');
    expect((await s.dataverse('POST', 'bookableresources', { body: { bookableresourceid: id, ...NEW_RESOURCE, 'ownerid@odata.bind': target } })).status).toBe(204);
    expect(owner('bookableresources', id)).toEqual(expected);
  });

  it('a fixture row that names only its owner gets the owning columns; rows without one keep null owner columns', () => {
    expect(owner('contacts', OWNED_CONTACT)).toEqual([TEAM_A, null, TEAM_A]);
    expect(owner('bookableresources', RESOURCE_1)).toEqual([undefined, undefined, undefined]);
    const f = ownershipFixture();
    f.dataverse!.contacts!.push({ contactid: contactId(7), lastname: 'Bad', ...ownedBy(TEAM_A, 'systemuser') });
    expect(() => stateFromFixture(f)).toThrow(/_owninguser_value is .* implies null/);
  });
});

describe('Assign: PATCH of ownerid (bookableresource.md "Assign")', () => {
  it.each([
    { target: `/systemusers(${USER_2})`, expected: [USER_2, USER_2, null], reason: 'to a user' },
    { target: `/teams(${TEAM_A})`, expected: [TEAM_A, null, TEAM_A], reason: 'to a team' },
  ])('assigns $reason; the owning columns follow and the version moves', async ({ target, expected }) => {
    await assign(`/systemusers(${USER_1})`);
    const before = s.sim.state.dataverse.version('bookableresources', RESOURCE_1);
    expect((await assign(target)).status).toBe(204);
    expect(owner('bookableresources', RESOURCE_1)).toEqual(expected);
    expect(s.sim.state.dataverse.version('bookableresources', RESOURCE_1)).toBeGreaterThan(before);
  });

  it('a user → team → user round trip leaves exactly one owning column set each time', async () => {
    await assign(`/teams(${TEAM_A})`);
    await assign(`/systemusers(${USER_1})`);
    expect(owner('bookableresources', RESOURCE_1)).toEqual([USER_1, USER_1, null]);
  });

  it.each([
    { body: { 'ownerid@odata.bind': `/teams(${g(99, '12121212')})` }, status: 404, code: '0x80040217', message: /team With Id = 12121212-0000-0000-0000-000000000099 Does Not Exist/, reason: 'a missing team: the error of any bind to a missing row' },
    { body: { 'ownerid@odata.bind': `/systemusers(${g(99, 'bbbbbbbb')})` }, status: 404, code: '0x80040217', message: /systemuser With Id = bbbbbbbb-0000-0000-0000-000000000099 Does Not Exist/, reason: 'a missing user, likewise' },
    { body: { 'ownerid@odata.bind': null }, status: 400, code: '0x80044331', message: /'_ownerid_value' attribute of the 'bookableresource' entity is required/, reason: 'a null owner: OwnerId is SystemRequired' },
    { body: { 'ownerid@odata.bind': `/contacts(${contactId(1)})` }, status: 400, code: '0x80048d19', message: /'ownerid' expects an entity of set 'systemusers' or 'teams', but the reference points at 'contacts'/, reason: 'a set that is not a principal' },
    { body: { 'ownerid@odata.bind': 'teams' }, status: 400, code: '0x80048d19', message: /expected '\/systemusers\(<guid>\)' or '\/teams\(<guid>\)'/, reason: 'not an entity reference' },
    { body: { 'owninguser@odata.bind': `/systemusers(${USER_1})` }, status: 400, code: '0x80040203', message: /'owninguser' attribute of the 'bookableresource' entity is not valid for update/, reason: 'OwningUser is read-only (stricter: refused, not ignored)' },
    { body: { 'owningteam@odata.bind': `/teams(${TEAM_A})` }, status: 400, code: '0x80040203', message: /'owningteam' attribute .* not valid for update/, reason: 'OwningTeam is read-only' },
    { body: { _owninguser_value: USER_1 }, status: 400, code: '0x80048d19', message: /Use Navigation properties instead/, reason: 'a lookup value property is never written directly' },
    { body: { _ownerid_value: USER_1 }, status: 400, code: '0x80048d19', message: /Use Navigation properties instead/, reason: 'nor is the owner\'s' },
  ])('refuses $reason, and the row keeps its owner', async ({ body, status, code, message }) => {
    await assign(`/systemusers(${USER_1})`);
    const res = await s.dataverse('PATCH', `bookableresources(${RESOURCE_1})`, { body, headers: { 'If-Match': '*' } });
    expect(res.status).toBe(status);
    expect(res.json.error.code).toBe(code);
    expect(res.json.error.message).toMatch(message);
    expect(owner('bookableresources', RESOURCE_1)).toEqual([USER_1, USER_1, null]);
  });

  it('a team that still owns rows cannot be deleted (stricter: Restrict); once they are reassigned it can', async () => {
    const refused = await s.dataverse('DELETE', `teams(${TEAM_A})`);
    expect(refused.status).toBe(405);
    expect(refused.json.error.code).toBe('0x80040227');
    await s.dataverse('PATCH', `contacts(${OWNED_CONTACT})`, { body: { 'ownerid@odata.bind': `/teams(${TEAM_B})` }, headers: { 'If-Match': '*' } });
    expect((await s.dataverse('DELETE', `teams(${TEAM_A})`)).status).toBe(204);
    expect(owner('contacts', OWNED_CONTACT)).toEqual([TEAM_B, null, TEAM_B]);
  });
});

describe('reading the owner columns (query-data-web-api.md "Lookup property data")', () => {
  it('$select and $filter work on them as on any lookup', async () => {
    await assign(`/teams(${TEAM_A})`);
    const res = await s.dataverse('GET', `bookableresources?$select=_ownerid_value,_owninguser_value,_owningteam_value&$filter=_owningteam_value eq ${TEAM_A}`);
    expect(res.status).toBe(200);
    expect(res.json.value).toEqual([{ '@odata.etag': expect.stringMatching(/^W\/"\d+"$/), _ownerid_value: TEAM_A, _owninguser_value: null, _owningteam_value: TEAM_A, bookableresourceid: RESOURCE_1 }]);
    const users = await s.dataverse('GET', `contacts?$select=lastname&$filter=_owninguser_value ne null or _owningteam_value eq ${TEAM_A}`);
    expect(users.json.value.map((r: { contactid: string }) => r.contactid)).toEqual([OWNED_CONTACT]);
  });

  it('the annotations name the owner\'s table, ownerid as the navigation property and the owner\'s name', async () => {
    await assign(`/teams(${TEAM_A})`);
    const res = await s.dataverse('GET', `bookableresources(${RESOURCE_1})?$select=_ownerid_value`, { headers: { Prefer: 'odata.include-annotations="*"' } });
    expect(res.json).toMatchObject({
      '_ownerid_value@OData.Community.Display.V1.FormattedValue': 'Field Service North',
      '_ownerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty': 'ownerid',
      '_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'team',
      _ownerid_value: TEAM_A,
    });
  });

  it('change tracking reports an assignment as an update of the row (use-change-tracking-synchronize-data-external-systems.md)', async () => {
    const TRACK = { Prefer: 'odata.track-changes' };
    const first = await s.dataverse('GET', 'bookableresources?$select=_ownerid_value,_owningteam_value', { headers: TRACK });
    const deltaLink = String(first.json['@odata.deltaLink']).slice(`${s.info.dataverseUrl}/api/data/v9.2/`.length);
    await assign(`/teams(${TEAM_B})`);
    const delta = await s.dataverse('GET', deltaLink, { headers: TRACK });
    expect(delta.json.value).toEqual([{ '@odata.etag': expect.stringMatching(/^W\/"\d+"$/), _ownerid_value: TEAM_B, _owningteam_value: TEAM_B, bookableresourceid: RESOURCE_1 }]);
  });
});

describe('privileges ("How access to a record is determined": Assign is its own privilege)', () => {
  const body = (b: Record<string, unknown>): string => JSON.stringify(b);
  it.each<{ method: string; path: string; headers: Record<string, string>; payload: Record<string, unknown>; expected: string[][]; reason: string }>([
    { method: 'PATCH', path: `bookableresources(${RESOURCE_1})`, headers: { 'if-match': '*' }, payload: { 'ownerid@odata.bind': `/teams(${TEAM_A})` }, expected: [['bookableresource', 'Write'], ['bookableresource', 'Assign']], reason: 'an assignment needs Write and Assign, not Append/AppendTo' },
    { method: 'POST', path: 'bookableresources', headers: {}, payload: { ...NEW_RESOURCE, 'ownerid@odata.bind': `/systemusers(${USER_2})` }, expected: [['bookableresource', 'Create'], ['bookableresource', 'Append'], ['systemuser', 'AppendTo'], ['bookableresource', 'Assign']], reason: 'a create with an owner: the UserId bind as before, Assign for the owner' },
    { method: 'POST', path: 'bookableresources', headers: {}, payload: NEW_RESOURCE, expected: [['bookableresource', 'Create'], ['bookableresource', 'Append'], ['systemuser', 'AppendTo']], reason: 'a create that takes the default owner assigns nothing' },
  ])('$method $path: $reason', ({ method, path, headers, payload, expected }) => {
    expect(privilegesOf(method, path, headers, body(payload)).map((n) => [n.table, n.privilege])).toEqual(expected);
  });

  it('the client report lists Assign after the other privileges of the table', async () => {
    await s.admin('DELETE', '/report');
    await assign(`/teams(${TEAM_A})`);
    const report = await s.admin('GET', '/report');
    expect(report.json.permissions.dataverse.tables).toEqual([{ table: 'bookableresource', privileges: ['Write', 'Assign'], requests: 1 }]);
  });
});
