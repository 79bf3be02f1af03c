/**
 * The invitation code (reconcilers/portal/code.ts): what Microsoft's portal generates (128 random
 * bytes in Base64, `+`, `/` and `=` as `-`: Adoxio/xRM-Portals-Community-Edition, the invitation
 * manager), from the CSPRNG, within adx_invitationcode's 200 characters (Learn adx_invitation table
 * reference, https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/adx_invitation).
 */
import type * as crypto from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { CODE_MAX_LENGTH, invitationCode } from '../../../reconcilers/portal/code.js';

// The real CSPRNG, observed: each test below sees which bytes code.ts asked for and what it made of them.
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof crypto>();
  return { ...real, randomBytes: vi.fn((size: number) => real.randomBytes(size)) };
});

describe('the invitation code', () => {
  const codes = Array.from({ length: 500 }, () => invitationCode());

  it('the column holds at most 200 characters', () => expect(CODE_MAX_LENGTH).toBe(200));

  it('is 172 characters, always: within the column, the length of 128 bytes in Base64', () => {
    expect([...new Set(codes.map((c) => c.length))]).toEqual([172]);
  });

  it('holds only letters, digits and "-" (safe to type on the Redeem invitation page and in a URL)', () => {
    expect(codes.filter((c) => !/^[A-Za-z0-9-]+$/.test(c))).toEqual([]);
  });

  it('is 128 bytes: 171 Base64 symbols (each "-" one of them), then the one padding "=" turned "-"', () => {
    expect(codes.filter((c) => !c.endsWith('-'))).toEqual([]);
    for (const c of codes.slice(0, 20)) expect(Buffer.from(`${c.slice(0, 171).replace(/-/g, 'A')}=`, 'base64')).toHaveLength(128);
  });

  it('two calls differ, and 500 calls give 500 codes', () => {
    expect(invitationCode()).not.toBe(invitationCode());
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('uses the whole alphabet over many calls (not a narrow or constant generator)', () => {
    const seen = new Set(codes.join(''));
    expect(seen.size).toBe(63);
  });

  it('comes from the operating system\'s CSPRNG (node:crypto randomBytes), 128 bytes a code', () => {
    const calls = vi.mocked(randomBytes).mock.calls.length;
    invitationCode();
    expect(vi.mocked(randomBytes).mock.calls.slice(calls)).toEqual([[128]]);
  });

  const known: { reason: string; bytes: Buffer; want: string }[] = [
    { reason: 'bytes whose Base64 is "+" and "/" give "-" for each, and the padding "=" gives "-"', bytes: Buffer.alloc(128, 0xfb), want: `${'--v7'.repeat(42)}--s-` },
    { reason: 'zero bytes give "A"s, then the padding', bytes: Buffer.alloc(128, 0), want: `${'A'.repeat(171)}-` },
  ];
  for (const tc of known) {
    it(tc.reason, () => {
      vi.mocked(randomBytes).mockImplementationOnce(() => tc.bytes);
      expect(invitationCode()).toBe(tc.want);
    });
  }
});
