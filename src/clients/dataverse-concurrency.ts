/**
 * Requests in flight to Dataverse: a p-limit whose limit follows what the service says.
 *
 * Service protection (api-limits.md) allows 52 concurrent requests per user by default
 * and answers more with 429 code 0x80072326 ("Number of concurrent requests exceeded the limit"),
 * at once. Dataverse also recommends a degree of parallelism for the application user in the
 * `x-ms-dop-hint` response header (api-limits.md, "Use multiple threads"; the SDK's
 * RecommendedDegreesOfParallelism).
 *
 * - Start at the configured value (default 16), never above 52.
 * - A concurrency 429 halves the limit (at least 1); the request itself is retried by the policy.
 * - An `x-ms-dop-hint` sets the limit to the hint, within 1 … the configured value: we follow the
 *   service down, and back up again as far as the configured value, never beyond it.
 * The limit lives as long as the client, i.e. one run.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { serviceErrorCode } from './service-error.js';
import type { ServiceResponse } from './types.js';

export const DATAVERSE_MAX_CONCURRENCY = 52;
export const DATAVERSE_DEFAULT_CONCURRENCY = 16;
export const CONCURRENCY_LIMIT_CODE = '0x80072326';

export class AdaptiveConcurrency {
  readonly limit: LimitFunction;
  private readonly ceiling: number;

  constructor(configured: number = DATAVERSE_DEFAULT_CONCURRENCY) {
    this.ceiling = Math.max(1, Math.min(DATAVERSE_MAX_CONCURRENCY, Math.floor(configured)));
    this.limit = pLimit(this.ceiling);
  }

  get current(): number {
    return this.limit.concurrency;
  }

  /** Adjusts the limit from one answer of the service. */
  observe(response: ServiceResponse): void {
    if (response.status === 429 && serviceErrorCode(response.body) === CONCURRENCY_LIMIT_CODE) {
      this.limit.concurrency = Math.max(1, Math.floor(this.limit.concurrency / 2));
      return;
    }
    const hint = Number(response.headers['x-ms-dop-hint']);
    if (Number.isInteger(hint) && hint >= 1) this.limit.concurrency = Math.min(this.ceiling, hint);
  }
}
