/**
 * The seam between the engine and the services. Requests are data; the clients are the only code
 * that does HTTP, and they own paging, batching, throttling, retries and concurrency limits.
 *
 * A client resolves with the service's response for every final status (2xx or 4xx); the engine
 * classifies 4xx answers per change (src/clients/classify.ts). A client rejects only when it could
 * not get a final answer: retries exhausted on 429/503 (ThrottledError), network or 5xx
 * (TransientError), or a run deadline passed.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface ServiceRequest {
  method: HttpMethod;
  /**
   * Graph: relative to the version root, e.g. `/users/{id}/assignLicense`.
   * Dataverse: relative to /api/data/v9.2/, e.g. `contacts(<id>)`.
   * Power Platform: relative to POWER_PLATFORM_API_URL, e.g. `/providers/Microsoft.BusinessAppPlatform/…`.
   * The client sends the URL as given (inner $batch URLs go into the JSON untouched), so the caller
   * percent-encodes query values that hold data: an email's `+`, `#`, `&` or `%` would otherwise be
   * read as something else (reconcilers/technicians/pre-invite-lookup.ts). Fixed query text may stay plain.
   */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Whether sending the request twice does no harm. When the answer is lost (network error, 502,
   * 504) the clients retry only idempotent requests; 429 and 503 (the service did not do it) are
   * retried for every request. Default: true for GET, PUT, PATCH and DELETE, false for POST (an
   * invitation or a create sent twice makes two).
   */
  idempotent?: boolean;
}

export interface ServiceResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON when the response had a JSON body, else undefined. */
  body: unknown;
}

export interface ListOptions {
  /** Extra request headers (e.g. ConsistencyLevel), re-sent on every page. */
  headers?: Record<string, string>;
}

export interface GraphApi {
  /** GET a collection and follow every @odata.nextLink; `url` carries its own $select/$filter/$top. */
  list<T>(url: string, options?: ListOptions): Promise<T[]>;
  /** One request, with throttling retries. */
  send(request: ServiceRequest): Promise<ServiceResponse>;
  /**
   * Independent requests, sent in JSON $batch envelopes of at most 20; inner 429/503 answers are
   * retried after their Retry-After. Responses come back in input order.
   * A request whose inner 429/503 retries run out (or the run deadline stops them) gets that
   * 429/503 as its answer (classify.ts makes it a ThrottledError), so one throttled request never
   * hides the answers of the others.
   */
  sendMany(requests: ServiceRequest[]): Promise<ServiceResponse[]>;
}

export interface DataverseQuery {
  select: string[];
  filter?: string;
  orderby?: string;
  /** Prefer: odata.maxpagesize; default and maximum 5000. */
  pageSize?: number;
}

export interface DataverseApi {
  /** GET an entity set, following every @odata.nextLink. */
  list<T>(entitySet: string, query: DataverseQuery): Promise<T[]>;
  /** One request, with throttling retries. */
  send(request: ServiceRequest): Promise<ServiceResponse>;
  /**
   * Independent requests in multipart $batch requests (Prefer: odata.continue-on-error), so one
   * failure never stops the others. Responses come back in input order.
   */
  sendMany(requests: ServiceRequest[]): Promise<ServiceResponse[]>;
}

/** The Power Platform admin API (src/clients/power-platform-client.ts): requests relative to POWER_PLATFORM_API_URL. */
export interface PowerPlatformApi {
  send(request: ServiceRequest): Promise<ServiceResponse>;
  /** Independent requests (the API has no batch), with throttling retries; answers in input order. */
  sendMany(requests: ServiceRequest[]): Promise<ServiceResponse[]>;
}

/** Run-wide options both clients take (src/clients/index.ts createClients). */
export interface ClientOptions {
  /**
   * Epoch ms when the run must stop: no request starts and no retry waits past it; the client
   * rejects with TransientError RUN_DEADLINE instead, and the next run continues.
   */
  deadline?: number;
  /** Aborts the run the same way as the deadline (e.g. the run lock was lost). */
  signal?: AbortSignal;
  /** Attempts per request, first one included (default 5). */
  maxAttempts?: number;
  /** Requests in flight per service (Graph default 4; Dataverse default 16, at most 52). */
  graphConcurrency?: number;
  dataverseConcurrency?: number;
  /** Requests per Dataverse $batch (default and maximum 1000). */
  dataverseBatchSize?: number;
  /**
   * How long Graph requests about a guest this run just invited are retried while Entra replicates
   * it (src/clients/replication-policy.ts; default 6 attempts, about 1, 2, 4, 8 and 8 s apart).
   */
  replication?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; windowMs?: number };
  /** How many invitations the Graph client sends per window (src/clients/pacing.ts; default 140 per 5 s). */
  invitationPacing?: { perWindow: number; windowMs: number };
  /** How many writes the Graph client sends per window (src/clients/pacing.ts; default 3,000 per 150 s). */
  graphWritePacing?: { perWindow: number; windowMs: number };
}
