/**
 * reconcilers/technicians/password.ts: the create call's password (issue 12). The complexity rule
 * is the simulator's (packages/tenant-sim/src/graph/user-create.ts `passwordClasses`, from Entra's
 * "Password policies and account restrictions"): 8 to 256 characters, at least three of lower case,
 * upper case, digits and the listed symbols, nothing else. Restated here: lint keeps tests out of
 * tenant-sim's internals (eslint.config.js).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PASSWORD_LENGTH, generatePassword } from '../../../reconcilers/technicians/password.js';

/** Entra's symbols (concept-sspr-policy, as user-create.ts lists them), space included. */
const ENTRA_SYMBOLS = `@#$%^&*-_!+=[]{}|\\:',.?/\`~"();<> `;

/** The simulator's rule: the number of classes, or null for a character outside them. */
function entraClasses(p: string): number | null {
  const classes = new Set<string>();
  for (const ch of p) {
    if (/[a-z]/.test(ch)) classes.add('lower');
    else if (/[A-Z]/.test(ch)) classes.add('upper');
    else if (/[0-9]/.test(ch)) classes.add('digit');
    else if (ENTRA_SYMBOLS.includes(ch)) classes.add('symbol');
    else return null;
  }
  return classes.size;
}

const entraAccepts = (p: string): boolean => p.length >= 8 && p.length <= 256 && (entraClasses(p) ?? 0) >= 3;

/** The classes password.ts draws from (no look-alikes l/I/O/0/1, no quotes or space). */
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '@#$%^&*-_!+=[]{}:,.?/~';
const has = (p: string, chars: string): boolean => [...p].some((ch) => chars.includes(ch));

describe('generatePassword', () => {
  const samples = Array.from({ length: 1000 }, () => generatePassword());

  it('1,000 samples: each 32 characters long', () => {
    expect(PASSWORD_LENGTH).toBe(32);
    expect(samples.filter((p) => p.length !== 32)).toEqual([]);
  });

  it('1,000 samples: each holds all four classes', () => {
    expect(samples.filter((p) => !has(p, LOWER) || !has(p, UPPER) || !has(p, DIGITS) || !has(p, SYMBOLS))).toEqual([]);
  });

  it('1,000 samples: only characters of the four classes (no quote, space or non-ASCII)', () => {
    const allowed = new Set(LOWER + UPPER + DIGITS + SYMBOLS);
    expect(samples.flatMap((p) => [...p].filter((ch) => !allowed.has(ch)))).toEqual([]);
  });

  it('1,000 samples: no two alike', () => {
    expect(new Set(samples).size).toBe(1000);
  });

  it('1,000 samples: the four required classes are not always in front (they are shuffled in)', () => {
    const classOf = (ch: string): number => [LOWER, UPPER, DIGITS, SYMBOLS].findIndex((c) => c.includes(ch));
    const fixedOrder = samples.filter((p) => [0, 1, 2, 3].every((i) => classOf(p[i]!) === i));
    // Drawn at random, the first four fall in class order about 3 times in 1,000 (25/79 · 24/79 · 8/79 · 22/79); always would mean no shuffle.
    expect(fixedOrder.length).toBeLessThan(100);
  });

  it('every sample passes the simulator\'s complexity rule', () => {
    expect(samples.filter((p) => !entraAccepts(p))).toEqual([]);
  });

  it('property: any length from 8 to 256 gives that many characters of all four classes, which Entra accepts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 256 }), (length) => {
        const p = generatePassword(length);
        expect(p).toHaveLength(length);
        expect(entraClasses(p)).toBe(4);
        expect(entraAccepts(p)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('the rule restated here refuses what Entra refuses (so the property above can fail)', () => {
    const cases = [
      { reason: 'too short', p: 'aB3$', want: false },
      { reason: 'two classes only', p: 'abcdefgh12345678', want: false },
      { reason: 'a non-ASCII letter', p: 'abcDEF123!é', want: false },
      { reason: 'three classes, 8 characters', p: 'abcDEF12', want: true },
    ];
    expect(cases.map((c) => [c.reason, entraAccepts(c.p)])).toEqual(cases.map((c) => [c.reason, c.want]));
  });
});
