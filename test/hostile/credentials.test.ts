/**
 * The credential search (issue 12, "Credentials": the generated password is "never stored, logged,
 * reported, put in a run record or in telemetry"; issue 13: the invitation code "never appears in a
 * report, log, run record or telemetry"; "Tests prove that no credential appears in any output or
 * stored artefact").
 *
 * Runs that create service accounts, and runs that issue portal invitations (the portal family on
 * with PORTAL_WEBSITE_ID, test/integration/portal-fixture.ts), the way operators get their outputs
 * (run-outputs.ts):
 * - the Functions app with telemetry, logs, stdout/stderr and console captured;
 * - the `vendor-reconciler` command, once per report format, each run creating one account or
 *   issuing one invitation.
 * Then every credential the simulator recorded (GET /_sim/state: passwordProfile.password, which no
 * Graph read returns; each adx_invitations row's adx_invitationcode and the code in each email the
 * Send Invitation workflow sent, which the product never reads) is searched for in every output: the
 * five report formats, the stored run record and every other blob the app wrote, the HTTP answers,
 * telemetry items, log lines, stdout/stderr. The search is proven first: the credentials are in
 * /_sim/state, and the finder (credential-search.ts) finds one planted in a report of each format.
 */
import { describe, expect, it } from 'vitest';
import type { RunningSim } from 'tenant-sim/testing';
import { renderReport } from '../../src/report/index.js';
import { generatePassword, PASSWORD_LENGTH } from '../../reconcilers/technicians/password.js';
import { startHarness } from '../functions/harness.js';
import { startEngineTenant, technician, type Technician } from '../integration/engine-fixture.js';
import { ACCOUNT_TYPE, SA_SETTINGS, serviceAccountFixture } from '../integration/service-accounts-fixture.js';
import { makeRun } from '../unit/report/fixture.js';
import { invitationCode } from '../../reconcilers/portal/code.js';
import { customer, PORTAL_SETTINGS, portalFixture } from '../integration/portal-fixture.js';
import { outputsHolding, simInvitationCodes, simPasswords } from './credential-search.js';
import { appRunOutputs, cli, FORMATS } from './run-outputs.js';

const serviceTech = (n: number, first: string, last: string): Technician =>
  technician(n, { first, last, vendor: 'northwind', contact: { o25fs_accounttype: ACCOUNT_TYPE.service } });

/** Every password must be in /_sim/state, one per expected account, as the generator makes them. */
function expectRecorded(passwords: { userPrincipalName: string; password: string }[], count: number): string[] {
  expect(passwords).toHaveLength(count);
  for (const p of passwords) {
    expect(p.userPrincipalName).toMatch(/^northwind_.+@contoso\.com$/);
    expect(p.password).toHaveLength(PASSWORD_LENGTH);
  }
  expect(new Set(passwords.map((p) => p.password)).size).toBe(count);
  return passwords.map((p) => p.password);
}

/** For each password, the outputs that hold it: all empty. */
function expectNowhere(passwords: string[], outputs: Record<string, string>): void {
  expect(passwords.map((p) => outputsHolding(p, outputs))).toEqual(passwords.map(() => []));
}

describe('no generated password appears in any output or stored artefact', () => {
  it('the finder sees a password through each report format\'s escaping (a clean search means something)', () => {
    // Every character class the generator uses, and the ones each format escapes (Markdown \_ \[ \* \~, HTML &amp;).
    const planted = [generatePassword(), 'Qx7&_[K]*~m{n}:p,.?/^#$%=+!-@', generatePassword()];
    for (const secret of planted) {
      const run = makeRun();
      run.plan.subjects = run.plan.subjects.map((s) => ({ ...s, subject: { ...s.subject, displayName: `Tech ${secret}` } }));
      run.plan.changes = run.plan.changes.map((c) => ({ ...c, subject: { ...c.subject, displayName: `Tech ${secret}` }, reason: `${c.reason} ${secret}` }));
      const reports = Object.fromEntries(FORMATS.map((f) => [f, renderReport(f, { plan: run.plan, run })]));
      expect(outputsHolding(secret, reports)).toEqual(FORMATS);
      expect(outputsHolding(secret, { record: JSON.stringify(run) })).toEqual(['record']);
    }
    expect(outputsHolding('Qx7&_[K]', { other: 'Qx7&amp;\\_\\[L]' })).toEqual([]);
  });

  it('through the Functions app: reports of the stored run in five formats, the run record and blobs, HTTP answers, telemetry, logs, stdout/stderr', { timeout: 60_000 }, async () => {
    const techs = [technician(1, { first: 'Ada', last: 'Lovelace' }), serviceTech(3, 'Bea', 'Jones'), serviceTech(4, 'Chen', 'Wu'), serviceTech(5, 'Dana', 'Scott')];
    const h = await startHarness(serviceAccountFixture(techs), SA_SETTINGS);
    try {
      const outputs = await appRunOutputs(h);
      expect(outputs['report html']).toContain('northwind_bea.jones_c0000000@contoso.com');
      expectNowhere(expectRecorded(await simPasswords(h.tenant.s), 3), outputs);
    } finally {
      await h.stop();
    }
  });

  it('through the CLI: `apply --format <f> --contact <id>` once per format, each creating one account; stdout and stderr', { timeout: 120_000 }, async () => {
    const techs = [serviceTech(3, 'Bea', 'Jones'), serviceTech(4, 'Chen', 'Wu'), serviceTech(5, 'Dana', 'Scott'), serviceTech(6, 'Eve', 'Park'), serviceTech(7, 'Finn', 'Ross')];
    const t = await startEngineTenant(techs, SA_SETTINGS);
    t.s.sim.reset(serviceAccountFixture(techs));
    const outputs: Record<string, string> = {};
    try {
      for (const [i, f] of FORMATS.entries()) {
        const r = await cli(['apply', '--yes', '--format', f, '--contact', techs[i]!.id], { ...t.s.info.env, ...SA_SETTINGS });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain(techs[i]!.id);
        outputs[`${f} stdout`] = r.stdout;
        outputs[`${f} stderr`] = r.stderr;
        expect(await simPasswords(t.s)).toHaveLength(i + 1);
      }
      expectNowhere(expectRecorded(await simPasswords(t.s), 5), outputs);
    } finally {
      await t.stop();
    }
  });
});

