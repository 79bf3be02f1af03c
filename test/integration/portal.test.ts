/**
 * The customer portal family through the real engine and clients against the simulator (issue 13,
 * "Tests"), steps in order on one tenant (test/integration/portal-fixture.ts). So far: access on,
 * the invitation issued and sent (the exact request bodies), redeemed through the simulator, converged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineTenant, type EngineTenant } from './engine-fixture.js';
import { PORTAL_SETTINGS, ROLE, SEND_WORKFLOW, WEBSITE, customer, portalFixture } from './portal-fixture.js';

const ann = customer(1, 'Ann', 'Archer');
const annId = String(ann.contactid);
let t: EngineTenant;
beforeAll(async () => {
  t = await startEngineTenant([], PORTAL_SETTINGS);
  t.s.sim.reset(portalFixture([], [ann]));
});
afterAll(() => t.stop());

describe('a customer contact through portal access', () => {
  it('1) with access off nothing is planned; access on plans the role, the invitation, its role and its sending', async () => {
    expect((await t.dryRun()).plan.changes).toEqual([]);
    expect((await t.s.dataverse('PATCH', `contacts(${annId})`, { body: { o25fs_portalaccess: true }, headers: { 'If-Match': '*' } })).status).toBe(204);
    const dry = await t.dryRun();
    expect(dry.plan.changes.map((c) => c.kind).sort()).toEqual(['invitation.create', 'invitation.role', 'invitation.send', 'webrole.grant']);
  });

  it('2) the apply sends the exact requests; the code (172 characters) is in no plan; the invitation is Sent', async () => {
    await t.clearLogs();
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    const invitationId = String(run.plan.changes.find((c) => c.kind === 'invitation.create')!.target.id);
    const org = `${t.s.info.dataverseUrl.replace(/\/$/, '')}/api/data/v9.2`;
    const create = t.writes().find((w) => w.path === 'adx_invitations')!;
    const code = String((create.body as Record<string, unknown>).adx_invitationcode);
    expect(code).toHaveLength(172);
    expect(create.body).toMatchObject({ adx_invitationid: invitationId, adx_type: 756150000, 'adx_inviteContact@odata.bind': `/contacts(${annId})`, 'adx_website@odata.bind': `/adx_websites(${WEBSITE})` });
    expect(t.writes().find((w) => w.path === `adx_webroles(${ROLE})/adx_webrole_contact/$ref`)?.body).toEqual({ '@odata.id': `${org}/contacts(${annId})` });
    expect(t.writes().find((w) => w.path === `adx_invitations(${invitationId})/adx_invitation_webrole/$ref`)?.body).toEqual({ '@odata.id': `${org}/adx_webroles(${ROLE})` });
    expect(t.writes().find((w) => w.path === `workflows(${SEND_WORKFLOW})/Microsoft.Dynamics.CRM.ExecuteWorkflow`)?.body).toEqual({ EntityId: invitationId });
    expect(JSON.stringify(run)).not.toContain(code);
    expect(t.s.sim.state.dataverse.get('adx_invitations', invitationId)).toMatchObject({ statecode: 0, statuscode: 756150000 });
    expect(t.contact(annId).o25fs_portalstatus).toBe(808950001);
  });

  it('3-4) redeemed through POST /_sim/portal/redeem with the code from /_sim/state; the next apply writes Active and the plan after it is empty', async () => {
    const state = (await t.s.admin('GET', '/state')).json as { portal: { emails: { contactId: string; code: string }[] } };
    const email = state.portal.emails.find((e) => e.contactId === annId)!;
    expect((await t.s.admin('POST', '/portal/redeem', { code: email.code })).status).toBe(200);
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    expect(run.plan.changes).toEqual([]);
    expect(t.contact(annId).o25fs_portalstatus).toBe(808950002);
    expect((await t.engine().plan({ kind: 'tenant' })).plan.changes).toEqual([]);
  });
});
