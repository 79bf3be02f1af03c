/**
 * The customer portal family through the real engine and clients against the simulator (issue 13,
 * "Tests"), on one simulator (test/integration/portal-fixture.ts). Steps 1–4 take one contact in
 * order: access on, the invitation issued and sent (the exact request bodies), redeemed through the
 * simulator, converged. Steps 5–9 each reset the simulator with a contact of their own: an expired
 * invitation replaced, a role removed by hand restored, access turned off, the contact deactivated,
 * and a contact deleted and re-added with the same email.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineTenant, type EngineTenant } from './engine-fixture.js';
import { utcDate } from '../../reconcilers/portal/desired.js';
import { CUSTOMER_ACCOUNT, DAY_MS, PORTAL_SETTINGS, ROLE, SEND_WORKFLOW, WEBSITE, customer, daysLater, givesRole, hasRole, invitationsOf, mailedCode, portalFixture, redeem } from './portal-fixture.js';

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

/** o25fs_portalstatus (reconcilers/portal/status.ts), spelled out so a renumbering fails here. */
const STATUS = { invitationSent: 808950001, active: 808950002, accessRemoved: 808950003 } as const;
const INACTIVE = { statecode: 1, statuscode: 2 };
const org = (): string => `${t.s.info.dataverseUrl.replace(/\/$/, '')}/api/data/v9.2`;
const kinds = (run: { plan: { changes: { kind: string }[] } }): string[] => run.plan.changes.map((c) => c.kind).sort();
const invitation = (id: string): Record<string, unknown> | undefined => t.s.sim.state.dataverse.get('adx_invitations', id);

/** Resets the simulator to these customers and applies once: each with access on gets the role and a sent invitation. */
async function invite(...customers: Record<string, unknown>[]): Promise<void> {
  t.s.sim.reset(portalFixture([], customers));
  expect((await t.apply()).outcome).toBe('succeeded');
}

/** The contact's one invitation, as the first apply issued it. */
function onlyInvitation(contactId: string): string {
  const rows = invitationsOf(t, contactId);
  expect(rows).toHaveLength(1);
  return String(rows[0]!.adx_invitationid);
}

