/**
 * Conformance: sending and redeeming portal invitations. Sources:
 * - Learn ExecuteWorkflow Action (bound to workflow; EntityId Edm.Guid, not nullable; returns the
 *   asyncoperation): previous-versions/dynamicscrm-2016/developers-guide/mt491159;
 * - the Send Invitation workflow (Learn "Invite contacts to your Power Pages site",
 *   learn.microsoft.com/power-pages/security/invite-contacts): an on-demand workflow on the invitation
 *   that emails the invitee's emailaddress1 and sets the status to Sent;
 * - redemption: Adoxio/xRM-Portals-Community-Edition, Framework/Adxstudio.Xrm/AspNet/Identity/
 *   CrmInvitationStore.cs and InvitationManager.cs (lookup by code, Active, expiry on or after now in
 *   UTC rounded to the hour; redemptions + 1; a Single invitation's redeemed contact; status Redeemed
 *   in state Active) and the redemption pipeline's web roles (adx_invitation_webrole).
 * Not documented, the stricter choices of docs/simulator.md "The portal": a workflow that is not
 * Activated is refused 400; the workflow runs at once; no email without an emailaddress1.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stateToFixture } from '../../src/state.js';
import { startSim, type RunningSim } from '../support/sim.js';
import { contactId, g } from './dataverse-fixture.js';
import { ANN, BOB, DRAFT_WORKFLOW, INVITATION, ROLE, SEND_WORKFLOW, invitationBody, portalFixture } from './portal-fixture.js';

let s: RunningSim;
beforeEach(async () => {
  s = await startSim(portalFixture());
});
afterEach(() => s.stop());

const url = (path: string): string => `${s.info.dataverseUrl}/api/data/v9.2/${path}`;
const invitation = (id = INVITATION): Record<string, unknown> => s.sim.state.dataverse.get('adx_invitations', id)!;
const execute = (workflow: string, entityId: unknown): ReturnType<RunningSim['dataverse']> =>
  s.dataverse('POST', `workflows(${workflow})/Microsoft.Dynamics.CRM.ExecuteWorkflow`, { body: { EntityId: entityId } });
const create = async (id: string, contact: string, code: string, expiry?: string): Promise<void> => {
  expect((await s.dataverse('POST', 'adx_invitations', { body: invitationBody(id, contact, code, expiry) })).status).toBe(204);
  expect((await s.dataverse('POST', `adx_invitations(${id})/adx_invitation_webrole/$ref`, { body: { '@odata.id': url(`adx_webroles(${ROLE})`) } })).status).toBe(204);
};
const redeem = (body: unknown): ReturnType<RunningSim['admin']> => s.admin('POST', '/portal/redeem', body);
const members = (): unknown => stateToFixture(s.sim.state).dataverse!.adx_webrole_contact ?? [];

describe('ExecuteWorkflow (Learn ExecuteWorkflow Action) and the Send Invitation workflow', () => {
  it('answers 200 with an asyncoperationid; the invitation is Sent at once and the email (to, invitation, code) is in /_sim/state', async () => {
    await create(INVITATION, ANN, 'secret-code-1');
    const res = await execute(SEND_WORKFLOW, INVITATION);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ '@odata.context': url('$metadata#asyncoperations/$entity'), asyncoperationid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(invitation()).toMatchObject({ statecode: 0, statuscode: 756150000 });
    const state = (await s.admin('GET', '/state')).json;
    expect(state.portal.emails).toEqual([
      { to: 'ann@alpha.example', contactId: ANN, invitationId: INVITATION, code: 'secret-code-1', asyncoperationid: res.json.asyncoperationid, at: expect.any(String) },
    ]);
  });

  it.each([
    { reason: 'the workflow does not exist (404 as for a missing row)', workflow: g(9, 'c0c0c0c0'), entity: () => INVITATION, status: 404, message: `workflow With Id = ${g(9, 'c0c0c0c0')} Does Not Exist` },
    { reason: 'the workflow is a draft, not Activated (inferred: 400)', workflow: DRAFT_WORKFLOW, entity: () => INVITATION, status: 400, message: 'is not activated' },
    { reason: 'EntityId is missing (not nullable)', workflow: SEND_WORKFLOW, entity: () => undefined, status: 400, message: "'EntityId'" },
    { reason: 'EntityId is not a row of the workflow\'s primary entity', workflow: SEND_WORKFLOW, entity: () => g(8, 'd0d0d0d0'), status: 404, message: `adx_invitation With Id = ${g(8, 'd0d0d0d0')} Does Not Exist` },
  ])('refuses when $reason, and nothing is sent', async ({ workflow, entity, status, message }) => {
    await create(INVITATION, ANN, 'secret-code-1');
    const res = await execute(workflow, entity());
    expect(res.status).toBe(status);
    expect(res.json.error.message).toContain(message);
    expect(invitation().statuscode).toBe(1);
    expect(s.sim.state.portal.emails).toEqual([]);
  });

  it.each([
    { reason: 'a Redeemed invitation is left as it is', patch: { statuscode: 756150001 }, end: { statecode: 0, statuscode: 756150001 }, emails: 0 },
    { reason: 'an Inactive invitation is left as it is', patch: { statecode: 1, statuscode: 2 }, end: { statecode: 1, statuscode: 2 }, emails: 0 },
    { reason: 'a Sent invitation is sent again (a resend) and stays Sent', patch: { statuscode: 756150000 }, end: { statecode: 0, statuscode: 756150000 }, emails: 1 },
  ])('$reason', async ({ patch, end, emails }) => {
    await create(INVITATION, ANN, 'secret-code-1');
    await s.dataverse('PATCH', `adx_invitations(${INVITATION})`, { body: patch, headers: { 'If-Match': '*' } });
    expect((await execute(SEND_WORKFLOW, INVITATION)).status).toBe(200);
    expect(invitation()).toMatchObject(end);
    expect(s.sim.state.portal.emails).toHaveLength(emails);
  });

  it('an invitee without emailaddress1 gets no email and the invitation stays New', async () => {
    await s.dataverse('PATCH', `contacts(${BOB})`, { body: { emailaddress1: null }, headers: { 'If-Match': '*' } });
    await create(INVITATION, BOB, 'secret-code-2');
    expect((await execute(SEND_WORKFLOW, INVITATION)).status).toBe(200);
    expect(invitation().statuscode).toBe(1);
    expect(s.sim.state.portal.emails).toEqual([]);
  });
});

describe('POST /_sim/portal/redeem (CrmInvitationStore.cs, InvitationManager.cs)', () => {
  it('redeems a Single invitation: redemptions 1, redeemed contact the invitee, Redeemed in state Active, the web role given', async () => {
    await create(INVITATION, ANN, 'secret-code-1');
    await execute(SEND_WORKFLOW, INVITATION);
    const res = await redeem({ code: 'secret-code-1' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ invitationId: INVITATION, contactId: ANN, webRoleIds: [ROLE] });
    expect(invitation()).toMatchObject({ adx_redemptions: 1, _adx_redeemedcontact_value: ANN, statecode: 0, statuscode: 756150001 });
    expect(members()).toEqual([{ adx_webroleid: ROLE, contactid: ANN }]);
    const again = await redeem({ code: 'secret-code-1' });
    expect(again.status).toBe(404);
    expect(invitation().adx_redemptions).toBe(1);
  });

  it('a contact that already has the role keeps one association', async () => {
    await create(INVITATION, ANN, 'secret-code-1');
    await s.dataverse('POST', `adx_webroles(${ROLE})/adx_webrole_contact/$ref`, { body: { '@odata.id': url(`contacts(${ANN})`) } });
    expect((await redeem({ code: 'secret-code-1' })).status).toBe(200);
    expect(members()).toEqual([{ adx_webroleid: ROLE, contactid: ANN }]);
  });

  it.each([
    { reason: 'an unknown code', setup: {}, code: 'no-such-code', at: undefined },
    { reason: 'an Inactive invitation', setup: { statecode: 1, statuscode: 2 }, code: 'secret-code-1', at: undefined },
    { reason: 'an expiry date before now (D is usable until D 00:59 UTC: the hour rounded down)', setup: {}, code: 'secret-code-1', at: '2030-06-15T01:00:00Z' },
    { reason: 'a Group invitation (not simulated)', setup: { adx_type: 756150001 }, code: 'secret-code-1', at: undefined },
    { reason: 'no redemption left (maximum 1, one made)', setup: { adx_maximumredemptions: 1, adx_redemptions: 1 }, code: 'secret-code-1', at: undefined },
  ])('answers 404 for $reason and changes nothing', async ({ setup, code, at }) => {
    await create(INVITATION, ANN, 'secret-code-1', '2030-06-15');
    if (Object.keys(setup).length > 0) await s.dataverse('PATCH', `adx_invitations(${INVITATION})`, { body: setup, headers: { 'If-Match': '*' } });
    const before = { ...invitation() };
    const res = await redeem({ code, ...(at ? { at } : {}) });
    expect(res.status).toBe(404);
    expect(invitation()).toEqual(before);
    expect(members()).toEqual([]);
  });

  it('the expiry day itself is usable until its first hour ends, and codes compare as the source\'s query does (case-insensitive)', async () => {
    await create(INVITATION, ANN, 'Secret-Code-1', '2030-06-15');
    expect((await redeem({ code: 'secret-code-1', at: '2030-06-15T00:59:59Z' })).status).toBe(200);
    expect(invitation().statuscode).toBe(756150001);
  });

  it('needs a code; an invitee that was deleted makes the code unusable', async () => {
    expect((await redeem({})).status).toBe(400);
    const other = g(2, 'd0d0d0d0');
    await create(other, contactId(4), 'secret-code-4');
    await s.dataverse('DELETE', `contacts(${contactId(4)})`);
    expect(invitation(other)._adx_invitecontact_value).toBeNull();
    expect((await redeem({ code: 'secret-code-4' })).status).toBe(404);
  });
});
