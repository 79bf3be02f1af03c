/**
 * Settings come from environment variables (the Function App's app settings) and are validated once,
 * at start. Every problem names the setting and the fix; all problems are reported together so an
 * implementer fixes them in one pass. docs/configuration.md lists every setting.
 *
 * AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_AUTHORITY_HOST are read by
 * @azure/identity itself (DefaultAzureCredential); they are not repeated here.
 */
import { ConfigurationError } from './model/errors.js';

export interface Settings {
  dataverseUrl: string;
  graphBaseUrl: string;
  licenseSkuId: string;
  technicianGroupId: string;
  defaultUsageLocation: string;
  defaultTimezoneCode: number;
  inviteRedirectUrl: string;
  sendInvitationEmail: boolean;
  /** Setup flag turned off: deprovision (true) or leave everything in place and report it (false). */
  deprovisionWhenSetupOff: boolean;
  /** Also set accountEnabled=false on deprovision (and true on reprovision). Off by default. */
  blockSignInOnDeprovision: boolean;
  // Guards (docs/operations.md). Set only when the app setting is given; absent means the
  // documented default (GUARD_DEFAULTS, resolved by src/engine/guards/policy.ts).
  /** MAX_DEPROVISIONS_PER_RUN: more contacts losing access in one run than this holds every removal back. */
  maxDeprovisionsPerRun?: number;
  /** MAX_DEPROVISIONS_PERCENT: the same, as a share of the technicians with access today. */
  maxDeprovisionsPercent?: number;
  /** RELEASE_HELD_REMOVALS: release removals the threshold would hold back (set for one run, then unset). */
  releaseHeldRemovals?: boolean;
  /** QUARANTINE_AFTER_FAILURES: failed runs in a row after which a contact is backed off. */
  quarantineAfterFailures?: number;
  /**
   * OWNERSHIP_MARK_ATTRIBUTE: the user extension attribute (extensionAttribute1–15) that holds the
   * product's ownership mark (src/engine/ownership.ts); absent means extensionAttribute15.
   */
  ownershipMarkAttribute?: string;
}

type Env = Record<string, string | undefined>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const SETTING_DEFAULTS = {
  GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0',
  SEND_INVITATION_EMAIL: 'true',
  DEPROVISION_WHEN_SETUP_OFF: 'false',
  BLOCK_SIGN_IN_ON_DEPROVISION: 'false',
} as const;

/** Defaults of the guard settings (docs/configuration.md, docs/operations.md). */
export const GUARD_DEFAULTS = {
  MAX_DEPROVISIONS_PER_RUN: 25,
  MAX_DEPROVISIONS_PERCENT: 10,
  RELEASE_HELD_REMOVALS: false,
  QUARANTINE_AFTER_FAILURES: 3,
} as const;

/** All problems found in the app settings, as one ConfigurationError, so they are fixed in one pass. */
function throwIfInvalid(problems: string[]): void {
  if (problems.length === 0) return;
  throw new ConfigurationError(
    'SETTINGS_INVALID',
    `The app settings are not valid:\n- ${problems.join('\n- ')}`,
    'Fix these app settings (docs/configuration.md lists them all) and restart.',
  );
}

/** The extension attribute that carries the ownership mark (OWNERSHIP_MARK_ATTRIBUTE). */
export function markAttributeOf(settings: Pick<Settings, 'ownershipMarkAttribute'>): string {
  return settings.ownershipMarkAttribute ?? 'extensionAttribute15';
}

