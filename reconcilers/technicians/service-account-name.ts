/**
 * The names of a contact's service account, deterministic from the contact (issue 12): a crash
 * between the create call and the anchor written back on the contact finds the same account again
 * (the look-up before creating, service-account-create.ts) instead of making a second one.
 *
 * - mailNickname `vr-<contact id, 32 hex digits>`: depends on the contact id alone, so it stays the
 *   key of the account whatever happens to the names; the look-up uses it. Within Graph's 64.
 * - userPrincipalName `<vendor>_<first.last>_<8 hex of the contact id>@<domain>`: readable (who
 *   and for which vendor) and unique (two John Smiths of one vendor differ by their id). ASCII only,
 *   within the UPN rules of Entra's "Password policies and account restrictions" page: at most 64
 *   characters before the @ (20 + 1 + 30 + 1 + 8 = 60), 48 after it (the domain setting's limit),
 *   113 in all, and no period immediately before the @ (the alias ends in hex digits). The
 *   characters are a subset of those Graph's user resource allows in an alias (A–Z a–z 0–9 ' . - _
 *   ! # ^ ~): lower-case letters, digits, '.', '-'.
 *
 * The UPN is used when the account is created and never changed afterwards (it is the person's
 * sign-in name; renaming it under them would lock them out of what they saved), so a later change
 * of the names does not move it.
 */
import { cutToLength } from './text.js';

export const NICKNAME_PREFIX = 'vr-';

/**
 * Latin letters that NFKD does not decompose (their stroke or shape is part of the letter, not a
 * combining mark), with the ASCII a reader expects; without this they would split a name in two
 * ("Đorđević" → "or.evic"). Applied after lower-casing, so one entry covers both cases.
 */
const UNDECOMPOSED: Readonly<Record<string, string>> = { ß: 'ss', æ: 'ae', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', œ: 'oe', ħ: 'h', ŧ: 't', ı: 'i' };

/** Latin letters with their accents folded off, the rest dropped; runs of other characters become one `sep`. */
export function slug(value: string, max: number, sep: string): string {
  const folded = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[ßæøłđðþœħŧı]/g, (ch) => UNDECOMPOSED[ch] ?? ch);
  const words = folded.split(/[^a-z0-9]+/).filter((w) => w !== '');
  let out = '';
  for (const w of words) {
    const next = out === '' ? w : `${out}${sep}${w}`;
    if (next.length > max) {
      if (out === '') out = w.slice(0, max);
      break;
    }
    out = next;
  }
  return out;
}

const hex = (contactId: string): string => contactId.toLowerCase().replace(/[^0-9a-f]/g, '');

export function mailNicknameFor(contactId: string): string {
  return `${NICKNAME_PREFIX}${hex(contactId)}`;
}

/**
 * `vendor` is the vendor account's name, `first`/`last` the contact's (already cleaned), `fallback`
 * the display name when first and last give no ASCII letter or digit. Empty parts fall back to
 * "vendor" and "technician".
 */
export function userPrincipalNameFor(contactId: string, vendor: string, first: string | null, last: string | null, fallback: string, domain: string): string {
  // A name with no Latin letter at all (李 小龍) gives nothing: then the display name, which may
  // carry a romanised form ("Li Xiaolong"), and only then "technician".
  const person = slug([first, last].filter((p): p is string => !!p).join(' '), 30, '.') || slug(fallback, 30, '.') || 'technician';
  const company = slug(vendor, 20, '-') || 'vendor';
  const id = hex(contactId).slice(0, 8);
  return `${company}_${person}_${id}@${domain}`;
}

/**
 * The vendor segment value: the account's name, its visible form, cut to the property's limit. A cut
 * can end on a space; it is trimmed again, since the value is what an administrator copies into
 * an information-barrier segment filter, where a trailing space would not be seen.
 */
export function segmentValueOf(vendorName: string, limit: number): string {
  return cutToLength(vendorName.trim(), limit).trimEnd();
}
