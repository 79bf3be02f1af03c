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
      problems: ['DATAVERSE_URL must be the environment\'s root, with no path: drop "/api/data/v9.2" and set it to https://contoso.crm.dynamics.com (the product adds /api/data/v9.2 itself); got "https://contoso.crm.dynamics.com/api/data/v9.2".'],
    },
    {
      reason: 'the Web API path without a version, any case, trailing slash',
      env: { DATAVERSE_URL: 'https://contoso.crm4.dynamics.com/API/data/' },
      problems: ['DATAVERSE_URL must be the environment\'s root, with no path: drop "/API/data" and set it to https://contoso.crm4.dynamics.com (the product adds /api/data/v9.2 itself); got "https://contoso.crm4.dynamics.com/API/data".'],
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
