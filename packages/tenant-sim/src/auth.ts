/**
 * The simulator's Microsoft identity platform: an authority that @azure/identity's
 * ClientSecretCredential accepts (OpenID configuration, instance discovery, v2.0 token endpoint for
 * the client-credentials grant), and verification of the tokens it issues.
 *
 * Tokens are JWTs signed with a per-process HMAC key. They carry `aud` (the resource identifier the
 * request named: token-scope.ts), `tid`, `appid`, and for Graph the app's `roles` from the fixture
 * (an app token carries the app roles granted on the resource it is for; the fixture's roles are
 * Graph's application permissions, so a Dataverse token has none).
 * Sources: Microsoft identity platform, "OAuth 2.0 client credentials flow" and "Access token claims
 * reference" (learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow,
 * access-token-claims-reference).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { entraError } from './entra-errors.js';
import { resolveScope, type ResourcePrincipal } from './token-scope.js';
import type { SimResponse, SimState, TokenClaims } from './types.js';

const KEY = randomBytes(32);
const TOKEN_LIFETIME_S = 3599;

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export function signToken(claims: TokenClaims): string {
  const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
  // Entra leaves `roles` out of a token that carries none (access-token-claims-reference).
  const { roles, ...rest } = claims;
  const payload = { ...rest, ...(roles.length > 0 ? { roles } : {}), iss: `https://sts.windows.net/${claims.tid}/`, iat: Math.floor(Date.now() / 1000), ver: '1.0' };
  const body = b64url(JSON.stringify(payload));
  const sig = createHmac('sha256', KEY).update(`${head}.${body}`).digest();
  return `${head}.${body}.${b64url(sig)}`;
}

/** Returns the claims of a valid, unexpired token issued by this process, or null. */
export function verifyToken(token: string, nowMs: number): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [head, body, sig] = parts as [string, string, string];
  const expected = createHmac('sha256', KEY).update(`${head}.${body}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Omit<TokenClaims, 'roles'> & { roles?: string[] };
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return null;
    return { ...claims, roles: claims.roles ?? [] };
  } catch {
    return null;
  }
}

export interface AuthorityUrls {
  authorityHost: string;
  resources: ResourcePrincipal[];
}

/**
 * Serves the authority endpoints under `path` (already stripped of the origin).
 * Returns undefined when the path is not an authority endpoint.
 */
export function handleAuthority(
  method: string,
  path: string,
  body: string,
  state: SimState,
  urls: AuthorityUrls,
): SimResponse | undefined {
  const host = new URL(urls.authorityHost).host;
  if (method === 'GET' && path.startsWith('/common/discovery/instance')) {
    return {
      status: 200,
      body: {
        tenant_discovery_endpoint: `${urls.authorityHost}/{tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      },
    };
  }
  const oidc = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
  if (method === 'GET' && oidc) {
    const tenant = oidc[1] === state.tenant.id || oidc[1] === '{tenant}' ? state.tenant.id : oidc[1];
    const base = `${urls.authorityHost}/${tenant}`;
    return {
      status: 200,
      body: {
        issuer: `${base}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${urls.authorityHost}/${tenant}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        tenant_region_scope: 'EU',
        cloud_instance_name: host,
      },
    };
  }
  const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
  if (!tokenPath) return undefined;
  if (method !== 'POST') return entraError(405, 'invalid_request', 900561, `The endpoint only accepts POST requests. Received a ${method} request.`);
  if (tokenPath[1] !== state.tenant.id) {
    return entraError(400, 'invalid_request', 90002, `Tenant '${tokenPath[1]}' not found.`);
  }
  const form = new URLSearchParams(body);
  if (form.get('grant_type') !== 'client_credentials') {
    return entraError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
  }
  if (form.get('client_id') !== state.app.clientId) {
    return entraError(400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory.`);
  }
  if (form.get('client_secret') !== state.app.clientSecret) {
    return entraError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
  }
  const resolved = resolveScope(form.get('scope'), urls.resources, state.tenant.id);
  if ('error' in resolved) return resolved.error;
  const exp = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S;
  const roles = resolved.principal.service === 'graph' ? [...state.app.roles] : [];
  const token = signToken({ aud: resolved.aud, tid: state.tenant.id, appid: state.app.clientId, roles, exp });
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S, ext_expires_in: TOKEN_LIFETIME_S, access_token: token },
  };
}
