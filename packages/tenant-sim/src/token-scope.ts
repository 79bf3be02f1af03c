/**
 * Which resource a client-credentials token request is for, read from its `scope` as Microsoft
 * Entra reads it, and which tokens each service accepts.
 *
 * Entra names a resource by its service principal: the application ID or one of its application
 * ID URIs (identifierUris), never by the URL a client later calls. Graph is
 * `00000003-0000-0000-c000-000000000000` and `https://graph.microsoft.com`; the simulator's Graph
 * origin is one more URI of the same principal, so a client that derives its scope from its base
 * URL works too. A Dataverse environment is known by its environment URL. The Power Platform admin
 * API's tokens are for the PowerApps service, `https://service.powerapps.com` (app id
 * 475226c6-020e-4fb2-8a90-7a972cbfc1d4; Learn "Authentication - legacy", whose example writes the
 * scope with a double slash, `https://service.powerapps.com//.default`, so the name with a trailing
 * slash is one too). Sources (Learn):
 * - "Microsoft identity platform and the OAuth 2.0 client credentials flow": `scope` is "the
 *   resource identifier (application ID URI) of the resource you want, affixed with the .default
 *   suffix", e.g. https://graph.microsoft.com/.default;
 * - "Scopes and permissions in the Microsoft identity platform", "The .default scope": the
 *   `{resource}/.default` form, the app ID form, and a trailing slash kept (`https://x.com//.default`);
 * - "Access token claims reference", `aud`: in v1.0 tokens (Graph's and Dataverse's) "the client ID
 *   or the resource URI used in the request";
 * - "Microsoft Entra authentication and authorization error codes": AADSTS500011
 *   InvalidResourceServicePrincipalNotFound, AADSTS900144, and the scope that "contains more than
 *   one resource" (the service answers AADSTS28000). docs/simulator.md, "Identity and tokens".
 */
import type { Origins } from './listeners.js';
import { entraError } from './entra-errors.js';
import type { ServiceName, SimResponse } from './types.js';

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const GRAPH_RESOURCE_URI = 'https://graph.microsoft.com';
export const POWERAPPS_APP_ID = '475226c6-020e-4fb2-8a90-7a972cbfc1d4';
export const POWERAPPS_RESOURCE_URI = 'https://service.powerapps.com';

/** The services a token can be for: Graph, Dataverse and the Power Platform admin API. */
export type ResourceService = ServiceName | 'powerPlatform';

export interface ResourcePrincipal {
  service: ResourceService;
  appId: string | null;
  identifierUris: string[];
}

/**
 * The resources of this tenant: Graph (its canonical names and the simulator's origin), Dataverse,
 * and the PowerApps service (its canonical names only: a client asks for the same scope in Azure and
 * here, whatever URL it calls).
 */
export function tenantResources(origins: Pick<Origins, 'graph' | 'dataverse'>): ResourcePrincipal[] {
  return [
    { service: 'graph', appId: GRAPH_APP_ID, identifierUris: [GRAPH_RESOURCE_URI, origins.graph] },
    { service: 'dataverse', appId: null, identifierUris: [origins.dataverse] },
    { service: 'powerPlatform', appId: POWERAPPS_APP_ID, identifierUris: [POWERAPPS_RESOURCE_URI, `${POWERAPPS_RESOURCE_URI}/`] },
  ];
}

/** Every `aud` a token for this principal can carry. */
const identifiers = (p: ResourcePrincipal): string[] => [...(p.appId ? [p.appId] : []), ...p.identifierUris];

/** Does a token with this `aud` belong to the service? (Exact match: Entra compares identifiers as given.) */
export function acceptsAudience(resources: ResourcePrincipal[], service: ResourceService, aud: string): boolean {
  return resources.some((p) => p.service === service && identifiers(p).includes(aud));
}

/** OpenID Connect scopes: MSAL adds them to some requests and Entra leaves them out of an app token. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const DEFAULT_SUFFIX = '/.default';

export type ScopeResolution = { principal: ResourcePrincipal; aud: string } | { error: SimResponse };

/** Resolves a client-credentials `scope` to one resource, or answers Entra's error. */
export function resolveScope(scope: string | null, resources: ResourcePrincipal[], tenantId: string): ScopeResolution {
  if (scope === null || scope.trim() === '') {
    return { error: entraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.") };
  }
  const asked = scope.trim().split(/\s+/);
  const named = asked.filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));
  // Only `{resource}/.default` asks for an app token; OIDC scopes alone name no resource.
  const notDefault = named.length === 0 ? asked.join(' ') : named.find((s) => !s.endsWith(DEFAULT_SUFFIX));
  if (notDefault !== undefined) {
    return {
      error: entraError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${notDefault} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      ),
    };
  }
  // Two different names are two resources, even two names of one principal: the docs are silent
  // on that case and the simulator takes the stricter reading (docs/simulator.md).
  const wanted = [...new Set(named.map((s) => s.slice(0, -DEFAULT_SUFFIX.length)))];
  if (wanted.length > 1) {
    return {
      error: entraError(400, 'invalid_scope', 28000, `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${asked.join(' ')} is not valid.`),
    };
  }
  const name = wanted[0]!;
  const principal = resources.find((p) => identifiers(p).includes(name));
  if (!principal) {
    return {
      error: entraError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${name} was not found in the tenant named ${tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      ),
    };
  }
  return { principal, aud: name };
}
