/**
 * The password a service account's create call needs (POST /users requires
 * passwordProfile.password). Nobody is meant to know it: it is generated from the operating
 * system's CSPRNG (node:crypto randomInt) when the request is built at apply time, travels only in
 * that request's body, and is never put in a Change, a plan, a report, a run record, a log or
 * telemetry. `forceChangePasswordNextSignIn` is set as well, and the person gets in with a
 * Temporary Access Pass an administrator issues (docs/operations.md, "Service accounts").
 *
 * Entra's rules ("Password policies and account restrictions"): 8 to 256 characters, at least three
 * of lower case, upper case, digits and symbols, no Unicode. This one has 32 characters and all four
 * classes, each drawn uniformly; the symbols are a subset of Entra's list without the quote and
 * space characters that tend to be mangled by whoever retypes them.
 */
import { randomInt } from 'node:crypto';

const CLASSES = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '@#$%^&*-_!+=[]{}:,.?/~'] as const;

export const PASSWORD_LENGTH = 32;

const pick = (chars: string): string => chars[randomInt(chars.length)]!;

export function generatePassword(length = PASSWORD_LENGTH): string {
  const all = CLASSES.join('');
  // One of each class first, then the rest from all of them, then a Fisher–Yates shuffle, so the
  // four required classes are not always at the front.
  const chars = [...CLASSES.map(pick), ...Array.from({ length: length - CLASSES.length }, () => pick(all))];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
