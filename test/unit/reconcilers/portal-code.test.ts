/**
 * The invitation code (reconcilers/portal/code.ts): what Microsoft's portal generates (128 random
 * bytes in Base64, `+`, `/` and `=` as `-`: Adoxio/xRM-Portals-Community-Edition, the invitation
 * manager), from the CSPRNG, within adx_invitationcode's 200 characters (Learn adx_invitation table
 * reference, https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/adx_invitation).
 */
import { describe, expect, it } from 'vitest';
import { CODE_MAX_LENGTH, invitationCode } from '../../../reconcilers/portal/code.js';

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
});
