/**
 * Email addresses, the key a contact is matched by before it has an anchor, and the address its
 * guest is invited with (issue 9, item 6). Vendor admins type them, so anything can arrive: the
 * one function here turns any string into either the canonical address or a reason it cannot be
 * used, and never throws. Every comparison of addresses (contacts with each other, contacts with
 * the users' mail, otherMails and UPN) goes through it, so "the same address" means the same thing
 * everywhere.
 *
 * Canonical: trimmed of white space, Unicode NFC, case-folded code point by code point (the
 * upper-case form's lower case, so "ΟΔΟΣ", "οδος" and "οδοσ" are one address, as a case-insensitive
 * ordinal comparison sees them), then NFC again. For the ASCII addresses almost every vendor uses,
 * that is plain lower case.
 *
 * Refused (the contact gets EMAIL_INVALID, nothing is sent for it, the run goes on):
 * - lone UTF-16 surrogates: not text, and percent-encoding them throws (the look-up before
 *   inviting did, and stopped whole runs);
 * - invisible characters anywhere, even at the edges (Cc, Cf such as U+200B/U+200D/U+FEFF/U+2060,
 *   bidi marks and overrides, soft hyphen; private use, unassigned, line and paragraph separators,
 *   Default_Ignorable_Code_Point): the address would differ from the one the technician reads;
 * - a domain that is not ASCII. Graph's user resource (Learn, "user resource type", `mail`): "This
 *   property can't contain accent characters", and an invited guest's mail is the invited address.
 *   The product does not convert it silently (a look-alike domain would become a different,
 *   unreadable xn-- domain nobody checked); the message gives the ASCII (punycode) form computed
 *   with node:url's domainToASCII, for the vendor admin to enter if it is right.
 * Letters with accents before the "@" stay valid (issue 5's corpus: EAI mailboxes exist); only
 * letters, marks and digits beyond ASCII are accepted there.
 */
import { domainToASCII } from 'node:url';
import { codePointName, visible } from './text.js';

export type EmailResult =
  | { kind: 'empty' }
  | { kind: 'valid'; email: string }
  /** `problem` completes "… is not valid: <problem>."; `fix` is what the vendor admin should enter. */
  | { kind: 'invalid'; problem: string; fix: string };

/** The generic fix; an EMAIL_INVALID action is `${fix}; the next run picks it up.` */
export const CORRECT_EMAIL = 'Correct the email address (emailaddress1) on the contact';
const RETYPE =
  'Type the email address again by hand in emailaddress1 on the contact (text copied from a web page or a document can carry invisible characters)';

const EDGE_SPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;
const LONE_SURROGATE = /\p{Cs}/u;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * The canonical form of an email address, or why it cannot be used. Never throws, for any string.
 * A `valid` email is well-formed UTF-16 (encodeURIComponent accepts it), NFC, equal to its own
 * lower case and to its own case folding, holds no invisible character, and has an ASCII domain.
 * null, undefined, "" and white space only are `empty`.
 */
export function normaliseEmail(raw: string | null | undefined): EmailResult {
  if (typeof raw !== 'string') return { kind: 'empty' };
  const trimmed = raw.replace(EDGE_SPACE, '');
  if (trimmed === '') return { kind: 'empty' };
  // Almost every address is printable ASCII: nothing to compose, fold beyond ASCII, or hide.
  if (VISIBLE_ASCII.test(trimmed)) {
    const email = trimmed.toLowerCase();
    const problem = emailProblem(email);
    return problem ? { kind: 'invalid', ...problem } : { kind: 'valid', email };
  }
  const lone = LONE_SURROGATE.exec(trimmed);
  if (lone) {
    return { kind: 'invalid', problem: `it contains a broken character (${codePointName(lone[0])}, half of a UTF-16 surrogate pair) ${where(trimmed, lone.index)}`, fix: RETYPE };
  }
  const hidden = INVISIBLE.exec(trimmed);
  if (hidden) {
    return { kind: 'invalid', problem: `it contains an invisible character (${codePointName(hidden[0])}) ${where(trimmed, hidden.index)}`, fix: RETYPE };
  }
  const email = canonical(trimmed);
  if (email === null) return { kind: 'invalid', problem: 'its upper- and lower-case forms are not one address', fix: CORRECT_EMAIL };
  const problem = emailProblem(email);
  return problem ? { kind: 'invalid', ...problem } : { kind: 'valid', email };
}

