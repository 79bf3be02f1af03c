/**
 * The customer portal status on the contact (reconcilers/portal/status.ts): o25fs_portalstatus
 * (808950000 Invitation pending … 808950004 Error) and o25fs_portalerror, from the family's planned
 * status (a dry run) or the applied outcome (the engine's finalStatuses), written only when either
 * differs from what the contact holds.
 */
import { describe, expect, it } from 'vitest';
import { PORTAL_STATUS, portalStatusOf, portalStatusValue, portalStatusWrites } from '../../../reconcilers/portal/status.js';
import type { PortalContactRow } from '../../../reconcilers/portal/rows.js';
import type { PortalSettings } from '../../../reconcilers/portal/settings.js';
import { buildPlan } from '../../../src/engine/compose.js';
import { finalStatuses, type FinalStatus } from '../../../src/engine/status.js';
import type { ErrorInfo, Plan, ProvisioningStatus, SubjectPlan } from '../../../src/model/plan.js';
import { subjectKey, type ChangeOutcome, type ChangeResult } from '../../../src/model/run.js';
import { INVITATION } from '../../../reconcilers/portal/rows.js';
import { contactId, invitationId, invitationRow, portalContact, portalObservation, portalTestSettings } from '../../support/portal-model.js';

const C = contactId(1);
const KEY = `portal/${C}`;

describe('o25fs_portalstatus values', () => {
  const cases: { reason: string; status: ProvisioningStatus; want: number | null }[] = [
    { reason: 'an invitation issued and mailed: Invitation sent', status: 'invited', want: 808950001 },
    { reason: 'issued but not yet mailed (sending off, or a passing fault): Invitation pending', status: 'pending', want: 808950000 },
    { reason: 'the core\'s waiting state reads as pending too', status: 'waiting_for_dataverse_user', want: 808950000 },
    { reason: 'redeemed and holding the role: Active on the portal', status: 'active', want: 808950002 },
    { reason: 'access gone: Access removed', status: 'deprovisioned', want: 808950003 },
    { reason: 'an error on the contact: Error', status: 'error', want: 808950004 },
    { reason: 'quarantined: Error (the text says why)', status: 'quarantined', want: 808950004 },
    { reason: 'a removal held by the guard: Error (the text says how to release it)', status: 'removal_blocked', want: 808950004 },
    { reason: 'no licence units (not the portal\'s, but mapped): Error', status: 'no_licence_units', want: 808950004 },
    { reason: 'out of scope: nothing to write', status: 'out_of_scope', want: null },
  ];
  for (const tc of cases) it(tc.reason, () => expect(portalStatusValue(tc.status)).toBe(tc.want));

  it('the stored value reads back as the status it was written for; unknown values as none', () => {
    expect(Object.values(PORTAL_STATUS).map((v) => portalStatusValue(portalStatusOf(v)!))).toEqual(Object.values(PORTAL_STATUS));
    expect([808950005, 1, null, undefined].map((v) => portalStatusOf(v))).toEqual([null, null, null, null]);
  });
});

const errorOf = (code: string, cls: ErrorInfo['class'], message: string): ErrorInfo => ({ class: cls, code, message, action: 'Do this.' });

interface Case {
  reason: string;
  contact?: Partial<PortalContactRow>;
  settings?: Partial<PortalSettings>;
  redeemed?: boolean;
  /** The contact holds the site's role (default: only when redeemed). */
  hasRole?: boolean;
  /** The applied outcome of every change of the contact; absent: a dry run. */
  applied?: { outcome: ChangeOutcome; error?: ErrorInfo };
  /** The write's body, or null: no write. */
  want: { o25fs_portalstatus: number; o25fs_portalerror: string | null } | null;
}

