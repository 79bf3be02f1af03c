/**
 * Where the product finds the services and how it signs in to them, checked beyond "an https URL"
 * (src/config-readers.ts): a value that parses but names the wrong thing would otherwise fail on
 * the first request or token, with advice about permissions instead of the setting.
 *
 * - DATAVERSE_URL is the environment's root, `https://<org>.crm<N>.dynamics.com`: the product adds
 *   `/api/data/v9.2/` to it and asks for tokens for `DATAVERSE_URL/.default`, so a path (most often
 *   the Web API's, copied from Developer resources) would be doubled and the scope wrong
 *   (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors#web-api-url-and-versions).
 *   Its host must be a Dynamics 365 environment host: the public cloud's `crm<N>.dynamics.com`, or
 *   US Government (`crm.microsoftdynamics.us`, `crm.appsplatform.us`) or China
 *   (`crm.dynamics.cn`); or a loopback address, where the tenant simulator listens
 *   (packages/tenant-sim/src/listeners.ts).
 * - GRAPH_BASE_URL is a Graph root of a national cloud deployment, ending in /v1.0: the clients are
 *   written against v1.0, and beta may change without notice
 *   (https://learn.microsoft.com/graph/versioning-and-support;
 *   hosts: https://learn.microsoft.com/graph/deployments). Loopback is allowed for the simulator.
 */
import type { Readers } from './config-readers.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const CLOUD = String.raw`crm\d*\.(?:dynamics\.com|microsoftdynamics\.us|appsplatform\.us|dynamics\.cn)`;
const ORG = String.raw`[a-z0-9](?:[a-z0-9-]*[a-z0-9])?`;
const DATAVERSE_HOST = new RegExp(`^${ORG}\\.${CLOUD}$`);
const DATAVERSE_API_HOST = new RegExp(`^(${ORG})\\.api\\.(${CLOUD})$`);
const GRAPH_HOSTS = new Set(['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn']);
const DATAVERSE_EXAMPLE = 'https://contoso.crm.dynamics.com';

/** Parsed, or undefined when the https reader has already reported it. */
function parsed(value: string): URL | undefined {
  return value !== '' && URL.canParse(value) ? new URL(value) : undefined;
}

/** What is wrong with DATAVERSE_URL (already trimmed of trailing slashes), if anything. */
export function dataverseUrlProblems(value: string): string[] {
  const url = parsed(value);
  if (!url || url.protocol !== 'https:') return [];
  const problems: string[] = [];
  const path = url.pathname.replace(/\/+$/, '');
  const apiAt = path.toLowerCase().indexOf('/api/data');
  // Developer resources shows the Web API endpoint, https://<org>.api.crm<N>.dynamics.com/api/data/v9.2:
  // the host's "api." and the path both go.
  const apiHost = DATAVERSE_API_HOST.exec(url.hostname);
  const root = apiHost ? `https://${apiHost[1]}.${apiHost[2]}${url.port === '' ? '' : `:${url.port}`}` : url.origin;
  const drop = [apiHost ? '"api." from the host' : '', apiAt >= 0 ? `"${path.slice(apiAt)}" from the path` : ''].filter((d) => d !== '');
  if (drop.length > 0) {
    problems.push(`DATAVERSE_URL must be the environment's root, not the Web API's address: drop ${drop.join(' and ')} and set it to ${root} (the product adds /api/data/v9.2 itself); got "${value}".`);
  } else if (path !== '' || url.search !== '' || url.hash !== '') {
    problems.push(`DATAVERSE_URL must be the environment's root, with no path or query, e.g. ${DATAVERSE_EXAMPLE} (the product adds /api/data/v9.2 itself); got "${value}".`);
  }
  if (url.username !== '' || url.password !== '') {
    problems.push('DATAVERSE_URL must not carry a user name or password: the product signs in with its credential (AZURE_ variables or the managed identity).');
  }
  if (!apiHost && !LOOPBACK_HOSTS.has(url.hostname) && !DATAVERSE_HOST.test(url.hostname)) {
    problems.push(`DATAVERSE_URL must be a Dynamics 365 environment URL such as ${DATAVERSE_EXAMPLE} (Power Platform admin center, the environment's Environment URL); "${url.host}" is not an environment host.`);
  }
  return problems;
}

