/**
 * Invitation pacing: Graph's invitation manager takes at most 150 invitations per 5 s per tenant
 * (Learn: "Microsoft Graph service-specific throttling limits", identity and access; the simulator
 * models it, docs/simulator.md). Onboarding sends thousands at once, and throttled invitations
 * retried against fresh ones starve: some ran out of retries and failed at 2,000 new technicians.
 * So the Graph client holds invitations back itself, a little under the documented rate (other
 * apps of the tenant share the limit, and the service counts on arrival). Requests that are not
 * invitations never wait here; a 429 still follows Retry-After (retry-policy.ts).
 */
import { sleepWithin, type RunDeadline } from './deadline.js';
import type { ServiceRequest } from './types.js';

export interface PacingLimit {
  /** Invitations per window (default 140: the documented 150 less room for other apps and skew). */
  perWindow: number;
  windowMs: number;
}

export const DEFAULT_INVITATION_PACING: PacingLimit = { perWindow: 140, windowMs: 5_000 };

export const isInvitation = (r: ServiceRequest): boolean => r.method === 'POST' && /^\/?invitations(?:\?|$)/i.test(r.url);

export class InvitationPacer {
  private sent: { at: number; n: number }[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: PacingLimit = DEFAULT_INVITATION_PACING,
    private readonly run: RunDeadline = {},
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves once `n` invitations may go; callers are served in order. Rejects at the run deadline. */
  acquire(n: number): Promise<void> {
    if (n <= 0) return Promise.resolve();
    const take = Math.min(n, this.limit.perWindow);
    const turn = this.queue.then(() => this.wait(take));
    this.queue = turn.catch(() => undefined);
    return turn;
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
      await sleepWithin(Math.max(1, until - now), this.run, 'it could send more invitations');
    }
  }
}
