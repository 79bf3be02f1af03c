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

const notCountry = (v: string, hint: string): string => `DEFAULT_USAGE_LOCATION must be a two-letter ISO 3166-1 country code such as US or GB; "${v}" is not one${hint}`;

describe('DEFAULT_USAGE_LOCATION against the country table the product ships', () => {
  const cases: { reason: string; value: string; problems: string[]; stored?: string }[] = [
    { reason: 'GB is the United Kingdom\'s code', value: 'GB', problems: [], stored: 'GB' },
    { reason: 'a code in lower case is read in upper case', value: 'de', problems: [], stored: 'DE' },
    { reason: 'UK is what people type, but ISO 3166-1 says GB', value: 'UK', problems: [notCountry('UK', ': did you mean GB?')] },
    { reason: 'an alpha-3 code is not a usage location: its alpha-2 is suggested', value: 'GBR', problems: [notCountry('GBR', ': did you mean GB?')] },
    { reason: 'a country name gets its code as the suggestion', value: 'Germany', problems: [notCountry('Germany', ': did you mean DE?')] },
    { reason: 'two letters that are no country have nothing to suggest', value: 'XX', problems: [notCountry('XX', ' (reconcilers/technicians/country-table.ts lists the codes).')] },
    { reason: 'EU is a union, not an ISO 3166-1 country', value: 'EU', problems: [notCountry('EU', ' (reconcilers/technicians/country-table.ts lists the codes).')] },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      expect(problemsOf({ ...valid, DEFAULT_USAGE_LOCATION: c.value })).toEqual(c.problems);
      if (c.stored !== undefined) expect(loadSettings({ ...valid, DEFAULT_USAGE_LOCATION: c.value }).families.technicians?.defaultUsageLocation).toBe(c.stored);
    });
  }
});

describe('ids are GUIDs and numbers are whole and in range, in every family', () => {
  const cases: { reason: string; env: Record<string, string>; problems: string[] }[] = [
    { reason: 'a SKU part number is not the skuId', env: { LICENSE_SKU_ID: 'DYN365_FS_CONTRACTOR' }, problems: ['LICENSE_SKU_ID must be a GUID (the skuId from GET /subscribedSkus); got "DYN365_FS_CONTRACTOR".'] },
    { reason: 'a group name is not its object id', env: { TECHNICIAN_GROUP_ID: 'FS Technicians' }, problems: ['TECHNICIAN_GROUP_ID must be a GUID (the group\'s object id); got "FS Technicians".'] },
    { reason: 'a service account SKU list entry that is not a GUID', env: { SERVICE_ACCOUNT_SKU_IDS: '23e6e135-e869-4ce4-9ae4-5710cd69ac13, REMOTE_ASSIST' }, problems: ['SERVICE_ACCOUNT_SKU_IDS must be a GUID (comma-separated skuIds from GET /subscribedSkus); got "REMOTE_ASSIST".'] },
    { reason: 'the portal website id', env: { PORTAL_WEBSITE_ID: 'Field Service portal' }, problems: ['PORTAL_WEBSITE_ID must be a GUID (the portal website\'s adx_websiteid); got "Field Service portal".'] },
    { reason: 'the work order type id', env: { WORK_ORDER_TYPE_ID: '1234' }, problems: ['WORK_ORDER_TYPE_ID must be a GUID (a work order type id); got "1234".'] },
    { reason: 'the time zone code in hexadecimal is not read as 85', env: { DEFAULT_TIMEZONE_CODE: '0x55' }, problems: ['DEFAULT_TIMEZONE_CODE must be a whole number from -1500 to 1500 (a Dataverse time zone code); got "0x55".'] },
    { reason: 'the time zone code in exponent form is not read as 85', env: { DEFAULT_TIMEZONE_CODE: '8.5e1' }, problems: ['DEFAULT_TIMEZONE_CODE must be a whole number from -1500 to 1500 (a Dataverse time zone code); got "8.5e1".'] },
    { reason: 'a negative removal limit', env: { MAX_DEPROVISIONS_PER_RUN: '-1' }, problems: ['MAX_DEPROVISIONS_PER_RUN must be a whole number from 0 to 1000000 (contacts losing access in one run; 0 holds every removal); got "-1".'] },
    { reason: 'a percentage above 100', env: { MAX_DEPROVISIONS_PERCENT: '150' }, problems: ['MAX_DEPROVISIONS_PERCENT must be a whole number from 0 to 100 (per cent of everyone with access, over every family; 100 turns the percentage off); got "150".'] },
    { reason: 'a fractional percentage', env: { MAX_DEPROVISIONS_PERCENT: '12.5' }, problems: ['MAX_DEPROVISIONS_PERCENT must be a whole number from 0 to 100 (per cent of everyone with access, over every family; 100 turns the percentage off); got "12.5".'] },
    { reason: 'quarantine after zero failures would quarantine everyone', env: { QUARANTINE_AFTER_FAILURES: '0' }, problems: ['QUARANTINE_AFTER_FAILURES must be a whole number from 1 to 100 (failed runs in a row); got "0".'] },
    { reason: 'the portal invitation lifetime', env: { PORTAL_WEBSITE_ID: 'a1000000-0000-4000-8000-000000000001', PORTAL_INVITATION_EXPIRY_DAYS: '400' }, problems: ['PORTAL_INVITATION_EXPIRY_DAYS must be a whole number from 1 to 365 (the days an invitation code stays valid); got "400".'] },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      expect(problemsOf({ ...valid, ...c.env })).toEqual(c.problems);
    });
  }

  it('every problem is one line, in one SETTINGS_INVALID, so one pass fixes them all', () => {
    expect(problemsOf({ ...valid, DATAVERSE_URL: 'https://contoso.crm.dynamics.com/api/data/v9.2', DEFAULT_USAGE_LOCATION: 'UK', LICENSE_SKU_ID: 'x' }).map((p) => p.split(' ')[0])).toEqual([
      'DATAVERSE_URL',
      'LICENSE_SKU_ID',
      'DEFAULT_USAGE_LOCATION',
    ]);
  });
});
