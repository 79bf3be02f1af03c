import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/families.js';
import { ConfigurationError } from '../../../src/model/errors.js';

const valid = {
  DATAVERSE_URL: 'https://contoso.crm.dynamics.com',
  LICENSE_SKU_ID: '23e6e135-e869-4ce4-9ae4-5710cd69ac13',
  TECHNICIAN_GROUP_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  DEFAULT_USAGE_LOCATION: 'GB',
  DEFAULT_TIMEZONE_CODE: '85',
};

/** The problems of a start with these settings, one per line, or [] when it starts. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadSettings(env);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as ConfigurationError).code).toBe('SETTINGS_INVALID');
    return (err as ConfigurationError).message.split('\n- ').slice(1);
  }
}

describe('the service URLs: the environment root and a Graph v1.0 root', () => {
  const accepted: { reason: string; env: Record<string, string> }[] = [
    { reason: 'the public cloud, North America', env: { DATAVERSE_URL: 'https://contoso.crm.dynamics.com' } },
    { reason: 'another region (crm4 = EMEA), with a trailing slash', env: { DATAVERSE_URL: 'https://contoso-dev.crm4.dynamics.com/' } },
    { reason: 'US Government (GCC High) with its Graph', env: { DATAVERSE_URL: 'https://contoso.crm.microsoftdynamics.us', GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0' } },
    { reason: 'China (21Vianet) with its Graph', env: { DATAVERSE_URL: 'https://contoso.crm.dynamics.cn', GRAPH_BASE_URL: 'https://microsoftgraph.chinacloudapi.cn/v1.0' } },
    { reason: 'the tenant simulator listens on https loopback ports', env: { DATAVERSE_URL: 'https://127.0.0.1:40002', GRAPH_BASE_URL: 'https://127.0.0.1:40001/v1.0' } },
  ];
  for (const c of accepted) {
    it(`accepts ${c.reason}`, () => {
      expect(problemsOf({ ...valid, ...c.env })).toEqual([]);
    });
  }

  const refused: { reason: string; env: Record<string, string>; problems: string[] }[] = [
    {
      reason: 'the Web API path copied from Developer resources: drop it, the product adds it',
      env: { DATAVERSE_URL: 'https://contoso.crm.dynamics.com/api/data/v9.2' },
      problems: ['DATAVERSE_URL must be the environment\'s root, not the Web API\'s address: drop "/api/data/v9.2" from the path and set it to https://contoso.crm.dynamics.com (the product adds /api/data/v9.2 itself); got "https://contoso.crm.dynamics.com/api/data/v9.2".'],
    },
    {
      reason: 'the Web API path without a version, any case, trailing slash',
      env: { DATAVERSE_URL: 'https://contoso.crm4.dynamics.com/API/data/' },
      problems: ['DATAVERSE_URL must be the environment\'s root, not the Web API\'s address: drop "/API/data" from the path and set it to https://contoso.crm4.dynamics.com (the product adds /api/data/v9.2 itself); got "https://contoso.crm4.dynamics.com/API/data".'],
    },
    {
      reason: 'the Web API endpoint as Developer resources shows it: its api. host and its path both go',
      env: { DATAVERSE_URL: 'https://contoso.api.crm11.dynamics.com/api/data/v9.2/' },
      problems: ['DATAVERSE_URL must be the environment\'s root, not the Web API\'s address: drop "api." from the host and "/api/data/v9.2" from the path and set it to https://contoso.crm11.dynamics.com (the product adds /api/data/v9.2 itself); got "https://contoso.api.crm11.dynamics.com/api/data/v9.2".'],
    },
    {
      reason: 'an app URL from the browser is not the root either',
      env: { DATAVERSE_URL: 'https://contoso.crm.dynamics.com/main.aspx?appid=1' },
      problems: ['DATAVERSE_URL must be the environment\'s root, with no path or query, e.g. https://contoso.crm.dynamics.com (the product adds /api/data/v9.2 itself); got "https://contoso.crm.dynamics.com/main.aspx?appid=1".'],
    },
    {
      reason: 'plain http is refused, even on loopback: the simulator serves https',
      env: { DATAVERSE_URL: 'http://127.0.0.1:40002' },
      problems: ['DATAVERSE_URL must use https:// ("http://127.0.0.1:40002").'],
    },
    {
      reason: 'a maker portal or other host is not an environment',
      env: { DATAVERSE_URL: 'https://make.powerapps.com' },
      problems: ['DATAVERSE_URL must be a Dynamics 365 environment URL such as https://contoso.crm.dynamics.com (Power Platform admin center, the environment\'s Environment URL); "make.powerapps.com" is not an environment host.'],
    },
    {
      reason: 'credentials in the URL are refused (the credential signs in)',
      env: { DATAVERSE_URL: 'https://admin:pw@contoso.crm.dynamics.com' },
      problems: ['DATAVERSE_URL must not carry a user name or password: the product signs in with its credential (AZURE_ variables or the managed identity).'],
    },
    {
      reason: 'not a URL at all',
      env: { DATAVERSE_URL: 'contoso.crm.dynamics.com' },
      problems: ['DATAVERSE_URL is not a URL ("contoso.crm.dynamics.com"). Set it to an https:// address.'],
    },
    {
      reason: 'Graph beta: the product is written against v1.0',
      env: { GRAPH_BASE_URL: 'https://graph.microsoft.com/beta' },
      problems: ['GRAPH_BASE_URL must be Microsoft Graph\'s v1.0 root, https://graph.microsoft.com/v1.0 (the product is written against v1.0, not beta); got "https://graph.microsoft.com/beta". Leave it unset for the public cloud.'],
    },
    {
      reason: 'Graph without a version',
      env: { GRAPH_BASE_URL: 'https://graph.microsoft.com' },
      problems: ['GRAPH_BASE_URL must be Microsoft Graph\'s v1.0 root, https://graph.microsoft.com/v1.0 (the product is written against v1.0, not beta); got "https://graph.microsoft.com". Leave it unset for the public cloud.'],
    },
    {
      reason: 'a host that is not a Graph deployment',
      env: { GRAPH_BASE_URL: 'https://graph.contoso.com/v1.0' },
      problems: ['GRAPH_BASE_URL must be on a Microsoft Graph host (graph.microsoft.com, graph.microsoft.us, dod-graph.microsoft.us, microsoftgraph.chinacloudapi.cn); got "graph.contoso.com". Leave it unset for the public cloud.'],
    },
    {
      reason: 'the invitation redirect must be an absolute https URL',
      env: { INVITE_REDIRECT_URL: '/welcome' },
      problems: ['INVITE_REDIRECT_URL is not a URL ("/welcome"). Set it to an https:// address.'],
    },
    {
      reason: 'the invitation redirect over http',
      env: { INVITE_REDIRECT_URL: 'http://myapps.microsoft.com' },
      problems: ['INVITE_REDIRECT_URL must use https:// ("http://myapps.microsoft.com").'],
    },
  ];
  for (const c of refused) {
    it(`refuses ${c.reason}`, () => {
      expect(problemsOf({ ...valid, ...c.env })).toEqual(c.problems);
    });
  }
});

describe('the identity settings @azure/identity reads: their shape when given, never their values', () => {
  const SECRET = 'Zx8Q~not-a-real-secret-but-never-echoed';
  const TENANT = '11111111-1111-1111-1111-111111111111';
  const CLIENT = '22222222-2222-2222-2222-222222222222';
  const cases: { reason: string; env: Record<string, string>; problems: string[] }[] = [
    { reason: 'an app registration with all three is fine', env: { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: SECRET }, problems: [] },
    { reason: 'a tenant named by its domain is fine', env: { AZURE_TENANT_ID: 'contoso.onmicrosoft.com' }, problems: [] },
    { reason: 'a user-assigned identity sets AZURE_CLIENT_ID alone', env: { AZURE_CLIENT_ID: CLIENT }, problems: [] },
    { reason: 'a national cloud authority', env: { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us/' }, problems: [] },
    {
      reason: 'a secret without the tenant: EnvironmentCredential would silently be skipped',
      env: { AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: SECRET },
      problems: ['AZURE_CLIENT_SECRET is set but AZURE_TENANT_ID is not: an app registration needs all three; set AZURE_TENANT_ID, or remove AZURE_CLIENT_SECRET to sign in with `az login` or the managed identity.'],
    },
    {
      reason: 'a secret alone',
      env: { AZURE_CLIENT_SECRET: SECRET },
      problems: ['AZURE_CLIENT_SECRET is set but AZURE_TENANT_ID and AZURE_CLIENT_ID are not: an app registration needs all three; set AZURE_TENANT_ID and AZURE_CLIENT_ID, or remove AZURE_CLIENT_SECRET to sign in with `az login` or the managed identity.'],
    },
    {
      reason: 'the app registration\'s display name is not its client id',
      env: { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: 'vendor-reconciler', AZURE_CLIENT_SECRET: SECRET },
      problems: ["AZURE_CLIENT_ID must be a GUID: the app registration's Application (client) ID, or the user-assigned managed identity's client id."],
    },
    {
      reason: 'a tenant that is neither an id nor a domain',
      env: { AZURE_TENANT_ID: 'Contoso Ltd' },
      problems: ['AZURE_TENANT_ID must be the tenant (directory) id, a GUID (Entra admin center, Overview), or one of its domains such as contoso.onmicrosoft.com.'],
    },
    {
      reason: 'an authority with the tenant in its path',
      env: { AZURE_AUTHORITY_HOST: `https://login.microsoftonline.com/${TENANT}` },
      problems: ['AZURE_AUTHORITY_HOST must be an https:// origin with no path, e.g. https://login.microsoftonline.us for US Government; leave it unset for the public cloud.'],
    },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      const problems = problemsOf({ ...valid, ...c.env });
      expect(problems).toEqual(c.problems);
      expect(problems.join('\n')).not.toContain(SECRET);
    });
  }
});
