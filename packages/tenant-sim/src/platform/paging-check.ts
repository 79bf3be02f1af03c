/**
 * Did the client follow the page links the service gave it, or build its own? Modelled on Dev
 * Proxy's ODataPagingGuidancePlugin (Learn: microsoft-cloud/dev/dev-proxy/technical-reference/
 * odatapagingguidanceplugin: "a warning when proxy intercepts an OData paging request using a URL
 * that hasn't been previously returned in one of the intercepted responses"), and on the services'
 * own rules: Graph paging.md ("follow the full, opaque @odata.nextLink"; never build a
 * $skiptoken) and Dataverse page-results.md.
 *
 * - Every `@odata.nextLink` and `@odata.deltaLink` the services answer with is remembered.
 * - A GET whose query carries `$skiptoken`, `$skip` or `$deltatoken` is a paging request; when
 *   its URL is none the service returned, it is hand-built. `$deltatoken=latest` is not: Graph
 *   documents it for the client to send (delta-query-overview.md).
 * - URLs compare below the service root (so an origin or host name does not matter) and after
 *   percent-decoding (so a client that encodes differently, as fetch does with quotes, is not
 *   blamed); nothing else is normalised.
 */
import type { ServiceName } from '../types.js';

const MAX_EXAMPLES = 20;
/** Links remembered at most (oldest forgotten first), so a long benchmark stays bounded. */
const MAX_LINKS = 200_000;
const ROOTS: Record<ServiceName, string> = { graph: '/v1.0', dataverse: '/api/data/v9.2/' };
const PAGING_OPTIONS = new Set(['$skiptoken', '$skip', '$deltatoken']);

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function canonical(service: ServiceName, path: string, query: string): string {
  return `${service} ${decode(path)}?${decode(query)}`;
}

/** A link as the request that follows it will look, or undefined when it is not under the service root. */
export function canonicalLink(service: ServiceName, link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  const root = ROOTS[service];
  const at = url.pathname.toLowerCase().indexOf(root.toLowerCase());
  if (at < 0) return undefined;
  return canonical(service, url.pathname.slice(at + root.length), url.search.replace(/^\?/, ''));
}

/** The paging options of a query string (decoded names, lower case). */
function pagingOptions(rawQuery: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const pair of rawQuery.split('&')) {
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
    if (PAGING_OPTIONS.has(name)) out.push({ name, value: decode(eq < 0 ? '' : pair.slice(eq + 1)) });
  }
  return out;
}

export interface HandBuiltPage {
  service: ServiceName;
  method: string;
  path: string;
}

export class PagingCheck {
  private readonly issued = new Set<string>();
  pagingRequests = 0;
  handBuilt = 0;
  readonly examples: HandBuiltPage[] = [];

  /** Forgets the counts; the links stay remembered (a client may follow one after a reset). */
  clear(): void {
    this.pagingRequests = 0;
    this.handBuilt = 0;
    this.examples.length = 0;
  }

  get linksIssued(): number {
    return this.issued.size;
  }

  /** Remembers the links of an answer body. */
  answered(service: ServiceName, body: unknown): void {
    if (typeof body !== 'object' || body === null) return;
    for (const key of ['@odata.nextLink', '@odata.deltaLink']) {
      const link = (body as Record<string, unknown>)[key];
      if (typeof link !== 'string') continue;
      const c = canonicalLink(service, link);
      if (c === undefined) continue;
      if (this.issued.size >= MAX_LINKS) this.issued.delete(this.issued.values().next().value as string);
      this.issued.add(c);
    }
  }

  /** Checks a request (path below the service root, raw query as sent). */
  requested(service: ServiceName, method: string, path: string, rawQuery: string): void {
    if (method.toUpperCase() !== 'GET' || rawQuery === '') return;
    const options = pagingOptions(rawQuery);
    if (options.length === 0) return;
    if (service === 'graph' && options.every((o) => o.name === '$deltatoken' && o.value.toLowerCase() === 'latest')) return;
    this.pagingRequests += 1;
    if (this.issued.has(canonical(service, path, rawQuery))) return;
    this.handBuilt += 1;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push({ service, method, path: `${path}?${rawQuery}` });
  }
}
