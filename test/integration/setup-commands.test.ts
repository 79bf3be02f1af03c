/**
 * The entry functions of `vendor-reconciler doctor` and `setup` (src/setup/commands.ts): settings
 * from an environment, the simulator's credential, text or JSON out and an exit code. The checklist
 * and the plan themselves are tested in setup-doctor and setup-apply; here: exit codes, formats, usage
 * errors, settings errors, and that the credential's secret never reaches the output.
 */
import { ClientSecretCredential } from '@azure/identity';
import { afterEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from 'tenant-sim/testing';
import { doctorCommand, setupCommand, type CommandEnvironment } from '../../src/setup/commands.js';
import { DEMO_FIXTURE, DEMO_SETTINGS } from '../support/tenant.js';

let s: RunningSim | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

async function environment(missingColumns: string[] = []): Promise<CommandEnvironment> {
  s = await startSim({ ...structuredClone(DEMO_FIXTURE), dataverseMetadata: { missingColumns } });
  const credential = new ClientSecretCredential(s.info.tenantId, s.info.clientId, s.info.clientSecret, { authorityHost: s.info.authorityHost, disableInstanceDiscovery: true });
  return { env: { ...DEMO_SETTINGS, GRAPH_BASE_URL: s.info.graphBaseUrl, DATAVERSE_URL: s.info.dataverseUrl }, credential };
}

describe('doctor and setup commands', () => {
  it('doctor exits 1 with the checklist while a column is missing; setup plans, applies; doctor then exits 0', async () => {
    const env = await environment(['contact.o25fs_accounttype']);
    const before = await doctorCommand({}, env);
    expect(before.exitCode).toBe(1);
    expect(before.stdout).toMatch(/^Not ready: 1 of \d+ checks failed\.\n\nTo fix:\n {2}✗ Column contact\.o25fs_accounttype \(Account Type, Picklist\)\n {6}Missing\. Run `vendor-reconciler setup`/);
    expect(before.stderr).toBe('');

    const plan = await setupCommand({}, env);
    expect(plan).toEqual({
      stdout: 'Would create 1 item:\n  + contact.o25fs_accounttype (Account Type, Picklist, options 808950000, 808950001)\n\nRun `vendor-reconciler setup --apply` to create them.\n',
      stderr: '',
      exitCode: 0,
    });
    const applied = await setupCommand({ apply: true, solution: 'VendorReconciler' }, env);
    expect(applied.exitCode).toBe(0);
    expect(applied.stdout).toContain('  ✓ contact.o25fs_accounttype');

    const after = await doctorCommand({ format: 'json' }, env);
    expect(after.exitCode).toBe(0);
    const json = JSON.parse(after.stdout) as { ok: boolean; results: { ok: boolean }[] };
    expect(json.ok).toBe(true);
    expect(json.results.every((r) => r.ok)).toBe(true);
    for (const out of [before, plan, applied, after]) expect(out.stdout + out.stderr).not.toContain(s!.info.clientSecret);
  });

  it('a usage error exits 2 with the usage; settings that do not validate exit 1 with what to do', async () => {
    expect(await doctorCommand({ format: 'html' })).toEqual({ stdout: '', stderr: 'vendor-reconciler: --format must be text or json; got "html"\nusage: vendor-reconciler doctor [--format text|json]\n', exitCode: 2 });
    expect((await setupCommand({ solution: 'my solution' })).exitCode).toBe(2);
    const bad = await doctorCommand({}, { env: { DATAVERSE_URL: 'not a url' } });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^vendor-reconciler: SETTINGS_INVALID: The app settings are not valid:\n- DATAVERSE_URL is not a URL/);
    expect(bad.stderr).toContain('\nWhat to do: Fix these app settings');
  });
});
