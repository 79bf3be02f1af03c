/**
 * Conformance: Dataverse Web API queries. Sources:
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview
 * (webapi/query/select-columns.md,
 * filter-rows.md, order-rows.md, page-results.md), compose-http-requests-handle-errors.md
 * ("Request annotations", error shape), retrieve-entity-using-web-api.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';
import { ACCOUNT_A, ACCOUNT_B, RESOURCE_1, USER_1, contactId, dataverseFixture, g } from './dataverse-fixture.js';

let s: RunningSim;
let root: string;
beforeAll(async () => {
  s = await startSim(dataverseFixture());
  root = `${s.info.dataverseUrl}/api/data/v9.2/`;
});
afterAll(() => s.stop());

const ids = (res: { json: any }, pk = 'contactid'): string[] => res.json.value.map((r: any) => r[pk]);

describe('GET collection: $select, @odata.context, @odata.etag (select-columns.md, learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview)', () => {
  it('returns the selected columns, the primary key always, an etag on every row and OData-Version 4.0', async () => {
    const res = await s.dataverse('GET', `contacts?$select=fullname,_parentcustomerid_value&$filter=contactid eq ${contactId(1)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('odata-version')).toBe('4.0');
    expect(res.json['@odata.context']).toBe(`${root}$metadata#contacts(fullname,_parentcustomerid_value)`);
    expect(res.json.value).toEqual([
      { '@odata.etag': expect.stringMatching(/^W\/"\d+"$/), fullname: 'Ann Archer', _parentcustomerid_value: ACCOUNT_A, contactid: contactId(1) },
    ]);
  });

  it('a known column missing from the stored row reads as null', async () => {
    const res = await s.dataverse('GET', `contacts(${contactId(5)})?$select=emailaddress1,o25fs_entraobjectid,o25fs_provisioningstatus`);
    expect(res.status).toBe(200);
    expect(res.json.emailaddress1).toBeNull();
    expect(res.json.o25fs_entraobjectid).toBeNull();
    expect(res.json.o25fs_provisioningstatus).toBeNull();
  });

  it('an unknown $select column is 400 0x80060888 "Could not find a property named …"', async () => {
    const res = await s.dataverse('GET', 'contacts?$select=fullname,nosuchcolumn');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: { code: '0x80060888', message: "Could not find a property named 'nosuchcolumn' on type 'Microsoft.Dynamics.CRM.contact'." } });
  });

  it('an unknown entity set is 404 "Resource not found for the segment"', async () => {
    const res = await s.dataverse('GET', 'widgets');
    expect(res.status).toBe(404);
    expect(res.json.error.message).toBe("Resource not found for the segment 'widgets'.");
  });

  it('$skip is refused (page-results.md: $skip is not supported)', async () => {
    const res = await s.dataverse('GET', 'contacts?$skip=1');
    expect(res.status).toBe(400);
    expect(res.json.error.code).toMatch(/^0x/);
  });
});

describe('GET by key (retrieve-entity-using-web-api.md)', () => {
  it('returns the row with a /$entity context and its ETag', async () => {
    const res = await s.dataverse('GET', `accounts(${ACCOUNT_A})?$select=name`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ '@odata.context': `${root}$metadata#accounts(name)/$entity`, '@odata.etag': res.headers.get('etag'), name: 'Alpha Vendors', accountid: ACCOUNT_A });
  });

  it('a missing row is 404 0x80040217 "<entity> With Id = <id> Does Not Exist" (learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors error body)', async () => {
    const missing = g(42, '11111111');
    const res = await s.dataverse('GET', `contacts(${missing})`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { code: '0x80040217', message: `contact With Id = ${missing} Does Not Exist` } });
  });

  it('If-None-Match with the current ETag is 304 (perform-conditional-operations "Conditional retrievals")', async () => {
    const first = await s.dataverse('GET', `accounts(${ACCOUNT_A})?$select=name`);
    const again = await s.dataverse('GET', `accounts(${ACCOUNT_A})?$select=name`, { headers: { 'If-None-Match': first.json['@odata.etag'] } });
    expect(again.status).toBe(304);
  });
});

describe('$filter (filter-rows.md)', () => {
  const cases: { reason: string; filter: string; expected: string[] }[] = [
    { reason: 'string eq is case-insensitive', filter: "emailaddress1 eq 'BOB@alpha.EXAMPLE'", expected: [contactId(2)] },
    { reason: "'' escapes a single quote", filter: "lastname eq 'O''Bryan'", expected: [contactId(2)] },
    { reason: 'lookups filter on _x_value with an unquoted GUID', filter: `_parentcustomerid_value eq ${ACCOUNT_B}`, expected: [contactId(3), contactId(4)] },
    { reason: 'GUIDs compare case-insensitively', filter: `_parentcustomerid_value eq ${ACCOUNT_B.toUpperCase()}`, expected: [contactId(3), contactId(4)] },
    { reason: 'and with a number and ne null', filter: 'statecode eq 0 and emailaddress1 ne null', expected: [contactId(1), contactId(2), contactId(4)] },
    { reason: 'eq null matches missing columns too', filter: 'emailaddress1 eq null', expected: [contactId(3), contactId(5)] },
    { reason: 'or, not and parentheses', filter: `not (statecode eq 0) or (o25fs_hourlyrate gt 70)`, expected: [contactId(2), contactId(3)] },
    { reason: 'ge/le on money', filter: 'o25fs_hourlyrate ge 50 and o25fs_hourlyrate le 60', expected: [contactId(1), contactId(4)] },
    { reason: 'booleans', filter: 'o25fs_setuptechnician eq true and statecode eq 0', expected: [contactId(1), contactId(4)] },
    { reason: 'ne leaves out nulls (FetchXML ne is SQL <>)', filter: "emailaddress1 ne 'ann@alpha.example'", expected: [contactId(2), contactId(4)] },
    { reason: 'contains is case-insensitive', filter: "contains(fullname,'AR')", expected: [contactId(1), contactId(3)] },
    { reason: 'startswith', filter: "startswith(emailaddress1,'dee@')", expected: [contactId(4)] },
    { reason: 'endswith', filter: "endswith(emailaddress1,'alpha.example')", expected: [contactId(1), contactId(2)] },
    {
      reason: 'Microsoft.Dynamics.CRM.In over strings',
      filter: "Microsoft.Dynamics.CRM.In(PropertyName='emailaddress1',PropertyValues=['ann@alpha.example','DEE@obrien.example'])",
      expected: [contactId(1), contactId(4)],
    },
    { reason: 'Microsoft.Dynamics.CRM.In over a state', filter: "Microsoft.Dynamics.CRM.In(PropertyName='statecode',PropertyValues=['1'])", expected: [contactId(3)] },
  ];
  for (const c of cases) {
    it(`${c.reason}: ${c.filter}`, async () => {
      const res = await s.dataverse('GET', `contacts?$select=contactid&$filter=${encodeURIComponent(c.filter)}`);
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual(c.expected);
    });
  }

  it('a quoted GUID is 400: incompatible types Edm.Guid and Edm.String', async () => {
    const res = await s.dataverse('GET', `contacts?$filter=${encodeURIComponent(`_parentcustomerid_value eq '${ACCOUNT_A}'`)}`);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe("A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'.");
  });

  it('an unknown property in $filter is 400 0x80060888', async () => {
    const res = await s.dataverse('GET', `contacts?$filter=${encodeURIComponent("parentcustomerid eq 'x'")}`);
    expect(res.status).toBe(400);
    expect(res.json.error).toEqual({ code: '0x80060888', message: "Could not find a property named 'parentcustomerid' on type 'Microsoft.Dynamics.CRM.contact'." });
  });

  it('systemusers filter on azureactivedirectoryobjectid, unquoted (learn.microsoft.com/power-platform/admin/create-users)', async () => {
    const res = await s.dataverse('GET', `systemusers?$select=systemuserid,isdisabled&$filter=azureactivedirectoryobjectid eq ${g(1, '77777777')}`);
    expect(res.json.value).toEqual([{ '@odata.etag': expect.any(String), systemuserid: USER_1, isdisabled: false }]);
  });
});

describe('$orderby and $top (order-rows.md, page-results.md)', () => {
  it('orders by several columns, asc and desc, then by primary key', async () => {
    const res = await s.dataverse('GET', `contacts?$select=contactid&$orderby=${encodeURIComponent('statecode desc,_parentcustomerid_value asc,lastname desc')}`);
    expect(ids(res)).toEqual([contactId(3), contactId(5), contactId(2), contactId(1), contactId(4)]);
  });

  it('$top limits the rows, ignores maxpagesize and gives no nextLink', async () => {
    const res = await s.dataverse('GET', 'contacts?$select=contactid&$top=3', { headers: { Prefer: 'odata.maxpagesize=2' } });
    expect(ids(res)).toEqual([contactId(1), contactId(2), contactId(3)]);
    expect(res.json['@odata.nextLink']).toBeUndefined();
    expect(res.headers.get('preference-applied')).toBeNull();
  });
});

describe('paging with Prefer: odata.maxpagesize (page-results.md)', () => {
  it('pages through @odata.nextLink (absolute, with $skiptoken) and echoes Preference-Applied', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${root}contacts?$select=contactid&$filter=${encodeURIComponent('statecode ge 0')}`;
    let pages = 0;
    const token = await s.token('dataverse');
    while (url) {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Prefer: 'odata.maxpagesize=2' } });
      const json: any = await res.json();
      expect(res.headers.get('preference-applied')).toBe('odata.maxpagesize=2');
      seen.push(...json.value.map((r: any) => r.contactid));
      url = json['@odata.nextLink'];
      if (url) {
        expect(url.startsWith(`${root}contacts?`)).toBe(true);
        expect(url).toContain('$skiptoken=');
        expect(url).toContain('$select=contactid');
      }
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([1, 2, 3, 4, 5].map(contactId));
  });

  it('a row created between pages with a key after the cookie appears on a later page (keyset paging)', async () => {
    const first = await s.dataverse('GET', 'contacts?$select=contactid', { headers: { Prefer: 'odata.maxpagesize=3' } });
    expect(ids(first)).toEqual([1, 2, 3].map(contactId));
    const late = contactId(9);
    expect((await s.dataverse('POST', 'contacts', { body: { contactid: late, lastname: 'Late' } })).status).toBe(204);
    const next = await fetch(first.json['@odata.nextLink'], { headers: { Authorization: `Bearer ${await s.token('dataverse')}`, Prefer: 'odata.maxpagesize=3' } });
    const json: any = await next.json();
    expect(json.value.map((r: any) => r.contactid)).toEqual([contactId(4), contactId(5), late]);
    expect(json['@odata.nextLink']).toBeUndefined();
    expect((await s.dataverse('DELETE', `contacts(${late})`)).status).toBe(204);
  });
});

describe('annotations only when asked (compose-http-requests-handle-errors.md "Request annotations")', () => {
  it('without Prefer there are no annotations', async () => {
    const res = await s.dataverse('GET', `contacts(${contactId(1)})?$select=statecode,_parentcustomerid_value`);
    expect(Object.keys(res.json).filter((k) => k.includes('@') && k !== '@odata.context' && k !== '@odata.etag')).toEqual([]);
  });

  it('odata.include-annotations="*" adds formatted values for state, picklists, booleans, money and lookups', async () => {
    const res = await s.dataverse('GET', `contacts(${contactId(1)})?$select=statecode,statuscode,o25fs_setuptechnician,o25fs_startlocation,o25fs_hourlyrate,_parentcustomerid_value`, {
      headers: { Prefer: 'odata.include-annotations="*"' },
    });
    expect(res.json).toMatchObject({
      'statecode@OData.Community.Display.V1.FormattedValue': 'Active',
      statecode: 0,
      'statuscode@OData.Community.Display.V1.FormattedValue': 'Active',
      'o25fs_setuptechnician@OData.Community.Display.V1.FormattedValue': 'Yes',
      'o25fs_startlocation@OData.Community.Display.V1.FormattedValue': 'Location Agnostic',
      'o25fs_hourlyrate@OData.Community.Display.V1.FormattedValue': '$50.00',
      '_parentcustomerid_value@OData.Community.Display.V1.FormattedValue': 'Alpha Vendors',
      '_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account',
      '_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty': 'parentcustomerid_account',
    });
    expect(res.headers.get('preference-applied')).toBe('odata.include-annotations="*"');
  });

  it('a listed annotation returns only that one', async () => {
    const res = await s.dataverse('GET', `bookableresources(${RESOURCE_1})?$select=resourcetype,_userid_value`, {
      headers: { Prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"' },
    });
    expect(res.json).toEqual({
      '@odata.context': `${root}$metadata#bookableresources(resourcetype,_userid_value)/$entity`,
      '@odata.etag': expect.any(String),
      resourcetype: 3,
      '_userid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'systemuser',
      _userid_value: USER_1,
      bookableresourceid: RESOURCE_1,
    });
  });
});
