/**
 * normaliseEmail / emailKey (reconcilers/technicians/email.ts): the one canonical form every email comparison
 * uses, and the reasons an address is refused (issue 9, item 6). An invited guest's mail is the
 * invited address, and Graph's user resource says of `mail`: "This property can't contain accent
 * characters" (Learn: "user resource type"), hence ASCII domains only.
 */
import { describe, expect, it } from 'vitest';
import { emailKey, normaliseEmail } from '../../../reconcilers/technicians/email.js';

describe('normaliseEmail: canonical forms', () => {
  const valid = [
    { reason: 'ASCII upper case is lower-cased and white space around trimmed', raw: ' \t Ana.Silva@Vendor.EXAMPLE \n', want: 'ana.silva@vendor.example' },
    { reason: 'a no-break space around the address is white space, trimmed', raw: '\u00a0ana@vendor.example\u3000', want: 'ana@vendor.example' },
    { reason: 'apostrophe and plus are kept', raw: "O'Brien+fs@vendor.example", want: "o'brien+fs@vendor.example" },
    { reason: 'a decomposed é (e + U+0301) is composed (NFC)', raw: 'jose\u0301@vendor.example', want: 'jos\u00e9@vendor.example' },
    { reason: 'an upper-case decomposed É is composed and lower-cased', raw: 'JOSE\u0301@vendor.example', want: 'jos\u00e9@vendor.example' },
    { reason: 'Greek capital sigma and final sigma fold to one σ', raw: 'ΟΔΟΣ@vendor.example', want: 'οδοσ@vendor.example' },
    { reason: 'final sigma ς folds to σ like its capital does', raw: 'οδος@vendor.example', want: 'οδοσ@vendor.example' },
    { reason: 'the Kelvin sign folds to an ASCII k', raw: '\u212aate@vendor.example', want: 'kate@vendor.example' },
    { reason: 'ß keeps its length (simple folding: never rewritten to "ss", another mailbox)', raw: 'STRAßE@vendor.example', want: 'straße@vendor.example' },
    { reason: 'a titlecase digraph (ǅ) folds to its small form', raw: '\u01c5ana@vendor.example', want: '\u01c6ana@vendor.example' },
    { reason: 'a punycode (xn--) domain is ASCII and valid', raw: 'ana@XN--MNCHEN-3YA.de', want: 'ana@xn--mnchen-3ya.de' },
    { reason: 'a punycode top-level domain is valid', raw: 'ana@vendor.xn--p1ai', want: 'ana@vendor.xn--p1ai' },
  ];
  for (const tc of valid) {
    it(tc.reason, () => {
      expect(normaliseEmail(tc.raw)).toEqual({ kind: 'valid', email: tc.want });
      expect(emailKey(tc.raw)).toBe(tc.want);
    });
  }

  it('two spellings that differ only in normalisation and case have one key', () => {
    expect(emailKey('Zoe\u0308.\u00c5berg@Vendor.example')).toBe(emailKey('zo\u00eb.a\u030aberg@vendor.example'));
  });

  it.each([
    { reason: 'null', raw: null },
    { reason: 'undefined', raw: undefined },
    { reason: 'the empty string', raw: '' },
    { reason: 'white space only, of any kind', raw: ' \t\u00a0\u2003\n' },
  ])('$reason is empty, not invalid', ({ raw }) => {
    expect(normaliseEmail(raw)).toEqual({ kind: 'empty' });
    expect(emailKey(raw)).toBeNull();
  });
});

