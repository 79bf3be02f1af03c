/**
 * What keeps a web page from driving `vendor-reconciler serve`. The local server has no keys: it
 * trusts whoever can reach 127.0.0.1. A browser on the same machine can reach it too, on behalf of
 * any page the admin has open, so three kinds of request are refused before any route runs:
 *
 * - a Host header that is not this server's loopback name and port (127.0.0.1, localhost or [::1]):
 *   DNS rebinding points an attacker's host name at 127.0.0.1, and the browser then treats the
 *   server as the attacker's own origin; its Host header still names the attacker's host. 400.
 * - a cross-site request: an Origin header that is not this server's own origin (also "null", sent by
 *   sandboxed frames and file: pages), or Sec-Fetch-Site cross-site or same-site (another local app
 *   on another port is same-site). Requests with neither header (curl, scripts) pass. 403.
 * - a POST whose Content-Type is not application/json: a page can send an HTML form
 *   (application/x-www-form-urlencoded, multipart/form-data) or text/plain to any address without a
 *   CORS preflight, but not application/json. 415.
 *
 * A top-level link from another site to the report is refused too (Sec-Fetch-Site cross-site):
 * stricter than needed for a read, but the report reads the whole tenant, and typing the address or
 * a bookmark (Sec-Fetch-Site none) still works. Fetch Metadata values: W3C "Fetch Metadata Request
 * Headers" (same-origin, same-site, cross-site, none); an unknown value is refused.
 */

export interface Refusal {
  status: 400 | 403 | 415;
  code: 'HOST_NOT_LOOPBACK' | 'CROSS_SITE_REQUEST' | 'UNSUPPORTED_MEDIA_TYPE';
  error: string;
  action: string;
}

/** The request parts the guard reads; node:http's IncomingMessage has them. */
export interface GuardedRequest {
  method?: string | undefined;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const SAFE_FETCH_SITES = new Set(['same-origin', 'none']);
/** Long enough to recognise a value in a message; a header is not echoed whole. */
const ECHO_LIMIT = 100;

function header(request: GuardedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

const echo = (value: string): string => JSON.stringify(value.length > ECHO_LIMIT ? `${value.slice(0, ECHO_LIMIT)}…` : value);

/** The Host values this server answers to: each loopback name with the port (also without it on 80). */
export function allowedHosts(port: number): string[] {
  return LOOPBACK_NAMES.flatMap((name) => (port === 80 ? [`${name}:80`, name] : [`${name}:${port}`]));
}

function hostRefusal(request: GuardedRequest, port: number): Refusal | null {
  const host = header(request, 'host')?.trim().toLowerCase();
  if (host !== undefined && allowedHosts(port).includes(host)) return null;
  const names = allowedHosts(port).filter((h) => h.includes(':')).join(', ');
  return {
    status: 400,
    code: 'HOST_NOT_LOOPBACK',
    error: host === undefined
      ? `The request has no Host header; this server answers only to ${names}.`
      : `This server answers only to ${names}; the request was addressed to ${echo(host)}.`,
    action: `Open the address vendor-reconciler serve printed (http://127.0.0.1:${port}/api/plan). A host name that resolves to this machine is refused on purpose (DNS rebinding).`,
  };
}

function siteRefusal(request: GuardedRequest, ownOrigin: string): Refusal | null {
  const action = 'Open the report by typing its address or from a bookmark, or call the API with curl or a script; a web page cannot use this server.';
  const origin = header(request, 'origin')?.trim();
  if (origin !== undefined && origin.toLowerCase().replace(/:80$/, '') !== ownOrigin) {
    return {
      status: 403,
      code: 'CROSS_SITE_REQUEST',
      error: `Refused a request sent by a web page at ${echo(origin)}: this server accepts requests only from its own origin ${ownOrigin}.`,
      action,
    };
  }
  const site = header(request, 'sec-fetch-site')?.trim().toLowerCase();
  if (site !== undefined && !SAFE_FETCH_SITES.has(site)) {
    return {
      status: 403,
      code: 'CROSS_SITE_REQUEST',
      error: `Refused a ${echo(site)} request (Sec-Fetch-Site): the browser sent it on behalf of another site.`,
      action,
    };
  }
  return null;
}

/** Only for a POST: application/json, with no charset or charset utf-8 (the body is read as UTF-8). */
export function contentTypeRefusal(request: GuardedRequest): Refusal | null {
  if ((request.method ?? 'GET').toUpperCase() !== 'POST') return null;
  const value = header(request, 'content-type');
  const [type, ...params] = (value ?? '').split(';').map((p) => p.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
  if (type === 'application/json' && (charset === undefined || charset === 'utf-8')) return null;
  return {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    error: value === undefined
      ? 'A POST needs Content-Type: application/json; the request has no Content-Type.'
      : `A POST needs Content-Type: application/json (UTF-8); the request's is ${echo(value)}.`,
    action: `Send the body as JSON with that header, e.g. curl -X POST -H 'Content-Type: application/json' -d '{}' (an empty object runs the whole tenant).`,
  };
}

/** The first refusal that applies to the request before routing (Host, then cross-site), or null. */
export function originRefusal(request: GuardedRequest, port: number): Refusal | null {
  const host = hostRefusal(request, port);
  if (host) return host;
  // A browser leaves the default port out of Origin.
  const ownOrigin = `http://${(header(request, 'host') ?? '').trim().toLowerCase().replace(/:80$/, '')}`;
  return siteRefusal(request, ownOrigin);
}
