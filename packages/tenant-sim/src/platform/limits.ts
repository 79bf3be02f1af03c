/**
 * Service-protection limits, on by default with the documented defaults (docs/simulator.md,
 * "Service-protection limits"). This file holds the settings of both services, their validation
 * and Graph's request-count limits; read-budget.ts holds Graph's resource units and
 * dataverse-limits.ts Dataverse's limits.
 *
 * - Graph writes (Learn "Microsoft Graph service-specific throttling limits", identity and access
 *   service limits; learn.microsoft.com/graph/throttling): 3,000 writes per 150 s per app and
 *   tenant. Writes are
 *   POST/PATCH/PUT/DELETE; each inner $batch request counts on its own and the $batch envelope
 *   itself is not a write. Only accepted writes use the budget ("only the requests exceeding the
 *   limits will be throttled").
 * - Graph invitations (same page, "Invitation manager service limits"): 150 requests per 5 s per
 *   tenant for all apps, any request on /invitations.
 */
import { graphTooManyRequests, graphThrottleHeaders } from './responses.js';
import type { SimResponse } from '../types.js';

export interface GraphLimits {
  enabled: boolean;
  writesPerWindow: number;
  windowMs: number;
  /** Resource units per resourceUnitWindowMs per app and tenant, by tenant size (read-budget.ts). */
  resourceUnitsSmall: number;
  resourceUnitsMedium: number;
  resourceUnitsLarge: number;
  resourceUnitWindowMs: number;
  invitationsPerWindow: number;
  invitationWindowMs: number;
}

export interface DataverseLimits {
  enabled: boolean;
  requestsPerWindow: number;
  windowMs: number;
  concurrent: number;
  /** Combined execution time per windowMs per user (dataverse-limits.ts). */
  executionMsPerWindow: number;
  /** Simulated server time of one operation (a request, or one part of a $batch); 0 turns it off. */
  serverMsPerOperation: number;
}

export const DEFAULT_GRAPH_LIMITS: GraphLimits = {
  enabled: true,
  writesPerWindow: 3000,
  windowMs: 150_000,
  resourceUnitsSmall: 3500,
  resourceUnitsMedium: 5000,
  resourceUnitsLarge: 8000,
  resourceUnitWindowMs: 10_000,
  invitationsPerWindow: 150,
  invitationWindowMs: 5000,
};

export const DEFAULT_DATAVERSE_LIMITS: DataverseLimits = {
  enabled: true,
  requestsPerWindow: 6000,
  windowMs: 300_000,
  concurrent: 52,
  executionMsPerWindow: 1_200_000,
  // The docs give no time per operation; 20 ms keeps ordinary runs far below the limit (docs/simulator.md).
  serverMsPerOperation: 20,
};

/** Settings that may be 0 (the others are whole numbers of at least 1). */
const ZERO_ALLOWED = new Set(['serverMsPerOperation']);

/** Timestamps of the requests inside a sliding window, oldest first. */
export class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  count(now: number, windowMs: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - windowMs) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  add(now: number): void {
    this.times.push(now);
  }

  /** Whole seconds until the window holds fewer than `limit` requests (at least 1). */
  retryAfterSeconds(now: number, windowMs: number, limit: number): number {
    const inWindow = this.count(now, windowMs);
    const mustExpire = inWindow - limit + 1;
    const t = mustExpire > 0 ? this.times[this.head + mustExpire - 1]! : now;
    return Math.max(1, Math.ceil((t + windowMs - now) / 1000));
  }
}

