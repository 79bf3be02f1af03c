/**
 * Invitations edited by hand (issue 13, "Bad input"), through the real engine against the simulator
 * (test/integration/portal-fixture.ts). The rules: a redeemed invitation is terminal; one of
 * ours that can no longer be redeemed is set Inactive and replaced, one still usable is kept; an
 * invitation the product did not issue is left alone. "Ours" is the creator (reconcilers/portal/match.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineTenant, type EngineTenant } from './engine-fixture.js';
import { PORTAL_SETTINGS, ROLE, WEBSITE, customer, givesRole, invitationsOf, mailedCode, portalFixture, redeem } from './portal-fixture.js';

const INACTIVE = { statecode: 1, statuscode: 2 };
const SENT = 756150000;
let t: EngineTenant;
beforeAll(async () => {
  t = await startEngineTenant([], PORTAL_SETTINGS);
});
afterAll(() => t.stop());

const invitation = (id: string): Record<string, unknown> | undefined => t.s.sim.state.dataverse.get('adx_invitations', id);
const kinds = (run: { plan: { changes: { kind: string }[] } }): string[] => run.plan.changes.map((c) => c.kind).sort();
const patch = async (path: string, body: Record<string, unknown>): Promise<number> => (await t.s.dataverse('PATCH', path, { body, headers: { 'If-Match': '*' } })).status;

/** Resets the simulator to one customer with access on and applies: it holds the role and one sent invitation, whose id this returns. */
async function invited(c: Record<string, unknown>): Promise<string> {
  t.s.sim.reset(portalFixture([], [c]));
  expect((await t.apply()).outcome).toBe('succeeded');
  const rows = invitationsOf(t, String(c.contactid));
  expect(rows).toHaveLength(1);
  return String(rows[0]!.adx_invitationid);
}

describe('an invitation of ours deactivated by hand', () => {
  it('on its creation day: the next apply issues a new, usable invitation under another id, and sends it', async () => {
    const hal = customer(21, 'Hal', 'Hart', { o25fs_portalaccess: true });
    const id = String(hal.contactid);
    const first = await invited(hal);
    expect(await patch(`adx_invitations(${first})`, INACTIVE)).toBe(204);
    await t.clearLogs();
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    expect(kinds(run)).toEqual(['invitation.create', 'invitation.role', 'invitation.send']);
    const second = String(run.plan.changes.find((c) => c.kind === 'invitation.create')!.target.id);
    // The old id would answer 412 and be taken as already created, leaving no usable invitation.
    expect(second).not.toBe(first);
    expect(t.writes().find((w) => w.path === 'adx_invitations')?.body).toMatchObject({ adx_invitationid: second });
    expect(invitation(first)).toMatchObject(INACTIVE);
    expect(invitation(second)).toMatchObject({ statecode: 0, statuscode: SENT, _adx_invitecontact_value: id });
    expect(givesRole(t, second)).toBe(true);
    expect(await redeem(t, await mailedCode(t, second))).toBe(200);
  });
});