describe('normaliseEmail: refused', () => {
  const invalid = [
    { reason: 'a lone high surrogate (the look-up before inviting used to throw on it)', raw: 'ana\ud800@vendor.example', says: 'a broken character (U+D800, half of a UTF-16 surrogate pair) after "ana"' },
    { reason: 'a lone low surrogate in the domain', raw: 'ana@vendor\udc00.example', says: 'a broken character (U+DC00' },
    { reason: 'a surrogate pair in the wrong order', raw: 'ana\udc00\ud800@vendor.example', says: 'a broken character (U+DC00' },
    { reason: 'a zero-width space', raw: 'ana\u200b@vendor.example', says: 'an invisible character (U+200B) after "ana"' },
    { reason: 'a zero-width joiner', raw: 'an\u200da@vendor.example', says: 'an invisible character (U+200D) after "an"' },
    { reason: 'a byte order mark at the start, not trimmed as String.trim would', raw: '\ufeffana@vendor.example', says: 'an invisible character (U+FEFF) at the start' },
    { reason: 'a word joiner', raw: 'ana@vendor\u2060.example', says: 'an invisible character (U+2060)' },
    { reason: 'a left-to-right mark', raw: 'ana\u200e@vendor.example', says: 'an invisible character (U+200E)' },
    { reason: 'a right-to-left override', raw: '\u202emoc.rodnev@ana', says: 'an invisible character (U+202E) at the start' },
    { reason: 'a soft hyphen', raw: 'an\u00ada@vendor.example', says: 'an invisible character (U+00AD)' },
    { reason: 'a combining grapheme joiner (a mark, but default-ignorable)', raw: 'an\u034fa@vendor.example', says: 'an invisible character (U+034F)' },
    { reason: 'a Hangul filler (a letter, but default-ignorable)', raw: 'ana\u3164@vendor.example', says: 'an invisible character (U+3164)' },
    { reason: 'a tag character (invisible "ASCII smuggling")', raw: 'ana\u{e0041}@vendor.example', says: 'an invisible character (U+E0041)' },
    { reason: 'a C0 control (BEL)', raw: 'ana\u0007@vendor.example', says: 'an invisible character (U+0007)' },
    { reason: 'a C1 control (NEL)', raw: 'ana\u0085x@vendor.example', says: 'an invisible character (U+0085)' },
    { reason: 'an escape sequence', raw: '\u001b[31mana@vendor.example', says: 'an invisible character (U+001B) at the start' },
    { reason: 'a line separator inside', raw: 'ana\u2028x@vendor.example', says: 'an invisible character (U+2028)' },
    { reason: 'a private-use character', raw: 'ana\ue000@vendor.example', says: 'an invisible character (U+E000)' },
    { reason: 'a no-break space inside', raw: 'ana\u00a0silva@vendor.example', says: 'contains a space' },
    { reason: 'a full-width at sign', raw: 'ana\uff20vendor.example', says: 'a full-width "＠" instead of "@"' },
    { reason: 'a symbol before the @ (a circled digit)', raw: 'ana\u2460@vendor.example', says: '"①" (U+2460), which an email address cannot hold there' },
    { reason: 'an accent with no letter, at the start', raw: '\u0301ana@vendor.example', says: '(U+0301), which an email address cannot hold there' },
    { reason: 'an internationalised domain', raw: 'ana@münchen.de', says: 'the domain "münchen.de" is not written in ASCII' },
    { reason: 'a full-width domain', raw: 'ana@ｖｅｎｄｏｒ.example', says: 'is not written in ASCII' },
    { reason: 'an ASCII domain with a space', raw: 'ana@ven dor.example', says: 'the domain "ven dor.example" is not a valid domain name' },
    { reason: 'a local part over 64 UTF-8 octets (33 two-octet letters)', raw: `${'é'.repeat(33)}@vendor.example`, says: 'longer than 64 characters' },
    { reason: 'an address over 254 octets', raw: `ana@${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example`, says: 'longer than 254 characters' },
  ];
  for (const tc of invalid) {
    it(tc.reason, () => {
      const out = normaliseEmail(tc.raw);
      expect(out.kind).toBe('invalid');
      if (out.kind !== 'invalid') return;
      expect(out.problem).toContain(tc.says);
      expect(out.fix).toContain('emailaddress1');
      expect(emailKey(tc.raw)).toBeNull();
      // The reason quotes the vendor admin's text only in a visible form.
      expect(out.problem).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}]/u);
    });
  }

  it.each([
    { reason: 'münchen.de', raw: 'Ana@München.de', fix: 'If the domain is right, enter it in its ASCII form: ana@xn--mnchen-3ya.de in emailaddress1 on the contact' },
    { reason: 'full-width letters map to their ASCII form', raw: 'ana@ｖｅｎｄｏｒ.example', fix: 'If the domain is right, enter it in its ASCII form: ana@vendor.example in emailaddress1 on the contact' },
    { reason: 'an ideographic full stop maps to a dot', raw: 'ana@vendor\u3002example', fix: 'If the domain is right, enter it in its ASCII form: ana@vendor.example in emailaddress1 on the contact' },
  ])('an internationalised domain ($reason): the fix gives the ASCII form to enter', ({ raw, fix }) => {
    expect(normaliseEmail(raw)).toMatchObject({ kind: 'invalid', fix });
  });

  it('a domain with no valid ASCII form gets a fix that says what to type instead', () => {
    expect(normaliseEmail('ana@bü.x')).toMatchObject({ kind: 'invalid', fix: expect.stringContaining('in ASCII letters (a-z, 0-9, "-" and dots)') });
  });

  it('the invisible character is pointed at after the last 24 characters before it', () => {
    const out = normaliseEmail(`${'a'.repeat(40)}\u200b@vendor.example`);
    expect(out.kind === 'invalid' && out.problem).toBe(`it contains an invisible character (U+200B) after "${'a'.repeat(24)}"`);
  });
});