/** Validates a PUT /_sim/limits part, merged over the current settings. */
export function mergeLimits<T extends GraphLimits | DataverseLimits>(current: T, patch: unknown, service: string): T {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new Error(`limits.${service} must be an object`);
  const next: Record<string, number | boolean> = { ...(current as unknown as Record<string, number | boolean>) };
  for (const [key, value] of Object.entries(patch)) {
    if (!(key in current)) throw new Error(`limits.${service}.${key} is not a limit setting (${Object.keys(current).join(', ')})`);
    if (key === 'enabled') {
      if (typeof value !== 'boolean') throw new Error(`limits.${service}.enabled must be true or false`);
    } else if (typeof value !== 'number' || !Number.isInteger(value) || value < (ZERO_ALLOWED.has(key) ? 0 : 1)) {
      throw new Error(`limits.${service}.${key} must be a whole number of at least ${ZERO_ALLOWED.has(key) ? 0 : 1}`);
    }
    next[key] = value as number | boolean;
  }
  return next as unknown as T;
}

/** Requests admitted per key within a sliding window; refused requests use no budget. */
class CountLimit {
  private windows = new Map<string, SlidingWindow>();
  admitted = 0;
  throttled = 0;

  reset(): void {
    this.windows.clear();
    this.admitted = 0;
    this.throttled = 0;
  }

  private window(key: string): SlidingWindow {
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = new SlidingWindow()));
    return w;
  }

  /** Seconds to wait when the key's budget is spent, else undefined. Counts a refusal. */
  refusal(key: string, now: number, limit: number, windowMs: number): number | undefined {
    const w = this.window(key);
    if (w.count(now, windowMs) < limit) return undefined;
    this.throttled += 1;
    return w.retryAfterSeconds(now, windowMs, limit);
  }

  commit(key: string, now: number): void {
    this.window(key).add(now);
    this.admitted += 1;
  }

  inWindow(now: number, windowMs: number): number {
    let n = 0;
    for (const w of this.windows.values()) n += w.count(now, windowMs);
    return n;
  }
}

/** Who a Graph limit is counted for: the token's app and tenant. */
export interface GraphCaller {
  app: string;
  tenant: string;
}

/** Graph's write quota per app and tenant. */
export class GraphWriteBudget {
  private readonly limit = new CountLimit();

  reset(): void {
    this.limit.reset();
  }

  /** A 429 when the caller's write budget is spent; nothing is counted until commit(). */
  check(caller: GraphCaller, now: number, s: GraphLimits): SimResponse | undefined {
    const wait = this.limit.refusal(`${caller.tenant}/${caller.app}`, now, s.writesPerWindow, s.windowMs);
    if (wait === undefined) return undefined;
    return graphTooManyRequests(wait, graphThrottleHeaders('Tenant_Application', 'Write', caller, 'WriteLimitExceeded'));
  }

  commit(caller: GraphCaller, now: number): void {
    this.limit.commit(`${caller.tenant}/${caller.app}`, now);
  }

  usage(now: number, s: GraphLimits): Record<string, number> {
    return { writesInWindow: this.limit.inWindow(now, s.windowMs), writes: this.limit.admitted, throttled: this.limit.throttled };
  }
}

/**
 * The invitation manager's limit: any request on /invitations, per tenant for all apps. The page
 * documents no response headers for it; the simulator sends the identity service's throttle
 * headers with scope Tenant (docs/simulator.md: its choice).
 */
export class InvitationLimit {
  private readonly limit = new CountLimit();

  reset(): void {
    this.limit.reset();
  }

  check(caller: GraphCaller, now: number, s: GraphLimits): SimResponse | undefined {
    const wait = this.limit.refusal(caller.tenant, now, s.invitationsPerWindow, s.invitationWindowMs);
    if (wait === undefined) return undefined;
    return graphTooManyRequests(wait, graphThrottleHeaders('Tenant', 'Write', caller, 'WriteLimitExceeded'));
  }

  commit(caller: GraphCaller, now: number): void {
    this.limit.commit(caller.tenant, now);
  }

  usage(now: number, s: GraphLimits): Record<string, number> {
    return { invitationsInWindow: this.limit.inWindow(now, s.invitationWindowMs), invitations: this.limit.admitted, throttledInvitations: this.limit.throttled };
  }
}

/** Requests to /invitations (the invitation manager's path), any method. */
export function isInvitationRequest(path: string): boolean {
  return /^\/invitations(\/|$)/i.test(path);
}
