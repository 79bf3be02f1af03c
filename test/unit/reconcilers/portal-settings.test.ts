/**
 * The customer portal family's settings (reconcilers/portal/settings.ts) read through loadSettings
 * (src/families.ts), as the app reads them at start: defaults, normalisation, the exact problem each
 * bad value gives (one SETTINGS_INVALID error), the family off while PORTAL_WEBSITE_ID is unset;
 * then the configuration the first observation checks (reconcilers/portal/family.ts), each refusal
 * with its stable code.
 */
import { describe, expect, it } from 'vitest';
import { checkPortalConfiguration } from '../../../reconcilers/portal/family.js';
import type { PortalLookups } from '../../../reconcilers/portal/observation.js';
import { portalSettings as portalSettingsOf, type PortalSettings } from '../../../reconcilers/portal/settings.js';
import type { Env } from '../../../src/config.js';
import { loadSettings } from '../../../src/families.js';
import { ConfigurationError } from '../../../src/model/errors.js';
import { ROLE, ROLE_ON_OTHER_SITE, WEBSITE, OTHER_WEBSITE, portalObservation, portalSettings } from '../../support/portal-model.js';

const SITE = '6f1c2b1e-93a4-4b5e-8c1a-2f0e5d9a7b10';
const base: Env = { DATAVERSE_URL: 'https://contoso.crm.dynamics.com', PORTAL_WEBSITE_ID: SITE };
const TECHNICIANS: Env = {
  LICENSE_SKU_ID: '23e6e135-e869-4ce4-9ae4-5710cd69ac13',
  TECHNICIAN_GROUP_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  DEFAULT_USAGE_LOCATION: 'GB',
  DEFAULT_TIMEZONE_CODE: '85',
};
const defaults: PortalSettings = { websiteId: SITE, webRoleName: 'Web API Users', invitationExpiryDays: 14, sendInvitation: true, sendInvitationWorkflowName: 'Send Invitation' };

function thrown(f: () => unknown): ConfigurationError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return err as ConfigurationError;
  }
  throw new Error('no error was thrown');
}

/** The problems of SETTINGS_INVALID, one per line, as the app prints them. */
function problemsOf(env: Env): string[] {
  const e = thrown(() => loadSettings(env));
  expect(e.code).toBe('SETTINGS_INVALID');
  return e.message.split('\n- ').slice(1);
}

describe('portal settings: values', () => {
  const cases: { reason: string; env: Env; want: PortalSettings }[] = [
    { reason: 'only the website: every other setting has its default', env: {}, want: defaults },
    { reason: 'the website id is trimmed and lower-cased', env: { PORTAL_WEBSITE_ID: ` ${SITE.toUpperCase()} ` }, want: defaults },
    { reason: 'blank settings count as absent: the defaults', env: { PORTAL_WEB_ROLE_NAME: ' ', PORTAL_INVITATION_EXPIRY_DAYS: '', PORTAL_SEND_INVITATION: '  ', PORTAL_SEND_INVITATION_WORKFLOW: '' }, want: defaults },
    { reason: 'another role name, trimmed', env: { PORTAL_WEB_ROLE_NAME: '  Authenticated Customers ' }, want: { ...defaults, webRoleName: 'Authenticated Customers' } },
    { reason: 'a role name of exactly 100 characters', env: { PORTAL_WEB_ROLE_NAME: 'r'.repeat(100) }, want: { ...defaults, webRoleName: 'r'.repeat(100) } },
    { reason: 'the shortest validity, one day', env: { PORTAL_INVITATION_EXPIRY_DAYS: '1' }, want: { ...defaults, invitationExpiryDays: 1 } },
    { reason: 'the longest validity, 365 days, spaces trimmed', env: { PORTAL_INVITATION_EXPIRY_DAYS: ' 365 ' }, want: { ...defaults, invitationExpiryDays: 365 } },
    { reason: 'sending off, in any case', env: { PORTAL_SEND_INVITATION: 'FALSE' }, want: { ...defaults, sendInvitation: false } },
    { reason: 'sending on, in any case', env: { PORTAL_SEND_INVITATION: 'True' }, want: defaults },
    { reason: 'the workflow under another name (a translated environment)', env: { PORTAL_SEND_INVITATION_WORKFLOW: 'Einladung senden' }, want: { ...defaults, sendInvitationWorkflowName: 'Einladung senden' } },
  ];
  for (const tc of cases) it(tc.reason, () => expect(loadSettings({ ...base, ...tc.env }).families.portal).toEqual(tc.want));
});

