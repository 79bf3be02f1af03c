/**
 * The vendor technicians family's app settings: their names, their validation and their namespace
 * (`Settings.families.technicians`, declared here by augmenting src/config.ts's FamilySettings).
 * src/config.ts validates them together with the core's and every other family's, in one pass; any
 * one of TECHNICIAN_SETTING_NAMES given turns the family on. docs/configuration.md lists them.
 */
import { noFamilyError, type FamilySettingsSpec, type Readers, type Settings } from '../../src/config.js';
import { knownCountryCodes, toCountryCode } from './country.js';
import { loadServiceAccountSettings, SERVICE_ACCOUNT_SETTING_NAMES, type ServiceAccountSettings } from './service-account-settings.js';

/**
 * Where the technician licence comes from (LICENSE_MODE): assigned to each user directly, or
 * inherited from the technician group, which carries it (group-based licensing,
 * reconcilers/technicians/group-licensing.ts).
 */
export type LicenseMode = 'direct' | 'group';

export const LICENSE_MODES: readonly LicenseMode[] = ['direct', 'group'];

/** The vendor technicians family's settings (reconcilers/technicians/family.ts). */
export interface TechnicianSettings {
  licenseSkuId: string;
  /** LICENSE_MODE; absent (settings built without it) means direct. */
  licenseMode?: LicenseMode;
  technicianGroupId: string;
  defaultUsageLocation: string;
  defaultTimezoneCode: number;
  inviteRedirectUrl: string;
  sendInvitationEmail: boolean;
  /** Setup flag turned off: deprovision (true) or leave everything in place and report it (false). */
  deprovisionWhenSetupOff: boolean;
  /** Also set accountEnabled=false on deprovision (and true on reprovision). Off by default. */
  blockSignInOnDeprovision: boolean;
  /** Contacts whose o25fs_accounttype asks for a member service account (service-account-settings.ts). */
  serviceAccounts?: ServiceAccountSettings;
}

declare module '../../src/config.js' {
  interface FamilySettings {
    technicians?: TechnicianSettings;
  }
}

export const TECHNICIAN_SETTING_DEFAULTS = {
  LICENSE_MODE: 'direct',
  SEND_INVITATION_EMAIL: 'true',
  DEPROVISION_WHEN_SETUP_OFF: 'false',
  BLOCK_SIGN_IN_ON_DEPROVISION: 'false',
} as const;

/** The app settings that belong to the technicians family: any of them given turns the family on. */
export const TECHNICIAN_SETTING_NAMES = [
  'LICENSE_SKU_ID',
  'LICENSE_MODE',
  'TECHNICIAN_GROUP_ID',
  'DEFAULT_USAGE_LOCATION',
  'DEFAULT_TIMEZONE_CODE',
  'INVITE_REDIRECT_URL',
  'SEND_INVITATION_EMAIL',
  'DEPROVISION_WHEN_SETUP_OFF',
  'BLOCK_SIGN_IN_ON_DEPROVISION',
  ...SERVICE_ACCOUNT_SETTING_NAMES,
] as const;

const COUNTRY_CODES = new Set(knownCountryCodes());

/**
 * DEFAULT_USAGE_LOCATION against the ISO 3166-1 table the product ships (country-table.ts): Graph
 * refuses a licence for a user without a valid usage location, so a code outside the table (`UK`
 * is the usual one) would fail every licence later. A value the table reads as a country (UK, GBR,
 * United Kingdom) gets its code as the suggestion.
 */
function usageLocationProblem(value: string): string | undefined {
  if (value === '' || COUNTRY_CODES.has(value.toUpperCase())) return undefined;
  const suggestion = toCountryCode(value);
  const hint = suggestion === null ? ' (reconcilers/technicians/country-table.ts lists the codes).' : `: did you mean ${suggestion}?`;
  return `DEFAULT_USAGE_LOCATION must be a two-letter ISO 3166-1 country code such as US or GB; "${value}" is not one${hint}`;
}

