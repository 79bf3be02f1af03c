/**
 * A portal fixture shared by the portal conformance files (dataverse-portal-tables, dataverse-
 * relationships, portal-invitations): the Field Service portal's website, two web roles (one per
 * website, the same name), the Send Invitation workflow, a draft workflow, the app's application
 * user, and two customer contacts of the shared Dataverse fixture.
 */
import { DEFAULT_CLIENT_ID } from '../../src/state.js';
import type { Fixture } from '../../src/index.js';
import { contactId, dataverseFixture, g } from './dataverse-fixture.js';

export const WEBSITE = g(1, 'a0a0a0a0');
export const OTHER_WEBSITE = g(2, 'a0a0a0a0');
export const ROLE = g(1, 'b0b0b0b0');
export const OTHER_ROLE = g(2, 'b0b0b0b0');
export const SEND_WORKFLOW = g(1, 'c0c0c0c0');
export const DRAFT_WORKFLOW = g(2, 'c0c0c0c0');
export const APP_USER = g(9, 'bbbbbbbb');
export const INVITATION = g(1, 'd0d0d0d0');
/** Ann (emailaddress1 ann@alpha.example) and Bob (Bob@Alpha.example) of the shared fixture. */
export const ANN = contactId(1);
export const BOB = contactId(2);
/** Cid has no email. */
export const CID = contactId(3);

export function portalFixture(): Fixture {
  const f = dataverseFixture();
  const dv = f.dataverse!;
  dv.systemusers!.push({ systemuserid: APP_USER, fullname: '# vendor-reconciler', applicationid: DEFAULT_CLIENT_ID, isdisabled: false, accessmode: 4 });
  dv.adx_websites = [
    { adx_websiteid: WEBSITE, adx_name: 'Field Service Portal', statecode: 0, statuscode: 1 },
    { adx_websiteid: OTHER_WEBSITE, adx_name: 'Partner Portal', statecode: 0, statuscode: 1 },
  ];
  dv.adx_webroles = [
    { adx_webroleid: ROLE, adx_name: 'Web API Users', _adx_websiteid_value: WEBSITE, adx_authenticatedusersrole: false, adx_anonymoususersrole: false, statecode: 0, statuscode: 1 },
    { adx_webroleid: OTHER_ROLE, adx_name: 'Web API Users', _adx_websiteid_value: OTHER_WEBSITE, adx_authenticatedusersrole: false, adx_anonymoususersrole: false, statecode: 0, statuscode: 1 },
  ];
  dv.workflows = [
    { workflowid: SEND_WORKFLOW, name: 'Send Invitation', type: 1, category: 0, primaryentity: 'adx_invitation', ondemand: true, statecode: 1, statuscode: 2 },
    { workflowid: DRAFT_WORKFLOW, name: 'Send Invitation (draft copy)', type: 1, category: 0, primaryentity: 'adx_invitation', ondemand: true, statecode: 0, statuscode: 1 },
  ];
  return f;
}

/** The product's invitation create body (design of issue 13), for `contact` on WEBSITE. */
export function invitationBody(id: string, contact: string, code: string, expiry = '2099-12-31'): Record<string, unknown> {
  return {
    adx_invitationid: id,
    adx_name: 'Portal invitation',
    adx_type: 756150000,
    adx_invitationcode: code,
    adx_expirydate: expiry,
    'adx_inviteContact@odata.bind': `/contacts(${contact})`,
    'adx_website@odata.bind': `/adx_websites(${WEBSITE})`,
  };
}
