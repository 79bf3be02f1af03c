/**
 * GraphApi over @microsoft/microsoft-graph-client 3.0.7 (Client.initWithMiddleware, the default
 * middleware chain, TokenCredentialAuthenticationProvider over the run's credential).
 *
 * Retries: the SDK's RetryHandler is switched off on every request (RetryHandlerOptions with
 * maxRetries 0) and retry-policy.ts does all retrying, so both services, single requests, $batch
 * envelopes and their inner 429s share one policy, one attempt budget and one run deadline. The
 * RetryHandler could not honour the deadline (it sleeps up to 180 s on its own), does not see
 * inner $batch answers, and retries 504 even for POST /invitations.
 *
 * Responses are read RAW, so 4xx answers come back as data (status, headers, body) for the engine
 * to classify instead of a thrown GraphError.
 *
 * Replication lag: references to a guest this run's invitation just created may be answered "Not
 * Found" (or 400 "…do not exist" on a member add) until Entra has replicated it; replication-policy.ts
 * retries those, bounded, for single requests and for the inner requests of $batch envelopes alike.
 *
 * Every request carries `x-ms-throttle-priority: Low` (learn.microsoft.com/graph/throttling,
 * learn.microsoft.com/graph/throttling:
 * "low priority requests will be throttled first"; it does not change the limits). The reconciler is
 * hourly background work and should yield to the tenant's interactive apps; the run deadline and
 * the next run absorb the extra waiting. `throttlePriority: null` turns the header off.
 */
import { Client, ResponseType, RetryHandlerOptions, type GraphRequest } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { TokenCredential } from '@azure/identity';
import pLimit, { type LimitFunction } from 'p-limit';
import { countIn, DEFAULT_INVITATION_PACING, DEFAULT_WRITE_PACING, isInvitation, isWrite, WindowPacer, type PacingLimit } from './pacing.js';
import { buildEnvelope, GRAPH_BATCH_MAX, readEnvelopeAnswer } from './graph-batch.js';
import { chunk, withInnerRetries } from './inner-retry.js';
import { coalesceMemberAdds, memberAnswers, patchSucceeded, type Indexed, type MemberPatch } from './graph-member-coalesce.js';
import { listError } from './classify.js';
import { CheckedCredential, graphScope } from './credential.js';
import { readResponse } from './read-response.js';
import { replicationPolicy, type ReplicationPolicy, type ReplicationRetryOptions } from './replication-policy.js';
import { DEFAULT_MAX_ATTEMPTS, retryPolicy, type RetryPolicy, type RetryPolicyOptions } from './retry-policy.js';
import type { GraphApi, ListOptions, ServiceRequest, ServiceResponse } from './types.js';

export interface GraphClientOptions extends Omit<RetryPolicyOptions, 'service'> {
  /** GRAPH_BASE_URL, e.g. https://graph.microsoft.com/v1.0. */
  baseUrl: string;
  credential: TokenCredential;
  /** HTTP requests (single requests, pages, envelopes) in flight. Default 4. */
  concurrency?: number;
  /** Requests per $batch envelope, at most 20. */
  batchSize?: number;
  throttlePriority?: 'Low' | 'Normal' | 'High' | null;
  /** Waiting out replication after this run's invitations (replication-policy.ts). */
  replication?: ReplicationRetryOptions;
  /** Invitations per window the client sends (pacing.ts); default 140 per 5 s. */
  invitationPacing?: PacingLimit;
  /** Writes per window the client sends (pacing.ts); default Graph's 3,000 per 150 s. */
  writePacing?: PacingLimit;
}

/** Turns off the SDK's own retries (see the file comment). */
const NO_SDK_RETRY = new RetryHandlerOptions(0, 0);

export class GraphClient implements GraphApi {
  private readonly client: Client;
  private readonly policy: RetryPolicy;
  private readonly replication: ReplicationPolicy;
  private readonly limit: LimitFunction;
  private readonly invitations: WindowPacer;
  private readonly writes: WindowPacer;
  private readonly origin: string;
  private readonly priority: Record<string, string>;
  private readonly credential: CheckedCredential;

  constructor(private readonly options: GraphClientOptions) {
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.credential = new CheckedCredential(options.credential, 'graph');
    const authProvider = new TokenCredentialAuthenticationProvider(this.credential, { scopes: [graphScope(options.baseUrl)] });
    this.client = Client.initWithMiddleware({
      authProvider,
      baseUrl: base.origin,
      defaultVersion: base.pathname.replace(/^\/+|\/+$/g, '') || 'v1.0',
      customHosts: new Set([base.hostname]),
    });
    this.policy = retryPolicy({ ...options, service: 'graph' });
    this.replication = replicationPolicy({ ...options.replication, deadline: options.deadline, signal: options.signal, random: options.random });
    this.limit = pLimit(Math.max(1, options.concurrency ?? 4));
    const run = { deadline: options.deadline, signal: options.signal };
    this.invitations = new WindowPacer(options.invitationPacing ?? DEFAULT_INVITATION_PACING, run);
    this.writes = new WindowPacer(options.writePacing ?? DEFAULT_WRITE_PACING, run);
    const priority = options.throttlePriority === undefined ? 'Low' : options.throttlePriority;
    this.priority = priority === null ? {} : { 'x-ms-throttle-priority': priority };
  }