describe('an invitation of ours edited by hand (still Active)', () => {
  it('its expiry moved into the past: it is set Inactive and a new one issued', async () => {
    const ida = customer(22, 'Ida', 'Ives', { o25fs_portalaccess: true });
    const first = await invited(ida);
    expect(await patch(`adx_invitations(${first})`, { adx_expirydate: '2020-01-01' })).toBe(204);
    const run = await t.apply();
    expect(kinds(run)).toEqual(['invitation.create', 'invitation.retire', 'invitation.role', 'invitation.send']);
    expect(run.plan.changes.find((c) => c.kind === 'invitation.retire')?.target.id).toBe(first);
    expect(invitation(first)).toMatchObject(INACTIVE);
    const usable = invitationsOf(t, String(ida.contactid)).filter((r) => r.statecode === 0);
    expect(usable.map((r) => r.statuscode)).toEqual([SENT]);
  });

  it('its expiry moved later: still usable, so it is kept (no change)', async () => {
    const jo = customer(23, 'Jo', 'Judd', { o25fs_portalaccess: true });
    const first = await invited(jo);
    expect(await patch(`adx_invitations(${first})`, { adx_expirydate: '2099-12-31' })).toBe(204);
    expect((await t.apply()).plan.changes).toEqual([]);
    expect(invitation(first)).toMatchObject({ statecode: 0, statuscode: SENT, adx_expirydate: '2099-12-31' });
  });

  it('its type set to Group: set Inactive (a Group code without a maximum can be redeemed again and again) and a Single one issued', async () => {
    const kit = customer(24, 'Kit', 'Kemp', { o25fs_portalaccess: true });
    const first = await invited(kit);
    expect(await patch(`adx_invitations(${first})`, { adx_type: 756150001 })).toBe(204);
    const run = await t.apply();
    expect(kinds(run)).toEqual(['invitation.create', 'invitation.retire', 'invitation.role', 'invitation.send']);
    expect(run.plan.changes.find((c) => c.kind === 'invitation.retire')?.target.id).toBe(first);
    expect(invitation(first)).toMatchObject({ ...INACTIVE, adx_type: 756150001 });
    const active = invitationsOf(t, String(kit.contactid)).filter((r) => r.statecode === 0);
    expect(active.map((r) => [r.adx_type, r.statuscode])).toEqual([[756150000, SENT]]);
  });

  it('its invitee changed to another managed contact: the first gets a new invitation, the other keeps exactly one usable', async () => {
    const lu = customer(25, 'Lu', 'Lane', { o25fs_portalaccess: true });
    const mo = customer(26, 'Mo', 'Moss', { o25fs_portalaccess: true });
    t.s.sim.reset(portalFixture([], [lu, mo]));
    expect((await t.apply()).outcome).toBe('succeeded');
    const [luId, moId] = [String(lu.contactid), String(mo.contactid)];
    const moved = String(invitationsOf(t, luId)[0]!.adx_invitationid);
    expect(await patch(`adx_invitations(${moved})`, { 'adx_inviteContact@odata.bind': `/contacts(${moId})` })).toBe(204);
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    const usable = (id: string): Record<string, unknown>[] => invitationsOf(t, id).filter((r) => r.statecode === 0);
    expect(usable(luId)).toHaveLength(1);
    expect(usable(luId)[0]!.adx_invitationid).not.toBe(moved);
    expect(usable(moId)).toHaveLength(1);
    expect((await t.engine().plan({ kind: 'tenant' })).plan.changes).toEqual([]);
  });

  it('its code changed: the product never reads codes, so it is still usable and kept; the new code redeems it', async () => {
    const ned = customer(27, 'Ned', 'Nash', { o25fs_portalaccess: true });
    const first = await invited(ned);
    const mailed = await mailedCode(t, first);
    expect(await patch(`adx_invitations(${first})`, { adx_invitationcode: 'changed-by-an-admin' })).toBe(204);
    expect((await t.apply()).plan.changes).toEqual([]);
    expect(await redeem(t, mailed)).toBe(404);
    expect(await redeem(t, 'changed-by-an-admin')).toBe(200);
  });
});

describe('an invitation the product did not issue', () => {
  const OTHER_USER = '99999999-0000-4000-8000-000000000001';
  const theirs = (id: string, contactId: string): Record<string, unknown> => ({
    adx_invitationid: id,
    adx_name: 'Invitation issued by an admin',
    adx_type: 756150000,
    adx_expirydate: '2099-12-31',
    _adx_invitecontact_value: contactId,
    _adx_website_value: WEBSITE,
    statecode: 0,
    statuscode: SENT,
    _createdby_value: OTHER_USER,
  });

  it('for a contact the product does not manage: left alone', async () => {
    const oz = customer(28, 'Oz', 'Olsen');
    const theirId = 'c1000000-0000-4000-8000-000000000028';
    t.s.sim.reset({ ...portalFixture([], [oz]), dataverse: { ...portalFixture([], [oz]).dataverse, adx_invitations: [theirs(theirId, String(oz.contactid))] } });
    await t.clearLogs();
    const run = await t.apply();
    expect(run.plan.changes).toEqual([]);
    expect(t.writes().some((w) => w.path.startsWith('adx_invitations'))).toBe(false);
    expect(invitation(theirId)).toMatchObject({ statecode: 0, statuscode: SENT });
  });

  it('for a managed contact: theirs, usable, is the one kept and never written; the product issues none of its own', async () => {
    const pia = customer(29, 'Pia', 'Park', { o25fs_portalaccess: true });
    const theirId = 'c1000000-0000-4000-8000-000000000029';
    const base = portalFixture([], [pia]);
    t.s.sim.reset({ ...base, dataverse: { ...base.dataverse, adx_invitations: [theirs(theirId, String(pia.contactid))], adx_invitation_webrole: [{ adx_invitationid: theirId, adx_webroleid: ROLE }] } });
    await t.clearLogs();
    const run = await t.apply();
    expect(kinds(run)).toEqual(['webrole.grant']);
    expect(t.writes().some((w) => w.path.startsWith('adx_invitations'))).toBe(false);
    expect(invitationsOf(t, String(pia.contactid)).map((r) => r.adx_invitationid)).toEqual([theirId]);
  });
});
