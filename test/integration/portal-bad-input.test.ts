/**
 * The customer portal family on bad input (issue 13, "Bad input"), through the real engine against
 * the simulator (test/integration/portal-fixture.ts): a website that is not one, a web role that is
 * missing or named twice on the site, a role of that name on another website, a contact without an
 * email. A configuration error stops the portal family with one error and no portal write; which
 * other families run then is the engine's business (src/engine/plan.ts), not asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/config.js';
import type { RunRecord } from '../../src/model/run.js';
import { startEngineTenant, type EngineTenant } from './engine-fixture.js';
import { OTHER_ROLE, PORTAL_SETTINGS, ROLE, WEBSITE, customer, hasRole, invitationsOf, portalFixture } from './portal-fixture.js';

let t: EngineTenant;
beforeAll(async () => {
  t = await startEngineTenant([], PORTAL_SETTINGS);
});
afterAll(() => t.stop());

const qu = customer(31, 'Quinn', 'Quarry', { o25fs_portalaccess: true });
const quId = String(qu.contactid);

/** The tenant's settings with the portal family's changed. */
function portalWith(change: Partial<NonNullable<Settings['families']['portal']>>): Settings {
  return { ...t.settings, families: { ...t.settings.families, portal: { ...t.settings.families.portal!, ...change } } };
}

async function applyWith(settings: Settings): Promise<RunRecord> {
  await t.clearLogs();
  return t.engineWith(settings).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
}

/**
 * The portal family's configuration error: where the engine puts it when only that family stops
 * (Plan.stoppedFamilies) or, when it stops the run, the run's error.
 */
function portalConfigurationError(run: RunRecord): string | undefined {
  const stopped = (run.plan as { stoppedFamilies?: { family: string; error: { code: string } }[] }).stoppedFamilies;
  return stopped?.find((f) => f.family === 'portal')?.error.code ?? run.error?.code;
}

/** Writes of the portal family: its tables, the workflow action, and contacts (no technicians here, so any contact write is the portal status). */
const portalWrites = (): string[] => t.writes().map((w) => `${w.method} ${w.path}`).filter((w) => /^\w+ (adx_|workflows|contacts)/.test(w));

describe('portal configuration errors stop the portal family with one error and no portal write', () => {
  const cases = [
    { reason: 'PORTAL_WEBSITE_ID names no adx_website of the environment', settings: () => portalWith({ websiteId: 'a0000000-0000-4000-8000-0000000000ff' }), fixture: () => portalFixture([], [qu]), code: 'PORTAL_WEBSITE_NOT_FOUND' },
    { reason: 'the site has no web role of PORTAL_WEB_ROLE_NAME (a role of that name on another website does not count)', settings: () => portalWith({ webRoleName: 'Customers' }), fixture: () => ({ ...portalFixture([], [qu]), dataverse: { ...portalFixture([], [qu]).dataverse, adx_webroles: [{ adx_webroleid: OTHER_ROLE, adx_name: 'Customers', _adx_websiteid_value: 'a0000000-0000-4000-8000-000000000002', statecode: 0, statuscode: 1 }] } }), code: 'PORTAL_WEB_ROLE_NOT_FOUND' },
    {
      reason: 'two web roles of that name on the site: the product cannot tell which to give',
      settings: () => t.settings,
      fixture: () => {
        const base = portalFixture([], [qu]);
        const duplicate = { adx_webroleid: 'b0000000-0000-4000-8000-000000000003', adx_name: 'Web API Users', _adx_websiteid_value: WEBSITE, statecode: 0, statuscode: 1 };
        return { ...base, dataverse: { ...base.dataverse, adx_webroles: [...(base.dataverse!.adx_webroles ?? []), duplicate] } };
      },
      code: 'PORTAL_WEB_ROLE_AMBIGUOUS',
    },
    { reason: 'PORTAL_SEND_INVITATION is on and no activated Send Invitation workflow exists', settings: () => t.settings, fixture: () => ({ ...portalFixture([], [qu]), dataverse: { ...portalFixture([], [qu]).dataverse, workflows: [] } }), code: 'PORTAL_SEND_WORKFLOW_NOT_FOUND' },
  ];
  for (const c of cases) {
    it(c.reason, async () => {
      t.s.sim.reset(c.fixture());
      const run = await applyWith(c.settings());
      expect(portalConfigurationError(run)).toBe(c.code);
      expect(portalWrites()).toEqual([]);
      expect(run.plan.changes.filter((ch) => ch.subject.family === 'portal')).toEqual([]);
      expect(invitationsOf(t, quId)).toEqual([]);
      expect(t.contact(quId).o25fs_portalstatus ?? null).toBeNull();
    });
  }
});

describe('portal input the family handles', () => {
  it('a role of the same name on another website: the one on PORTAL_WEBSITE_ID is given, the other is not touched', async () => {
    t.s.sim.reset(portalFixture([], [qu]));
    const run = await applyWith(t.settings);
    expect(run.outcome).toBe('succeeded');
    expect(run.plan.changes.find((c) => c.kind === 'webrole.grant')?.target.id).toBe(ROLE);
    expect(hasRole(t, quId)).toBe(true);
    expect(t.table('adx_webrole_contact').filter((r) => r.adx_webroleid === OTHER_ROLE)).toEqual([]);
  });

  it('a contact without email is an error on its row (status Error, what to do), the other contacts converge', async () => {
    const noEmail = customer(32, 'Rae', 'Reed', { o25fs_portalaccess: true, emailaddress1: null });
    const noEmailId = String(noEmail.contactid);
    t.s.sim.reset(portalFixture([], [qu, noEmail]));
    const run = await applyWith(t.settings);
    const subject = run.plan.subjects.find((s) => s.subject.id === noEmailId);
    expect(subject).toMatchObject({ status: 'error', error: { code: 'PORTAL_EMAIL_MISSING' }, changeIds: [] });
    expect(run.plan.changes.some((c) => c.subject.id === noEmailId)).toBe(false);
    expect(t.contact(noEmailId).o25fs_portalstatus).toBe(808950004);
    expect(String(t.contact(noEmailId).o25fs_portalerror)).toContain('no email address');
    expect(invitationsOf(t, noEmailId)).toEqual([]);
    expect(hasRole(t, noEmailId)).toBe(false);
    expect(t.contact(quId).o25fs_portalstatus).toBe(808950001);
    expect(hasRole(t, quId)).toBe(true);
    expect(invitationsOf(t, quId).map((r) => r.statuscode)).toEqual([756150000]);
  });
});
