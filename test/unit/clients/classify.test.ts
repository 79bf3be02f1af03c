/**
 * Final answers → the closed set of errors (src/clients/classify.ts). Each case names its source:
 * learn.microsoft.com/graph/api/invitation-post (invitations),
 * learn.microsoft.com/graph/api/user-assignlicense (assignLicense),
 * learn.microsoft.com/graph/api/group-post-members (group members),
 * learn.microsoft.com/graph/permissions-reference
 * (permissions),
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 * (Dataverse status codes and error body),
 * learn.microsoft.com/power-apps/developer/data-platform/api-limits (429).
 */
import { describe, expect, it } from 'vitest';
import { classify, isAlreadyDone } from '../../../src/clients/classify.js';
import type { ServiceRequest, ServiceResponse } from '../../../src/clients/types.js';
import type { ErrorClass } from '../../../src/model/errors.js';

const G = '0d3b1c52-7f11-4d2a-9a55-6a5e2c1b0001';
const U = 'a1b2c3d4-0000-4000-8000-000000000002';
const graphErr = (status: number, code: string, message: string, headers: Record<string, string> = {}): ServiceResponse => ({ status, headers, body: { error: { code, message, innerError: {} } } });
const dvErr = (status: number, code: string, message: string): ServiceResponse => ({ status, headers: {}, body: { error: { code, message } } });

