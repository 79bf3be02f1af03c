/**
 * The credential search (issue 12, "Credentials": the generated password is "never stored, logged,
 * reported, put in a run record or in telemetry"; "Tests prove that no credential appears in any
 * output or stored artefact").
 *
 * Runs that create service accounts, the way operators get their outputs:
 * - the Functions app (test/functions/harness.ts: the real engine, run service, blob history and
 *   HTTP handlers) with Application Insights telemetry captured by a sink, the handlers' and the
 *   app's log lines recorded, and this process's stdout, stderr and console copied;
 * - the `vendor-reconciler` command, once per report format, each run creating one account.
 * Then every password the simulator recorded (GET /_sim/state, passwordProfile.password, which no
 * Graph read returns) is searched for in every output: the five report formats, the stored run
 * record and every other blob the app wrote, the HTTP answers, telemetry items, log lines,
 * stdout/stderr. The search is proven first: the passwords are in /_sim/state, and the finder
 * (credential-search.ts) finds a password planted in a report of each format.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportFormat } from '../../src/report/index.js';
import { renderReport } from '../../src/report/index.js';
import { createTelemetry } from '../../src/telemetry/index.js';
import { generatePassword, PASSWORD_LENGTH } from '../../reconcilers/technicians/password.js';
import { appRequest, recordingLogger, startHarness } from '../functions/harness.js';
import { startEngineTenant, technician, type Technician } from '../integration/engine-fixture.js';
import { ACCOUNT_TYPE, SA_SETTINGS, serviceAccountFixture } from '../integration/service-accounts-fixture.js';
import { makeRun } from '../unit/report/fixture.js';
import { CapturingSink, captureProcessOutput, outputsHolding, simPasswords } from './credential-search.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FORMATS: ReportFormat[] = ['text', 'json', 'markdown', 'html', 'csv'];
const CONNECTION = 'InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';
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
    const sink = new CapturingSink();
    const telemetry = createTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION }, { sink, offlineStorage: false });
    const log = recordingLogger();
    const output = captureProcessOutput();
    const outputs: Record<string, string> = {};
    try {
      const { handlers, container } = h.app({ telemetry, log });
      const started = await handlers.run(appRequest('POST', '/api/run', { body: '{}', log }));
      outputs['POST /api/run'] = started.body;
      expect(started.status).toBe(200);
      const { runId, outcome } = JSON.parse(started.body) as { runId: string; outcome: string };
      expect(outcome).toBe('succeeded');
      outputs['GET /api/runs/{id}'] = (await handlers.runStatus(appRequest('GET', `/api/runs/${runId}`, { log }))).body;
      for (const f of FORMATS) {
        const res = await handlers.runStatus(appRequest('GET', `/api/runs/${runId}?format=${f}`, { log }));
        expect(res.status).toBe(200);
        outputs[`report ${f}`] = res.body;
      }
      expect(outputs['report html']).toContain('northwind_bea.jones_c0000000@contoso.com');
      // Every blob the app stored: the run record, the run history index, the snapshot, the lock.
      let blobs = 0;
      for await (const blob of container.listBlobsFlat()) {
        outputs[`blob ${blob.name}`] = (await container.getBlobClient(blob.name).downloadToBuffer()).toString('utf8');
        blobs += 1;
      }
      expect(Object.keys(outputs).filter((k) => k.startsWith('blob ') && outputs[k]!.includes(runId)).length).toBeGreaterThan(0);
      expect(blobs).toBeGreaterThan(0);
      await telemetry.flush();
      outputs.telemetry = JSON.stringify(sink.calls);
      expect(sink.calls.filter((c) => c.method === 'trackEvent')).not.toEqual([]);
      expect(sink.calls.filter((c) => c.method === 'trackDependency')).not.toEqual([]);
      outputs.logs = log.lines.join('\n');
      expect(log.lines).not.toEqual([]);
    } finally {
      output.stop();
      await telemetry.dispose();
    }
    outputs['stdout/stderr/console'] = output.text();
    const passwords = expectRecorded(await simPasswords(h.tenant.s), 3);
    await h.stop();
    expectNowhere(passwords, outputs);
  });

  it('through the CLI: `apply --format <f> --contact <id>` once per format, each creating one account; stdout and stderr', { timeout: 120_000 }, async () => {
    const techs = [serviceTech(3, 'Bea', 'Jones'), serviceTech(4, 'Chen', 'Wu'), serviceTech(5, 'Dana', 'Scott'), serviceTech(6, 'Eve', 'Park'), serviceTech(7, 'Finn', 'Ross')];
    const t = await startEngineTenant(techs, SA_SETTINGS);
    t.s.sim.reset(serviceAccountFixture(techs));
    const outputs: Record<string, string> = {};
    try {
      for (const [i, f] of FORMATS.entries()) {
        const r = await cli(['apply', '--format', f, '--contact', techs[i]!.id], { ...t.s.info.env, ...SA_SETTINGS });
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

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/vendor-reconciler.mjs', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
