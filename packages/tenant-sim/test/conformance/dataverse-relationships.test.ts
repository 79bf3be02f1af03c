/**
 * Conformance: N:N relationships adx_webrole_contact and adx_invitation_webrole (adx_webrole.md of the
 * Field Service entity reference: the navigation property has the relationship's name on both
 * tables). Sources: Learn "Associate and disassociate table rows using the Web API"
 * (learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api):
 * POST …/<nav>/$ref {"@odata.id"} → 204; DELETE …/<nav>(<id>)/$ref or …/<nav>/$ref?$id=<url> → 204;
 * Learn "Page results" for the related list; Learn "Associate message privileges" (gg328270) for the
 * client report. The errors for an existing pair, a missing row and a pair that is not associated are
 * not documented: the stricter choices of docs/simulator-dataverse.md "N:N relationships".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privilegesOf } from '../../src/dataverse/privileges.js';
import { stateFromFixture, stateToFixture } from '../../src/state.js';
import { startSim, type RunningSim } from '../support/sim.js';
import { batchBody, contactId, g } from './dataverse-fixture.js';
import { ANN, BOB, INVITATION, OTHER_ROLE, ROLE, invitationBody, portalFixture } from './portal-fixture.js';

let s: RunningSim;
beforeEach(async () => {
  s = await startSim(portalFixture());
});
afterEach(() => s.stop());

const url = (path: string): string => `${s.info.dataverseUrl}/api/data/v9.2/${path}`;
const members = (): unknown[] => (stateToFixture(s.sim.state).dataverse!.adx_webrole_contact ?? []);
const addMember = (role: string, contact: string): ReturnType<RunningSim['dataverse']> =>
  s.dataverse('POST', `adx_webroles(${role})/adx_webrole_contact/$ref`, { body: { '@odata.id': url(`contacts(${contact})`) } });

describe('associate: POST <set>(<id>)/<nav>/$ref', () => {
  it('gives a contact the web role: 204, one intersect row with both keys, listed from the role\'s side', async () => {
    const res = await addMember(ROLE, ANN);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(members()).toEqual([{ adx_webroleid: ROLE, contactid: ANN }]);
    const list = await s.dataverse('GET', `adx_webroles(${ROLE})/adx_webrole_contact?$select=contactid`);
    expect(list.status).toBe(200);
    expect(list.json.value).toEqual([{ '@odata.etag': expect.any(String), contactid: ANN }]);
  });

  it('works from the other side too (the contact\'s adx_webrole_contact), and the invitation\'s roles likewise', async () => {
    expect((await s.dataverse('POST', `contacts(${BOB})/adx_webrole_contact/$ref`, { body: { '@odata.id': url(`adx_webroles(${ROLE})`) } })).status).toBe(204);
    const roles = await s.dataverse('GET', `contacts(${BOB})/adx_webrole_contact?$select=adx_webroleid,adx_name`);
    expect(roles.json.value).toEqual([{ '@odata.etag': expect.any(String), adx_webroleid: ROLE, adx_name: 'Web API Users' }]);
    await s.dataverse('POST', 'adx_invitations', { body: invitationBody(INVITATION, ANN, 'code-1') });
    expect((await s.dataverse('POST', `adx_invitations(${INVITATION})/adx_invitation_webrole/$ref`, { body: { '@odata.id': url(`adx_webroles(${ROLE})`) } })).status).toBe(204);
    const invitations = await s.dataverse('GET', `adx_webroles(${ROLE})/adx_invitation_webrole?$select=adx_invitationid`);
    expect(invitations.json.value).toEqual([{ '@odata.etag': expect.any(String), adx_invitationid: INVITATION }]);
    expect(stateToFixture(s.sim.state).dataverse!.adx_invitation_webrole).toEqual([{ adx_invitationid: INVITATION, adx_webroleid: ROLE }]);
  });

  it.each([
    { reason: 'the pair is already associated (inferred: 400 DuplicateRecord, a duplicate-key error)', first: true, role: ROLE, ref: () => url(`contacts(${ANN})`), status: 400, code: '0x80040237', message: 'Cannot insert duplicate key.' },
    { reason: 'the contact does not exist (404 as for a missing row)', first: false, role: ROLE, ref: () => url(`contacts(${contactId(77)})`), status: 404, code: '0x80040217', message: `contact With Id = ${contactId(77)} Does Not Exist` },
    { reason: 'the web role in the URL does not exist', first: false, role: g(9, 'b0b0b0b0'), ref: () => url(`contacts(${ANN})`), status: 404, code: '0x80040217', message: `adx_webrole With Id = ${g(9, 'b0b0b0b0')} Does Not Exist` },
    { reason: '@odata.id names a row of another table', first: false, role: ROLE, ref: () => url(`accounts(${g(1, 'aaaaaaaa')})`), status: 400, code: '0x80040203', message: "relates 'contacts', but The body's '@odata.id' points at 'accounts'" },
    { reason: '@odata.id is not a row URL', first: false, role: ROLE, ref: () => 'contacts', status: 400, code: '0x80040203', message: "must be the URL of a row of 'contacts'" },
  ])('refuses when $reason', async ({ first, role, ref, status, code, message }) => {
    if (first) await addMember(ROLE, ANN);
    const res = await s.dataverse('POST', `adx_webroles(${role})/adx_webrole_contact/$ref`, { body: { '@odata.id': ref() } });
    expect(res.status).toBe(status);
    expect(res.json.error).toEqual({ code, message: expect.stringContaining(message) });
    expect(members()).toEqual(first ? [{ adx_webroleid: ROLE, contactid: ANN }] : []);
  });
});

describe('disassociate: DELETE <set>(<id>)/<nav>(<id>)/$ref', () => {
  it('removes the pair (either form of the page): 204, the rows themselves stay', async () => {
    await addMember(ROLE, ANN);
    await addMember(ROLE, BOB);
    expect((await s.dataverse('DELETE', `adx_webroles(${ROLE})/adx_webrole_contact(${ANN})/$ref`)).status).toBe(204);
    expect((await s.dataverse('DELETE', `adx_webroles(${ROLE})/adx_webrole_contact/$ref?$id=${url(`contacts(${BOB})`)}`)).status).toBe(204);
    expect(members()).toEqual([]);
    expect(s.sim.state.dataverse.get('contacts', ANN)).toBeDefined();
    expect(s.sim.state.dataverse.get('adx_webroles', ROLE)).toBeDefined();
  });

  it('a pair that is not associated is 404 (inferred, stricter than ignoring it); so is a missing contact', async () => {
    await addMember(OTHER_ROLE, ANN);
    const res = await s.dataverse('DELETE', `adx_webroles(${ROLE})/adx_webrole_contact(${ANN})/$ref`);
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('0x80040217');
    expect((await s.dataverse('DELETE', `adx_webroles(${ROLE})/adx_webrole_contact(${contactId(77)})/$ref`)).status).toBe(404);
    expect(members()).toEqual([{ adx_webroleid: OTHER_ROLE, contactid: ANN }]);
  });
});

describe('the related list, rows deleted, $batch, fixtures', () => {
  it('pages like any list (odata.maxpagesize, nextLink on the same path) and takes a $filter', async () => {
    for (const c of [ANN, BOB, contactId(4)]) await addMember(ROLE, c);
    const first = await s.dataverse('GET', `adx_webroles(${ROLE})/adx_webrole_contact?$select=contactid`, { headers: { Prefer: 'odata.maxpagesize=2' } });
    expect(first.json.value.map((r: { contactid: string }) => r.contactid)).toEqual([ANN, BOB]);
    const next = String(first.json['@odata.nextLink']);
    expect(next.startsWith(url(`adx_webroles(${ROLE})/adx_webrole_contact?$select=contactid&$skiptoken=`))).toBe(true);
    const second = await s.dataverse('GET', next.slice(url('').length), { headers: { Prefer: 'odata.maxpagesize=2' } });
    expect(second.json.value.map((r: { contactid: string }) => r.contactid)).toEqual([contactId(4)]);
    expect(second.json['@odata.nextLink']).toBeUndefined();
    const one = await s.dataverse('GET', `adx_webroles(${ROLE})/adx_webrole_contact?$select=contactid&$filter=contactid eq ${BOB}`);
    expect(one.json.value.map((r: { contactid: string }) => r.contactid)).toEqual([BOB]);
    expect((await s.dataverse('GET', `adx_webroles(${OTHER_ROLE})/adx_webrole_contact?$select=contactid`)).json.value).toEqual([]);
  });

  it('deleting a contact deletes its associations (an intersect row cannot outlive a row it names)', async () => {
    await addMember(ROLE, ANN);
    await addMember(ROLE, BOB);
    expect((await s.dataverse('DELETE', `contacts(${ANN})`)).status).toBe(204);
    expect(members()).toEqual([{ adx_webroleid: ROLE, contactid: BOB }]);
  });

  it('a failing change set undoes its association (execute-batch-operations: a change set is atomic)', async () => {
    const body = batchBody('batch_b1', [[
      { method: 'POST', url: url(`adx_webroles(${ROLE})/adx_webrole_contact/$ref`), body: { '@odata.id': url(`contacts(${ANN})`) }, contentId: '1' },
      { method: 'POST', url: url(`adx_webroles(${ROLE})/adx_webrole_contact/$ref`), body: { '@odata.id': url(`contacts(${contactId(77)})`) }, contentId: '2' },
    ]]);
    const res = await s.dataverse('POST', '$batch', { body, headers: { 'Content-Type': 'multipart/mixed; boundary=batch_b1' } });
    expect([res.status, res.text]).toEqual([400, expect.stringContaining('HTTP/1.1 404')]);
    expect(members()).toEqual([]);
  });

  it('fixtures list intersect rows under the relationship\'s name with the two ids, and read back the same', () => {
    const f = portalFixture();
    f.dataverse!.adx_webrole_contact = [{ adx_webroleid: ROLE, contactid: ANN }];
    const state = stateFromFixture(f);
    expect(stateToFixture(state).dataverse!.adx_webrole_contact).toEqual([{ adx_webroleid: ROLE, contactid: ANN }]);
    f.dataverse!.adx_webrole_contact = [{ adx_webroleid: ROLE }];
    expect(() => stateFromFixture(f)).toThrow('fixture dataverse.adx_webrole_contact[0]: needs adx_webroleid and contactid');
    f.dataverse!.adx_webrole_contact = [{ adx_webroleid: ROLE, contactid: contactId(77) }];
    expect(() => stateFromFixture(f)).toThrow(`contactid ${contactId(77)} is not a row of contacts`);
  });
});

describe('privileges (Associate message privileges: Write and Append on entity 1, Append To on entity 2)', () => {
  it.each([
    { reason: 'associate from the web role: entity 1 is adx_webrole', method: 'POST', path: `adx_webroles(${ROLE})/adx_webrole_contact/$ref`, expected: [['adx_webrole', 'Write'], ['adx_webrole', 'Append'], ['contact', 'AppendTo']] },
    { reason: 'disassociate counts the same', method: 'DELETE', path: `adx_webroles(${ROLE})/adx_webrole_contact(${ANN})/$ref`, expected: [['adx_webrole', 'Write'], ['adx_webrole', 'Append'], ['contact', 'AppendTo']] },
    { reason: 'from the contact\'s side the relationship\'s entities are the same', method: 'POST', path: `contacts(${ANN})/adx_webrole_contact/$ref`, expected: [['adx_webrole', 'Write'], ['adx_webrole', 'Append'], ['contact', 'AppendTo']] },
    { reason: 'the invitation\'s roles: entity 1 is adx_invitation', method: 'POST', path: `adx_invitations(${INVITATION})/adx_invitation_webrole/$ref`, expected: [['adx_invitation', 'Write'], ['adx_invitation', 'Append'], ['adx_webrole', 'AppendTo']] },
    { reason: 'listing the related rows reads both tables', method: 'GET', path: `adx_webroles(${ROLE})/adx_webrole_contact`, expected: [['adx_webrole', 'Read'], ['contact', 'Read']] },
    { reason: 'ExecuteWorkflow reads the workflow', method: 'POST', path: `workflows(${g(1, 'c0c0c0c0')})/Microsoft.Dynamics.CRM.ExecuteWorkflow`, expected: [['workflow', 'Read']] },
  ])('$reason', ({ method, path, expected }) => {
    expect(privilegesOf(method, path, {}, '{}').map((n) => [n.table, n.privilege])).toEqual(expected);
  });

  it('the client report classifies every portal request, WhoAmI as needing none', async () => {
    await s.admin('DELETE', '/report');
    await s.dataverse('GET', 'WhoAmI');
    await addMember(ROLE, ANN);
    await s.dataverse('GET', `adx_webroles(${ROLE})/adx_webrole_contact?$select=contactid`);
    await s.dataverse('DELETE', `adx_webroles(${ROLE})/adx_webrole_contact(${ANN})/$ref`);
    const report = (await s.admin('GET', '/report')).json;
    expect(report.permissions.unclassified).toEqual({});
    expect(report.permissions.dataverse.tables).toEqual([
      { table: 'adx_webrole', privileges: ['Read', 'Write', 'Append'], requests: 3 },
      { table: 'contact', privileges: ['Read', 'AppendTo'], requests: 0 },
    ]);
  });
});
