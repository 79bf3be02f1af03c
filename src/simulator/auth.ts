/**
 * The simulator's Microsoft identity platform: an authority that @azure/identity's
 * ClientSecretCredential accepts (OpenID configuration, instance discovery, v2.0 token endpoint for
 * the client-credentials grant), and verification of the tokens it issues.
 *
 * Tokens are JWTs signed with a per-process HMAC key. They carry `aud` (the resource: Graph's origin
 * or the Dataverse organisation URL), `tid`, `appid` and the app's `roles` from the fixture.
 * Sources: Microsoft identity platform, "OAuth 2.0 client credentials flow" and "Access token claims
 * reference" (learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow,
 * access-token-claims-reference).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SimResponse, SimState, TokenClaims } from './types.js';

const KEY = randomBytes(32);
const TOKEN_LIFETIME_S = 3599;

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export function signToken(claims: TokenClaims): string {
  const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
  const body = b64url(JSON.stringify({ ...claims, iss: `https://sts.windows.net/${claims.tid}/`, iat: Math.floor(Date.now() / 1000) }));
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
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return null;
    return claims;
  } catch {
    return null;
  }
}

function aadError(status: number, error: string, code: string, description: string): SimResponse {
  return {
    status,
    body: {
      error,
      error_description: `${code}: ${description}`,
      error_codes: [Number(code.replace('AADSTS', ''))],
      timestamp: new Date().toISOString(),
    },
  };
}

export interface AuthorityUrls {
  authorityHost: string;
  audiences: string[];
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
  if (method !== 'POST') return aadError(405, 'invalid_request', 'AADSTS900561', 'The endpoint only accepts POST requests.');
  if (tokenPath[1] !== state.tenant.id) {
    return aadError(400, 'invalid_request', 'AADSTS90002', `Tenant '${tokenPath[1]}' not found.`);
  }
  const form = new URLSearchParams(body);
  if (form.get('grant_type') !== 'client_credentials') {
    return aadError(400, 'unsupported_grant_type', 'AADSTS70003', 'The app requested an unsupported grant type.');
  }
  if (form.get('client_id') !== state.app.clientId) {
    return aadError(400, 'unauthorized_client', 'AADSTS700016', `Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory.`);
  }
  if (form.get('client_secret') !== state.app.clientSecret) {
    return aadError(401, 'invalid_client', 'AADSTS7000215', 'Invalid client secret provided.');
  }
  const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default'));
  const aud = scope?.slice(0, -'/.default'.length);
  if (!aud || !urls.audiences.includes(aud)) {
    return aadError(400, 'invalid_resource', 'AADSTS500011', `The resource principal named ${aud ?? '(none)'} was not found in the tenant.`);
  }
  const exp = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S;
  const token = signToken({ aud, tid: state.tenant.id, appid: state.app.clientId, roles: [...state.app.roles], exp });
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S, ext_expires_in: TOKEN_LIFETIME_S, access_token: token },
  };
}
