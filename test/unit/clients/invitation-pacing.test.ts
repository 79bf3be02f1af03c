/**
 * Invitation pacing (src/clients/invitation-pacing.ts): the Graph client keeps its invitations under
 * the invitation manager's limit (150 per 5 s per tenant) instead of sending thousands and letting
 * the 429s sort them out. Fake timers: the waits are exact.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvitationPacer, isInvitation } from '../../../src/clients/invitation-pacing.js';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

describe('InvitationPacer', () => {
  it("lets a window's worth go at once and holds the rest until the oldest leave the window", async () => {
    const pacer = new InvitationPacer({ perWindow: 140, windowMs: 5_000 });
    const at: number[] = [];
    const sends = Array.from({ length: 10 }, () => pacer.acquire(20).then(() => at.push(Date.now())));
    await vi.runAllTimersAsync();
    await Promise.all(sends);
    // 7 envelopes of 20 fill the window at t=0; the 8th to 10th wait for the first ones to leave it.
    expect(at).toEqual([0, 0, 0, 0, 0, 0, 0, 5_000, 5_000, 5_000]);
  });

  it('serves callers in order and never more than the window holds', async () => {
    const pacer = new InvitationPacer({ perWindow: 3, windowMs: 1_000 });
    const order: string[] = [];
    const a = pacer.acquire(2).then(() => order.push(`a@${Date.now()}`));
    const b = pacer.acquire(2).then(() => order.push(`b@${Date.now()}`));
    const c = pacer.acquire(1).then(() => order.push(`c@${Date.now()}`));
    await vi.runAllTimersAsync();
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a@0', 'b@1000', 'c@1000']);
  });

  it('stops at the run deadline instead of waiting past it', async () => {
    const pacer = new InvitationPacer({ perWindow: 1, windowMs: 60_000 }, { deadline: 10_000 });
    await pacer.acquire(1);
    await expect(pacer.acquire(1)).rejects.toMatchObject({ code: 'RUN_DEADLINE' });
  });

  it('only invitations count', () => {
    expect(isInvitation({ method: 'POST', url: '/invitations' })).toBe(true);
    expect(isInvitation({ method: 'POST', url: 'invitations' })).toBe(true);
    expect(isInvitation({ method: 'GET', url: '/invitations' })).toBe(false);
    expect(isInvitation({ method: 'PATCH', url: '/users/u-1' })).toBe(false);
  });
});
