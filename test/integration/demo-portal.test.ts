/**
 * The demo tenant's portal customers (issue 13, "The demo tenant has a few portal customers";
 * tenant-sim's src/demo-portal.ts) through one apply of the real engine, as `npm start` runs it:
 * each new customer gets the web role and one invitation the product's own application user created
 * (WhoAmI, which is how the family tells its invitations from others), mailed by Send Invitation;
 * the customer who redeemed earlier becomes Active on the portal with nothing changed; the one
 * without an email gets an error on its row alone. The next plan has nothing for the portal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_PEOPLE, PORTAL_WEB_ROLE_ID, type PortalCase } from 'tenant-sim/demo-fixture';
import { demoId } from 'tenant-sim/demo-reference';
import { PORTAL_STATUS } from '../../reconcilers/portal/status.js';
import { INVITATION } from '../../reconcilers/portal/rows.js';
import type { RunRecord } from '../../src/model/run.js';
import { startTenant, type Tenant } from '../support/tenant.js';

type Row = Record<string, unknown>;
const idsOf = (c: PortalCase): string[] => PORTAL_PEOPLE.filter((p) => p.case === c).map((p) => demoId(`contact:${p.key}`));
const DAY_MS = 86_400_000;

let t: Tenant;
let run: RunRecord;
let before: Row[];
let appUser: string;
beforeAll(async () => {
  t = await startTenant();
  before = [...t.s.sim.state.dataverse.table('adx_invitations').values()].map((r) => ({ ...r }));
  appUser = String((await t.s.dataverse('GET', 'WhoAmI')).json.UserId);
  run = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
}, 120_000);
afterAll(() => t.stop());

const contact = (id: string): Row => t.s.sim.state.dataverse.get('contacts', id)!;
const invitationsOf = (id: string): Row[] => [...t.s.sim.state.dataverse.table('adx_invitations').values()].filter((r) => r._adx_invitecontact_value === id);
const holdsRole = (id: string): boolean => [...t.s.sim.state.dataverse.table('adx_webrole_contact').values()].some((r) => r.adx_webroleid === PORTAL_WEB_ROLE_ID && r.contactid === id);

describe("the demo's portal customers after one apply", () => {
  it('each new customer holds the web role and one Sent invitation, created by the application user WhoAmI names, giving the role, valid 14 days; no code in the run record', () => {
    expect(run.outcome).toBe('succeeded');
    const today = Date.parse(`${run.plan.generatedAt.slice(0, 10)}T00:00:00Z`);
    const ids = idsOf('portal-new');
    expect(ids).toHaveLength(3);
    const roles = [...t.s.sim.state.dataverse.table('adx_invitation_webrole').values()];
    for (const id of ids) {
      expect(contact(id)).toMatchObject({ o25fs_portalstatus: PORTAL_STATUS.invitationSent, o25fs_portalerror: null });
      expect(holdsRole(id)).toBe(true);
      const [invitation, ...more] = invitationsOf(id);
      expect(more).toEqual([]);
      expect(invitation).toMatchObject({ adx_type: INVITATION.single, statecode: 0, statuscode: INVITATION.sent, _createdby_value: appUser, adx_expirydate: new Date(today + 14 * DAY_MS).toISOString().slice(0, 10) });
      expect(roles.some((r) => r.adx_invitationid === invitation!.adx_invitationid && r.adx_webroleid === PORTAL_WEB_ROLE_ID)).toBe(true);
      expect(String(invitation!.adx_invitationcode).length).toBeGreaterThan(100);
      expect(JSON.stringify(run)).not.toContain(String(invitation!.adx_invitationcode));
    }
  });

  it('the customer who redeemed is Active on the portal, its role and redeemed invitation untouched; the one without an email has PORTAL_EMAIL_MISSING and nothing else', () => {
    for (const id of idsOf('portal-redeemed')) {
      expect(contact(id).o25fs_portalstatus).toBe(PORTAL_STATUS.active);
      expect(holdsRole(id)).toBe(true);
      expect(invitationsOf(id)).toEqual(before.filter((r) => r._adx_invitecontact_value === id));
    }
    for (const id of idsOf('portal-no-email')) {
      expect(contact(id).o25fs_portalstatus).toBe(PORTAL_STATUS.error);
      expect(String(contact(id).o25fs_portalerror)).toContain('emailaddress1');
      expect(run.plan.subjects.find((s) => s.subject.family === 'portal' && s.subject.id === id)?.error?.code).toBe('PORTAL_EMAIL_MISSING');
      expect(holdsRole(id)).toBe(false);
      expect(invitationsOf(id)).toEqual([]);
    }
  });

  it('the next plan has no portal change and no portal status to write', async () => {
    const { plan } = await t.engine().plan({ kind: 'tenant' });
    expect(plan.changes.filter((c) => c.subject.family === 'portal')).toEqual([]);
    const portal = plan.subjects.filter((s) => s.subject.family === 'portal');
    expect(portal.map((s) => s.status).sort()).toEqual(['active', 'error', 'invited', 'invited', 'invited']);
    for (const s of portal) expect(s.storedStatus).toBe(s.status);
  });
});
