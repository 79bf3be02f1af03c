/**
 * Each customer portal change kind's request (reconcilers/portal/web-role.ts, invitation.ts), built
 * from the changes the diffs plan: the exact method, URL, headers and body. The N:N associations
 * are `$ref` requests whose @odata.id is the row's absolute URI, the disassociation a DELETE on the
 * pair (Learn "Associate and disassociate table rows using the Web API",
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api);
 * the invitation binds its contact and website with @odata.bind (Learn "Create a table row using the
 * Web API", https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api);
 * the Send Invitation workflow runs through the bound ExecuteWorkflow action (Learn
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/executeworkflow);
 * inactive is state 1, status 2 (Learn adx_invitation table reference,
 * https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/adx_invitation).
 */
import { describe, expect, it } from 'vitest';
import { PORTAL_KINDS } from '../../../reconcilers/portal/index.js';
import { newInvitationId } from '../../../reconcilers/portal/invitation.js';
import { INVITATION, type InvitationRow, type PortalContactRow } from '../../../reconcilers/portal/rows.js';
import type { PortalChangeSpec } from '../../../reconcilers/portal/common.js';
import type { ServiceRequest, ServiceResponse } from '../../../src/clients/types.js';
import type { Change, ChangeKind } from '../../../src/model/plan.js';
import { DATAVERSE_URL, ROLE, WEBSITE, WORKFLOW, contactId, invitationId, invitationRow, portalContact, portalObservation, portalStateOf } from '../../support/portal-model.js';

const C = contactId(7);
const I1 = invitationId(1);
const ORG = `${DATAVERSE_URL}/api/data/v9.2`;
const noCreated = (): string | undefined => undefined;

const specOf = (kind: ChangeKind): PortalChangeSpec => {
  const spec = PORTAL_KINDS.flatMap((k) => k.changes).find((s) => s.kind === kind);
  if (!spec) throw new Error(`no spec for ${kind}`);
  return spec;
};

/** The contact's planned changes, and the new invitation's id, for a tenant shape. */
function planned(t: { contact?: Partial<PortalContactRow>; invitations?: InvitationRow[]; hasRole?: boolean; givingRole?: string[] }): { changes: Change[]; newId: string } {
  const invitations = t.invitations ?? [];
  const obs = portalObservation({ contacts: [portalContact(C, t.contact)], invitations, roleContactIds: t.hasRole ? [C] : [], roleInvitationIds: t.givingRole ?? invitations.map((i) => i.adx_invitationid) });
  const { desired, observed } = portalStateOf(obs, C);
  return { changes: PORTAL_KINDS.flatMap((k) => k.diff(desired, observed)), newId: newInvitationId(desired, observed) };
}

function requestOf(changes: Change[], kind: ChangeKind, dataverseUrl = DATAVERSE_URL): ServiceRequest {
  const change = changes.find((c) => c.kind === kind);
  if (!change) throw new Error(`no ${kind} planned (${changes.map((c) => c.kind).join(', ')})`);
  return specOf(kind).toRequest(change, noCreated, { dataverseUrl });
}

const off = { o25fs_portalaccess: false, o25fs_portalstatus: 808950001 };
const inactivate: ServiceRequest = { method: 'PATCH', url: `adx_invitations(${I1})`, headers: { 'If-Match': '*' }, body: { statecode: 1, statuscode: 2 } };

describe('the portal requests', () => {
  const fresh = planned({});
  const cases: { reason: string; changes: Change[]; kind: ChangeKind; dataverseUrl?: string; want: ServiceRequest }[] = [
    {
      reason: 'webrole.grant associates the contact with the site\'s role (adx_webrole_contact $ref)',
      changes: fresh.changes,
      kind: 'webrole.grant',
      want: { method: 'POST', url: `adx_webroles(${ROLE})/adx_webrole_contact/$ref`, body: { '@odata.id': `${ORG}/contacts(${C})` } },
    },
    {
      reason: 'the @odata.id has one slash after the environment URL even when it ends in one',
      changes: fresh.changes,
      kind: 'webrole.grant',
      dataverseUrl: `${DATAVERSE_URL}/`,
      want: { method: 'POST', url: `adx_webroles(${ROLE})/adx_webrole_contact/$ref`, body: { '@odata.id': `${ORG}/contacts(${C})` } },
    },
    {
      reason: 'webrole.revoke disassociates the pair, with no body',
      changes: planned({ contact: off, hasRole: true }).changes,
      kind: 'webrole.revoke',
      want: { method: 'DELETE', url: `adx_webroles(${ROLE})/adx_webrole_contact(${C})/$ref` },
    },
    {
      reason: 'invitation.role associates the new invitation with the role (adx_invitation_webrole $ref)',
      changes: fresh.changes,
      kind: 'invitation.role',
      want: { method: 'POST', url: `adx_invitations(${fresh.newId})/adx_invitation_webrole/$ref`, body: { '@odata.id': `${ORG}/adx_webroles(${ROLE})` } },
    },
    {
      reason: 'invitation.role repairs an existing invitation that lost the role the same way',
      changes: planned({ hasRole: true, invitations: [invitationRow(I1, C, { statuscode: INVITATION.sent })], givingRole: [] }).changes,
      kind: 'invitation.role',
      want: { method: 'POST', url: `adx_invitations(${I1})/adx_invitation_webrole/$ref`, body: { '@odata.id': `${ORG}/adx_webroles(${ROLE})` } },
    },
    {
      reason: 'invitation.send runs the Send Invitation workflow on the new invitation (ExecuteWorkflow)',
      changes: fresh.changes,
      kind: 'invitation.send',
      want: { method: 'POST', url: `workflows(${WORKFLOW})/Microsoft.Dynamics.CRM.ExecuteWorkflow`, body: { EntityId: fresh.newId } },
    },
    {
      reason: 'invitation.send of an existing New invitation names that one',
      changes: planned({ hasRole: true, invitations: [invitationRow(I1, C)] }).changes,
      kind: 'invitation.send',
      want: { method: 'POST', url: `workflows(${WORKFLOW})/Microsoft.Dynamics.CRM.ExecuteWorkflow`, body: { EntityId: I1 } },
    },
    {
      reason: 'invitation.retire sets an expired invitation Inactive, whatever its row holds now (If-Match *)',
      changes: planned({ hasRole: true, invitations: [invitationRow(I1, C, { statuscode: INVITATION.sent, adx_expirydate: '2026-11-01' })] }).changes,
      kind: 'invitation.retire',
      want: inactivate,
    },
    {
      reason: 'invitation.revoke sets the withdrawn invitation Inactive the same way',
      changes: planned({ contact: off, hasRole: true, invitations: [invitationRow(I1, C, { statuscode: INVITATION.sent })] }).changes,
      kind: 'invitation.revoke',
      want: inactivate,
    },
  ];
  for (const tc of cases) it(tc.reason, () => expect(requestOf(tc.changes, tc.kind, tc.dataverseUrl)).toEqual(tc.want));
});