  async list<T>(url: string, options: ListOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = url;
    while (next !== undefined) {
      const request: ServiceRequest = { method: 'GET', url: next, headers: { ...(options.headers ?? {}) } };
      const response = await this.send(request);
      if (response.status !== 200) throw listError('graph', request, response);
      const page = response.body as { value?: T[]; '@odata.nextLink'?: string } | undefined;
      items.push(...(page?.value ?? []));
      next = page?.['@odata.nextLink'];
      // The nextLink is opaque and followed as given, but only to our own Graph origin (it carries our token).
      if (next !== undefined && !next.startsWith(`${this.origin}/`)) throw new Error(`Graph returned a nextLink outside ${this.origin}: ${next}`);
    }
    return items;
  }

  send(request: ServiceRequest): Promise<ServiceResponse> {
    return this.replication.sendRequest(request, (r) => this.sendOnce(r));
  }

  /** One request with throttling retries, without waiting for replication (envelopes, pages). */
  private sendOnce(request: ServiceRequest): Promise<ServiceResponse> {
    return this.policy.sendRequest(request, async (r) => {
      // Usually no wait at all (take answers undefined): then the request goes on in this same turn.
      const invitations = this.invitations.take(countIn(r, isInvitation));
      if (invitations) await invitations;
      const writes = this.writes.take(countIn(r, isWrite));
      if (writes) await writes;
      return this.limit(() => this.once(r));
    });
  }

  /** A wave's requests: group adds as multi-member PATCHes (graph-member-coalesce.ts), the rest in $batch envelopes. */
  async sendMany(requests: ServiceRequest[]): Promise<ServiceResponse[]> {
    const { patches, rest } = coalesceMemberAdds(requests.map((request, index) => ({ request, index })));
    const settled = await Promise.allSettled([this.sendBatched(rest), ...patches.map((p) => this.sendPatch(p))]);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const out: ServiceResponse[] = new Array<ServiceResponse>(requests.length);
    for (const s of settled) if (s.status === 'fulfilled') for (const [index, response] of s.value) out[index] = response;
    return out;
  }

  /** One multi-member PATCH; refused, its members go again as single adds (all or nothing). */
  private async sendPatch(patch: MemberPatch): Promise<Map<number, ServiceResponse>> {
    const response = await this.send(patch.request);
    return patchSucceeded(response) ? memberAnswers(patch, response) : this.sendBatched(patch.members);
  }

  private async sendBatched(indexed: Indexed[]): Promise<Map<number, ServiceResponse>> {
    const size = Math.min(GRAPH_BATCH_MAX, Math.max(1, this.options.batchSize ?? GRAPH_BATCH_MAX));
    const settled = await Promise.allSettled(chunk(indexed, size).map((group) => this.sendGroup(group)));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const out = new Map<number, ServiceResponse>();
    for (const s of settled) if (s.status === 'fulfilled') for (const [index, response] of s.value) out.set(index, response);
    return out;
  }

  /** One group of at most 20: an envelope, then new envelopes for the inner 429/503 answers. */
  private async sendGroup(group: { request: ServiceRequest; index: number }[]): Promise<Map<number, ServiceResponse>> {
    const answers = await withInnerRetries(
      group.length,
      async (positions) => {
        const ids = positions.map((p) => String(group[p]!.index + 1));
        const inner = positions.map((p) => group[p]!.request);
        const envelope: ServiceRequest = {
          method: 'POST',
          url: '/$batch',
          body: buildEnvelope(inner, ids, this.priority),
          // Repeating the envelope after a lost answer is safe only when every request in it is.
          idempotent: inner.every((r) => r.idempotent ?? r.method !== 'POST'),
        };
        const response = await this.sendOnce(envelope);
        // An envelope refused as a whole (400 malformed, 401, 403) is every inner request's answer.
        if (response.status !== 200) return positions.map(() => response);
        const answers = readEnvelopeAnswer(response.body, ids);
        answers.forEach((answer, k) => this.replication.noteAnswer(inner[k]!, answer));
        return answers;
      },
      {
        ...this.options,
        maxAttempts: this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        label: 'Microsoft Graph $batch',
        again: (position, response, attempt) => this.replication.retryDelay(group[position]!.request, response, attempt),
      },
    );
    return new Map(answers.map((response, k) => [group[k]!.index, response]));
  }

  /** One HTTP exchange through the SDK; rejects only when no HTTP answer came back. */
  private async once(request: ServiceRequest): Promise<ServiceResponse> {
    const call: GraphRequest = this.client
      .api(request.url)
      .headers({ ...this.priority, ...(request.headers ?? {}) })
      .middlewareOptions([NO_SDK_RETRY])
      .responseType(ResponseType.RAW);
    let raw: Response;
    try {
      raw = (await dispatch(call, request)) as Response;
    } catch (err) {
      // The SDK wraps a token failure in a GraphError without a status: report it as configuration.
      throw this.credential.takeFailure() ?? err;
    }
    return readResponse(raw);
  }
}

function dispatch(call: GraphRequest, request: ServiceRequest): Promise<unknown> {
  switch (request.method) {
    case 'GET':
      return call.get();
    case 'POST':
      return call.post(request.body);
    case 'PATCH':
      return call.patch(request.body);
    case 'PUT':
      return call.put(request.body);
    case 'DELETE':
      return call.delete();
  }
}
