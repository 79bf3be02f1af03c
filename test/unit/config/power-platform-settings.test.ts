/**
 * DATAVERSE_USER_ON_DEMAND, POWER_PLATFORM_ENVIRONMENT_ID and POWER_PLATFORM_API_URL
 * (src/config-power-platform.ts, rows in docs/configuration.md).
 */
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/families.js';
import { GUEST_SETTINGS } from '../../support/tenant.js';

const ENV = '8C02D657-AD72-4BB9-97C5-AFEDC4BCF24B';
const base = { ...GUEST_SETTINGS, DATAVERSE_URL: 'https://contoso.crm.dynamics.com' };
const problems = (env: Record<string, string>): string => {
  try {
    loadSettings({ ...base, ...env });
  } catch (err) {
    return (err as Error).message;
  }
  return '';
};

describe('the on-demand Dataverse user settings', () => {
  it('are off by default, and POWER_PLATFORM_ENVIRONMENT_ID alone does not turn them on', () => {
    expect(loadSettings(base).powerPlatform).toBeUndefined();
    expect(loadSettings({ ...base, POWER_PLATFORM_ENVIRONMENT_ID: ENV }).powerPlatform).toBeUndefined();
    expect(loadSettings({ ...base, DATAVERSE_USER_ON_DEMAND: 'false' }).powerPlatform).toBeUndefined();
  });

  it('on: the environment id (lower case) and the public admin API by default', () => {
    expect(loadSettings({ ...base, DATAVERSE_USER_ON_DEMAND: 'true', POWER_PLATFORM_ENVIRONMENT_ID: ENV }).powerPlatform).toEqual({
      environmentId: ENV.toLowerCase(),
      apiUrl: 'https://api.bap.microsoft.com',
    });
  });

  it('on without an environment id, or with one that is not a GUID, is refused with the fix', () => {
    expect(problems({ DATAVERSE_USER_ON_DEMAND: 'true' })).toContain('POWER_PLATFORM_ENVIRONMENT_ID is not set');
    expect(problems({ DATAVERSE_USER_ON_DEMAND: 'true', POWER_PLATFORM_ENVIRONMENT_ID: 'contoso-prod' })).toContain('POWER_PLATFORM_ENVIRONMENT_ID must be a GUID');
    expect(problems({ DATAVERSE_USER_ON_DEMAND: 'yes' })).toContain('DATAVERSE_USER_ON_DEMAND must be true or false');
  });

  it('POWER_PLATFORM_API_URL: an https origin on the admin API host or loopback (the simulator), nothing else', () => {
    const on = { DATAVERSE_USER_ON_DEMAND: 'true', POWER_PLATFORM_ENVIRONMENT_ID: ENV };
    expect(loadSettings({ ...base, ...on, POWER_PLATFORM_API_URL: 'https://127.0.0.1:4443/' }).powerPlatform?.apiUrl).toBe('https://127.0.0.1:4443');
    expect(problems({ ...on, POWER_PLATFORM_API_URL: 'http://api.bap.microsoft.com' })).toContain('must use https://');
    expect(problems({ ...on, POWER_PLATFORM_API_URL: 'https://api.bap.microsoft.com/providers' })).toContain('no path');
    expect(problems({ ...on, POWER_PLATFORM_API_URL: 'https://api.powerplatform.com' })).toContain('Power Platform admin API host');
  });
});
