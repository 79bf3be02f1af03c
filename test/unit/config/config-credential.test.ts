import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckedCredential, CREDENTIAL_ADVICE, createCredential } from '../../../src/clients/credential.js';
import { ConfigurationError } from '../../../src/model/errors.js';

/**
 * The real DefaultAzureCredential with nothing to sign in with: no AZURE_ variables, no Azure CLI,
 * PowerShell or Developer CLI on PATH, and no managed identity endpoint (not in Azure). What the
 * operator sees must say what to try on a workstation and in Azure.
 */
describe('a credential that cannot sign in says what to try', () => {
  const saved = { ...process.env };
  let emptyBin = '';

  beforeEach(() => {
    for (const name of Object.keys(process.env)) {
      if (name.startsWith('AZURE_') || name.startsWith('IDENTITY_') || name.startsWith('MSI_')) delete process.env[name];
    }
    emptyBin = mkdtempSync(join(tmpdir(), 'vr-no-az-'));
    process.env.PATH = emptyBin;
  });

  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    rmSync(emptyBin, { recursive: true, force: true });
  });

  it('AUTHENTICATION_FAILED, a configuration error naming the service and scope, with az login, the three AZURE_ variables and the managed identity', async () => {
    const checked = new CheckedCredential(createCredential({}), 'graph');
    const err = await checked.getToken('https://graph.microsoft.com/.default').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ConfigurationError);
    const e = err as ConfigurationError;
    expect(e.code).toBe('AUTHENTICATION_FAILED');
    expect(e.retryable).toBe(false);
    expect(e.message).toBe(
      'The app could not get a token for Microsoft Graph (https://graph.microsoft.com/.default): no credential was available (DefaultAzureCredential found no AZURE_ variables, no managed identity and no Azure CLI, Azure PowerShell or Azure Developer CLI sign-in)',
    );
    expect(e.action).toBe(CREDENTIAL_ADVICE);
    expect(e.action).toBe(
      'Locally: run `az login` (with an account of the tenant that holds the environment), or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for an app registration. ' +
        "In Azure: turn on the Function App's managed identity (for a user-assigned one, set AZURE_CLIENT_ID to its client id) and grant it the Graph app roles and a Dataverse application user (docs/deploy.md, sections 2 to 4).",
    );
    expect(checked.takeFailure()).toBe(e);
  }, 30_000);
});