describe('portal settings: problems', () => {
  const days = (got: string): string => `PORTAL_INVITATION_EXPIRY_DAYS must be a whole number from 1 to 365 (the days an invitation code stays valid); got "${got}".`;
  const cases: { reason: string; env: Env; want: string[] }[] = [
    { reason: 'the website is not a GUID', env: { PORTAL_WEBSITE_ID: 'Field Service Portal' }, want: ['PORTAL_WEBSITE_ID must be a GUID (the portal website\'s adx_websiteid); got "Field Service Portal".'] },
    { reason: 'zero days', env: { PORTAL_INVITATION_EXPIRY_DAYS: '0' }, want: [days('0')] },
    { reason: 'more than a year', env: { PORTAL_INVITATION_EXPIRY_DAYS: '366' }, want: [days('366')] },
    { reason: 'a fraction of a day', env: { PORTAL_INVITATION_EXPIRY_DAYS: '1.5' }, want: [days('1.5')] },
    { reason: 'words', env: { PORTAL_INVITATION_EXPIRY_DAYS: 'two weeks' }, want: [days('two weeks')] },
    { reason: 'a negative number', env: { PORTAL_INVITATION_EXPIRY_DAYS: '-14' }, want: [days('-14')] },
    { reason: 'an exponent Number() would read as 10', env: { PORTAL_INVITATION_EXPIRY_DAYS: '1e1' }, want: [days('1e1')] },
    { reason: 'hexadecimal Number() would read as 16', env: { PORTAL_INVITATION_EXPIRY_DAYS: '0x10' }, want: [days('0x10')] },
    { reason: 'sending neither true nor false', env: { PORTAL_SEND_INVITATION: 'yes' }, want: ['PORTAL_SEND_INVITATION must be true or false; got "yes".'] },
    { reason: 'a role name longer than a web role\'s name can be', env: { PORTAL_WEB_ROLE_NAME: 'r'.repeat(101) }, want: ["PORTAL_WEB_ROLE_NAME must be a web role's name (at most 100 characters); got 101 characters."] },
    {
      reason: 'every problem at once, in one error, so they are fixed in one pass',
      env: { PORTAL_WEBSITE_ID: 'x', PORTAL_INVITATION_EXPIRY_DAYS: '0', PORTAL_SEND_INVITATION: 'no' },
      want: ['PORTAL_WEBSITE_ID must be a GUID (the portal website\'s adx_websiteid); got "x".', days('0'), 'PORTAL_SEND_INVITATION must be true or false; got "no".'],
    },
  ];
  for (const tc of cases) it(tc.reason, () => expect(problemsOf({ ...base, ...tc.env })).toEqual(tc.want));
});

