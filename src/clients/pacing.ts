/**
 * Pacing: the Graph client keeps under two documented limits itself instead of letting 429s sort a
 * burst out (Learn: "Microsoft Graph service-specific throttling limits", identity and access; the
 * simulator models both, packages/tenant-sim/docs/simulator.md):
 * - the write limit per app and tenant, 3,000 writes per 150 s;
 * - the invitation manager's limit per tenant, 150 invitations per 5 s (paced at 140: other apps of
 *   the tenant share it, and the service counts on arrival).
 * Onboarding sends thousands of writes at once. Throttled requests retried against fresh ones
 * starve: at 2,000 new technicians some ran out of retries and failed (first invitations, then,
 * once those were paced, the profile updates waiting for the write window to slide). A request
 * that still gets a 429 (another app, the tenant-wide limit) follows Retry-After (retry-policy.ts).
 */
import { sleepWithin, type RunDeadline } from './deadline.js';
import type { ServiceRequest } from './types.js';

export interface PacingLimit {
  /** Invitations per window (default 140: the documented 150 less room for other apps and skew). */
  perWindow: number;
  windowMs: number;
}

export const DEFAULT_INVITATION_PACING: PacingLimit = { perWindow: 140, windowMs: 5_000 };
export const DEFAULT_WRITE_PACING: PacingLimit = { perWindow: 3_000, windowMs: 150_000 };

export const isInvitation = (r: Pick<ServiceRequest, 'method' | 'url'>): boolean => r.method === 'POST' && /^\/?invitations(?:\?|$)/i.test(r.url);
/** Graph counts every request but GET as a write (the envelope of a $batch is not one itself). */
export const isWrite = (r: Pick<ServiceRequest, 'method' | 'url'>): boolean => r.method !== 'GET' && !/^\/?\$batch(?:\?|$)/.test(r.url);

/** How many requests a request carries that `counts`: itself, or the inner requests of a $batch envelope. */
export function countIn(r: ServiceRequest, counts: (r: Pick<ServiceRequest, 'method' | 'url'>) => boolean): number {
  const inner = (r.body as { requests?: { method?: string; url?: string }[] } | undefined)?.requests;
  if (/^\/?\$batch(?:\?|$)/.test(r.url) && Array.isArray(inner)) {
    return inner.filter((i) => counts({ method: (i.method ?? 'GET') as ServiceRequest['method'], url: i.url ?? '' })).length;
  }
  return counts(r) ? 1 : 0;
}

/** A sliding window of `perWindow` per `windowMs`, served in order. */
export class WindowPacer {
  private sent: { at: number; n: number }[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: PacingLimit = DEFAULT_INVITATION_PACING,
    private readonly run: RunDeadline = {},
    private readonly now: () => number = Date.now,
  ) {}

  private waiting = 0;

  /**
   * Takes `n` places at once when nobody is waiting and the window has room (the usual case, with no
   * extra turn of the event loop); false when the caller must `acquire`.
   */
  tryNow(n: number): boolean {
    if (n <= 0) return true;
    if (this.waiting > 0) return false;
    const now = this.now();
    this.sent = this.sent.filter((e) => e.at > now - this.limit.windowMs);
    if (this.sent.reduce((sum, e) => sum + e.n, 0) + Math.min(n, this.limit.perWindow) > this.limit.perWindow) return false;
    this.sent.push({ at: now, n: Math.min(n, this.limit.perWindow) });
    return true;
  }

  /** Resolves once `n` requests may go; callers are served in order. Rejects at the run deadline. */
  acquire(n: number): Promise<void> {
    if (n <= 0) return Promise.resolve();
    const take = Math.min(n, this.limit.perWindow);
    this.waiting += 1;
    const turn = this.queue.then(() => this.wait(take)).finally(() => {
      this.waiting -= 1;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** `tryNow`, else `acquire`. */
  take(n: number): Promise<void> | undefined {
    return this.tryNow(n) ? undefined : this.acquire(n);
  }

  private async wait(n: number): Promise<void> {
    for (;;) {
      const now = this.now();
      this.sent = this.sent.filter((e) => e.at > now - this.limit.windowMs);
      const used = this.sent.reduce((sum, e) => sum + e.n, 0);
      if (used + n <= this.limit.perWindow) {
        this.sent.push({ at: now, n });
        return;
      }
      // The oldest invitations leave the window first; wait until enough of them have.
      let freed = 0;
      let until = now;
      for (const e of this.sent) {
        freed += e.n;
        until = e.at + this.limit.windowMs;
        if (used - freed + n <= this.limit.perWindow) break;
      }
      await sleepWithin(Math.max(1, until - now), this.run, 'it could send more requests under the service limits');
    }
  }
}
