/**
 * Conformance: POST /invitations, invitedUserMessageInfo.ccRecipients.
 * Source: Learn resources/invitedusermessageinfo ("ccRecipients: Additional recipients the
 * invitation message should be sent to. Currently only one additional recipient is supported.").
 * The service was seen to accept more and mail the first only (microsoftgraph/microsoft-graph-docs
 * issue #637, which led to that sentence); the simulator refuses a second recipient (stricter,
 * docs/simulator-graph.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

let s: RunningSim;
beforeAll(async () => {
  s = await startSim({ app: { roles: ['User.Invite.All', 'User.Read.All'] } });
});
afterAll(() => s.stop());

let guests = 0;
const recipient = (address: string) => ({ emailAddress: { name: address.split('@')[0], address } });
const invite = (email: string, info: unknown) =>
  s.graph('POST', '/invitations', { body: { invitedUserEmailAddress: email, inviteRedirectUrl: 'https://contoso.example', sendInvitationMessage: true, invitedUserMessageInfo: info } });

describe('ccRecipients: at most one (invitedusermessageinfo.md)', () => {
  it.each([
    { cc: [], status: 201, reason: 'no additional recipient' },
    { cc: [recipient('manager@vendor.example')], status: 201, reason: 'one additional recipient is supported' },
    { cc: [recipient('a@vendor.example'), recipient('b@vendor.example')], status: 400, reason: 'only one additional recipient is supported' },
    { cc: recipient('a@vendor.example'), status: 400, reason: 'ccRecipients is a collection' },
  ])('$cc.length recipient(s) → $status ($reason)', async ({ cc, status }) => {
    const email = `guest.${(guests += 1)}@vendor.example`;
    const res = await invite(email, { ccRecipients: cc });
    expect(res.status).toBe(status);
    if (status === 400) {
      expect(res.json.error.code).toBe('BadRequest');
      // Nothing happened: no guest for the address.
      expect([...s.sim.state.graph.users.values()].some((u) => u.mail === email)).toBe(false);
    } else {
      expect(res.json.invitedUserMessageInfo.ccRecipients).toEqual(cc);
    }
  });

  it('the refusal names the rule', async () => {
    const res = await invite('guest.two@vendor.example', { ccRecipients: [recipient('a@vendor.example'), recipient('b@vendor.example')] });
    expect(res.json.error.message).toBe('invitedUserMessageInfo.ccRecipients holds 2 recipients; only one additional recipient is supported.');
  });
});