export function loadSettings(env: Env = process.env): Settings {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const required = (name: string, fix: string): string => {
    const v = get(name);
    if (v === undefined) problems.push(`${name} is not set. ${fix}`);
    return v ?? '';
  };
  const httpsUrl = (name: string, value: string): string => {
    if (value === '') return value;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      problems.push(`${name} is not a URL ("${value}"). Set it to an https:// address.`);
      return value;
    }
    if (url.protocol !== 'https:') problems.push(`${name} must use https:// ("${value}").`);
    return value.replace(/\/+$/, '');
  };
  const guid = (name: string, value: string, what: string): string => {
    if (value !== '' && !GUID.test(value)) problems.push(`${name} must be a GUID (${what}); got "${value}".`);
    return value.toLowerCase();
  };
  const bool = (name: string, fallback: string): boolean => {
    const v = (get(name) ?? fallback).toLowerCase();
    if (v !== 'true' && v !== 'false') problems.push(`${name} must be true or false; got "${v}".`);
    return v === 'true';
  };

  const dataverseUrl = httpsUrl(
    'DATAVERSE_URL',
    required('DATAVERSE_URL', 'Set it to the environment URL, e.g. https://contoso.crm.dynamics.com.'),
  );
  // The environment URL is an origin: the app adds /api/data/v9.2/ to it and asks for tokens for
  // `${DATAVERSE_URL}/.default`, so a path here would break both (docs/configuration.md).
  if (dataverseUrl !== '' && URL.canParse(dataverseUrl) && !/^https?:\/\/[^/?#]+$/i.test(dataverseUrl)) {
    problems.push(`DATAVERSE_URL must be the environment URL with no path, e.g. https://contoso.crm.dynamics.com (the app adds /api/data/v9.2 itself); got "${dataverseUrl}".`);
  }
  const graphBaseUrl = httpsUrl('GRAPH_BASE_URL', get('GRAPH_BASE_URL') ?? SETTING_DEFAULTS.GRAPH_BASE_URL);
  if (graphBaseUrl !== '' && !/\/v1\.0$/.test(graphBaseUrl)) {
    problems.push(`GRAPH_BASE_URL must end in /v1.0 ("${graphBaseUrl}").`);
  }
  const licenseSkuId = guid(
    'LICENSE_SKU_ID',
    required('LICENSE_SKU_ID', 'Set it to the skuId of the technicians\' licence (GET /subscribedSkus lists them).'),
    'the skuId from GET /subscribedSkus',
  );
  const technicianGroupId = guid(
    'TECHNICIAN_GROUP_ID',
    required('TECHNICIAN_GROUP_ID', 'Set it to the object id of the security group that gives Dataverse access.'),
    'the group\'s object id',
  );
  const usage = required('DEFAULT_USAGE_LOCATION', 'Set it to a two-letter ISO 3166 country code, e.g. US.');
  if (usage !== '' && !/^[A-Za-z]{2}$/.test(usage)) {
    problems.push(`DEFAULT_USAGE_LOCATION must be a two-letter ISO 3166 code such as US or GB; got "${usage}".`);
  }
  const tzRaw = required(
    'DEFAULT_TIMEZONE_CODE',
    'Set it to a Dataverse time zone code (GET timezonedefinitions lists them; 85 is GMT Standard Time).',
  );
  const tz = Number(tzRaw);
  if (tzRaw !== '' && (!Number.isInteger(tz) || tz < -1500 || tz > 1500)) {
    problems.push(`DEFAULT_TIMEZONE_CODE must be a whole number from -1500 to 1500 (a Dataverse time zone code); got "${tzRaw}".`);
  }
  const inviteRedirectUrl = httpsUrl('INVITE_REDIRECT_URL', get('INVITE_REDIRECT_URL') ?? dataverseUrl);

  const settings: Settings = {
    dataverseUrl,
    graphBaseUrl,
    licenseSkuId,
    technicianGroupId,
    defaultUsageLocation: usage.toUpperCase(),
    defaultTimezoneCode: tz,
    inviteRedirectUrl,
    sendInvitationEmail: bool('SEND_INVITATION_EMAIL', SETTING_DEFAULTS.SEND_INVITATION_EMAIL),
    deprovisionWhenSetupOff: bool('DEPROVISION_WHEN_SETUP_OFF', SETTING_DEFAULTS.DEPROVISION_WHEN_SETUP_OFF),
    blockSignInOnDeprovision: bool('BLOCK_SIGN_IN_ON_DEPROVISION', SETTING_DEFAULTS.BLOCK_SIGN_IN_ON_DEPROVISION),
  };
  const whole = (name: string, min: number, max: number, why: string): number | undefined => {
    const raw = get(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${name} must be a whole number from ${min} to ${max} (${why}); got "${raw}".`);
    return n;
  };
  const guards: Partial<Settings> = {
    maxDeprovisionsPerRun: whole('MAX_DEPROVISIONS_PER_RUN', 0, 1_000_000, 'contacts losing access in one run; 0 holds every removal'),
    maxDeprovisionsPercent: whole('MAX_DEPROVISIONS_PERCENT', 0, 100, 'per cent of the technicians with access; 100 turns the percentage off'),
    releaseHeldRemovals: get('RELEASE_HELD_REMOVALS') === undefined ? undefined : bool('RELEASE_HELD_REMOVALS', 'false'),
    quarantineAfterFailures: whole('QUARANTINE_AFTER_FAILURES', 1, 100, 'failed runs in a row'),
  };
  for (const [key, value] of Object.entries(guards)) if (value !== undefined) Object.assign(settings, { [key]: value });
  const markAttribute = get('OWNERSHIP_MARK_ATTRIBUTE');
  if (markAttribute !== undefined) {
    if (/^extensionAttribute(?:[1-9]|1[0-5])$/.test(markAttribute)) settings.ownershipMarkAttribute = markAttribute;
    else problems.push(`OWNERSHIP_MARK_ATTRIBUTE must name one of the user's extension attributes, extensionAttribute1 to extensionAttribute15; got "${markAttribute}".`);
  }
  throwIfInvalid(problems);
  return settings;
}

/**
 * When and for how long runs go (the timer's schedule, the run deadline, how long POST /api/run waits
 * before answering 202). Separate from loadSettings because the Functions app reads the schedule
 * when it registers the timer, before any run, and a tenant setting missing then must not stop the
 * HTTP routes from registering (they report it per request instead).
 */
export interface RunSettings {
  /** NCRONTAB with seconds (`0 0 * * * *` = hourly), as the timer trigger takes it. */
  reconcileSchedule: string;
  /** A run starts nothing new after this many seconds (the timer's and a manual run's). */
  runDeadlineSeconds: number;
  /** POST /api/run answers with the result within this, else 202 and a status URL. */
  runHttpWaitSeconds: number;
}

export const RUN_SETTING_DEFAULTS = {
  RECONCILE_SCHEDULE: '0 0 * * * *',
  RUN_DEADLINE_SECONDS: '3300',
  RUN_HTTP_WAIT_SECONDS: '200',
} as const;

/** Six NCRONTAB fields (second minute hour day month weekday) or an hh:mm:ss interval. */
const SCHEDULE = /^(\S+\s+){5}\S+$|^\d{1,2}:\d{2}:\d{2}$/;

export function loadRunSettings(env: Env = process.env): RunSettings {
  const problems: string[] = [];
  const get = (name: keyof typeof RUN_SETTING_DEFAULTS): string => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? RUN_SETTING_DEFAULTS[name] : v;
  };
  const seconds = (name: keyof typeof RUN_SETTING_DEFAULTS, min: number, max: number, why: string): number => {
    const raw = get(name);
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${name} must be a whole number of seconds from ${min} to ${max} (${why}); got "${raw}".`);
    return n;
  };
  const reconcileSchedule = get('RECONCILE_SCHEDULE');
  if (!SCHEDULE.test(reconcileSchedule)) {
    problems.push(`RECONCILE_SCHEDULE must be an NCRONTAB expression with six fields (second minute hour day month weekday), e.g. "0 0 * * * *" for hourly; got "${reconcileSchedule}".`);
  }
  const settings: RunSettings = {
    reconcileSchedule,
    runDeadlineSeconds: seconds('RUN_DEADLINE_SECONDS', 60, 86_400, 'keep it below host.json functionTimeout'),
    runHttpWaitSeconds: seconds('RUN_HTTP_WAIT_SECONDS', 1, 220, 'Azure closes HTTP requests after 230 s'),
  };
  throwIfInvalid(problems);
  return settings;
}