describe('the family off while PORTAL_WEBSITE_ID is unset', () => {
  it('with the technicians configured: no portal settings, and its other settings (even bad ones) are not read', () => {
    const settings = loadSettings({ DATAVERSE_URL: base.DATAVERSE_URL, ...TECHNICIANS, PORTAL_WEB_ROLE_NAME: 'Customers', PORTAL_INVITATION_EXPIRY_DAYS: '0' });
    expect(settings.families.portal).toBeUndefined();
    expect(settings.families.technicians).toBeDefined();
    const e = thrown(() => portalSettingsOf(settings));
    expect({ code: e.code, message: e.message }).toEqual({ code: 'NO_FAMILY_CONFIGURED', message: 'No family is configured, so a run would manage nothing. The customer portal family is off (PORTAL_WEBSITE_ID is not set).' });
  });

  it('a blank PORTAL_WEBSITE_ID is unset too', () => {
    expect(loadSettings({ DATAVERSE_URL: base.DATAVERSE_URL, ...TECHNICIANS, PORTAL_WEBSITE_ID: '  ' }).families.portal).toBeUndefined();
  });

  it('with no family at all: NO_FAMILY_CONFIGURED says the website is what turns the portal on', () => {
    const e = thrown(() => loadSettings({ DATAVERSE_URL: base.DATAVERSE_URL, PORTAL_WEB_ROLE_NAME: 'Customers' }));
    expect(e.code).toBe('NO_FAMILY_CONFIGURED');
    expect(e.message).toContain('The portal family is on when its settings are given: PORTAL_WEBSITE_ID is not set. Set it to the adx_websiteid of the Field Service portal (Portal Management → Websites).');
  });

  it('with the website beside the technicians: both families on', () => {
    const settings = loadSettings({ ...base, ...TECHNICIANS });
    expect(Object.keys(settings.families).sort()).toEqual(['portal', 'technicians']);
    expect(portalSettingsOf(settings)).toEqual(defaults);
  });
});

describe('the configuration the observation checks', () => {
  const roles = {
    site: { adx_webroleid: ROLE, adx_name: 'Web API Users', _adx_websiteid_value: WEBSITE },
    other: { adx_webroleid: ROLE_ON_OTHER_SITE, adx_name: 'Web API Users', _adx_websiteid_value: OTHER_WEBSITE },
    second: { adx_webroleid: 'd0000000-0000-4000-8000-0000000000d2', adx_name: 'Web API Users', _adx_websiteid_value: WEBSITE.toUpperCase() },
  };
  const cases: { reason: string; lookups: Partial<PortalLookups>; settings?: Partial<PortalSettings>; want: { code: string; message: string } | null }[] = [
    { reason: 'the website, one role on it (another site\'s beside it) and the workflow: valid', lookups: {}, want: null },
    { reason: 'sending off needs no workflow', lookups: { sendWorkflowId: null }, settings: { sendInvitation: false }, want: null },
    {
      reason: 'no such website: the run stops',
      lookups: { website: null },
      want: { code: 'PORTAL_WEBSITE_NOT_FOUND', message: `PORTAL_WEBSITE_ID=${WEBSITE} is not a website (adx_website) of this environment, so no customer can be given portal access; the run stops.` },
    },
    {
      reason: 'the role name only on another website (names are unique per website only): not found, saying so',
      lookups: { roles: [roles.other] },
      want: { code: 'PORTAL_WEB_ROLE_NOT_FOUND', message: 'The website Customer self-service has no web role named "Web API Users" (1 web role(s) of that name belong to other websites); the run stops.' },
    },
    { reason: 'no role of that name anywhere: not found', lookups: { roles: [] }, want: { code: 'PORTAL_WEB_ROLE_NOT_FOUND', message: 'The website Customer self-service has no web role named "Web API Users"; the run stops.' } },
    {
      reason: 'two roles of that name on the site (one id in upper case): ambiguous, both named',
      lookups: { roles: [roles.site, roles.other, roles.second] },
      want: { code: 'PORTAL_WEB_ROLE_AMBIGUOUS', message: `The website Customer self-service has 2 web roles named "Web API Users" (${ROLE}, d0000000-0000-4000-8000-0000000000d2); the product cannot tell which one to give, so the run stops.` },
    },
    {
      reason: 'sending on and no activated workflow of that name: the run stops',
      lookups: { sendWorkflowId: null },
      want: { code: 'PORTAL_SEND_WORKFLOW_NOT_FOUND', message: 'PORTAL_SEND_INVITATION is on, but the environment has no activated workflow named "Send Invitation", so invitations could not be mailed; the run stops.' },
    },
  ];
  for (const tc of cases) {
    it(tc.reason, () => {
      const check = (): void => checkPortalConfiguration(portalObservation({ lookups: tc.lookups }), portalSettings(tc.settings));
      if (!tc.want) return expect(check).not.toThrow();
      const e = thrown(check);
      expect({ code: e.code, message: e.message }).toEqual(tc.want);
    });
  }
});
