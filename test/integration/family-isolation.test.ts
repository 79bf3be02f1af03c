/**
 * One family's configuration error stops that family only (src/engine/plan.ts, issue 13): with the
 * portal's web role missing, the technicians still converge through the real engine and clients,
 * the run is `partial`, no portal write is sent, and the report opens with the stopped family. With
 * the role back, the portal plans again. Against the simulator, the portal tables of
 * test/integration/portal-fixture.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { startEngineTenant, technician, type EngineTenant } from './engine-fixture.js';
import { PORTAL_SETTINGS, ROLE, customer, portalFixture } from './portal-fixture.js';

const ada = technician(1, { first: 'Ada', last: 'Lovelace' });
const ann = customer(1, 'Ann', 'Archer', { o25fs_portalaccess: true });
const portalTables = ['adx_invitations', 'adx_webrole_contact'];
let t: EngineTenant;

beforeAll(async () => {
  t = await startEngineTenant([ada], PORTAL_SETTINGS);
  const fixture = portalFixture([ada], [ann]);
  // The site's role is gone; the other website's role of the same name stays (it must not be taken).
  fixture.dataverse!.adx_webroles = (fixture.dataverse!.adx_webroles ?? []).filter((r) => r.adx_webroleid !== ROLE);
  t.s.sim.reset(fixture);
});
afterAll(() => t.stop());

describe('a portal configuration error beside the technicians', () => {
  it('the dry run plans the technician, lists the portal as stopped with PORTAL_WEB_ROLE_NOT_FOUND, and is partial', async () => {
    const dry = await t.dryRun();
    expect(dry.outcome).toBe('partial');
    expect(dry.plan.stoppedFamilies?.map((f) => [f.family, f.error.code])).toEqual([['portal', 'PORTAL_WEB_ROLE_NOT_FOUND']]);
    expect(new Set(dry.plan.subjects.map((s) => s.subject.family))).toEqual(new Set(['technicians']));
    expect(dry.plan.changes.some((c) => c.kind === 'user.invite')).toBe(true);
    const text = renderReport('text', { plan: dry.plan, run: dry });
    expect(text.indexOf('STOPPED: Customer portal access planned nothing in this run.')).toBeLessThan(text.indexOf('SUMMARY'));
  });

  it('the apply invites the technician, sends no portal write, writes no portal status, and is partial', async () => {
    await t.clearLogs();
    const run = await t.apply();
    expect(run.outcome).toBe('partial');
    expect(run.results.filter((r) => r.outcome !== 'applied')).toEqual([]);
    expect(t.contact(ada.id).o25fs_entraobjectid).toEqual(expect.any(String));
    expect(t.writes().filter((w) => w.path.startsWith('adx_') || w.path.startsWith('workflows') || w.path.startsWith(`contacts(${String(ann.contactid)})`))).toEqual([]);
    for (const set of portalTables) expect(t.table(set)).toEqual([]);
    expect(t.contact(String(ann.contactid)).o25fs_portalstatus ?? null).toBeNull();
  });

  it('with the role created on the site, the next plan gives Ann the role and an invitation, and nothing is stopped', async () => {
    const made = await t.s.dataverse('POST', 'adx_webroles', { body: { adx_webroleid: ROLE, adx_name: 'Web API Users', 'adx_websiteid@odata.bind': `/adx_websites(${String(portalFixture([], []).dataverse!.adx_websites![0]!.adx_websiteid)})` } });
    expect(made.status).toBeLessThan(300);
    const dry = await t.dryRun();
    expect(dry.plan.stoppedFamilies).toBeUndefined();
    expect(dry.plan.changes.filter((c) => c.subject.family === 'portal').map((c) => c.kind).sort()).toEqual(['invitation.create', 'invitation.role', 'invitation.send', 'webrole.grant']);
  });
});