function loadTechnicianSettings(r: Readers, core: Pick<Settings, 'dataverseUrl'>): TechnicianSettings {
  const licenseSkuId = r.guid(
    'LICENSE_SKU_ID',
    r.required('LICENSE_SKU_ID', 'Set it to the skuId of the technicians\' licence (GET /subscribedSkus lists them).'),
    'the skuId from GET /subscribedSkus',
  );
  const technicianGroupId = r.guid(
    'TECHNICIAN_GROUP_ID',
    r.required('TECHNICIAN_GROUP_ID', 'Set it to the object id of the security group that gives Dataverse access.'),
    'the group\'s object id',
  );
  const usage = r.required('DEFAULT_USAGE_LOCATION', 'Set it to a two-letter ISO 3166 country code, e.g. US.');
  const usageProblem = usageLocationProblem(usage);
  if (usageProblem !== undefined) r.problems.push(usageProblem);
  const tzRaw = r.required(
    'DEFAULT_TIMEZONE_CODE',
    'Set it to a Dataverse time zone code (GET timezonedefinitions lists them; 85 is GMT Standard Time).',
  );
  // An optional minus and digits only: Number() would also read "8.5e1" as 85 and "0x55" as 85.
  const tz = /^-?\d+$/.test(tzRaw) ? Number(tzRaw) : Number.NaN;
  if (tzRaw !== '' && (!Number.isInteger(tz) || tz < -1500 || tz > 1500)) {
    r.problems.push(`DEFAULT_TIMEZONE_CODE must be a whole number from -1500 to 1500 (a Dataverse time zone code); got "${tzRaw}".`);
  }
  const redirect = r.get('INVITE_REDIRECT_URL');
  const serviceAccounts = loadServiceAccountSettings(r, licenseSkuId);
  return {
    licenseSkuId,
    licenseMode: licenseModeSetting(r, licenseSkuId, serviceAccounts),
    technicianGroupId,
    defaultUsageLocation: usage.toUpperCase(),
    defaultTimezoneCode: tz,
    // Unset, it is DATAVERSE_URL, whose own problems are reported once, under its own name.
    inviteRedirectUrl: redirect === undefined ? core.dataverseUrl : r.httpsUrl('INVITE_REDIRECT_URL', redirect),
    sendInvitationEmail: r.bool('SEND_INVITATION_EMAIL', TECHNICIAN_SETTING_DEFAULTS.SEND_INVITATION_EMAIL),
    deprovisionWhenSetupOff: r.bool('DEPROVISION_WHEN_SETUP_OFF', TECHNICIAN_SETTING_DEFAULTS.DEPROVISION_WHEN_SETUP_OFF),
    blockSignInOnDeprovision: r.bool('BLOCK_SIGN_IN_ON_DEPROVISION', TECHNICIAN_SETTING_DEFAULTS.BLOCK_SIGN_IN_ON_DEPROVISION),
    serviceAccounts,
  };
}

/**
 * LICENSE_MODE. In group mode every licence comes from the technician group, which gives the same
 * licences to all its members: service accounts whose persona needs other licences than
 * LICENSE_SKU_ID (SERVICE_ACCOUNT_SKU_IDS) cannot be licensed that way.
 */
function licenseModeSetting(r: Readers, licenseSkuId: string, serviceAccounts: ServiceAccountSettings): LicenseMode {
  const raw = (r.get('LICENSE_MODE') ?? TECHNICIAN_SETTING_DEFAULTS.LICENSE_MODE).toLowerCase();
  const mode = LICENSE_MODES.find((m) => m === raw);
  if (!mode) {
    r.problems.push(`LICENSE_MODE must be direct (the product assigns the licence to each technician) or group (the technician group carries it); got "${raw}".`);
    return 'direct';
  }
  const sku = licenseSkuId.toLowerCase();
  if (mode === 'group' && r.get('SERVICE_ACCOUNT_SKU_IDS') !== undefined && serviceAccounts.skuIds.some((s) => s !== sku)) {
    r.problems.push(
      'LICENSE_MODE=group licenses every technician through TECHNICIAN_GROUP_ID, which gives all its members the same licences, so SERVICE_ACCOUNT_SKU_IDS cannot name other licences than LICENSE_SKU_ID: leave it unset, or use LICENSE_MODE=direct.',
    );
  }
  return mode;
}

/** LICENSE_MODE of the family's settings (direct when the settings were built without it). */
export function licenseModeOf(t: Pick<TechnicianSettings, 'licenseMode'>): LicenseMode {
  return t.licenseMode ?? 'direct';
}

export const technicianSettingsSpec: FamilySettingsSpec = {
  family: 'technicians',
  settingNames: TECHNICIAN_SETTING_NAMES,
  load: loadTechnicianSettings,
};

/**
 * The technicians family's settings, for code that runs only when that family is on (the engine
 * calls a family only when its settings are present, so this throws only on a programming error).
 */
export function technicianSettings(settings: Pick<Settings, 'families'>): TechnicianSettings {
  const t = settings.families.technicians;
  if (!t) throw noFamilyError(' The technicians family is off (LICENSE_SKU_ID and the other technician settings are not set).');
  return t;
}
