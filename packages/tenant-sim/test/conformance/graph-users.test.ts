/**
 * Conformance: GET /users, GET /users/{id | UPN}, /users/$count.
 * Sources: Learn user-list.md, user-get.md, concepts/aad-advanced-queries.md, query-parameters.md
 * ("Escaping single quotes"), includes/filter-directory-objects.md, paging.md;
 * learn.microsoft.com/graph/api/user-list, learn.microsoft.com/graph/aad-advanced-queries,
 * learn.microsoft.com/graph/paging.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

const id = (n: number) => `bbbbbbbb-0000-0000-0000-${String(n).padStart(12, '0')}`;
const many = Array.from({ length: 230 }, (_, i) => ({ id: id(1000 + i), displayName: `Bulk ${i}`, mail: `bulk${i}@bulk.example`, userPrincipalName: `bulk${i}_bulk.example#EXT#@contoso.onmicrosoft.com`, userType: 'Guest' }));

const fixture = {
  tenant: { defaultDomain: 'contoso.onmicrosoft.com', verifiedDomains: ['contoso.onmicrosoft.com'] },
  app: { roles: ['User.Read.All'] },
  graph: {
    users: [
      { id: id(1), displayName: 'Jane', mail: 'jane@vendor.com', otherMails: ['jane@vendor.com'], userPrincipalName: 'jane_vendor.com#EXT#@contoso.onmicrosoft.com', userType: 'Guest', creationType: 'Invitation', externalUserState: 'PendingAcceptance', usageLocation: 'GB', assignedLicenses: [{ skuId: 'cccccccc-0000-0000-0000-000000000001', disabledPlans: [] }] },
      { id: id(2), displayName: "Seán O'Brien", mail: "o'brien@vendor.com", otherMails: [], userPrincipalName: 'obrien_vendor.com#EXT#@contoso.onmicrosoft.com', userType: 'Guest', accountEnabled: false },
      { id: id(3), displayName: 'Plus', mail: null, otherMails: ['a+b@vendor.com'], proxyAddresses: ['SMTP:plus@vendor.com'], userPrincipalName: 'plus@contoso.onmicrosoft.com', userType: 'Member' },
      ...many,
    ],
  },
};

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(fixture);
});
afterAll(() => s.stop());

const filter = (f: string, extra = '') => s.graph('GET', `/users?$filter=${encodeURIComponent(f)}${extra}`);
const ids = (res: { json: any }) => res.json.value.map((u: any) => u.id);
const ADV = { headers: { ConsistencyLevel: 'eventual' } };

describe('$filter in default mode (aad-advanced-queries.md)', () => {
  it.each([
    { reason: 'eq on mail', f: "mail eq 'jane@vendor.com'", want: [id(1)] },
    { reason: 'eq on userPrincipalName with #EXT#', f: "userPrincipalName eq 'jane_vendor.com#EXT#@contoso.onmicrosoft.com'", want: [id(1)] },
    { reason: 'eq on id', f: `id eq '${id(2)}'`, want: [id(2)] },
    { reason: 'eq on userType', f: "userType eq 'Member'", want: [id(3)] },
    { reason: 'eq on creationType and externalUserState', f: "creationType eq 'Invitation' and externalUserState eq 'PendingAcceptance'", want: [id(1)] },
    { reason: 'eq on accountEnabled (a boolean literal)', f: 'accountEnabled eq false', want: [id(2)] },
    { reason: 'otherMails/any', f: "otherMails/any(x:x eq 'a+b@vendor.com')", want: [id(3)] },
    { reason: 'proxyAddresses/any with SMTP:', f: "proxyAddresses/any(p:p eq 'SMTP:plus@vendor.com')", want: [id(3)] },
    { reason: 'in on id', f: `id in ('${id(3)}','${id(1)}')`, want: [id(1), id(3)] },
    { reason: 'in on mail', f: "mail in ('jane@vendor.com', 'nobody@x.com')", want: [id(1)] },
    { reason: 'the product\'s or-combination across properties', f: "mail eq 'a+b@vendor.com' or otherMails/any(m:m eq 'a+b@vendor.com') or userPrincipalName eq 'a+b_vendor.com#EXT#@contoso.onmicrosoft.com'", want: [id(3)] },
    { reason: 'parentheses with and/or', f: `(userType eq 'Guest' and accountEnabled eq false) or id eq '${id(3)}'`, want: [id(2), id(3)] },
    { reason: 'startsWith on mail (default)', f: "startsWith(mail,'jane@')", want: [id(1)] },
    { reason: 'assignedLicenses/any with an unquoted skuId', f: 'assignedLicenses/any(x:x/skuId eq cccccccc-0000-0000-0000-000000000001)', want: [id(1)] },
  ])('$reason', async ({ f, want }) => {
    const res = await filter(f);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(want);
  });

  it("'' inside a literal is one quote (query-parameters.md, Escaping single quotes)", async () => {
    expect(ids(await filter("mail eq 'o''brien@vendor.com'"))).toEqual([id(2)]);
  });

  it('string comparison ignores case (learn.microsoft.com/graph/aad-advanced-queries [observed])', async () => {
    expect(ids(await filter("mail eq 'JANE@Vendor.COM'"))).toEqual([id(1)]);
    expect(ids(await filter("userPrincipalName eq 'JANE_VENDOR.COM#ext#@CONTOSO.onmicrosoft.com'"))).toEqual([id(1)]);
  });

  it("a '+' left unencoded in the query string is a space, %2B is a plus (learn.microsoft.com/graph/aad-advanced-queries)", async () => {
    const raw = await s.graph('GET', `/users?$filter=otherMails/any(x:x eq 'a+b@vendor.com')`);
    expect(raw.status).toBe(200);
    expect(raw.json.value).toEqual([]);
    const encoded = await s.graph('GET', `/users?$filter=otherMails/any(x:x eq 'a%2Bb@vendor.com')`);
    expect(ids(encoded)).toEqual([id(3)]);
  });

  it.each([
    { reason: 'ne', f: "userType ne 'Guest'", op: 'ne' },
    { reason: 'not', f: "not(userType eq 'Guest')", op: 'not' },
    { reason: 'endsWith', f: "endsWith(mail,'@vendor.com')", op: 'endsWith' },
    { reason: 'eq null', f: 'mail eq null', op: 'eq null' },
  ])('$reason without ConsistencyLevel: eventual and $count=true → 400 Request_UnsupportedQuery', async ({ f, op }) => {
    for (const extra of [{}, ADV]) {
      const res = await s.graph('GET', `/users?$filter=${encodeURIComponent(f)}`, extra);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('Request_UnsupportedQuery');
      expect(res.json.error.message).toBe(
        `Operator '${op}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
      );
    }
    const withCountOnly = await s.graph('GET', `/users?$filter=${encodeURIComponent(f)}&$count=true`);
    expect(withCountOnly.status).toBe(400);
  });

  it('the same advanced filters work with both advanced parameters, and @odata.count is returned', async () => {
    const res = await s.graph('GET', `/users?$filter=${encodeURIComponent("endsWith(mail,'@vendor.com')")}&$count=true`, ADV);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([id(1), id(2)]);
    expect(res.json['@odata.count']).toBe(2);
    const ne = await s.graph('GET', `/users?$filter=${encodeURIComponent("userType ne 'Guest'")}&$count=true`, ADV);
    expect(ids(ne)).toEqual([id(3)]);
  });

  it('$count=true without the header is silently ignored (aad-advanced-queries.md, "Error handling": GET /users?$count=true)', async () => {
    const res = await s.graph('GET', `/users?$count=true&$filter=${encodeURIComponent("mail eq 'jane@vendor.com'")}`);
    expect(res.status).toBe(200);
    expect(res.json['@odata.count']).toBeUndefined();
  });

  it('/users/$count without ConsistencyLevel → 400 Request_BadRequest "$count is not currently supported." (aad-advanced-queries.md)', async () => {
    const res = await s.graph('GET', '/users/$count');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'Request_BadRequest', message: '$count is not currently supported.' });
    const ok = await s.graph('GET', '/users/$count', ADV);
    expect(ok.text).toBe(String(fixture.graph.users.length));
  });

  it('more than 15 or-children in default mode → 400 (observed limit, microsoft-graph-docs-contrib#1238); advanced mode lifts it', async () => {
    const list = Array.from({ length: 16 }, (_, i) => `'${id(1000 + i)}'`).join(',');
    const res = await filter(`id in (${list})`);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe("Too many child clauses specified in search filter expression containing 'OR' operators: 16. Max allowed: 15");
    expect((await filter(`id in (${list.split(',').slice(0, 15).join(',')})`)).json.value).toHaveLength(15);
    const adv = await s.graph('GET', `/users?$filter=${encodeURIComponent(`id in (${list})`)}&$count=true`, ADV);
    expect(adv.json.value).toHaveLength(16);
  });

  it.each([
    { reason: 'an unknown property', f: "shoeSize eq '42'", code: 'Request_UnsupportedQuery' },
    { reason: 'a type mismatch (boolean as a string)', f: "accountEnabled eq 'true'", code: 'BadRequest' },
    { reason: 'an unquoted string', f: 'mail eq jane@vendor.com', code: 'BadRequest' },
    { reason: 'identities/any without issuerAssignedId', f: "identities/any(i:i/issuer eq 'contoso.onmicrosoft.com')", code: 'Request_UnsupportedQuery' },
    { reason: 'an unterminated literal', f: "mail eq 'jane", code: 'BadRequest' },
  ])('$reason → 400 $code', async ({ f, code }) => {
    const res = await filter(f);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(code);
  });
});

describe('$select, $top and paging (user-list.md, paging.md)', () => {
  it('without $select only the default properties are returned', async () => {
    const res = await filter(`id eq '${id(1)}'`);
    expect(Object.keys(res.json.value[0]).sort()).toEqual(
      ['businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'].sort(),
    );
    expect(res.json['@odata.context']).toBe(`${s.info.graphBaseUrl}/$metadata#users`);
  });

  it('non-default properties come back only when selected', async () => {
    const res = await filter(`id eq '${id(1)}'`, '&$select=id,usageLocation,assignedLicenses,otherMails,userType,accountEnabled,creationType,externalUserState');
    expect(res.json.value[0]).toEqual({
      id: id(1),
      usageLocation: 'GB',
      assignedLicenses: [{ skuId: 'cccccccc-0000-0000-0000-000000000001', disabledPlans: [] }],
      otherMails: ['jane@vendor.com'],
      userType: 'Guest',
      accountEnabled: true,
      creationType: 'Invitation',
      externalUserState: 'PendingAcceptance',
    });
    expect(res.json['@odata.context']).toBe(`${s.info.graphBaseUrl}/$metadata#users(id,usageLocation,assignedLicenses,otherMails,userType,accountEnabled,creationType,externalUserState)`);
  });

  it('an unknown property in $select → 400 (stricter than ignoring it)', async () => {
    const res = await s.graph('GET', '/users?$select=id,shoeSize');
    expect(res.status).toBe(400);
  });

  it('$top=1000 → 400 with the documented message; $top=999 is accepted (learn.microsoft.com/graph/api/group-list-members, learn.microsoft.com/graph/paging)', async () => {
    const res = await s.graph('GET', '/users?$top=1000');
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe("Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
    expect((await s.graph('GET', '/users?$top=999')).json.value).toHaveLength(fixture.graph.users.length);
    expect((await s.graph('GET', '/users?$top=0')).status).toBe(400);
  });

  it('default page size is 100, @odata.nextLink is an absolute https URL that returns the next page, until it is absent', async () => {
    const seen: string[] = [];
    let res = await s.graph('GET', '/users?$select=id');
    const sizes: number[] = [];
    for (;;) {
      expect(res.status).toBe(200);
      sizes.push(res.json.value.length);
      seen.push(...ids(res));
      const next = res.json['@odata.nextLink'];
      if (!next) break;
      expect(next.startsWith(`${s.info.graphBaseUrl}/users?`)).toBe(true);
      expect(next).toContain('$skiptoken=');
      res = await s.graph('GET', next.slice(s.info.graphBaseUrl.length));
    }
    expect(sizes).toEqual([100, 100, 33]);
    expect(seen).toEqual(fixture.graph.users.map((u) => u.id));
  });

  it('paging keeps $filter and $select, and a tampered $skiptoken is refused', async () => {
    const first = await filter("userType eq 'Guest'", '&$select=id&$top=50');
    const next: string = first.json['@odata.nextLink'];
    expect(next).toContain('$select=id');
    const second = await s.graph('GET', next.slice(s.info.graphBaseUrl.length));
    expect(second.json.value[0]).toEqual({ id: many[48]!.id });
    const tampered = await s.graph('GET', next.slice(s.info.graphBaseUrl.length).replace('$top=50', '$top=60'));
    expect(tampered.status).toBe(400);
  });
});

describe('GET /users/{id | userPrincipalName} (user-get.md)', () => {
  it('by id with $select', async () => {
    const res = await s.graph('GET', `/users/${id(1)}?$select=id,usageLocation`);
    expect(res.json).toEqual({ '@odata.context': `${s.info.graphBaseUrl}/$metadata#users(id,usageLocation)/$entity`, id: id(1), usageLocation: 'GB' });
  });

  it('by UPN, case-insensitively, with #EXT# percent-encoded', async () => {
    const res = await s.graph('GET', `/users/JANE_vendor.com%23EXT%23@contoso.onmicrosoft.com`);
    expect(res.json.id).toBe(id(1));
  });

  it('missing → 404 Request_ResourceNotFound with the documented message', async () => {
    const missing = 'dddddddd-0000-0000-0000-000000000000';
    const res = await s.graph('GET', `/users/${missing}`);
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('Request_ResourceNotFound');
    expect(res.json.error.message).toBe(`Resource '${missing}' does not exist or one of its queried reference-property objects are not present.`);
  });
});