describe('invitation.create', () => {
  const { changes, newId } = planned({});
  const create = changes.find((c) => c.kind === 'invitation.create')!;
  const build = (): ServiceRequest => specOf('invitation.create').toRequest(create, noCreated, { dataverseUrl: DATAVERSE_URL });

  it('posts the invitation under its deterministic id, bound to the contact and the site, with a code from code.ts', () => {
    const request = build();
    const { adx_invitationcode: code, ...rest } = request.body as Record<string, unknown>;
    expect({ ...request, body: rest }).toEqual({
      method: 'POST',
      url: 'adx_invitations',
      body: {
        adx_invitationid: newId,
        adx_name: 'Portal invitation: Carla Customer',
        adx_type: 756150000,
        adx_expirydate: '2026-12-07',
        'adx_inviteContact@odata.bind': `/contacts(${C})`,
        'adx_website@odata.bind': `/adx_websites(${WEBSITE})`,
      },
    });
    // 128 random bytes in Base64 with +, / and = as '-': 172 characters, within the column's 200.
    expect(code).toMatch(/^[A-Za-z0-9-]{172}$/);
  });

  it('a new code each time the request is built: the code lives in no Change, so a retry cannot repeat it', () => {
    const codes = new Set(Array.from({ length: 20 }, () => String((build().body as Record<string, unknown>).adx_invitationcode)));
    expect(codes.size).toBe(20);
    expect(JSON.stringify(changes)).not.toMatch(/invitationcode/i);
  });

  it('a long display name is cut to adx_name\'s 200 characters', () => {
    const long = planned({ contact: { fullname: 'N'.repeat(250) } }).changes.find((c) => c.kind === 'invitation.create')!;
    const body = specOf('invitation.create').toRequest(long, noCreated, { dataverseUrl: DATAVERSE_URL }).body as Record<string, unknown>;
    expect(body.adx_name).toBe(`Portal invitation: ${'N'.repeat(181)}`);
    expect(String(body.adx_name)).toHaveLength(200);
  });
});

describe('answers that mean "already so"', () => {
  const duplicate: ServiceResponse = { status: 400, headers: {}, body: { error: { code: '0x80040237', message: 'Cannot insert duplicate key.' } } };
  const cases: { reason: string; kind: ChangeKind; response: ServiceResponse; want: boolean }[] = [
    { reason: 'webrole.grant: the pair exists already (duplicate key)', kind: 'webrole.grant', response: duplicate, want: true },
    { reason: 'webrole.grant: another 400 is a failure', kind: 'webrole.grant', response: { status: 400, headers: {}, body: { error: { code: '0x80040203' } } }, want: false },
    { reason: 'invitation.role: the pair exists already', kind: 'invitation.role', response: duplicate, want: true },
    { reason: 'webrole.grant: 412 with the duplicate-key code (how Dataverse answers a duplicate create) is also the pair existing', kind: 'webrole.grant', response: { ...duplicate, status: 412 }, want: true },
    { reason: 'webrole.grant: a 412 without the duplicate-key code is a failure', kind: 'webrole.grant', response: { status: 412, headers: {}, body: { error: { code: '0x80060882' } } }, want: false },
    { reason: 'invitation.create: 412, an earlier attempt created the deterministic id', kind: 'invitation.create', response: { status: 412, headers: {}, body: undefined }, want: true },
    { reason: 'invitation.create: a duplicate-key 400 is not taken as done', kind: 'invitation.create', response: duplicate, want: false },
  ];
  const { changes } = planned({});
  for (const tc of cases) {
    it(tc.reason, () => {
      const spec = specOf(tc.kind);
      expect(spec.alreadyDone?.(changes.find((c) => c.kind === tc.kind)!, tc.response) ?? false).toBe(tc.want);
    });
  }
  it('send, retire and revoke have no "already so": each refusal is a failure', () => {
    expect((['invitation.send', 'invitation.retire', 'invitation.revoke', 'webrole.revoke'] as const).map((k) => specOf(k).alreadyDone)).toEqual([undefined, undefined, undefined, undefined]);
  });
});
