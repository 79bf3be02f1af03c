import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/families.js';
import { ConfigurationError } from '../../../src/model/errors.js';

const valid = {
  DATAVERSE_URL: 'https://contoso.crm.dynamics.com/',
  LICENSE_SKU_ID: '23E6E135-E869-4CE4-9AE4-5710CD69AC13',
  TECHNICIAN_GROUP_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  DEFAULT_USAGE_LOCATION: 'gb',
  DEFAULT_TIMEZONE_CODE: '85',
};

describe('loadSettings', () => {
  it('reads valid settings, normalises them and applies the documented defaults', () => {
    expect(loadSettings(valid)).toEqual({
      dataverseUrl: 'https://contoso.crm.dynamics.com',
      graphBaseUrl: 'https://graph.microsoft.com/v1.0',
      families: {
        technicians: {
          licenseSkuId: '23e6e135-e869-4ce4-9ae4-5710cd69ac13',
          licenseMode: 'direct',
          technicianGroupId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
          defaultUsageLocation: 'GB',
          defaultTimezoneCode: 85,
          inviteRedirectUrl: 'https://contoso.crm.dynamics.com',
          sendInvitationEmail: true,
          deprovisionWhenSetupOff: false,
          blockSignInOnDeprovision: false,
          // Service accounts are off until SERVICE_ACCOUNT_DOMAIN is set; the persona's licence defaults to LICENSE_SKU_ID.
          serviceAccounts: { domain: null, skuIds: ['23e6e135-e869-4ce4-9ae4-5710cd69ac13'], segmentAttribute: 'companyName' },
        },
      },
    });
  });

  // The exact messages of the URLs, the schedule and the other values: config-urls.test.ts,
  // config-schedule.test.ts and config-values.test.ts.
  const cases: { reason: string; env: Record<string, string | undefined>; message: RegExp }[] = [
    { reason: 'a missing required setting is named with its fix', env: { ...valid, DATAVERSE_URL: undefined }, message: /DATAVERSE_URL is not set\. Set it to the environment URL/ },
    { reason: 'plain http is refused for the services', env: { ...valid, DATAVERSE_URL: 'http://contoso.crm.dynamics.com' }, message: /DATAVERSE_URL must use https/ },
    { reason: 'the SKU must be a GUID', env: { ...valid, LICENSE_SKU_ID: 'DYN365_FS_CONTRACTOR' }, message: /LICENSE_SKU_ID must be a GUID/ },
    { reason: 'the time zone code must be in Dataverse range', env: { ...valid, DEFAULT_TIMEZONE_CODE: '2000' }, message: /DEFAULT_TIMEZONE_CODE must be a whole number from -1500 to 1500/ },
    { reason: 'booleans are true or false, nothing else', env: { ...valid, SEND_INVITATION_EMAIL: 'yes' }, message: /SEND_INVITATION_EMAIL must be true or false/ },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      expect(() => loadSettings(c.env)).toThrow(c.message);
    });
  }

  it('reports every problem at once as one ConfigurationError with a stable code', () => {
    let caught: unknown;
    try {
      loadSettings({});
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    const e = caught as ConfigurationError;
    expect(e.code).toBe('SETTINGS_INVALID');
    for (const name of ['DATAVERSE_URL', 'LICENSE_SKU_ID', 'TECHNICIAN_GROUP_ID', 'DEFAULT_USAGE_LOCATION', 'DEFAULT_TIMEZONE_CODE']) {
      expect(e.message).toContain(`${name} is not set`);
    }
    expect(e.retryable).toBe(false);
  });

  it('a family with none of its settings is off, and a run with no family stops with NO_FAMILY_CONFIGURED naming what is needed', () => {
    let caught: unknown;
    try {
      loadSettings({ DATAVERSE_URL: valid.DATAVERSE_URL });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    const e = caught as ConfigurationError;
    expect(e.code).toBe('NO_FAMILY_CONFIGURED');
    expect(e.message).toMatch(/^No family is configured, so a run would manage nothing\. The technicians family is on when its settings are given: LICENSE_SKU_ID is not set\./);
    for (const name of ['TECHNICIAN_GROUP_ID', 'DEFAULT_USAGE_LOCATION', 'DEFAULT_TIMEZONE_CODE']) expect(e.message).toContain(`${name} is not set`);
  });

  it('a family given only some of its settings is on and reports the missing ones with the core problems', () => {
    let caught: unknown;
    try {
      loadSettings({ LICENSE_SKU_ID: valid.LICENSE_SKU_ID, GRAPH_BASE_URL: 'https://graph.microsoft.com/beta' });
    } catch (err) {
      caught = err;
    }
    const e = caught as ConfigurationError;
    expect(e.code).toBe('SETTINGS_INVALID');
    expect(e.message.split('\n- ').slice(1).map((line) => line.split(' ')[0])).toEqual([
      'DATAVERSE_URL',
      'GRAPH_BASE_URL',
      'TECHNICIAN_GROUP_ID',
      'DEFAULT_USAGE_LOCATION',
      'DEFAULT_TIMEZONE_CODE',
    ]);
  });
});
