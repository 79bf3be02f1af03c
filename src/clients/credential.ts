/**
 * The run's credential: DefaultAzureCredential. In Azure Functions it picks the managed identity;
 * elsewhere EnvironmentCredential reads AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and
 * AZURE_AUTHORITY_HOST
 * (learn.microsoft.com/javascript/api/@azure/identity/defaultazurecredential).
 *
 * Authority validation: MSAL validates an authority it does not know by asking
 * login.microsoftonline.com's instance discovery (msal-common AAD_INSTANCE_DISCOVERY_ENDPT), so a
 * custom AZURE_AUTHORITY_HOST fails with endpoints_resolution_error when that service does not know
 * the host (checked against the tenant simulator, offline). The documented switch is
 * `disableInstanceDiscovery` ("for scenarios where the metadata endpoint cannot be reached, such as
 * in private clouds or Azure Stack"; the credential then reads the authority's own OpenID
 * configuration). We turn it on exactly when the operator set AZURE_AUTHORITY_HOST, i.e. chose the
 * authority themselves in the app's own settings; with the default public cloud MSAL validates as
 * usual. Managed identity ignores the option.
 *
 * Scopes: Graph `${origin of GRAPH_BASE_URL}/.default`, Dataverse `${DATAVERSE_URL}/.default`. In
 * Azure that is the canonical https://graph.microsoft.com/.default (or a national cloud's Graph host)
 * and the environment URL; against the simulator, its Graph origin, which it knows as a name of the
 * Graph resource, and its Dataverse origin (packages/tenant-sim/docs/simulator.md, "Identity and tokens"). One code path:
 * only the URLs, the authority host and the trusted CA differ.
 */
import { DefaultAzureCredential, type AccessToken, type GetTokenOptions, type TokenCredential } from '@azure/identity';
import { ConfigurationError } from '../model/errors.js';
import { SERVICE_LABEL, type ServiceName } from './retry-policy.js';

export type { TokenCredential } from '@azure/identity';

export function createCredential(env: Record<string, string | undefined> = process.env): TokenCredential {
  const customAuthority = (env.AZURE_AUTHORITY_HOST ?? '').trim() !== '';
  return new DefaultAzureCredential(customAuthority ? { disableInstanceDiscovery: true } : {});
}

export const graphScope = (graphBaseUrl: string): string => `${new URL(graphBaseUrl).origin}/.default`;
export const dataverseScope = (dataverseUrl: string): string => `${dataverseUrl.replace(/\/+$/, '')}/.default`;

/**
 * What to try, in the order DefaultAzureCredential looks: on a workstation the environment's app
 * registration or the Azure CLI's sign-in; in Azure the Function App's managed identity (which the
 * app settings there restrict it to, docs/configuration.md AZURE_TOKEN_CREDENTIALS).
 */
export const CREDENTIAL_ADVICE =
  'Locally: run `az login` (with an account of the tenant that holds the environment), or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for an app registration. ' +
  "In Azure: turn on the Function App's managed identity (for a user-assigned one, set AZURE_CLIENT_ID to its client id) and grant it the Graph app roles and a Dataverse application user (docs/deploy.md, sections 2 to 4).";

/** The error for a credential that gave no token: configuration, never retried as a network fault. */
export function authenticationFailed(scope: string, service: ServiceName, failure: unknown): ConfigurationError {
  // DefaultAzureCredential throws AggregateAuthenticationError when no credential in its chain was
  // available at all; its first line ("ChainedTokenCredential authentication failed.") says nothing
  // an operator can act on, so say what was missing. Any other error is a credential that was
  // found and failed (a wrong secret: AADSTS7000215), and its first line is the useful part.
  const detail = !(failure instanceof Error)
    ? 'the credential returned no token'
    : failure.name === 'AggregateAuthenticationError'
      ? 'no credential was available (DefaultAzureCredential found no AZURE_ variables, no managed identity and no Azure CLI, Azure PowerShell or Azure Developer CLI sign-in)'
      : failure.message.split('\n')[0];
  return new ConfigurationError(
    'AUTHENTICATION_FAILED',
    `The app could not get a token for ${SERVICE_LABEL[service]} (${scope}): ${detail}`,
    CREDENTIAL_ADVICE,
    { cause: failure },
  );
}

/** A cached token is used until this long before it expires. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Wraps the run's credential for one service: a failure to get a token becomes a ConfigurationError
 * AUTHENTICATION_FAILED. The Graph SDK turns any getToken failure into a GraphError without a status,
 * so the last failure is also kept for the client to tell "no token" from "no network".
 *
 * It also keeps the token and shares one request among concurrent callers: a run starts its bulk
 * reads at once, and each would otherwise ask the identity platform before the credential's own
 * cache holds a token (the benchmark saw about 22 token requests per run; now one per service).
 */
export class CheckedCredential implements TokenCredential {
  private failure: ConfigurationError | undefined;
  private readonly tokens = new Map<string, AccessToken>();
  private readonly inFlight = new Map<string, Promise<AccessToken>>();
  constructor(
    private readonly inner: TokenCredential,
    private readonly service: ServiceName,
    private readonly now: () => number = Date.now,
  ) {}

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const scope = Array.isArray(scopes) ? scopes.join(' ') : scopes;
    const cached = this.tokens.get(scope);
    if (cached && cached.expiresOnTimestamp - this.now() > TOKEN_REFRESH_MARGIN_MS) return Promise.resolve(cached);
    let pending = this.inFlight.get(scope);
    if (!pending) {
      pending = this.fetchToken(scopes, scope, options).finally(() => this.inFlight.delete(scope));
      this.inFlight.set(scope, pending);
    }
    return pending;
  }

  private async fetchToken(scopes: string | string[], scope: string, options?: GetTokenOptions): Promise<AccessToken> {
    let failure: unknown;
    try {
      const token = await this.inner.getToken(scopes, options);
      if (token) {
        this.tokens.set(scope, token);
        return token;
      }
    } catch (err) {
      failure = err;
    }
    this.failure = authenticationFailed(scope, this.service, failure);
    throw this.failure;
  }

  /** The authentication failure behind the last SDK error, if that is what it was. */
  takeFailure(): ConfigurationError | undefined {
    const f = this.failure;
    this.failure = undefined;
    return f;
  }
}
