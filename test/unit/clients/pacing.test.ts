/**
 * Pacing (src/clients/pacing.ts): the Graph client keeps its writes and invitations under the
 * documented limits (3,000 writes per 150 s, 150 invitations per 5 s) instead of sending thousands and letting
 * the 429s sort them out. Fake timers: the waits are exact.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { countIn, WindowPacer, isInvitation, isWrite } from '../../../src/clients/pacing.js';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

describe('WindowPacer', () => {
  it("lets a window's worth go at once and holds the rest until the oldest leave the window", async () => {
    const pacer = new WindowPacer({ perWindow: 140, windowMs: 5_000 });
    const at: number[] = [];
    const sends = Array.from({ length: 10 }, () => pacer.acquire(20).then(() => at.push(Date.now())));
    await vi.runAllTimersAsync();
    await Promise.all(sends);
    // 7 envelopes of 20 fill the window at t=0; the 8th to 10th wait for the first ones to leave it.
    expect(at).toEqual([0, 0, 0, 0, 0, 0, 0, 5_000, 5_000, 5_000]);
  });

  it('serves callers in order and never more than the window holds', async () => {
    const pacer = new WindowPacer({ perWindow: 3, windowMs: 1_000 });
    const order: string[] = [];
    const a = pacer.acquire(2).then(() => order.push(`a@${Date.now()}`));
    const b = pacer.acquire(2).then(() => order.push(`b@${Date.now()}`));
    const c = pacer.acquire(1).then(() => order.push(`c@${Date.now()}`));
    await vi.runAllTimersAsync();
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a@0', 'b@1000', 'c@1000']);
  });

  it('takes places at once while the window has room and nobody waits; then callers queue', async () => {
    const pacer = new WindowPacer({ perWindow: 40, windowMs: 1_000 });
    expect(pacer.tryNow(20)).toBe(true);
    expect(pacer.tryNow(20)).toBe(true);
    expect(pacer.tryNow(1)).toBe(false);
    const queued = pacer.acquire(5);
    expect(pacer.tryNow(0)).toBe(true); // nothing to count never waits
    await vi.advanceTimersByTimeAsync(1_000);
    await queued;
    expect(Date.now()).toBe(1_000);
  });

  it('stops at the run deadline instead of waiting past it', async () => {
    const pacer = new WindowPacer({ perWindow: 1, windowMs: 60_000 }, { deadline: 10_000 });
    await pacer.acquire(1);
    await expect(pacer.acquire(1)).rejects.toMatchObject({ code: 'RUN_DEADLINE' });
  });

  it('counts what each limit counts, inside a $batch envelope too', () => {
    const envelope = {
      method: 'POST' as const,
      url: '/$batch',
      body: { requests: [{ method: 'POST', url: '/invitations' }, { method: 'PATCH', url: '/users/u-1' }, { method: 'GET', url: '/users/u-2' }] },
    };
    expect(countIn(envelope, isInvitation)).toBe(1);
    expect(countIn(envelope, isWrite)).toBe(2);
    expect(countIn({ method: 'GET', url: '/users' }, isWrite)).toBe(0);
    expect(countIn({ method: 'DELETE', url: '/groups/g/members/u/$ref' }, isWrite)).toBe(1);
  });

  it('only invitations count', () => {
    expect(isInvitation({ method: 'POST', url: '/invitations' })).toBe(true);
    expect(isInvitation({ method: 'POST', url: 'invitations' })).toBe(true);
    expect(isInvitation({ method: 'GET', url: '/invitations' })).toBe(false);
    expect(isInvitation({ method: 'PATCH', url: '/users/u-1' })).toBe(false);
  });
});
