/**
 * Did the client wait as long as the service asked? Modelled on Dev Proxy's RetryAfterPlugin
 * (Learn: microsoft-cloud/dev/dev-proxy/technical-reference/retryafterplugin: "when Dev Proxy
 * detects a subsequent request to the same URL before the Retry-After time elapses, the plugin
 * reports it").
 *
 * - Every answer with a Retry-After (429, and the 503s that carry one) opens a wait for that
 *   request: the same client (tenant and app of the token), service, method, URL and body.
 * - A request that arrives while its wait is open is a violation. The client's clock and ours
 *   are the same machine's, so a 20 ms allowance covers timer granularity only.
 * - Informational, not a violation: requests of the same client that fall in the scope of a
 *   service limit (Graph writes, resource units, invitations; everything a Dataverse user sends)
 *   while a 429 of that limit is being waited out. The services document those scopes (Graph's
 *   x-ms-throttle-scope; Dataverse: "the duration before any new requests from the user can be
 *   processed"), but concurrent requests already on their way cannot know of the 429 yet, so they
 *   are only counted.
 */

/** Milliseconds a retry may arrive early without being a violation (clock granularity). */
export const EARLY_ALLOWANCE_MS = 20;
const MAX_EXAMPLES = 20;

export interface RetryAfterViolation {
  service: string;
  method: string;
  path: string;
  status: number;
  retryAfterSeconds: number;
  /** How much earlier than asked the request arrived. */
  earlyMs: number;
}

interface Wait {
  until: number;
  seconds: number;
  status: number;
}

export interface RequestIdentity {
  /** `<tenant>/<app>` of the token. */
  client: string;
  service: string;
  method: string;
  /** Path and query as sent. */
  url: string;
  /** Identifies the request: client, service, method, URL and a digest of the body. */
  key: string;
}

export class RetryAfterCheck {
  private readonly waits = new Map<string, Wait>();
  private readonly scopeWaits = new Map<string, number>();
  given = 0;
  violations = 0;
  readonly examples: RetryAfterViolation[] = [];
  readonly duringScopeWait: Record<string, number> = {};

  clear(): void {
    this.waits.clear();
    this.scopeWaits.clear();
    this.given = 0;
    this.violations = 0;
    this.examples.length = 0;
    for (const k of Object.keys(this.duringScopeWait)) delete this.duringScopeWait[k];
  }

  /** Whether any wait is open at all (cheap test before the request's key is worked out). */
  get idle(): boolean {
    return this.waits.size === 0 && this.scopeWaits.size === 0;
  }

  /** A request arrived: checks it against the open waits. `scopes` are the limits it counts against. */
  arrived(id: RequestIdentity, scopes: string[], now: number): void {
    const wait = this.waits.get(id.key);
    if (wait) {
      if (now >= wait.until) this.waits.delete(id.key);
      else if (wait.until - now > EARLY_ALLOWANCE_MS) {
        this.violations += 1;
        if (this.examples.length < MAX_EXAMPLES) {
          this.examples.push({ service: id.service, method: id.method, path: id.url, status: wait.status, retryAfterSeconds: wait.seconds, earlyMs: wait.until - now });
        }
        return;
      }
    }
    for (const scope of scopes) {
      const key = `${id.client} ${scope}`;
      const until = this.scopeWaits.get(key);
      if (until === undefined) continue;
      if (now >= until) this.scopeWaits.delete(key);
      else this.duringScopeWait[scope] = (this.duringScopeWait[scope] ?? 0) + 1;
    }
  }

  /** An answer asked the client to wait `seconds`; `scope` names the limit that refused it, if any. */
  answered(id: RequestIdentity, status: number, seconds: number, scope: string | undefined, now: number): void {
    this.given += 1;
    const until = now + seconds * 1000;
    this.waits.set(id.key, { until, seconds, status });
    if (scope !== undefined) {
      const key = `${id.client} ${scope}`;
      this.scopeWaits.set(key, Math.max(this.scopeWaits.get(key) ?? 0, until));
    }
    if (this.waits.size > 10_000) for (const [k, w] of this.waits) if (w.until <= now) this.waits.delete(k);
  }
}