/**
 * Every invitation code in /_sim/state: one per invitation row, the same code in its email (the Send
 * Invitation workflow mailed each), 172 characters as code.ts makes them, all different.
 */
async function expectCodes(s: RunningSim, count: number): Promise<string[]> {
  const { rows, emails } = await simInvitationCodes(s);
  expect(rows.size).toBe(count);
  expect([...emails.entries()].sort()).toEqual([...rows.entries()].sort());
  const codes = [...rows.values()];
  for (const code of codes) expect(code).toMatch(/^[A-Za-z0-9-]{172}$/);
  expect(new Set(codes).size).toBe(count);
  return codes;
}

/** The customers' invitations' expiry dates in the simulator (the report says until when each is valid). */
async function expiryDates(s: RunningSim): Promise<string[]> {
  const state = (await s.admin('GET', '/state')).json as { dataverse: { adx_invitations?: { adx_expirydate: string }[] } };
  return [...new Set((state.dataverse.adx_invitations ?? []).map((r) => r.adx_expirydate))];
}

describe('no invitation code appears in any output or stored artefact (issue 13: the code is a credential)', () => {
  const customers = [customer(1, 'Ann', 'Archer'), customer(2, 'Ben', 'Baker'), customer(3, 'Cleo', 'Cruz'), customer(4, 'Dev', 'Dunn'), customer(5, 'Eli', 'Egan')];
  const withAccess = customers.map((c) => ({ ...c, o25fs_portalaccess: true }));

  it('the finder sees a code through each report format\'s escaping', () => {
    const secret = invitationCode();
    const run = makeRun();
    run.plan.changes = run.plan.changes.map((c) => ({ ...c, reason: `${c.reason} ${secret}` }));
    const reports = Object.fromEntries(FORMATS.map((f) => [f, renderReport(f, { plan: run.plan, run })]));
    expect(outputsHolding(secret, reports)).toEqual(FORMATS);
  });

  it('through the Functions app: three invitations issued and mailed; reports in five formats, run record and blobs, HTTP answers, telemetry, logs, stdout/stderr', { timeout: 60_000 }, async () => {
    const h = await startHarness(portalFixture([], withAccess.slice(0, 3)), PORTAL_SETTINGS);
    try {
      const outputs = await appRunOutputs(h);
      // The report covers the portal: the invitations issued and until when they are valid.
      const expiry = await expiryDates(h.tenant.s);
      expect(expiry).toHaveLength(1);
      for (const f of FORMATS) expect(outputs[`report ${f}`]).toContain(expiry[0]);
      expect(outputs['report html']).toContain('ann.archer@alpine-customer.example');
      expectNowhere(await expectCodes(h.tenant.s, 3), outputs);
    } finally {
      await h.stop();
    }
  });

  it('through the CLI: `apply --format <f>` once per format, each after one more customer\'s access is turned on; stdout and stderr', { timeout: 120_000 }, async () => {
    const t = await startEngineTenant([], PORTAL_SETTINGS);
    t.s.sim.reset(portalFixture([], customers));
    const outputs: Record<string, string> = {};
    try {
      for (const [i, f] of FORMATS.entries()) {
        const id = String(customers[i]!.contactid);
        expect((await t.s.dataverse('PATCH', `contacts(${id})`, { body: { o25fs_portalaccess: true }, headers: { 'If-Match': '*' } })).status).toBe(204);
        const r = await cli(['apply', '--yes', '--format', f], { ...t.s.info.env, ...PORTAL_SETTINGS });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain((await expiryDates(t.s))[0]);
        outputs[`${f} stdout`] = r.stdout;
        outputs[`${f} stderr`] = r.stderr;
        expect((await simInvitationCodes(t.s)).emails.size).toBe(i + 1);
      }
      expectNowhere(await expectCodes(t.s, 5), outputs);
    } finally {
      await t.stop();
    }
  });
});
