/**
 * DataverseApi on fetch: the Web API v9.2 with the recommended headers
 * (learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors),
 * paging by Prefer: odata.maxpagesize
 * (learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview), multipart $batch
 * with continue-on-error
 * (learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api),
 * and the
 * shared retry policy and run deadline around every HTTP call.
 *
 * Why not dynamics-web-api 2.5.0 (its dist source): its batch puts every
 * write in one change set unless told otherwise, and its batch parser returns only bodies or entity
 * ids for successes, dropping each part's status and headers; a failed part becomes a thrown error.
 * We need every part's status, headers and body, in order. It has no 429 handling either, and it
 * runs on node:http with its own agents. The Web API calls themselves are small, so fetch plus
 * dataverse-batch.ts is less code than adapting it.
 */
import type { TokenCredential } from '@azure/identity';
import { listError } from './classify.js';
import { CheckedCredential, dataverseScope } from './credential.js';
import { AdaptiveConcurrency } from './dataverse-concurrency.js';
import { absolute, buildBatch, parseBatchResponse } from './dataverse-batch.js';
import { chunk, withInnerRetries } from './inner-retry.js';
import { headersOf, readResponse } from './read-response.js';
import { DEFAULT_MAX_ATTEMPTS, retryPolicy, type RetryPolicy, type RetryPolicyOptions } from './retry-policy.js';
import type { DataverseApi, DataverseQuery, ServiceRequest, ServiceResponse } from './types.js';

export interface DataverseClientOptions extends Omit<RetryPolicyOptions, 'service'> {
  /** DATAVERSE_URL, e.g. https://contoso.crm.dynamics.com. */
  url: string;
  credential: TokenCredential;
  /** Requests in flight; default 16, at most 52; lowered when the service asks (dataverse-concurrency.ts). */
  concurrency?: number;
  /** Requests per $batch; default and maximum 1000. */
  batchSize?: number;
}

export const DATAVERSE_BATCH_MAX = 1000;
export const DATAVERSE_PAGE_MAX = 5000;

/** Sent on every request (compose-http-requests-handle-errors.md). */
const ODATA_HEADERS: Record<string, string> = { Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' };

export class DataverseClient implements DataverseApi {
  readonly base: string;
  readonly concurrency: AdaptiveConcurrency;
  private readonly credential: CheckedCredential;
  private readonly scope: string;
  private readonly policy: RetryPolicy;

  constructor(private readonly options: DataverseClientOptions) {
    const url = options.url.replace(/\/+$/, '');
    this.base = `${url}/api/data/v9.2/`;
    this.scope = dataverseScope(url);
    this.credential = new CheckedCredential(options.credential, 'dataverse');
    this.policy = retryPolicy({ ...options, service: 'dataverse' });
    this.concurrency = new AdaptiveConcurrency(options.concurrency);
  }

  async list<T>(entitySet: string, query: DataverseQuery): Promise<T[]> {
    const size = Math.min(DATAVERSE_PAGE_MAX, Math.max(1, Math.floor(query.pageSize ?? DATAVERSE_PAGE_MAX)));
    const params = [`$select=${query.select.join(',')}`];
    if (query.filter) params.push(`$filter=${encodeURIComponent(query.filter)}`);
    if (query.orderby) params.push(`$orderby=${encodeURIComponent(query.orderby)}`);
    const items: T[] = [];
    let next: string | undefined = `${entitySet}?${params.join('&')}`;
    while (next !== undefined) {
      // The same Prefer on every page (page-results.md: "Send the same Prefer header").
      const request: ServiceRequest = { method: 'GET', url: next, headers: { Prefer: `odata.maxpagesize=${size}` } };
      const response = await this.send(request);
      if (response.status !== 200) throw listError('dataverse', request, response);
      const page = response.body as { value?: T[]; '@odata.nextLink'?: string } | undefined;
      items.push(...(page?.value ?? []));
      next = page?.['@odata.nextLink'];
    }
    return items;
  }

  send(request: ServiceRequest): Promise<ServiceResponse> {
    return this.policy.sendRequest(request, (r) => this.concurrency.limit(() => this.once(r)));
  }

  async sendMany(requests: ServiceRequest[]): Promise<ServiceResponse[]> {
    const size = Math.min(DATAVERSE_BATCH_MAX, Math.max(1, this.options.batchSize ?? DATAVERSE_BATCH_MAX));
    const settled = await Promise.allSettled(chunk(requests, size).map((group) => this.sendBatch(group)));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
  }

  /** One $batch; parts answered 429/503 go again in a new batch (inner-retry.ts). */
  private sendBatch(group: ServiceRequest[]): Promise<ServiceResponse[]> {
    return withInnerRetries(
      group.length,
      async (positions) => {
        const parts = positions.map((p) => group[p]!);
        const batch = buildBatch(parts, this.base, ODATA_HEADERS);
        const response = await this.send({
          method: 'POST',
          url: '$batch',
          headers: { 'Content-Type': batch.contentType, Prefer: 'odata.continue-on-error' },
          body: batch.body,
          idempotent: parts.every((r) => r.idempotent ?? r.method !== 'POST'),
        });
        // A batch refused as a whole (401, 403, 400 malformed) is every part's answer.
        if (response.status !== 200) return positions.map(() => response);
        const answers = parseBatchResponse(response.headers['content-type'], String(response.body ?? ''));
        if (answers.length !== parts.length) throw new Error(`the $batch answer has ${answers.length} parts for ${parts.length} requests`);
        return answers;
      },
      { ...this.options, maxAttempts: this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, label: 'Dataverse $batch' },
    );
  }

  /** One HTTP exchange; rejects only when no HTTP answer came back. */
  private async once(request: ServiceRequest): Promise<ServiceResponse> {
    const url = absolute(request.url, this.base);
    // The token goes only to our own organisation (a nextLink is absolute).
    if (!url.toLowerCase().startsWith(this.base.toLowerCase())) throw new Error(`refusing to send a Dataverse token outside ${this.base}: ${url}`);
    const token = await this.credential.getToken(this.scope);
    const raw = typeof request.body === 'string';
    const headers: Record<string, string> = {
      ...ODATA_HEADERS,
      ...(request.body !== undefined && !raw ? { 'Content-Type': 'application/json' } : {}),
      ...(request.headers ?? {}),
      Authorization: `Bearer ${token.token}`,
    };
    const body = request.body === undefined ? undefined : raw ? (request.body as string) : JSON.stringify(request.body);
    const res = await fetch(url, { method: request.method, headers, body, signal: this.options.signal });
    const isBatch = /^multipart\/mixed/i.test(res.headers.get('content-type') ?? '');
    const response = isBatch ? { status: res.status, headers: headersOf(res), body: await res.text() } : await readResponse(res);
    this.concurrency.observe(response);
    return response;
  }
}
