/**
 * Settings come from environment variables (the Function App's app settings) and are validated once,
 * at start. Every problem names the setting and the fix; all problems are reported together so an
 * implementer fixes them in one pass. docs/configuration.md lists every setting.
 *
 * AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_AUTHORITY_HOST are read by
 * @azure/identity itself (DefaultAzureCredential); they are not kept here, only checked for their
 * shape when given (src/config-services.ts).
 */
import { readers, type Env, type Readers } from './config-readers.js';

export type { Env, Readers } from './config-readers.js';
import { ConfigurationError } from './model/errors.js';
import { readReconcileMode, type ReconcileMode } from './app/reconcile-mode.js';
import { scheduleProblem } from './config-schedule.js';
import { dataverseUrlProblems, graphBaseUrlProblems, identityProblems } from './config-services.js';
import { readPowerPlatform, type PowerPlatformSettings } from './config-power-platform.js';

export type { PowerPlatformSettings } from './config-power-platform.js';

/**
 * The settings every run shares (the services, the guards, the ownership mark), plus one namespace
 * per family (src/engine/family.ts). A family whose namespace is absent is off; a run needs one on.
 */
export interface Settings {
  dataverseUrl: string;
  graphBaseUrl: string;
  // Guards (docs/operations.md). Set only when the app setting is given; absent means the
  // documented default (GUARD_DEFAULTS, resolved by src/engine/guards/policy.ts).
  /** MAX_DEPROVISIONS_PER_RUN: more subjects losing access in one run than this holds every removal back. */
  maxDeprovisionsPerRun?: number;
  /** MAX_DEPROVISIONS_PERCENT: the same, as a share of the subjects with access today. */
  maxDeprovisionsPercent?: number;
  /** RELEASE_HELD_REMOVALS: release removals the threshold would hold back (set for one run, then unset). */
  releaseHeldRemovals?: boolean;
  /** QUARANTINE_AFTER_FAILURES: failed runs in a row after which a subject is backed off. */
  quarantineAfterFailures?: number;
  /**
   * OWNERSHIP_MARK_ATTRIBUTE: the user extension attribute (extensionAttribute1–15) that holds the
   * product's ownership mark (reconcilers/technicians/ownership.ts); absent means extensionAttribute15.
   */
  ownershipMarkAttribute?: string;
  /**
   * DATAVERSE_USER_ON_DEMAND=true: the Power Platform admin API's environment and root
   * (src/config-power-platform.ts); absent: Dataverse's own user sync creates the systemusers.
   */
  powerPlatform?: PowerPlatformSettings;
  /** Each family's own settings; an absent family is off. */
  families: FamilySettings;
}

/**
 * One namespace per family. The core declares none: each family adds its own by augmenting this
 * interface (reconcilers/<family>/settings.ts, TypeScript declaration merging), and parses it with
 * the FamilySettingsSpec it gives loadSettings.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the families' augmentations
export interface FamilySettings {}

/**
 * How a family's settings are read: its app setting names (any of them given turns the family on)
 * and a loader that validates them with the same readers as the core's, into the family's own list
 * of problems (reported only when the family is on). loadSettings validates every family in one pass.
 */
export interface FamilySettingsSpec {
  /** The key of its namespace in Settings.families (the family's name). */
  readonly family: keyof FamilySettings & string;
  readonly settingNames: readonly string[];
  load(r: Readers, core: Pick<Settings, 'dataverseUrl' | 'graphBaseUrl'>): FamilySettings[keyof FamilySettings];
}