describe('a customer contact after convergence', () => {
  it('5) an invitation that expired unredeemed is set Inactive and a new one is issued and sent; the old code then answers 404', async () => {
    const bo = customer(5, 'Bo', 'Brandt', { o25fs_portalaccess: true });
    const id = String(bo.contactid);
    await invite(bo);
    const oldId = onlyInvitation(id);
    const oldCode = await mailedCode(t, oldId);
    // The invitation expires 14 days after issue (PORTAL_INVITATION_EXPIRY_DAYS default): 15 days on it is past.
    const later = daysLater(15);
    await t.clearLogs();
    const run = await t.apply({ kind: 'tenant' }, later);
    expect(run.outcome).toBe('succeeded');
    expect(kinds(run)).toEqual(['invitation.create', 'invitation.retire', 'invitation.role', 'invitation.send']);
    expect(t.writes().find((w) => w.path === `adx_invitations(${oldId})`)?.body).toEqual(INACTIVE);
    expect(invitation(oldId)).toMatchObject(INACTIVE);
    const newId = String(run.plan.changes.find((c) => c.kind === 'invitation.create')!.target.id);
    expect(newId).not.toBe(oldId);
    expect(invitation(newId)).toMatchObject({ statecode: 0, statuscode: 756150000, adx_expirydate: utcDate(later.now().getTime() + 14 * DAY_MS), _adx_invitecontact_value: id });
    expect(givesRole(t, newId)).toBe(true);
    expect(t.writes().find((w) => w.path === `workflows(${SEND_WORKFLOW})/Microsoft.Dynamics.CRM.ExecuteWorkflow`)?.body).toEqual({ EntityId: newId });
    expect(t.contact(id).o25fs_portalstatus).toBe(STATUS.invitationSent);
    expect(await redeem(t, oldCode, later.now())).toBe(404);
    expect(await redeem(t, await mailedCode(t, newId), later.now())).toBe(200);
  });

  it('6) the web role removed by hand (DELETE of the $ref) is given again on the next apply; the redeemed invitation is not touched', async () => {
    const cy = customer(6, 'Cy', 'Cole', { o25fs_portalaccess: true });
    const id = String(cy.contactid);
    await invite(cy);
    const invitationId = onlyInvitation(id);
    expect(await redeem(t, await mailedCode(t, invitationId))).toBe(200);
    expect((await t.apply()).outcome).toBe('succeeded');
    expect(t.contact(id).o25fs_portalstatus).toBe(STATUS.active);
    expect((await t.s.dataverse('DELETE', `adx_webroles(${ROLE})/adx_webrole_contact(${id})/$ref`)).status).toBe(204);
    expect(hasRole(t, id)).toBe(false);
    await t.clearLogs();
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    expect(kinds(run)).toEqual(['webrole.grant']);
    expect(t.writes().map((w) => [w.method, w.path, w.body])).toEqual([['POST', `adx_webroles(${ROLE})/adx_webrole_contact/$ref`, { '@odata.id': `${org()}/contacts(${id})` }]]);
    expect(hasRole(t, id)).toBe(true);
    expect(invitation(invitationId)).toMatchObject({ statecode: 0, statuscode: 756150001 });
    expect(t.contact(id).o25fs_portalstatus).toBe(STATUS.active);
  });

  it('7) access turned off: the role is removed (a guarded removal), the unredeemed invitation set Inactive, the status Access removed', async () => {
    const di = customer(7, 'Di', 'Dunn', { o25fs_portalaccess: true });
    const id = String(di.contactid);
    await invite(di);
    const invitationId = onlyInvitation(id);
    const code = await mailedCode(t, invitationId);
    expect((await t.s.dataverse('PATCH', `contacts(${id})`, { body: { o25fs_portalaccess: false }, headers: { 'If-Match': '*' } })).status).toBe(204);
    await t.clearLogs();
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    expect(kinds(run)).toEqual(['invitation.revoke', 'webrole.revoke']);
    expect(t.writes().find((w) => w.method === 'DELETE')?.path).toBe(`adx_webroles(${ROLE})/adx_webrole_contact(${id})/$ref`);
    expect(t.writes().find((w) => w.path === `adx_invitations(${invitationId})`)?.body).toEqual(INACTIVE);
    expect(hasRole(t, id)).toBe(false);
    expect(invitation(invitationId)).toMatchObject(INACTIVE);
    expect(t.contact(id).o25fs_portalstatus).toBe(STATUS.accessRemoved);
    expect(await redeem(t, code)).toBe(404);
    expect((await t.engine().plan({ kind: 'tenant' })).plan.changes).toEqual([]);
  });

  it('8) the contact deactivated (statecode 1): the role is removed, the unredeemed invitation set Inactive, the status Access removed', async () => {
    const ed = customer(8, 'Ed', 'Eames', { o25fs_portalaccess: true });
    const id = String(ed.contactid);
    await invite(ed);
    const invitationId = onlyInvitation(id);
    expect((await t.s.dataverse('PATCH', `contacts(${id})`, { body: { statecode: 1, statuscode: 2 }, headers: { 'If-Match': '*' } })).status).toBe(204);
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    expect(kinds(run)).toEqual(['invitation.revoke', 'webrole.revoke']);
    expect(hasRole(t, id)).toBe(false);
    expect(invitation(invitationId)).toMatchObject(INACTIVE);
    expect(t.contact(id)).toMatchObject({ statecode: 1, o25fs_portalaccess: true, o25fs_portalstatus: STATUS.accessRemoved });
    expect((await t.engine().plan({ kind: 'tenant' })).plan.changes).toEqual([]);
  });

  it('8b) a deactivated contact that had redeemed: the role is removed and the redeemed invitation stays as it is (terminal)', async () => {
    const fay = customer(9, 'Fay', 'Fox', { o25fs_portalaccess: true });
    const id = String(fay.contactid);
    await invite(fay);
    const invitationId = onlyInvitation(id);
    expect(await redeem(t, await mailedCode(t, invitationId))).toBe(200);
    expect((await t.s.dataverse('PATCH', `contacts(${id})`, { body: { statecode: 1, statuscode: 2 }, headers: { 'If-Match': '*' } })).status).toBe(204);
    await t.clearLogs();
    const run = await t.apply();
    expect(kinds(run)).toEqual(['webrole.revoke']);
    expect(t.writes().some((w) => w.path.startsWith('adx_invitations'))).toBe(false);
    expect(hasRole(t, id)).toBe(false);
    expect(invitation(invitationId)).toMatchObject({ statecode: 0, statuscode: 756150001, adx_redemptions: 1 });
    expect(t.contact(id).o25fs_portalstatus).toBe(STATUS.accessRemoved);
  });

  it('9) a contact deleted and re-added with the same email gets its own invitation, mailed to that address, redeemable by it', async () => {
    const gil = customer(10, 'Gil', 'Grey', { o25fs_portalaccess: true });
    const oldId = String(gil.contactid);
    await invite(gil);
    const oldInvitation = onlyInvitation(oldId);
    expect(await redeem(t, await mailedCode(t, oldInvitation))).toBe(200);
    expect((await t.s.dataverse('DELETE', `contacts(${oldId})`)).status).toBe(204);
    const newId = 'f0000000-0000-4000-8000-000000000011';
    const body = { contactid: newId, firstname: 'Gil', lastname: 'Grey', emailaddress1: gil.emailaddress1, o25fs_portalaccess: true, 'parentcustomerid_account@odata.bind': `/accounts(${CUSTOMER_ACCOUNT})` };
    expect((await t.s.dataverse('POST', 'contacts', { body })).status).toBe(204);
    await t.clearLogs();
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    expect(kinds(run)).toEqual(['invitation.create', 'invitation.role', 'invitation.send', 'webrole.grant']);
    expect(run.plan.changes.every((c) => c.subject.id === newId)).toBe(true);
    const newInvitation = onlyInvitation(newId);
    expect(newInvitation).not.toBe(oldInvitation);
    expect(t.writes().find((w) => w.path === 'adx_invitations')?.body).toMatchObject({ 'adx_inviteContact@odata.bind': `/contacts(${newId})` });
    const state = (await t.s.admin('GET', '/state')).json as { portal: { emails: { invitationId: string; to: string; contactId: string }[] } };
    expect(state.portal.emails.find((e) => e.invitationId === newInvitation)).toMatchObject({ to: gil.emailaddress1, contactId: newId });
    expect(t.contact(newId).o25fs_portalstatus).toBe(STATUS.invitationSent);
    expect(await redeem(t, await mailedCode(t, newInvitation))).toBe(200);
    expect(hasRole(t, newId)).toBe(true);
  });
});
