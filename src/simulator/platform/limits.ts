/**
 * Service-protection limits, on by default with the documented defaults:
 * - Graph (facts §5.1, throttling-limits "identity and access"): 3,000 writes per 150 s per app and
 *   tenant. Writes are POST/PATCH/PUT/DELETE; each inner $batch request counts on its own and the
 *   $batch envelope itself is not a write. Only accepted writes use the budget.
 * - Dataverse (facts §11, api-limits.md): per user (the application user), 6,000 requests per
 *   300 s sliding window and 52 concurrent requests. A $batch counts once (its parts skip the gate).
 *   Stricter than the docs: the request that would go over the limit is refused (the service may let
 *   a burst overshoot first), and refused requests still count, so pressure lengthens Retry-After.
 */
import { dataverseTooManyConcurrent, dataverseTooManyRequests, graphTooManyRequests } from './responses.js';
import type { SimResponse } from '../types.js';

export interface GraphLimits { enabled: boolean; writesPerWindow: number; windowMs: number }
export interface DataverseLimits { enabled: boolean; requestsPerWindow: number; windowMs: number; concurrent: number }

export const DEFAULT_GRAPH_LIMITS: GraphLimits = { enabled: true, writesPerWindow: 3000, windowMs: 150_000 };
export const DEFAULT_DATAVERSE_LIMITS: DataverseLimits = { enabled: true, requestsPerWindow: 6000, windowMs: 300_000, concurrent: 52 };

/** Retry-After of a concurrency 429, in seconds (the docs give none; one second is enough to drain). */
const CONCURRENCY_RETRY_AFTER_S = 1;

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
    } else if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new Error(`limits.${service}.${key} must be a whole number of at least 1`);
    }
    next[key] = value as number | boolean;
  }
  return next as unknown as T;
}

export class GraphWriteBudget {
  settings: GraphLimits = { ...DEFAULT_GRAPH_LIMITS };
  private windows = new Map<string, SlidingWindow>();
  writes = 0;
  throttled = 0;

  configure(patch: unknown): void {
    this.settings = mergeLimits(this.settings, patch, 'graph');
    this.windows.clear();
    this.writes = 0;
    this.throttled = 0;
  }

  /** Counts an accepted write for the app, or answers 429 when its budget is spent. */
  admit(app: string, now: number): SimResponse | undefined {
    const { enabled, writesPerWindow, windowMs } = this.settings;
    let w = this.windows.get(app);
    if (!w) this.windows.set(app, (w = new SlidingWindow()));
    if (enabled && w.count(now, windowMs) >= writesPerWindow) {
      this.throttled += 1;
      return graphTooManyRequests(w.retryAfterSeconds(now, windowMs, writesPerWindow));
    }
    w.add(now);
    this.writes += 1;
    return undefined;
  }

  usage(now: number): Record<string, number> {
    let inWindow = 0;
    for (const w of this.windows.values()) inWindow += w.count(now, this.settings.windowMs);
    return { writesInWindow: inWindow, writes: this.writes, throttled: this.throttled };
  }
}

export class DataverseProtection {
  settings: DataverseLimits = { ...DEFAULT_DATAVERSE_LIMITS };
  private windows = new Map<string, SlidingWindow>();
  private inFlight = new Map<string, number>();
  requests = 0;
  peakInFlight = 0;
  throttledRequests = 0;
  throttledConcurrency = 0;

  configure(patch: unknown): void {
    this.settings = mergeLimits(this.settings, patch, 'dataverse');
    this.windows.clear();
    this.requests = 0;
    this.peakInFlight = [...this.inFlight.values()].reduce((a, b) => a + b, 0);
    this.throttledRequests = 0;
    this.throttledConcurrency = 0;
  }

  /** Takes a concurrency slot for the user, or answers 429 0x80072326 at once. */
  acquire(user: string): SimResponse | undefined {
    const current = this.inFlight.get(user) ?? 0;
    if (this.settings.enabled && current >= this.settings.concurrent) {
      this.throttledConcurrency += 1;
      return dataverseTooManyConcurrent(this.settings.concurrent, CONCURRENCY_RETRY_AFTER_S);
    }
    this.inFlight.set(user, current + 1);
    this.peakInFlight = Math.max(this.peakInFlight, this.totalInFlight());
    return undefined;
  }

  release(user: string): void {
    const current = this.inFlight.get(user) ?? 0;
    if (current <= 1) this.inFlight.delete(user);
    else this.inFlight.set(user, current - 1);
  }

  /** Counts the request in the user's window (refused ones too), or answers 429 0x80072322. */
  admit(user: string, now: number): SimResponse | undefined {
    const { enabled, requestsPerWindow, windowMs } = this.settings;
    let w = this.windows.get(user);
    if (!w) this.windows.set(user, (w = new SlidingWindow()));
    const over = enabled && w.count(now, windowMs) >= requestsPerWindow;
    w.add(now);
    this.requests += 1;
    if (!over) return undefined;
    this.throttledRequests += 1;
    return dataverseTooManyRequests(requestsPerWindow, windowMs, w.retryAfterSeconds(now, windowMs, requestsPerWindow));
  }

  usage(now: number): Record<string, number> {
    let inWindow = 0;
    for (const w of this.windows.values()) inWindow += w.count(now, this.settings.windowMs);
    return {
      requestsInWindow: inWindow,
      requests: this.requests,
      inFlight: this.totalInFlight(),
      peakInFlight: this.peakInFlight,
      throttledRequests: this.throttledRequests,
      throttledConcurrency: this.throttledConcurrency,
    };
  }

  private totalInFlight(): number {
    let n = 0;
    for (const v of this.inFlight.values()) n += v;
    return n;
  }
}