const EMAIL_TEXT = `Contact ${C} should have portal access but has no email address (emailaddress1); the invitation is mailed there. What to do: Enter the customer's email address on the contact; the next run issues the invitation.`;
const cases: Case[] = [
  { reason: 'planned: a new contact with sending on is Invitation sent', want: { o25fs_portalstatus: 808950001, o25fs_portalerror: null } },
  { reason: 'planned: sending off, the invitation is only issued: Invitation pending', settings: { sendInvitation: false }, want: { o25fs_portalstatus: 808950000, o25fs_portalerror: null } },
  { reason: 'planned: redeemed and holding the role: Active on the portal', redeemed: true, want: { o25fs_portalstatus: 808950002, o25fs_portalerror: null } },
  { reason: 'planned: access off on a managed contact: Access removed', contact: { o25fs_portalaccess: false, o25fs_portalstatus: 808950002 }, want: { o25fs_portalstatus: 808950003, o25fs_portalerror: null } },
  { reason: 'planned: no email address: Error, with what to do', contact: { emailaddress1: null }, want: { o25fs_portalstatus: 808950004, o25fs_portalerror: EMAIL_TEXT } },
  { reason: 'planned: a contact never managed is out of scope: no write', contact: { o25fs_portalaccess: false }, want: null },
  { reason: 'applied: every change applied: Invitation sent', applied: { outcome: 'applied' }, want: { o25fs_portalstatus: 808950001, o25fs_portalerror: null } },
  {
    reason: 'applied: Dataverse refused a change: Error, with its text',
    applied: { outcome: 'failed', error: errorOf('DATAVERSE_REJECTED', 'contact', 'Dataverse refused it.') },
    want: { o25fs_portalstatus: 808950004, o25fs_portalerror: 'Dataverse refused it. What to do: Do this.' },
  },
  {
    reason: 'applied: a passing fault: Invitation pending (the next run retries), with its text',
    applied: { outcome: 'failed', error: errorOf('SERVICE_UNAVAILABLE', 'transient', 'Dataverse was unavailable.') },
    want: { o25fs_portalstatus: 808950000, o25fs_portalerror: 'Dataverse was unavailable. What to do: Do this.' },
  },
  {
    reason: 'applied: the removal guard held the revoke: Error, with the guard\'s text',
    contact: { o25fs_portalaccess: false, o25fs_portalstatus: 808950002 },
    hasRole: true,
    applied: { outcome: 'blocked', error: errorOf('REMOVALS_HELD', 'contact', 'Removals are held.') },
    want: { o25fs_portalstatus: 808950004, o25fs_portalerror: 'Removals are held. What to do: Do this.' },
  },
  { reason: 'applied: the run stopped before its changes: Invitation pending', applied: { outcome: 'not_reached' }, want: { o25fs_portalstatus: 808950000, o25fs_portalerror: null } },
];

function planOf(c: Case): Plan {
  const invitations = c.redeemed ? [invitationRow(invitationId(1), C, { statuscode: INVITATION.redeemed, _adx_redeemedcontact_value: C })] : [];
  const obs = portalObservation({ contacts: [portalContact(C, c.contact)], invitations, roleContactIds: c.redeemed || c.hasRole ? [C] : [], roleInvitationIds: invitations.map((i) => i.adx_invitationid) });
  return buildPlan(obs, portalTestSettings(c.settings), { kind: 'tenant' });
}

function resultsOf(plan: Plan, applied: NonNullable<Case['applied']>): ChangeResult[] {
  return plan.changes.map((ch) => ({ changeId: ch.id, subjectKey: subjectKey(ch.subject), outcome: applied.outcome, ...(applied.error ? { error: applied.error } : {}) }));
}

describe('the status written per planned and applied outcome', () => {
  for (const c of cases) {
    it(c.reason, () => {
      const plan = planOf(c);
      if (c.applied) expect(plan.changes).not.toEqual([]);
      const writes = portalStatusWrites(plan.subjects, finalStatuses(plan, c.applied ? resultsOf(plan, c.applied) : null));
      expect(writes).toEqual(c.want ? [{ method: 'PATCH', url: `contacts(${C})`, headers: { 'If-Match': '*' }, body: c.want }] : []);
    });
  }
});

describe('written only when changed', () => {
  const subject = (storedStatus: ProvisioningStatus | null, storedError: string | null): SubjectPlan => ({
    subject: { family: 'portal', table: 'contacts', id: C, displayName: 'Carla Customer', group: null },
    intent: 'provision',
    status: 'invited',
    storedStatus,
    storedError,
    changeIds: [],
  });
  const cases: { reason: string; stored: [ProvisioningStatus | null, string | null]; final: FinalStatus | undefined; writes: boolean }[] = [
    { reason: 'the same status and no error: no write (a converged tenant costs nothing)', stored: ['active', null], final: { status: 'active', error: null }, writes: false },
    { reason: 'the same status and the same error text: no write', stored: ['error', 'Broken. What to do: Fix.'], final: { status: 'error', error: 'Broken. What to do: Fix.' }, writes: false },
    { reason: 'the same status, another error text: written', stored: ['error', 'Old. What to do: Fix.'], final: { status: 'error', error: 'New. What to do: Fix.' }, writes: true },
    { reason: 'the error resolved (text cleared): written', stored: ['invited', 'Old. What to do: Fix.'], final: { status: 'invited', error: null }, writes: true },
    { reason: 'another status: written', stored: ['invited', null], final: { status: 'active', error: null }, writes: true },
    { reason: 'never written before: written', stored: [null, null], final: { status: 'invited', error: null }, writes: true },
    { reason: 'out of scope: never written, even over a stored status', stored: ['active', null], final: { status: 'out_of_scope', error: null }, writes: false },
    { reason: 'no final status for the subject: no write', stored: ['active', null], final: undefined, writes: false },
  ];
  for (const tc of cases) {
    it(tc.reason, () => {
      const statuses = new Map(tc.final ? [[KEY, tc.final]] : []);
      const writes = portalStatusWrites([subject(...tc.stored)], statuses);
      expect(writes).toEqual(tc.writes && tc.final ? [{ method: 'PATCH', url: `contacts(${C})`, headers: { 'If-Match': '*' }, body: { o25fs_portalstatus: portalStatusValue(tc.final.status), o25fs_portalerror: tc.final.error } }] : []);
    });
  }
});
