/**
 * Conformance: the optional properties POST /users stores, read back with $select. Sources:
 * - Learn user-post-users (learn.microsoft.com/graph/api/user-post-users): "you can optionally
 *   specify any other writable properties"; a user created there is a Member.
 * - Learn resources/user (learn.microsoft.com/graph/api/resources/user): givenName and surname (64),
 *   usageLocation (ISO 3166 two-letter code), otherMails, companyName (64), department (64),
 *   officeLocation (128), employeeType, creationType null for a work or school account; these are
 *   returned only with $select (officeLocation, givenName and surname are default properties).
 * - Learn resources/onpremisesextensionattributes: extensionAttribute1–15, writable on create and
 *   update for a cloud-only user, 1,024 characters each.
 * employeeType has no documented maximum: the simulator takes 64 (stricter, docs/simulator-graph.md).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

const fixture = {
  tenant: { defaultDomain: 'contoso.onmicrosoft.com', verifiedDomains: ['contoso.onmicrosoft.com', 'contoso.com'] },
  app: { roles: ['User.ReadWrite.All'] },
};
const MARK = 'vendor-reconciler:v1;contact=0d9a3e1c-7a9b-4a63-9a51-1f2e3d4c5b6a;account=service;group=g;sku=s';

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(fixture);
});
afterAll(() => s.stop());
beforeEach(() => s.sim.reset(fixture));

const base = {
  accountEnabled: true,
  displayName: 'Ann Vendor',
  mailNickname: 'vr-0d9a3e1c7a9b4a639a511f2e3d4c5b6a',
  userPrincipalName: 'vendor-one_ann.vendor_0d9a3e1c@contoso.com',
  passwordProfile: { password: 'xWwvJ]6NMw+bWH-d', forceChangePasswordNextSignIn: true },
};
const SELECT = 'id,userType,creationType,accountEnabled,displayName,givenName,surname,usageLocation,otherMails,companyName,department,officeLocation,employeeType,onPremisesExtensionAttributes,mailNickname';

describe('POST /users stores the optional properties a service account carries', () => {
  it('every one reads back as sent, the user is a Member with creationType null', async () => {
    const res = await s.graph('POST', '/users', {
      body: {
        ...base, givenName: 'Ann', surname: 'Vendor', usageLocation: 'gb', otherMails: ['ann@vendor.example'], companyName: 'Vendor One Ltd',
        department: 'Vendor One', officeLocation: 'Vendor One (field)', employeeType: 'Vendor', onPremisesExtensionAttributes: { extensionAttribute7: MARK, extensionAttribute9: 'Vendor One' },
      },
    });
    expect(res.status).toBe(201);
    const id = res.json.id as string;
    const read = await s.graph('GET', `/users/${id}?$select=${SELECT}`);
    expect(read.status).toBe(200);
    const ext = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, null]));
    expect(read.json).toEqual({
      '@odata.context': expect.stringMatching(/\$metadata#users\(.+\)\/\$entity$/),
      id, userType: 'Member', creationType: null, accountEnabled: true, displayName: 'Ann Vendor', givenName: 'Ann', surname: 'Vendor',
      // usageLocation is stored upper-case (an ISO 3166 code).
      usageLocation: 'GB', otherMails: ['ann@vendor.example'], companyName: 'Vendor One Ltd', department: 'Vendor One', officeLocation: 'Vendor One (field)',
      employeeType: 'Vendor', onPremisesExtensionAttributes: { ...ext, extensionAttribute7: MARK, extensionAttribute9: 'Vendor One' }, mailNickname: base.mailNickname,
    });
  });

  it('a user created without them answers null (and [] for otherMails) for each', async () => {
    const id = (await s.graph('POST', '/users', { body: base })).json.id as string;
    const read = await s.graph('GET', `/users/${id}?$select=givenName,surname,usageLocation,otherMails,companyName,department,officeLocation,employeeType`);
    expect(read.json).toMatchObject({ givenName: null, surname: null, usageLocation: null, otherMails: [], companyName: null, department: null, officeLocation: null, employeeType: null });
  });

  const long = (n: number): string => 'x'.repeat(n);
  it.each([
    { prop: 'companyName', value: long(65), reason: 'companyName is at most 64 characters' },
    { prop: 'department', value: long(65), reason: 'department is at most 64 characters' },
    { prop: 'officeLocation', value: long(129), reason: 'officeLocation is at most 128 characters' },
    { prop: 'givenName', value: long(65), reason: 'givenName is at most 64 characters' },
    { prop: 'surname', value: long(65), reason: 'surname is at most 64 characters' },
    { prop: 'employeeType', value: long(65), reason: 'employeeType: 64 is the simulator\'s stricter limit' },
    { prop: 'otherMails', value: ['not-an-address'], reason: 'otherMails holds email addresses' },
    { prop: 'onPremisesExtensionAttributes', value: { extensionAttribute16: 'x' }, reason: 'there are fifteen extension attributes' },
    { prop: 'onPremisesExtensionAttributes', value: { extensionAttribute1: long(1025) }, reason: 'an extension attribute is at most 1,024 characters' },
  ])('400 for $prop ($reason), nothing stored', async ({ prop, value }) => {
    const res = await s.graph('POST', '/users', { body: { ...base, [prop]: value } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('Request_BadRequest');
    expect(s.sim.state.graph.users.size).toBe(0);
  });

  it.each([
    { prop: 'companyName', value: long(64), reason: '64 characters is the limit' },
    { prop: 'officeLocation', value: long(128), reason: '128 characters is the limit' },
    { prop: 'onPremisesExtensionAttributes', value: { extensionAttribute15: long(1024) }, reason: '1,024 characters is the limit' },
  ])('201 at the limit of $prop ($reason)', async ({ prop, value }) => {
    expect((await s.graph('POST', '/users', { body: { ...base, [prop]: value } })).status).toBe(201);
  });
});
