/**
 * The service-account settings (reconcilers/technicians/service-account-settings.ts) read through
 * loadSettings (src/families.ts), as the app reads them at start: defaults, normalisation and the
 * exact problem each bad value gives.
 */
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/families.js';
import { ConfigurationError } from '../../../src/model/errors.js';
import type { Env } from '../../../src/config.js';
import type { ServiceAccountSettings } from '../../../reconcilers/technicians/service-account-settings.js';

const SKU = '23e6e135-e869-4ce4-9ae4-5710cd69ac13';
const SKU_B = '0c7af6b0-fe37-4ff7-9b7c-0b2a8c1a1a1b';
const base: Env = {
  DATAVERSE_URL: 'https://contoso.crm.dynamics.com/',
  LICENSE_SKU_ID: SKU.toUpperCase(),
  TECHNICIAN_GROUP_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  DEFAULT_USAGE_LOCATION: 'gb',
  DEFAULT_TIMEZONE_CODE: '85',
};

function serviceAccounts(env: Env): ServiceAccountSettings | undefined {
  const tech = loadSettings({ ...base, ...env }).families.technicians as { serviceAccounts?: ServiceAccountSettings } | undefined;
  return tech?.serviceAccounts;
}

/** The problems of SETTINGS_INVALID, one per line, as the app prints them. */
function problemsOf(env: Env): string[] {
  try {
    loadSettings({ ...base, ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    const e = err as ConfigurationError;
    expect(e.code).toBe('SETTINGS_INVALID');
    return e.message.split('\n- ').slice(1);
  }
  throw new Error('loadSettings accepted the settings');
}

describe('service-account settings: values', () => {
  const cases: { reason: string; env: Env; want: ServiceAccountSettings }[] = [
    { reason: 'none set: service accounts off, the persona licence is LICENSE_SKU_ID, the segment in companyName', env: {}, want: { domain: null, skuIds: [SKU], segmentAttribute: 'companyName' } },
    { reason: 'an empty domain is unset (blank app settings count as absent)', env: { SERVICE_ACCOUNT_DOMAIN: '  ' }, want: { domain: null, skuIds: [SKU], segmentAttribute: 'companyName' } },
    { reason: 'the domain is lower-cased and trimmed', env: { SERVICE_ACCOUNT_DOMAIN: ' Contoso.COM ' }, want: { domain: 'contoso.com', skuIds: [SKU], segmentAttribute: 'companyName' } },
    { reason: 'a sub-domain of 48 characters is accepted', env: { SERVICE_ACCOUNT_DOMAIN: `${'d'.repeat(40)}.example` }, want: { domain: `${'d'.repeat(40)}.example`, skuIds: [SKU], segmentAttribute: 'companyName' } },
    { reason: 'several skuIds, lower-cased, spaces and empty items dropped, in the order given', env: { SERVICE_ACCOUNT_SKU_IDS: ` ${SKU_B.toUpperCase()} ,, ${SKU} ` }, want: { domain: null, skuIds: [SKU_B, SKU], segmentAttribute: 'companyName' } },
    { reason: 'a skuId given twice (in two cases) is kept once', env: { SERVICE_ACCOUNT_SKU_IDS: `${SKU},${SKU.toUpperCase()},${SKU_B}` }, want: { domain: null, skuIds: [SKU, SKU_B], segmentAttribute: 'companyName' } },
    { reason: 'department is a segment attribute', env: { SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE: 'department' }, want: { domain: null, skuIds: [SKU], segmentAttribute: 'department' } },
    { reason: 'an extension attribute other than the mark\'s is a segment attribute', env: { SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE: 'extensionAttribute3' }, want: { domain: null, skuIds: [SKU], segmentAttribute: 'extensionAttribute3' } },
    { reason: 'extensionAttribute15 is free when the mark moved elsewhere', env: { SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE: 'extensionAttribute15', OWNERSHIP_MARK_ATTRIBUTE: 'extensionAttribute14' }, want: { domain: null, skuIds: [SKU], segmentAttribute: 'extensionAttribute15' } },
  ];
  for (const tc of cases) it(tc.reason, () => expect(serviceAccounts(tc.env)).toEqual(tc.want));
});

describe('service-account settings: problems', () => {
  const cases: { reason: string; env: Env; want: string[] }[] = [
    {
      reason: 'a domain with a scheme is not a domain name',
      env: { SERVICE_ACCOUNT_DOMAIN: 'https://contoso.com' },
      want: ['SERVICE_ACCOUNT_DOMAIN must be a domain name of at most 48 characters that the tenant has verified, e.g. contoso.com; got "https://contoso.com".'],
    },
    {
      reason: 'an address is not a domain name',
      env: { SERVICE_ACCOUNT_DOMAIN: 'admin@Contoso.com' },
      want: ['SERVICE_ACCOUNT_DOMAIN must be a domain name of at most 48 characters that the tenant has verified, e.g. contoso.com; got "admin@Contoso.com".'],
    },
    {
      reason: 'a single label has no top-level domain',
      env: { SERVICE_ACCOUNT_DOMAIN: 'contoso' },
      want: ['SERVICE_ACCOUNT_DOMAIN must be a domain name of at most 48 characters that the tenant has verified, e.g. contoso.com; got "contoso".'],
    },
    {
      reason: 'a domain of 49 characters passes the 48 the UPN allows after the @',
      env: { SERVICE_ACCOUNT_DOMAIN: `${'d'.repeat(41)}.example` },
      want: [`SERVICE_ACCOUNT_DOMAIN must be a domain name of at most 48 characters that the tenant has verified, e.g. contoso.com; got "${'d'.repeat(41)}.example".`],
    },
    {
      reason: 'a skuId that is not a GUID is named',
      env: { SERVICE_ACCOUNT_SKU_IDS: `${SKU},REMOTE_ASSIST` },
      want: ['SERVICE_ACCOUNT_SKU_IDS must be a GUID (comma-separated skuIds from GET /subscribedSkus); got "REMOTE_ASSIST".'],
    },
    {
      reason: 'a list of only commas names no skuId',
      env: { SERVICE_ACCOUNT_SKU_IDS: ' , ,' },
      want: ['SERVICE_ACCOUNT_SKU_IDS names no skuId; leave it unset to use LICENSE_SKU_ID.'],
    },
    {
      reason: 'a property information barriers cannot filter on',
      env: { SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE: 'jobTitle' },
      want: ['SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE must be one of companyName, department, officeLocation or extensionAttribute1 to extensionAttribute15 (user properties information barriers can filter on); got "jobTitle".'],
    },
    {
      reason: 'the names are case-sensitive like Graph\'s properties',
      env: { SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE: 'CompanyName' },
      want: ['SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE must be one of companyName, department, officeLocation or extensionAttribute1 to extensionAttribute15 (user properties information barriers can filter on); got "CompanyName".'],
    },
    {
      reason: 'extensionAttribute16 does not exist',
      env: { SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE: 'extensionAttribute16' },
      want: ['SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE must be one of companyName, department, officeLocation or extensionAttribute1 to extensionAttribute15 (user properties information barriers can filter on); got "extensionAttribute16".'],
    },
    {
      reason: 'the segment on the default mark attribute would overwrite the ownership mark',
      env: { SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE: 'extensionAttribute15' },
      want: ['SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE and OWNERSHIP_MARK_ATTRIBUTE are both extensionAttribute15; the segment needs an attribute of its own.'],
    },
    {
      reason: 'the segment on a moved mark attribute is refused as well',
      env: { SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE: 'extensionAttribute7', OWNERSHIP_MARK_ATTRIBUTE: 'extensionAttribute7' },
      want: ['SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE and OWNERSHIP_MARK_ATTRIBUTE are both extensionAttribute7; the segment needs an attribute of its own.'],
    },
    {
      reason: 'every problem at once, in the order of the settings',
      env: { SERVICE_ACCOUNT_DOMAIN: 'contoso', SERVICE_ACCOUNT_SKU_IDS: ',', SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE: 'title' },
      want: [
        'SERVICE_ACCOUNT_DOMAIN must be a domain name of at most 48 characters that the tenant has verified, e.g. contoso.com; got "contoso".',
        'SERVICE_ACCOUNT_SKU_IDS names no skuId; leave it unset to use LICENSE_SKU_ID.',
        'SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE must be one of companyName, department, officeLocation or extensionAttribute1 to extensionAttribute15 (user properties information barriers can filter on); got "title".',
      ],
    },
  ];
  for (const tc of cases) it(tc.reason, () => expect(problemsOf(tc.env)).toEqual(tc.want));
});
