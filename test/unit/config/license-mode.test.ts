/** LICENSE_MODE (reconcilers/technicians/settings.ts; docs/configuration.md "What the product provisions"). */
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/families.js';

const SKU = '23e6e135-e869-4ce4-9ae4-5710cd69ac13';
const valid = {
  DATAVERSE_URL: 'https://contoso.crm.dynamics.com/',
  LICENSE_SKU_ID: SKU,
  TECHNICIAN_GROUP_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  DEFAULT_USAGE_LOCATION: 'GB',
  DEFAULT_TIMEZONE_CODE: '85',
};
const mode = (env: Record<string, string>) => loadSettings({ ...valid, ...env }).families.technicians?.licenseMode;

describe('LICENSE_MODE', () => {
  const accepted: { reason: string; env: Record<string, string>; want: string }[] = [
    { reason: 'unset is direct, the behaviour before the setting existed', env: {}, want: 'direct' },
    { reason: 'group is read in any case', env: { LICENSE_MODE: 'Group' }, want: 'group' },
    { reason: 'group with SERVICE_ACCOUNT_SKU_IDS naming only LICENSE_SKU_ID: the group gives service accounts that licence too', env: { LICENSE_MODE: 'group', SERVICE_ACCOUNT_SKU_IDS: SKU.toUpperCase() }, want: 'group' },
  ];
  for (const c of accepted) it(c.reason, () => expect(mode(c.env)).toBe(c.want));

  const refused = [
    { reason: 'a value other than direct or group is refused with both named', env: { LICENSE_MODE: 'inherited' }, message: /LICENSE_MODE must be direct .* or group .*; got "inherited"/ },
    {
      reason: 'group with a persona licence other than LICENSE_SKU_ID: a group gives all its members the same licences',
      env: { LICENSE_MODE: 'group', SERVICE_ACCOUNT_SKU_IDS: '7a551360-26c4-4f61-84e6-ef715673e083' },
      message: /LICENSE_MODE=group .* SERVICE_ACCOUNT_SKU_IDS cannot name other licences than LICENSE_SKU_ID/,
    },
  ];
  for (const c of refused) it(c.reason, () => expect(() => loadSettings({ ...valid, ...c.env })).toThrow(c.message));
});
