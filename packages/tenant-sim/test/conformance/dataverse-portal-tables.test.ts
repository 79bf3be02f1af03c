/**
 * Conformance: the portal tables of the Field Service portal template (standard data model) and the
 * contact columns the product adds. Sources:
 * - Field Service entity reference: adx_invitation.md (adx_name String ≤200 ApplicationRequired,
 *   adx_type Single 756150000 / Group 756150001 ApplicationRequired, adx_invitationcode ≤200,
 *   adx_expirydate DateOnly, the lookups adx_inviteContact, adx_redeemedContact, adx_website,
 *   statecode 0 Active / 1 Inactive, statuscode 1 New, 756150000 Sent, 756150001 Redeemed, 2 Inactive),
 *   adx_webrole.md (adx_name ≤100 and adx_websiteid ApplicationRequired), adx_website.md;
 *   learn.microsoft.com/dynamics365/field-service/entities/adx_invitation;
 * - workflow.md (learn.microsoft.com/power-apps/developer/data-platform/reference/entities/workflow):
 *   type 1 Definition, category 0 Workflow, statecode 1 Activated / statuscode 2;
 * - every table reference: CreatedBy, read-only, the calling user (`_createdby_value`);
 * - Learn WhoAmI Function / WhoAmIResponse (learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/whoami);
 * - docs/dataverse-schema.md of the repository: o25fs_portalaccess, o25fs_portalstatus, o25fs_portalerror.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUSINESS_UNIT_ID, ORGANIZATION_ID } from '../../src/dataverse/actions.js';
import { startSim, type RunningSim } from '../support/sim.js';
import { ANN, APP_USER, INVITATION, ROLE, WEBSITE, invitationBody, portalFixture } from './portal-fixture.js';
import { g } from './dataverse-fixture.js';

let s: RunningSim;
beforeEach(async () => {
  s = await startSim(portalFixture());
});
afterEach(() => s.stop());

const invitation = (): Record<string, unknown> | undefined => s.sim.state.dataverse.get('adx_invitations', INVITATION);

describe('adx_invitations: the product\'s create (adx_invitation.md)', () => {
  it('creates with the client-chosen id: 204, OData-EntityId, New in state Active, the binds stored as lookups, createdby the app user', async () => {
    const res = await s.dataverse('POST', 'adx_invitations', { body: invitationBody(INVITATION, ANN, 'code-1') });
    expect(res.status).toBe(204);
    expect(res.headers.get('odata-entityid')).toBe(`${s.info.dataverseUrl}/api/data/v9.2/adx_invitations(${INVITATION})`);
    expect(invitation()).toMatchObject({
      adx_invitationid: INVITATION, adx_name: 'Portal invitation', adx_type: 756150000, adx_invitationcode: 'code-1', adx_expirydate: '2099-12-31',
      _adx_invitecontact_value: ANN, _adx_website_value: WEBSITE, adx_redemptions: 0, statecode: 0, statuscode: 1, _createdby_value: APP_USER,
    });
    const read = await s.dataverse('GET', `adx_invitations?$select=adx_invitationid,statuscode,_createdby_value,adx_expirydate&$filter=adx_type eq 756150000 and statecode eq 0`);
    expect(read.json.value).toEqual([{ '@odata.etag': expect.any(String), adx_invitationid: INVITATION, statuscode: 1, _createdby_value: APP_USER, adx_expirydate: '2099-12-31' }]);
  });

  it.each([
    { reason: 'adx_name is ApplicationRequired', change: { adx_name: undefined }, status: 400, message: "The 'adx_name' attribute of the 'adx_invitation' entity is required" },
    { reason: 'adx_type is ApplicationRequired', change: { adx_type: undefined }, status: 400, message: "The 'adx_type' attribute of the 'adx_invitation' entity is required" },
    { reason: 'adx_type has two options only', change: { adx_type: 1 }, status: 400, message: "The value 1 of 'adx_type' on record of type 'adx_invitation' is outside the valid range." },
    { reason: 'the code is a String of at most 200', change: { adx_invitationcode: 'x'.repeat(201) }, status: 400, message: "exceeded the maximum allowed length of '200'" },
    { reason: 'adx_name is a String of at most 200', change: { adx_name: 'n'.repeat(201) }, status: 400, message: "exceeded the maximum allowed length of '200'" },
    { reason: 'the expiry is DateOnly: a time of day is refused', change: { adx_expirydate: '2099-12-31T00:00:00Z' }, status: 400, message: "'Edm.Date'" },
    { reason: 'the expiry must be a real day', change: { adx_expirydate: '2099-02-30' }, status: 400, message: "'Edm.Date'" },
    { reason: 'maximum redemptions is at least 1', change: { adx_maximumredemptions: 0 }, status: 400, message: 'Accepted Values: 1 to' },
    { reason: 'redemptions are at least 0', change: { adx_redemptions: -1 }, status: 400, message: 'Accepted Values: 0 to' },
    { reason: 'the invitee must exist (404 as for any missing row)', change: { 'adx_inviteContact@odata.bind': `/contacts(${g(77, '11111111')})` }, status: 404, message: 'contact With Id' },
    { reason: 'adx_inviteContact binds contacts only', change: { 'adx_inviteContact@odata.bind': `/accounts(${g(1, 'aaaaaaaa')})` }, status: 400, message: "expects an entity of set 'contacts'" },
    { reason: 'createdby is read-only', change: { 'createdby@odata.bind': `/systemusers(${APP_USER})` }, status: 400, message: "'createdby' attribute of the 'adx_invitation' entity is not valid for create" },
  ])('refuses a create where $reason', async ({ change, status, message }) => {
    const body: Record<string, unknown> = { ...invitationBody(INVITATION, ANN, 'code-1'), ...change };
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete body[k];
    const res = await s.dataverse('POST', 'adx_invitations', { body });
    expect(res.status).toBe(status);
    expect(res.json.error.message).toContain(message);
    expect(invitation()).toBeUndefined();
  });

  it.each([
    { reason: 'Inactive is state 1, status 2 (the product\'s deactivation)', patch: { statecode: 1, statuscode: 2 }, status: 204, end: { statecode: 1, statuscode: 2 } },
    { reason: 'Sent belongs to state Active', patch: { statuscode: 756150000 }, status: 204, end: { statecode: 0, statuscode: 756150000 } },
    { reason: 'Redeemed belongs to state Active, not Inactive', patch: { statecode: 1, statuscode: 756150001 }, status: 400, end: { statecode: 0, statuscode: 1 } },
    { reason: 'Inactive (2) does not belong to state Active', patch: { statecode: 0, statuscode: 2 }, status: 400, end: { statecode: 0, statuscode: 1 } },
  ])('state and status pairs: $reason', async ({ patch, status, end }) => {
    await s.dataverse('POST', 'adx_invitations', { body: invitationBody(INVITATION, ANN, 'code-1') });
    expect((await s.dataverse('PATCH', `adx_invitations(${INVITATION})`, { body: patch, headers: { 'If-Match': '*' } })).status).toBe(status);
    expect(invitation()).toMatchObject(end);
  });
});

describe('adx_webroles, adx_websites and workflows (adx_webrole.md, adx_website.md, workflow.md)', () => {
  it('serves the product\'s reads: the website by id, the role by name and website, the Send Invitation workflow by name, type, category and state', async () => {
    const site = await s.dataverse('GET', `adx_websites(${WEBSITE})?$select=adx_websiteid,adx_name`);
    expect(site.json).toMatchObject({ adx_websiteid: WEBSITE, adx_name: 'Field Service Portal' });
    const roles = await s.dataverse('GET', `adx_webroles?$select=adx_webroleid,adx_name,_adx_websiteid_value&$filter=adx_name eq 'Web API Users' and _adx_websiteid_value eq ${WEBSITE}`);
    expect(roles.json.value.map((r: { adx_webroleid: string }) => r.adx_webroleid)).toEqual([ROLE]);
    const flows = await s.dataverse('GET', "workflows?$select=workflowid,name&$filter=name eq 'Send Invitation' and type eq 1 and category eq 0 and statecode eq 1");
    expect(flows.json.value).toEqual([{ '@odata.etag': expect.any(String), workflowid: g(1, 'c0c0c0c0'), name: 'Send Invitation' }]);
  });

  it.each([
    { reason: 'a web role needs its website (adx_websiteid ApplicationRequired)', body: { adx_name: 'Customers' }, message: "'_adx_websiteid_value' attribute of the 'adx_webrole' entity is required" },
    { reason: 'a web role name is at most 100 characters', body: { adx_name: 'r'.repeat(101), 'adx_websiteid@odata.bind': `/adx_websites(${WEBSITE})` }, message: "maximum allowed length of '100'" },
  ])('refuses a web role where $reason', async ({ body, message }) => {
    const res = await s.dataverse('POST', 'adx_webroles', { body });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain(message);
  });

  it('a website that still has web roles cannot be deleted (the role\'s website is required: Restrict, the stricter choice)', async () => {
    const res = await s.dataverse('DELETE', `adx_websites(${WEBSITE})`);
    expect(res.status).toBe(405);
    expect(s.sim.state.dataverse.get('adx_websites', WEBSITE)).toBeDefined();
  });
});

describe('the contact columns of the portal-access family (docs/dataverse-schema.md)', () => {
  it('o25fs_portalaccess defaults to No; o25fs_portalstatus takes its five options; o25fs_portalerror is at most 2000', async () => {
    expect((await s.dataverse('PATCH', `contacts(${ANN})`, { body: { o25fs_portalstatus: 808950004, o25fs_portalerror: 'e'.repeat(2000) }, headers: { 'If-Match': '*' } })).status).toBe(204);
    expect(s.sim.state.dataverse.get('contacts', ANN)).toMatchObject({ o25fs_portalstatus: 808950004, o25fs_portalerror: 'e'.repeat(2000) });
    expect((await s.dataverse('PATCH', `contacts(${ANN})`, { body: { o25fs_portalstatus: 808950005 }, headers: { 'If-Match': '*' } })).status).toBe(400);
    expect((await s.dataverse('PATCH', `contacts(${ANN})`, { body: { o25fs_portalerror: 'e'.repeat(2001) }, headers: { 'If-Match': '*' } })).status).toBe(400);
    const created = g(50, '11111111');
    await s.dataverse('POST', 'contacts', { body: { contactid: created, lastname: 'New' } });
    expect(s.sim.state.dataverse.get('contacts', created)).toMatchObject({ o25fs_portalaccess: false, o25fs_setuptechnician: false, _createdby_value: APP_USER });
    const labels = await s.dataverse('GET', `contacts(${ANN})?$select=o25fs_portalstatus`, { headers: { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' } });
    expect(labels.json['o25fs_portalstatus@OData.Community.Display.V1.FormattedValue']).toBe('Error');
  });

  it('the technicians\' reads are unchanged: a $select of their columns returns exactly those columns', async () => {
    const res = await s.dataverse('GET', `contacts?$select=contactid,emailaddress1,o25fs_setuptechnician&$filter=contactid eq ${ANN}`);
    expect(res.json.value).toEqual([{ '@odata.etag': expect.any(String), contactid: ANN, emailaddress1: 'ann@alpha.example', o25fs_setuptechnician: true }]);
  });
});

describe('WhoAmI (Learn WhoAmI Function, WhoAmIResponse ComplexType)', () => {
  it('answers the caller\'s systemuser (the app user, createdby of its rows), the business unit and the organization', async () => {
    const res = await s.dataverse('GET', 'WhoAmI');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ '@odata.context': `${s.info.dataverseUrl}/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`, BusinessUnitId: BUSINESS_UNIT_ID, UserId: APP_USER, OrganizationId: ORGANIZATION_ID });
    expect((await s.dataverse('GET', 'WhoAmI()')).json.UserId).toBe(APP_USER);
    expect((await s.dataverse('POST', 'WhoAmI', { body: {} })).status).toBe(405);
  });
});
