/**
 * Dataverse's service protection (Learn "Service protection API limits", api-limits.md),
 * evaluated per user (the application user counts as a user):
 *
 * - Number of requests: 6,000 per 300 s sliding window, 429 0x80072322. A $batch counts once.
 * - Execution time: 1,200,000 ms combined per 300 s, 429 0x80072321. Every operation executed (a
 *   request, or each part of a $batch) adds `serverMsPerOperation` of simulated server time; the
 *   docs say batches avoid the request limit but not this one.
 * - Concurrent requests: 52, 429 0x80072326 at once.
 * - Every answer carries x-ms-ratelimit-burst-remaining-xrm-requests (requests left in the window)
 *   and x-ms-ratelimit-time-remaining-xrm-requests (seconds of execution time left, written as the
 *   service writes it: "1,199.46").
 *
 * Stricter than the docs: the request that would go over the request or time limit is refused (the
 * service may let a burst overshoot first), and refused requests still count in the request
 * window, so pressure lengthens Retry-After.
 */
import type { DataverseLimits } from './limits.js';
import { DEFAULT_DATAVERSE_LIMITS, SlidingWindow, mergeLimits } from './limits.js';
import { dataverseExecutionTimeExceeded, dataverseTooManyConcurrent, dataverseTooManyRequests } from './responses.js';
import type { SimResponse } from '../types.js';

/** Retry-After of a concurrency 429, in seconds (the docs give none; one second is enough to drain). */
const CONCURRENCY_RETRY_AFTER_S = 1;

const SECONDS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Execution time spent per user in a sliding window: [time, ms] entries, oldest first. */
class ExecutionTime {
  private entries: [number, number][] = [];
  private head = 0;
  private sum = 0;

  used(now: number, windowMs: number): number {
    while (this.head < this.entries.length && this.entries[this.head]![0] <= now - windowMs) {
      this.sum -= this.entries[this.head]![1];
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return this.sum;
  }

  add(now: number, ms: number): void {
    this.entries.push([now, ms]);
    this.sum += ms;
  }

  /** Whole seconds until less than `limit` ms is in use (at least 1): the oldest entries expire first. */
  retryAfterSeconds(now: number, windowMs: number, limit: number): number {
    let used = this.used(now, windowMs);
    let at = now;
    for (let i = this.head; i < this.entries.length && used >= limit; i++) {
      used -= this.entries[i]![1];
      at = this.entries[i]![0] + windowMs;
    }
    return Math.max(1, Math.ceil((at - now) / 1000));
  }
}

export class DataverseProtection {
  settings: DataverseLimits = { ...DEFAULT_DATAVERSE_LIMITS };
  private windows = new Map<string, SlidingWindow>();
  private time = new Map<string, ExecutionTime>();
  private inFlight = new Map<string, number>();
  requests = 0;
  peakInFlight = 0;
  throttledRequests = 0;
  throttledExecutionTime = 0;
  throttledConcurrency = 0;
  executionMs = 0;

  configure(patch: unknown): void {
    this.settings = mergeLimits(this.settings, patch, 'dataverse');
    this.windows.clear();
    this.time.clear();
    this.requests = 0;
    this.peakInFlight = [...this.inFlight.values()].reduce((a, b) => a + b, 0);
    this.throttledRequests = 0;
    this.throttledExecutionTime = 0;
    this.throttledConcurrency = 0;
    this.executionMs = 0;
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

  private window(user: string): SlidingWindow {
    let w = this.windows.get(user);
    if (!w) this.windows.set(user, (w = new SlidingWindow()));
    return w;
  }

  private timeOf(user: string): ExecutionTime {
    let t = this.time.get(user);
    if (!t) this.time.set(user, (t = new ExecutionTime()));
    return t;
  }

  /**
   * Counts the request in the user's window (refused ones too), then answers 429 0x80072322 when
   * the window was full, or 0x80072321 when the user's execution time is spent.
   */
  admit(user: string, now: number): SimResponse | undefined {
    const { enabled, requestsPerWindow, windowMs, executionMsPerWindow } = this.settings;
    const w = this.window(user);
    const over = enabled && w.count(now, windowMs) >= requestsPerWindow;
    w.add(now);
    this.requests += 1;
    if (over) {
      this.throttledRequests += 1;
      return dataverseTooManyRequests(requestsPerWindow, windowMs, w.retryAfterSeconds(now, windowMs, requestsPerWindow));
    }
    const t = this.timeOf(user);
    if (enabled && t.used(now, windowMs) >= executionMsPerWindow) {
      this.throttledExecutionTime += 1;
      return dataverseExecutionTimeExceeded(executionMsPerWindow, windowMs, t.retryAfterSeconds(now, windowMs, executionMsPerWindow));
    }
    return undefined;
  }

  /** One operation executed for the user: adds its simulated server time. */
  executed(user: string, now: number): void {
    const ms = this.settings.serverMsPerOperation;
    if (ms <= 0) return;
    this.timeOf(user).add(now, ms);
    this.executionMs += ms;
  }

  /** The two x-ms-ratelimit headers of an answer to the user, as of now. */
  headers(user: string, now: number): Record<string, string> {
    const { requestsPerWindow, windowMs, executionMsPerWindow } = this.settings;
    const requestsLeft = Math.max(0, requestsPerWindow - this.window(user).count(now, windowMs));
    const msLeft = Math.max(0, executionMsPerWindow - this.timeOf(user).used(now, windowMs));
    return {
      'x-ms-ratelimit-burst-remaining-xrm-requests': String(requestsLeft),
      'x-ms-ratelimit-time-remaining-xrm-requests': SECONDS.format(msLeft / 1000),
    };
  }

  usage(now: number): Record<string, number> {
    let inWindow = 0;
    for (const w of this.windows.values()) inWindow += w.count(now, this.settings.windowMs);
    let msInWindow = 0;
    for (const t of this.time.values()) msInWindow += t.used(now, this.settings.windowMs);
    return {
      requestsInWindow: inWindow,
      requests: this.requests,
      inFlight: this.totalInFlight(),
      peakInFlight: this.peakInFlight,
      throttledRequests: this.throttledRequests,
      throttledConcurrency: this.throttledConcurrency,
      executionMsInWindow: msInWindow,
      executionMs: this.executionMs,
      throttledExecutionTime: this.throttledExecutionTime,
    };
  }

  private totalInFlight(): number {
    let n = 0;
    for (const v of this.inFlight.values()) n += v;
    return n;
  }
}
