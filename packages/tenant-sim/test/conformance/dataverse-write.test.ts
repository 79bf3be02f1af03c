/**
 * Conformance: Dataverse Web API writes. Sources:
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api
 * (create-entity-web-api.md),
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api
 * (update-delete-entities-using-web-api.md, perform-conditional-operations-using-web-api.md),
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview
 * "State and status codes", learn.microsoft.com/power-platform/admin/create-users (systemuser),
 * learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookableresource
 * (bookable resources and characteristics),
 * compose-http-requests-handle-errors.md "Identify status codes".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';
import { ACCOUNT_A, BRC_1, CHAR_1, CHAR_2, OU_1, RATING_1, RESOURCE_1, USER_1, contactId, dataverseFixture, g } from './dataverse-fixture.js';

let s: RunningSim;
let root: string;
beforeEach(async () => {
  s = await startSim(dataverseFixture());
  root = `${s.info.dataverseUrl}/api/data/v9.2/`;
});
afterEach(() => s.stop());

const row = (set: string, id: string): Record<string, unknown> | undefined => s.sim.state.dataverse.get(set, id);

describe('POST create (create-entity-web-api.md)', () => {
  it('answers 204 with OData-EntityId (absolute URL) and stores the row with the platform defaults', async () => {
    const res = await s.dataverse('POST', 'contacts', { body: { firstname: 'Zed', lastname: 'Zulu', emailaddress1: 'zed@alpha.example', 'parentcustomerid_account@odata.bind': `/accounts(${ACCOUNT_A})` } });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const entityId = res.headers.get('odata-entityid')!;
    const m = /^(.*)contacts\(([0-9a-f-]{36})\)$/.exec(entityId);
    expect(m?.[1]).toBe(root);
    expect(row('contacts', m![2]!)).toMatchObject({
      contactid: m![2],
      fullname: 'Zed Zulu',
      _parentcustomerid_value: ACCOUNT_A,
      statecode: 0,
      statuscode: 1,
      o25fs_setuptechnician: false,
      o25fs_displayonscheduleboard: true,
      o25fs_startlocation: 690970002,
    });
  });

  it('Prefer: return=representation gives 201 with the row, honouring $select, and no OData-EntityId', async () => {
    const id = g(50, '11111111');
    const res = await s.dataverse('POST', 'contacts?$select=lastname,statecode', { body: { contactid: id, lastname: 'Rep' }, headers: { Prefer: 'return=representation' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('odata-entityid')).toBeNull();
    expect(res.json).toEqual({ '@odata.context': `${root}$metadata#contacts(lastname,statecode)/$entity`, '@odata.etag': expect.stringMatching(/^W\/"\d+"$/), lastname: 'Rep', statecode: 0, contactid: id });
  });

  it('uses a supplied primary key; a duplicate key is 412 DuplicateRecord (compose-http "412 Precondition Failed")', async () => {
    const id = g(51, '11111111');
    expect((await s.dataverse('POST', 'contacts', { body: { contactid: id.toUpperCase(), lastname: 'One' } })).headers.get('odata-entityid')).toBe(`${root}contacts(${id})`);
    const dup = await s.dataverse('POST', 'contacts', { body: { contactid: id, lastname: 'Two' } });
    expect(dup.status).toBe(412);
    expect(dup.json).toEqual({ error: { code: '0x80040237', message: 'A record with matching key values already exists.' } });
    expect(row('contacts', id)?.lastname).toBe('One');
  });

  it('binds lookups from relative, absolute and root-relative references', async () => {
    const id = g(52, '11111111');
    const res = await s.dataverse('POST', 'contacts', {
      body: { contactid: id, lastname: 'Bind', 'o25fs_BookableResourceId@odata.bind': `${root}bookableresources(${RESOURCE_1})`, 'o25fs_OrganizationalUnitId@odata.bind': `msdyn_organizationalunits(${OU_1})` },
    });
    expect(res.status).toBe(204);
    expect(row('contacts', id)).toMatchObject({ _o25fs_bookableresourceid_value: RESOURCE_1, _o25fs_organizationalunitid_value: OU_1 });
  });

  const rejects: { reason: string; set: string; body: Record<string, unknown>; status: number; code: string; message?: string | RegExp }[] = [
    {
      reason: 'an unknown column',
      set: 'contacts',
      body: { lastname: 'X', nosuch: 1 },
      status: 400,
      code: '0x80048d19',
      message: /The property 'nosuch' does not exist on type 'Microsoft\.Dynamics\.CRM\.contact'/,
    },
    {
      reason: 'an unknown navigation property (navigation property names are case-sensitive)',
      set: 'contacts',
      body: { lastname: 'X', 'ParentCustomerId_account@odata.bind': `/accounts(${ACCOUNT_A})` },
      status: 400,
      code: '0x80048d19',
      message: /An undeclared property 'ParentCustomerId_account'/,
    },
    { reason: 'a bind to a missing row', set: 'contacts', body: { lastname: 'X', 'parentcustomerid_account@odata.bind': `/accounts(${g(9, 'aaaaaaaa')})` }, status: 404, code: '0x80040217', message: `account With Id = ${g(9, 'aaaaaaaa')} Does Not Exist` },
    { reason: 'a bind to the wrong table', set: 'bookableresources', body: { name: 'R', timezone: 85, 'UserId@odata.bind': `/contacts(${contactId(1)})` }, status: 400, code: '0x80048d19' },
    { reason: 'writing the lookup value property directly', set: 'contacts', body: { lastname: 'X', _parentcustomerid_value: ACCOUNT_A }, status: 400, code: '0x80048d19', message: 'CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.' },
    {
      reason: 'a string longer than its maximum length',
      set: 'contacts',
      body: { lastname: 'x'.repeat(51) },
      status: 400,
      code: '0x80044331',
      message: "A validation error occurred.  The length of the 'lastname' attribute of the 'contact' entity exceeded the maximum allowed length of '50'.",
    },
    { reason: 'a value of the wrong type', set: 'contacts', body: { lastname: 'X', o25fs_setuptechnician: 'yes' }, status: 400, code: '0x80048d19' },
    { reason: 'a picklist value outside its options', set: 'contacts', body: { lastname: 'X', o25fs_provisioningstatus: 808950010 }, status: 400, code: '0x80044331' },
    { reason: 'bookableresource without name (SystemRequired, learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookableresource)', set: 'bookableresources', body: { timezone: 85, 'UserId@odata.bind': `/systemusers(${USER_1})` }, status: 400, code: '0x80044331' },
    { reason: 'bookableresource without timezone (SystemRequired)', set: 'bookableresources', body: { name: 'R', 'UserId@odata.bind': `/systemusers(${USER_1})` }, status: 400, code: '0x80044331' },
    { reason: 'timezone outside −1500..1500', set: 'bookableresources', body: { name: 'R', timezone: 1501, 'UserId@odata.bind': `/systemusers(${USER_1})` }, status: 400, code: '0x80044331' },
    { reason: 'resourcetype outside 1..8', set: 'bookableresources', body: { name: 'R', timezone: 85, resourcetype: 9 }, status: 400, code: '0x80044331' },
    { reason: 'a User-type resource without a user (stricter: required in practice for type 3)', set: 'bookableresources', body: { name: 'R', timezone: 85 }, status: 400, code: '0x80044331' },
    { reason: 'a userid that does not exist', set: 'bookableresources', body: { name: 'R', timezone: 85, 'UserId@odata.bind': `/systemusers(${g(9, 'bbbbbbbb')})` }, status: 404, code: '0x80040217' },
    { reason: 'bookableresourcecharacteristic without Resource', set: 'bookableresourcecharacteristics', body: { 'Characteristic@odata.bind': `/characteristics(${CHAR_1})` }, status: 400, code: '0x80044331' },
    { reason: 'bookableresourcecharacteristic without Characteristic', set: 'bookableresourcecharacteristics', body: { 'Resource@odata.bind': `/bookableresources(${RESOURCE_1})` }, status: 400, code: '0x80044331' },
    { reason: 'a computed column (fullname is not valid for create)', set: 'contacts', body: { lastname: 'X', fullname: 'Y' }, status: 400, code: '0x80040203' },
    { reason: 'an invalid statecode/statuscode pair', set: 'contacts', body: { lastname: 'X', statecode: 0, statuscode: 2 }, status: 400, code: '0x80048408' },
  ];
  for (const c of rejects) {
    it(`refuses ${c.reason} with ${c.status} ${c.code}, creating nothing`, async () => {
      const before = s.sim.state.dataverse.table(c.set).size;
      const res = await s.dataverse('POST', c.set, { body: c.body });
      expect(res.status).toBe(c.status);
      expect(res.json.error.code).toBe(c.code);
      if (typeof c.message === 'string') expect(res.json.error.message).toBe(c.message);
      else if (c.message) expect(res.json.error.message).toMatch(c.message);
      expect(s.sim.state.dataverse.table(c.set).size).toBe(before);
    });
  }

  it('creates a User-type bookableresource with resourcetype defaulting to 3 (learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookableresource example)', async () => {
    const res = await s.dataverse('POST', 'bookableresources', {
      body: { name: 'Dee Dune', 'UserId@odata.bind': `/systemusers(${USER_1})`, timezone: 85, msdyn_startlocation: 690970002, 'msdyn_OrganizationalUnit@odata.bind': `/msdyn_organizationalunits(${OU_1})`, msdyn_hourlyrate: 50 },
      headers: { Prefer: 'return=representation' },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ resourcetype: 3, _userid_value: USER_1, _msdyn_organizationalunit_value: OU_1, statecode: 0, statuscode: 1, msdyn_displayonscheduleboard: true });
  });

  it('POST systemusers is refused: 403 PrivilegeDenied (learn.microsoft.com/power-platform/admin/create-users: users come from the Entra user sync)', async () => {
    const res = await s.dataverse('POST', 'systemusers', { body: { domainname: 'x@contoso.com' } });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('0x80040220');
    expect(s.sim.state.dataverse.table('systemusers').size).toBe(2);
  });
});

describe('PATCH update and upsert (learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api)', () => {
  it('updates a row (204), bumps its etag and every write bumps it again', async () => {
    const before = s.sim.state.dataverse.etag('contacts', contactId(1));
    const res = await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { o25fs_entraobjectid: g(1, '77777777'), o25fs_provisioningstatus: 808950001 } });
    expect(res.status).toBe(204);
    expect(res.headers.get('odata-entityid')).toBe(`${root}contacts(${contactId(1)})`);
    const after = s.sim.state.dataverse.etag('contacts', contactId(1));
    expect(after).not.toBe(before);
    await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { o25fs_provisioningerror: null } });
    expect(s.sim.state.dataverse.etag('contacts', contactId(1))).not.toBe(after);
    expect(row('contacts', contactId(1))).toMatchObject({ o25fs_entraobjectid: g(1, '77777777'), o25fs_provisioningstatus: 808950001, o25fs_provisioningerror: null });
  });

  it('creates the row when it is missing (upsert), 204', async () => {
    const id = g(60, '11111111');
    const res = await s.dataverse('PATCH', `contacts(${id})`, { body: { lastname: 'Upserted' } });
    expect(res.status).toBe(204);
    expect(row('contacts', id)).toMatchObject({ contactid: id, lastname: 'Upserted', statecode: 0, statuscode: 1 });
  });

  it('If-Match: * on a missing row is 404 and creates nothing (prevent create in upsert)', async () => {
    const id = g(61, '11111111');
    const res = await s.dataverse('PATCH', `contacts(${id})`, { body: { lastname: 'No' }, headers: { 'If-Match': '*' } });
    expect(res.status).toBe(404);
    expect(res.json.error).toEqual({ code: '0x80040217', message: `contact With Id = ${id} Does Not Exist` });
    expect(row('contacts', id)).toBeUndefined();
  });

  it('If-None-Match: * on an existing row is 412 "A record with matching key values already exists." (prevent update in upsert)', async () => {
    const res = await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { lastname: 'No' }, headers: { 'If-None-Match': '*' } });
    expect(res.status).toBe(412);
    expect(res.json.error.message).toBe('A record with matching key values already exists.');
    expect(row('contacts', contactId(1))?.lastname).toBe('Archer');
  });

  it("If-Match with a stale etag is 412 \"The version of the existing record doesn't match the RowVersion property provided.\"", async () => {
    const etag = s.sim.state.dataverse.etag('contacts', contactId(2));
    expect((await s.dataverse('PATCH', `contacts(${contactId(2)})`, { body: { jobtitle: 'Tech' }, headers: { 'If-Match': etag } })).status).toBe(204);
    const stale = await s.dataverse('PATCH', `contacts(${contactId(2)})`, { body: { jobtitle: 'Lead' }, headers: { 'If-Match': etag } });
    expect(stale.status).toBe(412);
    expect(stale.json.error).toEqual({ code: '0x80060882', message: "The version of the existing record doesn't match the RowVersion property provided." });
    expect(row('contacts', contactId(2))?.jobtitle).toBe('Tech');
  });

  it('Prefer: return=representation on an update is 200 with the row', async () => {
    const res = await s.dataverse('PATCH', `contacts(${contactId(4)})?$select=jobtitle`, { body: { jobtitle: 'Fitter' }, headers: { Prefer: 'return=representation' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ jobtitle: 'Fitter', contactid: contactId(4) });
  });

  it('"Nav@odata.bind": null clears the lookup (learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api clearing a lookup)', async () => {
    await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { 'parentcustomerid_account@odata.bind': null } });
    expect(row('contacts', contactId(1))?._parentcustomerid_value).toBeNull();
  });

  it('deactivates with statecode 1 / statuscode 2; statecode alone gets its default status; a wrong pair is 400', async () => {
    expect((await s.dataverse('PATCH', `bookableresources(${RESOURCE_1})`, { body: { statecode: 1, statuscode: 2 } })).status).toBe(204);
    expect(row('bookableresources', RESOURCE_1)).toMatchObject({ statecode: 1, statuscode: 2 });
    expect((await s.dataverse('PATCH', `bookableresources(${RESOURCE_1})`, { body: { statecode: 0 } })).status).toBe(204);
    expect(row('bookableresources', RESOURCE_1)).toMatchObject({ statecode: 0, statuscode: 1 });
    const bad = await s.dataverse('PATCH', `bookableresourcecharacteristics(${BRC_1})`, { body: { statuscode: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toEqual({ code: '0x80048408', message: `2 is not a valid status code for state code BookableresourcecharacteristicState.Active on bookableresourcecharacteristic with Id ${BRC_1}.` });
    const vc = await s.dataverse('PATCH', `o25fs_vendorcharacteristics(${g(1, '66666666')})`, { body: { statecode: 1, statuscode: 1 } });
    expect(vc.status).toBe(400);
  });

  it('PATCH systemusers for a missing user is refused like POST (an upsert that would create)', async () => {
    const res = await s.dataverse('PATCH', `systemusers(${g(9, 'bbbbbbbb')})`, { body: { title: 'x' } });
    expect(res.status).toBe(403);
  });
});

describe('DELETE (update-delete-entities-using-web-api.md; learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookableresourcecharacteristic delete behaviours)', () => {
  it('deletes a row (204); a missing row is 404', async () => {
    expect((await s.dataverse('DELETE', `contacts(${contactId(5)})`)).status).toBe(204);
    expect(row('contacts', contactId(5))).toBeUndefined();
    const again = await s.dataverse('DELETE', `contacts(${contactId(5)})`);
    expect(again.status).toBe(404);
    expect(again.json.error.code).toBe('0x80040217');
  });

  it('deleting a bookableresource cascades to its bookableresourcecharacteristics and unlinks contacts', async () => {
    await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { 'o25fs_BookableResourceId@odata.bind': `/bookableresources(${RESOURCE_1})` } });
    expect((await s.dataverse('DELETE', `bookableresources(${RESOURCE_1})`)).status).toBe(204);
    expect(row('bookableresourcecharacteristics', BRC_1)).toBeUndefined();
    expect(row('contacts', contactId(1))?._o25fs_bookableresourceid_value).toBeNull();
  });

  it('deleting a characteristic in use is refused (Restrict): 405 CannotDeleteDueToAssociation', async () => {
    const res = await s.dataverse('DELETE', `characteristics(${CHAR_1})`);
    expect(res.status).toBe(405);
    expect(res.json.error).toEqual({ code: '0x80040227', message: 'The object you tried to delete is associated with another object and cannot be deleted.' });
    expect(row('characteristics', CHAR_1)).toBeDefined();
    expect((await s.dataverse('DELETE', `characteristics(${CHAR_2})`)).status).toBe(204);
  });

  it('deleting a rating value removes the link from bookableresourcecharacteristics (RemoveLink)', async () => {
    expect((await s.dataverse('DELETE', `ratingvalues(${RATING_1})`)).status).toBe(204);
    expect(row('bookableresourcecharacteristics', BRC_1)?._ratingvalue_value).toBeNull();
  });

  it('If-Match with a stale etag on DELETE is 412', async () => {
    const res = await s.dataverse('DELETE', `contacts(${contactId(2)})`, { headers: { 'If-Match': 'W/"1"' } });
    expect(res.status).toBe(412);
    expect(row('contacts', contactId(2))).toBeDefined();
  });
});
