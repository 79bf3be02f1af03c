import { describe, expect, it } from 'vitest';
import { followUpDelaySeconds } from '../../../src/app/queue-run.js';

describe('followUpDelaySeconds', () => {
  it.each([
    { reason: 'the first follow-up waits the base', n: 1, want: 60 },
    { reason: 'each next one twice as long', n: 2, want: 120 },
    { reason: 'the fifth: 16 minutes', n: 5, want: 960 },
    { reason: 'never more than 30 minutes (the hourly run comes first)', n: 6, want: 1800 },
    { reason: 'a chain position below 1 is read as the first', n: 0, want: 60 },
  ])('$reason', ({ n, want }) => {
    expect(followUpDelaySeconds(60, n)).toBe(want);
  });
});