const addMember: ServiceRequest = { method: 'POST', url: `/groups/${G}/members/$ref`, body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${U}` } };
const removeMember: ServiceRequest = { method: 'DELETE', url: `/groups/${G}/members/${U}/$ref` };
const assign: ServiceRequest = { method: 'POST', url: `/users/${U}/assignLicense`, body: { addLicenses: [{ skuId: 'x', disabledPlans: [] }], removeLicenses: [] } };
const invite: ServiceRequest = { method: 'POST', url: '/invitations', body: { invitedUserEmailAddress: 'a@contoso.com' } };
const patchUser: ServiceRequest = { method: 'PATCH', url: `/users/${U}`, body: { usageLocation: 'GB' } };
const patchBr: ServiceRequest = { method: 'PATCH', url: 'bookableresources(5e0c0000-0000-0000-0000-000000000001)', headers: { 'If-Match': '*' }, body: { name: 'x' } };
const deleteChar: ServiceRequest = { method: 'DELETE', url: 'bookableresourcecharacteristics(5e0c0000-0000-0000-0000-000000000002)' };

interface Case {
  reason: string;
  service: 'graph' | 'dataverse';
  request: ServiceRequest;
  response: ServiceResponse;
  /** null: success or already done. */
  expected: null | { class: ErrorClass; code: string; message?: RegExp; action?: RegExp };
}

const cases: Case[] = [
  { reason: '2xx is success', service: 'graph', request: assign, response: { status: 200, headers: {}, body: {} }, expected: null },
  { reason: 'already a member on add is success (learn.microsoft.com/graph/api/group-post-members: 400 "…already exist for the following modified properties: \'members\'")', service: 'graph', request: addMember, response: graphErr(400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'members'."), expected: null },
  { reason: 'not a member on remove (404 about the member) is success (learn.microsoft.com/graph/api/group-post-members: "treat both as already converged")', service: 'graph', request: removeMember, response: graphErr(404, 'Request_ResourceNotFound', `Resource '${U}' does not exist or one of its queried reference-property objects are not present.`), expected: null },
  { reason: 'not a member on remove (400 variant) is success (learn.microsoft.com/graph/api/group-post-members)', service: 'graph', request: removeMember, response: graphErr(400, 'Request_BadRequest', "One or more removed object references do not exist for the following modified properties: 'members'."), expected: null },
  { reason: 'a 404 naming the group on remove means the group is missing, not "done"', service: 'graph', request: removeMember, response: graphErr(404, 'Request_ResourceNotFound', `Resource '${G}' does not exist or one of its queried reference-property objects are not present.`), expected: { class: 'configuration', code: 'GROUP_NOT_FOUND', action: /TECHNICIAN_GROUP_ID/ } },
  { reason: 'a 404 naming the group on add: GROUP_NOT_FOUND stops the run', service: 'graph', request: addMember, response: graphErr(404, 'Request_ResourceNotFound', `Resource '${G}' does not exist or one of its queried reference-property objects are not present.`), expected: { class: 'configuration', code: 'GROUP_NOT_FOUND' } },
  { reason: 'a 404 naming the user on add is replication lag right after a create (learn.microsoft.com/graph/api/group-post-members): transient', service: 'graph', request: addMember, response: graphErr(404, 'Request_ResourceNotFound', `Resource '${U}' does not exist or one of its queried reference-property objects are not present.`), expected: { class: 'transient', code: 'OBJECT_NOT_FOUND_YET' } },
  { reason: 'a 400 "…objects being referenced do not exist." on add is replication lag (Learn group-post-members note): transient, never "already done"', service: 'graph', request: addMember, response: graphErr(400, 'Request_BadRequest', 'The source resource object or one of the objects being referenced do not exist.'), expected: { class: 'transient', code: 'OBJECT_NOT_FOUND_YET', message: /not replicated/ } },
  { reason: 'a user 404 on PATCH is transient (eventual consistency)', service: 'graph', request: patchUser, response: graphErr(404, 'Request_ResourceNotFound', `Resource '${U}' does not exist or one of its queried reference-property objects are not present.`), expected: { class: 'transient', code: 'OBJECT_NOT_FOUND_YET' } },
  { reason: 'the same 400 text on a different request is not "already done"', service: 'graph', request: patchUser, response: graphErr(400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'members'."), expected: { class: 'contact', code: 'GRAPH_REJECTED' } },
  { reason: '403 Authorization_RequestDenied on assignLicense names LicenseAssignment.ReadWrite.All (learn.microsoft.com/graph/permissions-reference)', service: 'graph', request: assign, response: graphErr(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'), expected: { class: 'configuration', code: 'MISSING_PERMISSION', message: /LicenseAssignment\.ReadWrite\.All/, action: /LicenseAssignment\.ReadWrite\.All/ } },
  { reason: '403 on POST /invitations names User.Invite.All (learn.microsoft.com/graph/permissions-reference)', service: 'graph', request: invite, response: graphErr(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'), expected: { class: 'configuration', code: 'MISSING_PERMISSION', message: /User\.Invite\.All/ } },
  { reason: '403 on adding a member names GroupMember.ReadWrite.All (learn.microsoft.com/graph/api/group-post-members)', service: 'graph', request: addMember, response: graphErr(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'), expected: { class: 'configuration', code: 'MISSING_PERMISSION', message: /GroupMember\.ReadWrite\.All/ } },
  { reason: '403 on listing users names User.Read.All (learn.microsoft.com/graph/permissions-reference)', service: 'graph', request: { method: 'GET', url: '/users?$select=id' }, response: graphErr(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'), expected: { class: 'configuration', code: 'MISSING_PERMISSION', message: /User\.Read\.All/ } },
  { reason: '401 is an authentication failure of the deployment', service: 'graph', request: patchUser, response: graphErr(401, 'InvalidAuthenticationToken', 'Access token validation failure.'), expected: { class: 'configuration', code: 'AUTHENTICATION_FAILED' } },
  { reason: 'assignLicense "invalid usage location" is terminal for the contact (learn.microsoft.com/graph/api/user-assignlicense)', service: 'graph', request: assign, response: graphErr(400, 'Request_BadRequest', 'License assignment cannot be done for user with invalid usage location.'), expected: { class: 'contact', code: 'USAGE_LOCATION_INVALID' } },
  { reason: 'assignLicense "does not have any available licenses" is NO_LICENCE_UNITS (learn.microsoft.com/graph/api/user-assignlicense)', service: 'graph', request: assign, response: graphErr(400, 'Request_BadRequest', 'Subscription with SKU 6fd2c87f-b296-42f0-b197-1e91e994b900 does not have any available licenses.'), expected: { class: 'contact', code: 'NO_LICENCE_UNITS' } },
  { reason: 'an unknown SKU is a configuration error (learn.microsoft.com/graph/api/user-assignlicense, invalid skuId → 400)', service: 'graph', request: assign, response: graphErr(400, 'Request_BadRequest', 'License 0000 does not correspond to a valid company License.'), expected: { class: 'configuration', code: 'SKU_NOT_SUBSCRIBED', action: /LICENSE_SKU_ID/ } },
  { reason: 'an invitation for a verified domain is EMAIL_IN_TENANT_DOMAIN (learn.microsoft.com/graph/api/invitation-post)', service: 'graph', request: invite, response: graphErr(400, 'BadRequest', "The invited user's email address a@contoso.com is in a verified domain of this directory and cannot be invited as an external user."), expected: { class: 'contact', code: 'EMAIL_IN_TENANT_DOMAIN' } },
  { reason: 'an invitation for a blocked guest is GUEST_BLOCKED (learn.microsoft.com/graph/api/invitation-post)', service: 'graph', request: invite, response: graphErr(400, 'BadRequest', 'The invited user already exists in the directory as object ID: x, but the account is blocked from signing in.'), expected: { class: 'contact', code: 'GUEST_BLOCKED' } },
  { reason: 'an inner 429 whose retries ran out is throttled (learn.microsoft.com/graph/json-batching, learn.microsoft.com/graph/throttling)', service: 'graph', request: assign, response: graphErr(429, 'TooManyRequests', 'Please retry again later.', { 'retry-after': '5' }), expected: { class: 'throttled', code: 'GRAPH_THROTTLED' } },
  { reason: 'a 5xx is transient', service: 'graph', request: assign, response: graphErr(500, 'generalException', 'boom'), expected: { class: 'transient', code: 'SERVICE_UNAVAILABLE' } },
  { reason: 'Dataverse 404 0x80040217 on PATCH with If-Match: the row was deleted since the read; transient', service: 'dataverse', request: patchBr, response: dvErr(404, '0x80040217', 'bookableresource With Id = 5e0c… Does Not Exist'), expected: { class: 'transient', code: 'DATAVERSE_ROW_GONE', message: /deleted after this run read it/ } },
  { reason: 'Dataverse 404 0x80040217 on DELETE: the row is already gone, success', service: 'dataverse', request: deleteChar, response: dvErr(404, '0x80040217', 'bookableresourcecharacteristic With Id = 5e0c… Does Not Exist'), expected: null },
  { reason: 'Dataverse 412 is a concurrent edit: transient (Part B header: 412 concurrency failure)', service: 'dataverse', request: patchBr, response: dvErr(412, '0x80060882', 'The version of the existing record doesn\'t match'), expected: { class: 'transient', code: 'DATAVERSE_CONCURRENT_EDIT' } },
  { reason: 'Dataverse 400 validation is terminal for the contact, with the service message', service: 'dataverse', request: patchBr, response: dvErr(400, '0x80044331', "A validation error occurred.  The length of the 'name' attribute exceeded the maximum allowed length of '100'."), expected: { class: 'contact', code: 'DATAVERSE_VALIDATION', message: /length of the 'name' attribute/ } },
  { reason: 'Dataverse 400 for an unknown column is a schema (configuration) problem', service: 'dataverse', request: patchBr, response: dvErr(400, '0x80060888', "Could not find a property named 'o25fs_entraobjectid' on type 'Microsoft.Dynamics.CRM.contact'."), expected: { class: 'configuration', code: 'DATAVERSE_SCHEMA' } },
  { reason: 'Dataverse 403 is a missing privilege of the application user', service: 'dataverse', request: patchBr, response: dvErr(403, '0x80040220', 'Principal user is missing prvWritebookableresource privilege'), expected: { class: 'configuration', code: 'DATAVERSE_PRIVILEGE' } },
  { reason: 'Dataverse 429 whose retries ran out is DATAVERSE_THROTTLED (learn.microsoft.com/power-apps/developer/data-platform/api-limits)', service: 'dataverse', request: patchBr, response: { status: 429, headers: { 'retry-after': '3' }, body: { error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } } }, expected: { class: 'throttled', code: 'DATAVERSE_THROTTLED' } },
];

describe('classify', () => {
  it.each(cases)('$reason', ({ service, request, response, expected }) => {
    const error = classify(service, request, response);
    if (expected === null) {
      expect(error).toBeNull();
      return;
    }
    expect(error?.toJSON()).toMatchObject({ class: expected.class, code: expected.code });
    if (expected.message) expect(error?.message).toMatch(expected.message);
    if (expected.action) expect(error?.action).toMatch(expected.action);
    expect(error?.cause).toMatchObject({ status: response.status });
  });
});

describe('isAlreadyDone', () => {
  it.each([
    { reason: 'already a member on add', request: addMember, response: cases[1]!.response, done: true },
    { reason: 'not a member on remove', request: removeMember, response: cases[2]!.response, done: true },
    { reason: 'a missing group on remove is not done', request: removeMember, response: cases[4]!.response, done: false },
    { reason: 'a 204 is not an "already done" refusal', request: addMember, response: { status: 204, headers: {}, body: undefined }, done: false },
  ])('$reason', ({ request, response, done }) => {
    expect(isAlreadyDone(request, response)).toBe(done);
  });
});