/** The canonical address, or null when `raw` is empty or not a usable address: the key to compare users' mail, otherMails and UPN by. */
export function emailKey(raw: string | null | undefined): string | null {
  const result = normaliseEmail(raw);
  return result.kind === 'valid' ? result.email : null;
}

function where(text: string, index: number): string {
  if (index === 0) return 'at the start';
  return `after "${visible(Array.from(text.slice(0, index)).slice(-24).join(''))}"`;
}

/** One code point (a BMP character or a whole surrogate pair)? */
const isOneCodePoint = (text: string): boolean => text.length === 1 || (text.length === 2 && (text.codePointAt(0) ?? 0) > 0xffff);

/**
 * Simple case folding, one code point at a time and without context: the lower case of the upper
 * case, unless either is more than one code point (ß stays ß: "ss" would be another mailbox).
 */
function foldCase(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) {
    const upper = ch.toUpperCase();
    const folded = isOneCodePoint(upper) ? upper.toLowerCase() : ch.toLowerCase();
    out += isOneCodePoint(folded) ? folded : ch.toLowerCase();
  }
  return out;
}

/** NFC and folded until stable (twice at most in practice); null if it does not settle. */
function canonical(text: string): string | null {
  let email = text.normalize('NFC');
  for (let round = 0; round < 4; round += 1) {
    const next = foldCase(email).normalize('NFC');
    if (next === email && email.toLowerCase() === email) return email;
    email = next;
  }
  return null;
}

interface EmailProblem {
  problem: string;
  fix: string;
}

function bad(problem: string, fix = CORRECT_EMAIL): EmailProblem {
  return { problem, fix };
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const utf8Length = (text: string): number => (PRINTABLE_ASCII.test(text) ? text.length : Buffer.byteLength(text, 'utf8'));

function domainProblem(domain: string): string | null {
  const labels = domain.split('.');
  if (labels.length < 2) return `the domain "${domain}" has no dot`;
  if (!labels.every((l) => LABEL.test(l))) return `the domain "${domain}" is not a valid domain name`;
  if (!TLD.test(labels[labels.length - 1]!)) return `the domain "${domain}" does not end in a valid top-level domain`;
  return null;
}

/**
 * Why a canonical address (normaliseEmail's form) cannot be invited, or null. Apostrophes, "+",
 * and letters with accents before the "@" are valid; lengths are RFC 5321's, in UTF-8 octets.
 */
export function emailProblem(email: string): EmailProblem | null {
  if (utf8Length(email) > 254) return bad('it is longer than 254 characters');
  const at = email.lastIndexOf('@');
  if (at < 0) return bad(/[\uff20\ufe6b]/u.test(email) ? 'it has a full-width "＠" instead of "@"' : 'it has no "@"');
  if (email.indexOf('@') !== at) return bad('it has more than one "@"');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local === '') return bad('nothing comes before the "@"');
  if (utf8Length(local) > 64) return bad('the part before the "@" is longer than 64 characters');
  if (/[\s"(),:;<>@[\]\\]/u.test(local)) {
    return bad('the part before the "@" contains a space or one of " ( ) , : ; < > @ [ ] \\');
  }
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return bad('the part before the "@" starts or ends with a dot, or has two dots in a row');
  }
  const odd = /[^\x21-\x7e\p{L}\p{M}\p{Nd}]|^\p{M}/u.exec(local);
  if (odd) return bad(`the part before the "@" contains "${visible(odd[0])}" (${codePointName(odd[0])}), which an email address cannot hold there`);
  // Controls were refused before, so anything outside printable ASCII here is a non-ASCII letter or symbol.
  if (/[^ -~]/u.test(domain)) {
    const ascii = domainToASCII(domain);
    const fix =
      ascii !== '' && domainProblem(ascii) === null
        ? `If the domain is right, enter it in its ASCII form: ${visible(local, 64)}@${ascii} in emailaddress1 on the contact`
        : 'Enter the address with its domain in ASCII letters (a-z, 0-9, "-" and dots), as the technician\'s mail provider writes it, in emailaddress1 on the contact';
    return bad(`the domain "${domain}" is not written in ASCII, and Entra keeps email addresses without accents`, fix);
  }
  const problem = domainProblem(domain);
  return problem ? bad(problem) : null;
}
