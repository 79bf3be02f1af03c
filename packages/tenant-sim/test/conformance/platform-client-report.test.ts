/**
 * Conformance: GET /_sim/report, the simulator checking the client as Microsoft's Dev Proxy does
 * for Graph (Learn: microsoft-cloud/dev/dev-proxy/technical-reference/retryafterplugin,
 * odatapagingguidanceplugin, graphminimalpermissionsplugin):
 * - RetryAfterPlugin: "a subsequent request to the same URL before the Retry-After time elapses";
 * - ODataPagingGuidancePlugin: "an OData paging request using a URL that hasn't been previously
 *   returned" (Graph paging.md: never build a $skiptoken yourself; Dataverse page-results.md);
 * - minimal permissions from the API pages' permission tables (Graph) and the privileges each
 *   Dataverse operation needs (Learn "How access to a record is determined").
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { minimalPermissions, type ApiPage } from '../../src/graph/permissions.js';
import type { Fixture } from '../../src/index.js';
import { startSim, type RunningSim } from '../support/sim.js';
import { RESOURCE_1, USER_1, contactId, dataverseFixture } from './dataverse-fixture.js';

const GROUP = '6c3e8d4f-0000-4000-8000-0000000000a1';
const SKU = '23e6e135-e869-4ce4-9ae4-5710cd69ac13';
const userId = (i: number): string => `6c3e8d4f-0000-4000-8000-${String(100 + i).padStart(12, '0')}`;
const FIXTURE: Fixture = {
  ...dataverseFixture(),
  app: { roles: ['User.Invite.All', 'User.ReadWrite.All', 'LicenseAssignment.ReadWrite.All', 'LicenseAssignment.Read.All', 'GroupMember.ReadWrite.All'] },
  graph: {
    users: Array.from({ length: 3 }, (_, i) => ({ id: userId(i), displayName: `User ${i}`, userPrincipalName: `user${i}@contoso.onmicrosoft.com`, userType: 'Guest', usageLocation: 'GB' })),
    groups: [{ id: GROUP, displayName: 'Technicians', members: [] }],
    subscribedSkus: [{ skuId: SKU, skuPartNumber: 'DYN365_FS_CONTRACTOR', capabilityStatus: 'Enabled', consumedUnits: 0, prepaidUnits: { enabled: 10, suspended: 0, warning: 0 } }],
  },
};

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(FIXTURE);
});
afterAll(() => s.stop());
beforeEach(async () => {
  await s.admin('PUT', '/faults', { graph: { rate429: 0, rate503: 0 }, dataverse: { rate429: 0, rate503: 0 } });
  await s.admin('PUT', '/limits', { graph: { enabled: true, writesPerWindow: 3000, windowMs: 150000 }, dataverse: { enabled: true, requestsPerWindow: 6000, windowMs: 300000 } });
  await s.admin('POST', '/reset', FIXTURE);
});

const report = async () => (await s.admin('GET', '/report')).json;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Retry-After (Dev Proxy RetryAfterPlugin)', () => {
  it('a request sent again before its Retry-After elapsed is a violation; after the wait it is not', async () => {
    await s.admin('PUT', '/limits', { graph: { writesPerWindow: 1, windowMs: 1500 } });
    const patch = (i: number) => s.graph('PATCH', `/users/${userId(i)}`, { body: { jobTitle: 'Technician' } });
    expect((await patch(0)).status).toBe(204);
    const throttled = await patch(1);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    await patch(1); // at once: too early
    let r = await report();
    expect(r.retryAfter).toMatchObject({ given: 2, violations: 1 });
    expect(r.retryAfter.examples[0]).toMatchObject({ service: 'graph', method: 'PATCH', path: `/users/${userId(1)}`, status: 429, retryAfterSeconds: 2 });
    expect(r.retryAfter.examples[0].earlyMs).toBeGreaterThan(1000);
    // Another write of the same client during the wait is not the same request: only counted.
    await patch(2);
    r = await report();
    expect(r.retryAfter.violations).toBe(1);
    expect(r.retryAfter.duringScopeWait['graph.writes']).toBeGreaterThanOrEqual(1);
    await sleep(2100);
    expect((await patch(1)).status).toBe(204);
    expect((await report()).retryAfter.violations).toBe(1);
  });

  it('injected 429s count too; Dataverse answers are checked the same way', async () => {
    await s.admin('PUT', '/faults', { dataverse: { rate429: 1, seed: 3 } });
    expect((await s.dataverse('GET', 'accounts?$select=name')).status).toBe(429);
    expect((await s.dataverse('GET', 'accounts?$select=name')).status).toBe(429);
    const r = await report();
    expect(r.retryAfter).toMatchObject({ given: 2, violations: 1 });
    expect(r.retryAfter.examples[0]).toMatchObject({ service: 'dataverse', method: 'GET', path: 'accounts?$select=name', retryAfterSeconds: 1 });
  });
});

describe('paging URLs (Dev Proxy ODataPagingGuidancePlugin)', () => {
  it('following the nextLink as given is fine; a hand-built $skiptoken is reported', async () => {
    const first = await s.graph('GET', '/users?$top=1&$select=id');
    const next = first.json['@odata.nextLink'] as string;
    expect(next).toMatch(/\$skiptoken=/);
    expect((await fetchAs(next)).status).toBe(200);
    let r = await report();
    expect(r.paging).toMatchObject({ pagingRequests: 1, handBuilt: 0 });
    await s.graph('GET', '/users?$top=1&$select=id&$skiptoken=made-up');
    r = await report();
    expect(r.paging).toMatchObject({ pagingRequests: 2, handBuilt: 1 });
    expect(r.paging.examples).toEqual([{ service: 'graph', method: 'GET', path: '/users?$top=1&$select=id&$skiptoken=made-up' }]);
  });

  it('Dataverse: the nextLink with its paging cookie passes; the same cookie with another page number is hand-built', async () => {
    const headers = { Prefer: 'odata.maxpagesize=1' };
    const first = await s.dataverse('GET', 'contacts?$select=lastname', { headers });
    const next = first.json['@odata.nextLink'] as string;
    expect((await fetchAs(next, 'dataverse', headers)).status).toBe(200);
    expect((await report()).paging).toMatchObject({ pagingRequests: 1, handBuilt: 0 });
    const edited = next.replace(/pagenumber(%3D|=)(%22|")2/, (_m, eq: string, q: string) => `pagenumber${eq}${q}7`);
    expect(edited).not.toBe(next);
    await fetchAs(edited, 'dataverse', headers);
    expect((await report()).paging).toMatchObject({ pagingRequests: 2, handBuilt: 1 });
  });

  it('$deltatoken=latest is documented for clients to send; an emptied log keeps the links the services gave', async () => {
    await s.graph('GET', '/users/delta?$deltatoken=latest&$select=id');
    const first = await s.graph('GET', '/users?$top=1&$select=id');
    await s.admin('DELETE', '/requests');
    await fetchAs(first.json['@odata.nextLink'] as string);
    expect((await report()).paging).toMatchObject({ pagingRequests: 1, handBuilt: 0 });
  });
});

/** GET an absolute URL with the service's token, as a client following a link does. */
async function fetchAs(url: string, service: 'graph' | 'dataverse' = 'graph', headers: Record<string, string> = {}) {
  return fetch(url, { headers: { Authorization: `Bearer ${await s.token(service)}`, ...headers } });
}