export const SETTING_DEFAULTS = {
  GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0',
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

/** The code of the error a run with no family configured stops with (docs/operations.md). */
export const NO_FAMILY_CONFIGURED = 'NO_FAMILY_CONFIGURED';

export function noFamilyError(detail = ''): ConfigurationError {
  return new ConfigurationError(
    'NO_FAMILY_CONFIGURED',
    `No family is configured, so a run would manage nothing.${detail}`,
    'Give the app settings of at least one family (docs/configuration.md lists them per family) and restart.',
  );
}

/**
 * The validated settings: the core's and every family's in `families` (src/families.ts passes the
 * product's families' specs: its loadSettings is what entry points call).
 */
export function parseSettings(env: Env, families: readonly FamilySettingsSpec[]): Settings {
  const problems: string[] = [];
  const r = readers(env, problems);

  const dataverseUrl = r.httpsUrl(
    'DATAVERSE_URL',
    r.required('DATAVERSE_URL', 'Set it to the environment URL, e.g. https://contoso.crm.dynamics.com.'),
  );
  // The environment's root and a Graph v1.0 root, each on a Microsoft host (src/config-services.ts).
  problems.push(...dataverseUrlProblems(dataverseUrl));
  const graphBaseUrl = r.httpsUrl('GRAPH_BASE_URL', r.get('GRAPH_BASE_URL') ?? SETTING_DEFAULTS.GRAPH_BASE_URL);
  problems.push(...graphBaseUrlProblems(graphBaseUrl));
  // The credential's own settings, when given: their shape only (src/config-services.ts).
  problems.push(...identityProblems(r));

  // Each family is validated into its own list: a family that is off reports nothing, one that is
  // on reports every problem together with the core's.
  const familySettings: FamilySettings = {};
  const offProblems: string[] = [];
  for (const spec of families) {
    const own: string[] = [];
    const loaded = spec.load(readers(env, own), { dataverseUrl, graphBaseUrl });
    if (spec.settingNames.some((name) => r.get(name) !== undefined)) {
      problems.push(...own);
      Object.assign(familySettings, { [spec.family]: loaded });
    } else {
      offProblems.push(`The ${spec.family} family is on when its settings are given: ${own.join(' ')}`);
    }
  }

  const settings: Settings = { dataverseUrl, graphBaseUrl, families: familySettings };
  const guards: Partial<Settings> = {
    maxDeprovisionsPerRun: r.whole('MAX_DEPROVISIONS_PER_RUN', 0, 1_000_000, 'contacts losing access in one run; 0 holds every removal'),
    maxDeprovisionsPercent: r.whole('MAX_DEPROVISIONS_PERCENT', 0, 100, 'per cent of everyone with access, over every family; 100 turns the percentage off'),
    releaseHeldRemovals: r.get('RELEASE_HELD_REMOVALS') === undefined ? undefined : r.bool('RELEASE_HELD_REMOVALS', 'false'),
    quarantineAfterFailures: r.whole('QUARANTINE_AFTER_FAILURES', 1, 100, 'failed runs in a row'),
  };
  for (const [key, value] of Object.entries(guards)) if (value !== undefined) Object.assign(settings, { [key]: value });
  const markAttribute = r.get('OWNERSHIP_MARK_ATTRIBUTE');
  if (markAttribute !== undefined) {
    if (/^extensionAttribute(?:[1-9]|1[0-5])$/.test(markAttribute)) settings.ownershipMarkAttribute = markAttribute;
    else problems.push(`OWNERSHIP_MARK_ATTRIBUTE must name one of the user's extension attributes, extensionAttribute1 to extensionAttribute15; got "${markAttribute}".`);
  }
  const powerPlatform = readPowerPlatform(r);
  if (powerPlatform) settings.powerPlatform = powerPlatform;
  if (Object.keys(familySettings).length === 0) {
    // With no family at all, say what each family would need, so the fix is in the message.
    const need = offProblems.map((p) => ` ${p}`).join('');
    if (problems.length > 0) problems.push(`No family is configured.${need}`);
    else throw noFamilyError(need);
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
  /** RECONCILE_MODE: `plan` (default) makes the timer dry-run; `apply` lets it change the tenant (src/app/reconcile-mode.ts). */
  reconcileMode: ReconcileMode;
}

export const RUN_SETTING_DEFAULTS = {
  RECONCILE_SCHEDULE: '0 0 * * * *',
  RUN_DEADLINE_SECONDS: '3300',
  RUN_HTTP_WAIT_SECONDS: '200',
} as const;

export function loadRunSettings(env: Env = process.env): RunSettings {
  const problems: string[] = [];
  const get = (name: keyof typeof RUN_SETTING_DEFAULTS): string => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? RUN_SETTING_DEFAULTS[name] : v;
  };
  const seconds = (name: keyof typeof RUN_SETTING_DEFAULTS, min: number, max: number, why: string): number => {
    const raw = get(name);
    // Digits only: Number() would also read "1e3" as 1000 and "0x10" as 16.
    const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${name} must be a whole number of seconds from ${min} to ${max} (${why}); got "${raw}".`);
    return n;
  };
  const reconcileSchedule = get('RECONCILE_SCHEDULE');
  const scheduleWrong = scheduleProblem(reconcileSchedule);
  if (scheduleWrong !== undefined) problems.push(scheduleWrong);
  const mode = readReconcileMode(env);
  if (mode.problem !== undefined) problems.push(mode.problem);
  const settings: RunSettings = {
    reconcileSchedule,
    reconcileMode: mode.mode ?? 'plan',
    runDeadlineSeconds: seconds('RUN_DEADLINE_SECONDS', 60, 86_400, 'keep it below host.json functionTimeout'),
    runHttpWaitSeconds: seconds('RUN_HTTP_WAIT_SECONDS', 1, 220, 'Azure closes HTTP requests after 230 s'),
  };
  throwIfInvalid(problems);
  return settings;
}
