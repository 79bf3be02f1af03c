/**
 * The Power Platform admin API (BAP) client: the one call the product makes there, addUser ("force
 * sync user", reconcilers/technicians/systemuser-add.ts builds it). It shares the run's credential,
 * retry policy and deadline with the Graph and Dataverse clients, and asks for its own token
 * audience, the PowerApps service: `https://service.powerapps.com/.default` (Terraform's provider's
 * scope; the app must also be registered as a Power Platform management application,
 * docs/deploy.md). The scope is the same in Azure and against the tenant simulator, which knows the
 * PowerApps service by that name; only POWER_PLATFORM_API_URL, the authority and the trusted CA
 * differ (src/clients/credential.ts, "one code path").
 *
 * The REST contract is undocumented, and its error bodies may not be JSON: a body that is not
 * JSON is kept as its text, so the engine can still find `userNotLicensed` in it
 * (src/clients/classify-power-platform.ts).
 */
import type { TokenCredential } from '@azure/identity';
import pLimit, { type LimitFunction } from 'p-limit';
import { CheckedCredential } from './credential.js';
import { headersOf } from './read-response.js';
import { retryPolicy, type RetryPolicy, type RetryPolicyOptions } from './retry-policy.js';
import type { PowerPlatformApi, ServiceRequest, ServiceResponse } from './types.js';

export const POWERAPPS_SCOPE = 'https://service.powerapps.com/.default';
/** addUser calls in flight: the API publishes no limit, and a run adds few users at once. */
export const POWER_PLATFORM_CONCURRENCY = 4;

export interface PowerPlatformClientOptions extends Omit<RetryPolicyOptions, 'service'> {
  /** POWER_PLATFORM_API_URL, e.g. https://api.bap.microsoft.com. */
  apiUrl: string;
  credential: TokenCredential;
  concurrency?: number;
}

export class PowerPlatformClient implements PowerPlatformApi {
  readonly base: string;
  private readonly credential: CheckedCredential;
  private readonly policy: RetryPolicy;
  private readonly limit: LimitFunction;

  constructor(private readonly options: PowerPlatformClientOptions) {
    this.base = options.apiUrl.replace(/\/+$/, '');
    this.credential = new CheckedCredential(options.credential, 'powerPlatform');
    this.policy = retryPolicy({ ...options, service: 'powerPlatform' });
    this.limit = pLimit(Math.max(1, options.concurrency ?? POWER_PLATFORM_CONCURRENCY));
  }

  send(request: ServiceRequest): Promise<ServiceResponse> {
    return this.policy.sendRequest(request, (r) => this.limit(() => this.once(r)));
  }

  /** Each request on its own (the API has no batch); answers in input order. */
  async sendMany(requests: ServiceRequest[]): Promise<ServiceResponse[]> {
    return Promise.all(requests.map((r) => this.send(r)));
  }

  /** One HTTP exchange; rejects only when no HTTP answer came back. */
  private async once(request: ServiceRequest): Promise<ServiceResponse> {
    // The token goes only to the admin API: a request URL is a path under it.
    if (!request.url.startsWith('/')) throw new Error(`refusing to send a Power Platform token outside ${this.base}: ${request.url}`);
    const token = await this.credential.getToken(POWERAPPS_SCOPE);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(request.headers ?? {}),
      Authorization: `Bearer ${token.token}`,
    };
    const res = await fetch(`${this.base}${request.url}`, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: this.options.signal,
    });
    const text = await res.text();
    let body: unknown = text === '' ? undefined : text;
    try {
      if (text !== '') body = JSON.parse(text) as unknown;
    } catch {
      // not JSON: the text itself (see the file comment)
    }
    return { status: res.status, headers: headersOf(res), body };
  }
}
