/**
 * Invitations edited by hand (issue 13, "Bad input"), through the real engine against the simulator
 * (test/integration/portal-fixture.ts). The rules: a redeemed invitation is terminal; one of
 * ours that can no longer be redeemed is set Inactive and replaced, one still usable is kept; an
 * invitation the product did not issue is left alone. "Ours" is the creator (reconcilers/portal/match.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineTenant, type EngineTenant } from './engine-fixture.js';
import { PORTAL_SETTINGS, customer, givesRole, invitationsOf, mailedCode, portalFixture, redeem } from './portal-fixture.js';

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
