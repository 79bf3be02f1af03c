/**
 * The on-demand Dataverse user (issue 15): with DATAVERSE_USER_ON_DEMAND=true a technician whose
 * identity is licensed and in the group, and who has no enabled systemuser, is added through the
 * Power Platform admin API's addUser instead of waiting for Dataverse's background sync
 * (reconcilers/technicians/systemuser-add.ts). It needs the environment's BAP name
 * (POWER_PLATFORM_ENVIRONMENT_ID: the Environment ID in the Power Platform admin center, not the
 * Dataverse organisation id) and the API's root (POWER_PLATFORM_API_URL; in the public cloud
 * https://api.bap.microsoft.com, against the tenant simulator its own origin, which its first line's
 * `env` gives). The token scope is always the PowerApps service's, https://service.powerapps.com/.default
 * (src/clients/power-platform-client.ts): one code path for Azure and the simulator.
 */
import type { Readers } from './config-readers.js';

export interface PowerPlatformSettings {
  environmentId: string;
  apiUrl: string;
}

export const POWER_PLATFORM_DEFAULTS = {
  DATAVERSE_USER_ON_DEMAND: 'false',
  POWER_PLATFORM_API_URL: 'https://api.bap.microsoft.com',
} as const;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/**
 * The public cloud's admin API host. National clouds have their own hosts and their own PowerApps
 * token audience; the product asks for the public one only, so it refuses their hosts rather than
 * fail on the first token.
 */
const BAP_HOSTS = new Set(['api.bap.microsoft.com']);

/** The settings when DATAVERSE_USER_ON_DEMAND=true, else undefined; problems go to the readers' list. */
export function readPowerPlatform(r: Readers): PowerPlatformSettings | undefined {
  if (!r.bool('DATAVERSE_USER_ON_DEMAND', POWER_PLATFORM_DEFAULTS.DATAVERSE_USER_ON_DEMAND)) return undefined;
  const environmentId = r.guid(
    'POWER_PLATFORM_ENVIRONMENT_ID',
    r.required('POWER_PLATFORM_ENVIRONMENT_ID', 'DATAVERSE_USER_ON_DEMAND=true needs the environment\'s ID (Power Platform admin center → the environment → Environment ID), or set DATAVERSE_USER_ON_DEMAND=false.'),
    "the environment's Environment ID in the Power Platform admin center",
  );
  const apiUrl = r.httpsUrl('POWER_PLATFORM_API_URL', r.get('POWER_PLATFORM_API_URL') ?? POWER_PLATFORM_DEFAULTS.POWER_PLATFORM_API_URL);
  if (URL.canParse(apiUrl)) {
    const url = new URL(apiUrl);
    if (url.protocol === 'https:' && (url.pathname.replace(/\/+$/, '') !== '' || url.search !== '' || url.username !== '' || url.password !== '')) {
      r.problems.push(`POWER_PLATFORM_API_URL must be the admin API's origin with no path, query or user name, e.g. ${POWER_PLATFORM_DEFAULTS.POWER_PLATFORM_API_URL}; got "${apiUrl}".`);
    } else if (url.protocol === 'https:' && !LOOPBACK_HOSTS.has(url.hostname) && !BAP_HOSTS.has(url.hostname)) {
      r.problems.push(`POWER_PLATFORM_API_URL must be on a Power Platform admin API host (${[...BAP_HOSTS].join(', ')}); got "${url.host}". Leave it unset for the public cloud.`);
    }
  }
  return { environmentId, apiUrl };
}