/** What is wrong with GRAPH_BASE_URL (already trimmed of trailing slashes), if anything. */
export function graphBaseUrlProblems(value: string): string[] {
  const url = parsed(value);
  if (!url || url.protocol !== 'https:') return [];
  const problems: string[] = [];
  if (url.pathname !== '/v1.0' || url.search !== '' || url.hash !== '') {
    problems.push(`GRAPH_BASE_URL must be Microsoft Graph's v1.0 root, ${url.origin}/v1.0 (the product is written against v1.0, not beta); got "${value}". Leave it unset for the public cloud.`);
  }
  if (url.username !== '' || url.password !== '') {
    problems.push('GRAPH_BASE_URL must not carry a user name or password: the product signs in with its credential (AZURE_ variables or the managed identity).');
  }
  if (!LOOPBACK_HOSTS.has(url.hostname) && !GRAPH_HOSTS.has(url.hostname)) {
    problems.push(`GRAPH_BASE_URL must be on a Microsoft Graph host (${[...GRAPH_HOSTS].join(', ')}); got "${url.host}". Leave it unset for the public cloud.`);
  }
  return problems;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A tenant is named by its id or by one of its verified domains (contoso.onmicrosoft.com). */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * The identity settings @azure/identity reads itself (AZURE_TENANT_ID, AZURE_CLIENT_ID,
 * AZURE_CLIENT_SECRET, AZURE_AUTHORITY_HOST; src/clients/credential.ts), checked for their shape
 * when they are given. The credential does not report a half-configured app registration: with a
 * secret but no tenant, EnvironmentCredential is "unavailable" and DefaultAzureCredential moves on to
 * the next credential, so the run fails later with an error about something else
 * (https://learn.microsoft.com/javascript/api/@azure/identity/environmentcredential).
 *
 * No value of these settings is ever repeated in a message: the secret is a credential, and the ids
 * are not needed to fix the shape.
 */
export function identityProblems(r: Readers): string[] {
  const problems: string[] = [];
  const tenant = r.get('AZURE_TENANT_ID');
  const client = r.get('AZURE_CLIENT_ID');
  const secret = r.get('AZURE_CLIENT_SECRET');
  const authority = r.get('AZURE_AUTHORITY_HOST');
  if (tenant !== undefined && !GUID.test(tenant) && !DOMAIN.test(tenant)) {
    problems.push('AZURE_TENANT_ID must be the tenant (directory) id, a GUID (Entra admin center, Overview), or one of its domains such as contoso.onmicrosoft.com.');
  }
  if (client !== undefined && !GUID.test(client)) {
    problems.push("AZURE_CLIENT_ID must be a GUID: the app registration's Application (client) ID, or the user-assigned managed identity's client id.");
  }
  if (secret !== undefined && (tenant === undefined || client === undefined)) {
    const missing = [tenant === undefined ? 'AZURE_TENANT_ID' : '', client === undefined ? 'AZURE_CLIENT_ID' : ''].filter((n) => n !== '').join(' and ');
    problems.push(`AZURE_CLIENT_SECRET is set but ${missing} ${missing.includes(' and ') ? 'are' : 'is'} not: an app registration needs all three; set ${missing}, or remove AZURE_CLIENT_SECRET to sign in with \`az login\` or the managed identity.`);
  }
  if (authority !== undefined) {
    const url = URL.canParse(authority) ? new URL(authority) : undefined;
    if (!url || url.protocol !== 'https:' || url.pathname.replace(/\/+$/, '') !== '' || url.search !== '') {
      problems.push('AZURE_AUTHORITY_HOST must be an https:// origin with no path, e.g. https://login.microsoftonline.us for US Government; leave it unset for the public cloud.');
    }
  }
  return problems;
}
