/**
 * Conformance: POST /invitations. Sources: Learn invitation-post (api-reference/v1.0/api/invitation-post.md),
 * resources/invitation.md, entra-docs user-properties.md;
 * learn.microsoft.com/graph/api/invitation-post, learn.microsoft.com/graph/api/user-list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

const fixture = {
  tenant: { id: '11111111-1111-1111-1111-111111111111', defaultDomain: 'contoso.onmicrosoft.com', verifiedDomains: ['contoso.onmicrosoft.com', 'contoso.com'] },
  app: { roles: ['User.Invite.All', 'User.Read.All'] },
  graph: {
    users: [
      { id: 'aaaaaaaa-0000-0000-0000-000000000001', displayName: 'Bob', mail: 'bob@vendor.com', otherMails: ['bob@vendor.com'], userPrincipalName: 'bob_vendor.com#EXT#@contoso.onmicrosoft.com', userType: 'Guest', creationType: 'Invitation', externalUserState: 'Accepted' },
      { id: 'aaaaaaaa-0000-0000-0000-000000000002', displayName: 'Carol', mail: 'carol@vendor.com', otherMails: ['carol@vendor.com'], userPrincipalName: 'carol_vendor.com#EXT#@contoso.onmicrosoft.com', userType: 'Guest', accountEnabled: false },
      { id: 'aaaaaaaa-0000-0000-0000-000000000003', displayName: 'Dave', mail: 'dave@partner.com', userPrincipalName: 'dave@contoso.com', userType: 'Member' },
      { id: 'aaaaaaaa-0000-0000-0000-000000000004', displayName: 'Erin', mail: null, otherMails: ['erin.other@vendor.com'], userPrincipalName: 'erin_vendor.com#EXT#@contoso.onmicrosoft.com', userType: 'Guest' },
    ],
  },
};

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(fixture);
});
afterAll(() => s.stop());

const invite = (body: unknown) => s.graph('POST', '/invitations', { body });

describe('POST /invitations (invitation-post.md)', () => {
  it('returns 201 with the invitation shape of the v1.0 example; invitedUser.id is the user, the invitation id is not', async () => {
    const res = await invite({ invitedUserEmailAddress: 'jane@fabrikam.com', inviteRedirectUrl: 'https://myapp.contoso.com' });
    expect(res.status).toBe(201);
    const b = res.json;
    expect(b['@odata.context']).toBe(`${s.info.graphBaseUrl}/$metadata#invitations/$entity`);
    expect(b).toMatchObject({
      invitedUserDisplayName: null,
      invitedUserType: 'Guest',
      invitedUserEmailAddress: 'jane@fabrikam.com',
      sendInvitationMessage: false,
      resetRedemption: false,
      inviteRedirectUrl: 'https://myapp.contoso.com',
      status: 'PendingAcceptance',
      invitedUserMessageInfo: { messageLanguage: null, customizedMessageBody: null, ccRecipients: [{ emailAddress: { name: null, address: null } }] },
    });
    expect(b.inviteRedeemUrl).toMatch(/^https:\/\/login\.microsoftonline\.com\/redeem\?rd=/);
    expect(b.id).not.toBe(b.invitedUser.id);
    expect(s.sim.state.graph.users.has(b.invitedUser.id)).toBe(true);
  });

  it('creates the guest user at once: #EXT# UPN, Invitation, PendingAcceptance, mail and otherMails, no usageLocation (learn.microsoft.com/graph/api/user-list)', async () => {
    const res = await invite({ invitedUserEmailAddress: 'Kim.Lee@Fabrikam.com', inviteRedirectUrl: 'https://myapp.contoso.com', invitedUserDisplayName: 'Kim Lee' });
    const u = s.sim.state.graph.users.get(res.json.invitedUser.id)!;
    expect(u).toMatchObject({
      userPrincipalName: 'Kim.Lee_Fabrikam.com#EXT#@contoso.onmicrosoft.com',
      mailNickname: 'Kim.Lee_Fabrikam.com#EXT#',
      displayName: 'Kim Lee',
      userType: 'Guest',
      creationType: 'Invitation',
      externalUserState: 'PendingAcceptance',
      mail: 'Kim.Lee@Fabrikam.com',
      otherMails: ['Kim.Lee@Fabrikam.com'],
      accountEnabled: true,
      usageLocation: null,
      assignedLicenses: [],
    });
  });

  it('without invitedUserDisplayName the guest is named after the local part (observed; docs silent)', async () => {
    const res = await invite({ invitedUserEmailAddress: 'noname@fabrikam.com', inviteRedirectUrl: 'https://x.example' });
    expect(s.sim.state.graph.users.get(res.json.invitedUser.id)!.displayName).toBe('noname');
  });

  it('a second invitation of the same email (any case) returns 201 with the same invitedUser.id and creates no user (learn.microsoft.com/graph/api/invitation-post)', async () => {
    const first = await invite({ invitedUserEmailAddress: 'repeat@fabrikam.com', inviteRedirectUrl: 'https://x.example' });
    const count = s.sim.state.graph.users.size;
    const second = await invite({ invitedUserEmailAddress: 'REPEAT@Fabrikam.com', inviteRedirectUrl: 'https://x.example' });
    expect(second.status).toBe(201);
    expect(second.json.invitedUser.id).toBe(first.json.invitedUser.id);
    expect(second.json.id).not.toBe(first.json.id);
    expect(s.sim.state.graph.users.size).toBe(count);
  });

  it('an existing guest is found by mail, otherMails or UPN; an accepted guest reports status Completed', async () => {
    const byMail = await invite({ invitedUserEmailAddress: 'bob@vendor.com', inviteRedirectUrl: 'https://x.example' });
    expect(byMail.json.invitedUser.id).toBe('aaaaaaaa-0000-0000-0000-000000000001');
    expect(byMail.json.status).toBe('Completed');
    const byOther = await invite({ invitedUserEmailAddress: 'erin.other@vendor.com', inviteRedirectUrl: 'https://x.example' });
    expect(byOther.json.invitedUser.id).toBe('aaaaaaaa-0000-0000-0000-000000000004');
  });

  it('every successful call is logged in /_sim/state invitations with the user id', async () => {
    const before = (await s.admin('GET', '/state')).json.invitations.length;
    const res = await invite({ invitedUserEmailAddress: 'logged@fabrikam.com', inviteRedirectUrl: 'https://x.example' });
    await invite({ invitedUserEmailAddress: 'logged@fabrikam.com', inviteRedirectUrl: 'https://x.example' });
    const log = (await s.admin('GET', '/state')).json.invitations;
    expect(log.length).toBe(before + 2);
    expect(log.slice(-2).map((e: any) => [e.invitedUserEmailAddress, e.invitedUserId])).toEqual([
      ['logged@fabrikam.com', res.json.invitedUser.id],
      ['logged@fabrikam.com', res.json.invitedUser.id],
    ]);
  });

  it('a blocked existing user gets 400 with the observed message (learn.microsoft.com/graph/api/invitation-post [observed])', async () => {
    const res = await invite({ invitedUserEmailAddress: 'carol@vendor.com', inviteRedirectUrl: 'https://x.example' });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('already exists in the directory as object ID: aaaaaaaa-0000-0000-0000-000000000002, but the account is blocked from signing in');
  });

  it('an email that belongs to a Member user gets 400 (docs silent: stricter choice)', async () => {
    const res = await invite({ invitedUserEmailAddress: 'dave@partner.com', inviteRedirectUrl: 'https://x.example' });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('as a member, object ID: aaaaaaaa-0000-0000-0000-000000000003');
  });

  it('an email in a verified domain of the tenant gets 400 and creates nothing (learn.microsoft.com/graph/api/invitation-post [observed])', async () => {
    const count = s.sim.state.graph.users.size;
    const res = await invite({ invitedUserEmailAddress: 'someone@Contoso.com', inviteRedirectUrl: 'https://x.example' });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('verified domain of this directory');
    expect(s.sim.state.graph.users.size).toBe(count);
  });

  it.each([
    { reason: 'invitedUserEmailAddress is required', body: { inviteRedirectUrl: 'https://x.example' }, text: "'invitedUserEmailAddress'" },
    { reason: 'inviteRedirectUrl is required', body: { invitedUserEmailAddress: 'a@fabrikam.com' }, text: "'inviteRedirectUrl'" },
    { reason: 'a malformed email is refused', body: { invitedUserEmailAddress: 'not-an-email', inviteRedirectUrl: 'https://x.example' }, text: 'not a valid email address' },
    { reason: 'invitedUserType is Guest or Member', body: { invitedUserEmailAddress: 'a@fabrikam.com', inviteRedirectUrl: 'https://x.example', invitedUserType: 'Boss' }, text: 'invitedUserType' },
  ])('400 when $reason (invitation-post.md request body)', async ({ body, text }) => {
    const count = s.sim.state.graph.users.size;
    const res = await invite(body);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain(text);
    expect(s.sim.state.graph.users.size).toBe(count);
  });

  it('the new guest is found by its #EXT# UPN, percent-encoded as %23EXT%23 in the path and in $filter (learn.microsoft.com/graph/api/user-list)', async () => {
    const res = await invite({ invitedUserEmailAddress: 'path@fabrikam.com', inviteRedirectUrl: 'https://x.example' });
    const upn = 'path_fabrikam.com#EXT#@contoso.onmicrosoft.com';
    const get = await s.graph('GET', `/users/${encodeURIComponent(upn)}?$select=id,userType`);
    expect(get.status).toBe(200);
    expect(get.json).toMatchObject({ id: res.json.invitedUser.id, userType: 'Guest' });
    const list = await s.graph('GET', `/users?$filter=${encodeURIComponent(`userPrincipalName eq '${upn}'`)}&$select=id`);
    expect(list.json.value).toEqual([{ id: res.json.invitedUser.id }]);
  });
});