describe('least privilege (Graph permission tables, Dataverse privileges)', () => {
  it.each([
    { pages: ['user-list', 'user-update'], minimal: ['User.ReadWrite.All'], reason: 'User.ReadWrite.All is listed for user-list, so User.Read.All is not needed' },
    { pages: ['group-list-members', 'group-post-members'], minimal: ['GroupMember.ReadWrite.All'], reason: 'group-list-members lists GroupMember.ReadWrite.All' },
    { pages: ['group-delta', 'group-post-members'], minimal: ['GroupMember.Read.All', 'GroupMember.ReadWrite.All'], reason: 'group-delta does not list GroupMember.ReadWrite.All' },
    { pages: ['subscribedsku-list', 'user-assignlicense'], minimal: ['LicenseAssignment.Read.All', 'LicenseAssignment.ReadWrite.All'], reason: 'subscribedsku-list does not list LicenseAssignment.ReadWrite.All' },
    { pages: ['invitation-post'], minimal: ['User.Invite.All'], reason: 'the least privileged permission of the one page' },
    { pages: ['invitation-post', 'user-update', 'user-assignlicense'], minimal: ['User.ReadWrite.All'], reason: 'user-update needs User.ReadWrite.All, and both other tables list it: User.Invite.All and LicenseAssignment.ReadWrite.All would only add privilege' },
    { pages: ['user-post-users', 'user-list', 'user-assignlicense'], minimal: ['User.ReadWrite.All'], reason: 'user-post-users needs User.ReadWrite.All, which user-list and user-assignlicense also list' },
    { pages: ['user-post-users', 'invitation-post'], minimal: ['User.ReadWrite.All'], reason: 'invitation-post lists User.ReadWrite.All as higher privileged, so User.Invite.All would only add privilege' },
    { pages: ['domain-get', 'user-post-users'], minimal: ['Domain.Read.All', 'User.ReadWrite.All'], reason: 'domain-get lists no user permission, and user-post-users no domain permission' },
    { pages: ['domain-get', 'domain-list'], minimal: ['Domain.Read.All'], reason: 'one table for both domain reads' },
    { pages: [], minimal: [], reason: 'no Graph request needs nothing' },
  ])('$pages → $minimal ($reason)', ({ pages, minimal }) => {
    expect(minimalPermissions(pages as ApiPage[])).toEqual(minimal);
  });

  it('the report names each Graph operation with its table row, the minimal set, and each Dataverse table\'s privileges', async () => {
    await s.graph('GET', '/users?$select=id');
    await s.graph('PATCH', `/users/${userId(0)}`, { body: { jobTitle: 'Technician' } });
    await s.graph('POST', '/$batch', {
      body: { requests: [{ id: '1', method: 'POST', url: `/users/${userId(0)}/assignLicense`, headers: { 'Content-Type': 'application/json' }, body: { addLicenses: [{ skuId: SKU, disabledPlans: [] }], removeLicenses: [] } }] },
    });
    await s.graph('GET', '/subscribedSkus');
    await s.dataverse('GET', 'contacts?$select=lastname');
    await s.dataverse('POST', 'bookableresources', { body: { name: 'Ann', resourcetype: 3, timezone: 85, 'UserId@odata.bind': `/systemusers(${USER_1})` } });
    await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { jobtitle: 'Lead', 'o25fs_BookableResourceId@odata.bind': `/bookableresources(${RESOURCE_1})` }, headers: { 'If-Match': '*' } });
    await s.dataverse('PATCH', `accounts(${contactId(77)})`, { body: { name: 'Upserted' } });
    const r = await report();
    expect(r.permissions.graph.operations).toEqual([
      { operation: 'subscribedsku-list', requests: 1, example: 'GET /subscribedSkus', leastPrivileged: 'LicenseAssignment.Read.All', higherPrivileged: ['Directory.Read.All', 'Directory.ReadWrite.All', 'Organization.Read.All', 'Organization.ReadWrite.All'] },
      { operation: 'user-assignlicense', requests: 1, example: `POST /users/${userId(0)}/assignLicense`, leastPrivileged: 'LicenseAssignment.ReadWrite.All', higherPrivileged: ['Directory.ReadWrite.All', 'User.ReadWrite.All'] },
      { operation: 'user-list', requests: 1, example: 'GET /users', leastPrivileged: 'User.Read.All', higherPrivileged: ['Directory.Read.All', 'Directory.ReadWrite.All', 'User.ReadWrite.All'] },
      { operation: 'user-update', requests: 1, example: `PATCH /users/${userId(0)}`, leastPrivileged: 'User.ReadWrite.All', higherPrivileged: ['Directory.ReadWrite.All'] },
    ]);
    // user-update needs User.ReadWrite.All, which user-assignlicense lists too: a second permission would only add privilege.
    expect(r.permissions.graph.minimal).toEqual(['LicenseAssignment.Read.All', 'User.ReadWrite.All']);
    expect(r.permissions.dataverse.tables).toEqual([
      // PATCH without If-Match may create the row (upsert): Create and Write.
      { table: 'account', privileges: ['Create', 'Write'], requests: 1 },
      { table: 'bookableresource', privileges: ['Create', 'Append', 'AppendTo'], requests: 1 },
      { table: 'contact', privileges: ['Read', 'Write', 'Append'], requests: 2 },
      { table: 'systemuser', privileges: ['AppendTo'], requests: 0 },
    ]);
    expect(r.permissions.unclassified).toEqual({});
  });

  it('a request no permission table covers is listed as unclassified, without its ids', async () => {
    await s.graph('GET', `/users/${userId(0)}/memberOf`);
    await s.graph('GET', `/users/${userId(1)}/memberOf`);
    expect((await report()).permissions.unclassified).toEqual({ 'GET /users/{id}/memberOf': 2 });
  });

  it('DELETE /_sim/report empties the report; GET answers an empty one', async () => {
    await s.graph('GET', '/users?$select=id');
    expect((await s.admin('DELETE', '/report')).status).toBe(204);
    const r = await report();
    expect(r.permissions.graph.operations).toEqual([]);
    expect(r.retryAfter).toEqual({ given: 0, violations: 0, examples: [], duringScopeWait: {} });
  });
});
