/**
 * Properties of the trust boundary's input hygiene (issue 9, item 6), for any string a vendor admin
 * could type (lone surrogates, controls, escapes, invisible and bidi characters, decomposed accents,
 * Greek, full-width forms, any code point):
 * - normaliseEmail never throws; a valid address is accepted by encodeURIComponent, is NFC, lower
 *   case, free of invisible characters, has an ASCII domain, and is its own canonical form;
 * - names after cleaning hold no control, escape, bidi override or lone surrogate, and cleaning
 *   twice changes nothing;
 * - computeDesired never throws, and whatever it sends (names, resource name) or writes back
 *   (error and warning texts) is well-formed text within Entra's and Dataverse's limits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDesired, NAME_LIMITS, type DesiredLookups } from '../../reconcilers/technicians/desired.js';
import { emailKey, normaliseEmail } from '../../reconcilers/technicians/email.js';
import { cleanName } from '../../reconcilers/technicians/text.js';
import { contactRow, testSettings } from '../support/model.js';

/** Pieces an attacker or a careless copy-paste would use, among ordinary address characters. */
const PIECES = [
  'a', 'Z', '0', '.', '-', '_', '+', "'", '@', '@', ' ', '\t', 'é', 'e\u0301', 'É', 'ß', 'Σ', 'ς', 'σ', '\u212a', 'İ', 'ǅ',
  '\ud800', '\udc00', '\u{1F600}', '\u200b', '\u200d', '\ufeff', '\u2060', '\u200e', '\u202e', '\u2066', '\u00ad', '\u0000',
  '\u0007', '\u001b', '\u001b[31m', '\u001b]8;;x\u0007', '\u009b', '\u009d', '\u0085', '\u2028', '\u00a0', '＠', 'ｖ', '。',
  '\u3164', '\u034f', '\u{e0041}', '\ue000', 'ü', 'xn--', 'vendor', 'example', 'com', '\u0301',
];
const piece = fc.constantFrom(...PIECES);
const pieces = (max: number): fc.Arbitrary<string> => fc.array(piece, { maxLength: max }).map((p) => p.join(''));
/** Any UTF-16 code units, lone surrogates included (fast-check's strings are well-formed). */
const codeUnits = (max: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: max }).map((units) => String.fromCharCode(...units));
/** Mostly address-shaped strings (so valid addresses come up often), plus any string at all. */
const anyEmail = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(pieces(8), pieces(4)).map(([local, domain]) => `${local}@${domain}vendor.example`) },
  { weight: 2, arbitrary: fc.tuple(fc.stringMatching(/^[a-zA-Z0-9.+'_-]{1,12}$/), fc.constantFrom('vendor.example', 'VENDOR.Example', 'xn--mnchen-3ya.de')).map(([l, d]) => `${l}@${d}`) },
  { weight: 2, arbitrary: pieces(16) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: codeUnits(40) },
  { weight: 1, arbitrary: fc.tuple(codeUnits(6), codeUnits(3)).map(([local, domain]) => `${local}@${domain}vendor.example`) },
);
const anyText = fc.oneof(pieces(20), fc.string({ unit: 'binary', maxLength: 300 }), codeUnits(300), fc.constant(null));

const HOSTILE = /[\p{Cc}\p{Cs}\u202a-\u202e\u2066-\u2069]/u;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

describe('normaliseEmail for any string', () => {
  it('never throws; a valid address is encodable, NFC, lower case, visible, ASCII-domained and canonical', () => {
    fc.assert(
      fc.property(anyEmail, (raw) => {
        const out = normaliseEmail(raw);
        expect(['empty', 'valid', 'invalid']).toContain(out.kind);
        if (out.kind === 'invalid') {
          expect(out.problem).not.toMatch(/\p{Cs}/u);
          expect(() => encodeURIComponent(out.problem + out.fix)).not.toThrow();
          expect(emailKey(raw)).toBeNull();
          return;
        }
        if (out.kind === 'empty') return;
        const e = out.email;
        expect(() => encodeURIComponent(e)).not.toThrow();
        expect(e).toBe(e.normalize('NFC'));
        expect(e).toBe(e.toLowerCase());
        expect(e).not.toMatch(INVISIBLE);
        expect(e.slice(e.lastIndexOf('@') + 1)).toMatch(/^[a-z0-9.-]+$/);
        expect(normaliseEmail(e)).toEqual({ kind: 'valid', email: e });
        expect(emailKey(raw)).toBe(e);
      }),
      { numRuns: 3000 },
    );
  });

  it('spellings that differ only in Unicode normalisation have the same result', () => {
    fc.assert(
      fc.property(anyEmail, (raw) => {
        const out = normaliseEmail(raw);
        if (out.kind !== 'valid') return;
        expect(normaliseEmail(raw.normalize('NFD'))).toEqual(out);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('cleanName for any string', () => {
  it('leaves no control, escape, bidi override or lone surrogate, and cleaning again changes nothing', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const name = cleanName(raw);
        if (name === null) return;
        expect(name).not.toMatch(HOSTILE);
        expect(name).toBe(name.trim());
        expect(name).not.toBe('');
        expect(cleanName(name)).toBe(name);
      }),
      { numRuns: 3000 },
    );
  });
});

const lookups: DesiredLookups = { characteristics: new Map(), ratingValues: new Map(), ratingModelId: null };
const anyNumber = fc.oneof(fc.constant(null), fc.double(), fc.integer({ min: 690969999, max: 690970003 }), fc.double({ min: -200, max: 200 }));

describe('computeDesired for any contact text and numbers', () => {
  it('never throws; names sent and texts written back are well-formed, clean and within their limits', () => {
    fc.assert(
      fc.property(
        fc.record({ fullname: anyText, firstname: anyText, lastname: anyText, email: anyEmail, country: anyText }),
        fc.record({ rate: anyNumber, lat: anyNumber, lon: anyNumber, start: anyNumber }),
        fc.constantFrom(0, 1),
        (text, numbers, statecode) => {
          const contact = contactRow('c-1', {
            fullname: text.fullname, firstname: text.firstname, lastname: text.lastname, emailaddress1: text.email, address1_country: text.country,
            o25fs_hourlyrate: numbers.rate, address1_latitude: numbers.lat, address1_longitude: numbers.lon, o25fs_startlocation: numbers.start,
            statecode, o25fs_entraobjectid: statecode === 1 ? 'u-1' : null,
          });
          const out = computeDesired(contact, [], lookups, testSettings());
          const texts = out.ok ? out.warnings.flatMap((w) => [w.message, w.action]) : [out.error.message, out.error.action, out.displayName];
          for (const t of texts) expect(() => encodeURIComponent(t)).not.toThrow();
          if (!out.ok) return;
          const { user, bookableResource } = out.desired;
          for (const name of [user.displayName, user.givenName ?? '', user.surname ?? '', bookableResource.fields.name]) {
            expect(name).not.toMatch(HOSTILE);
          }
          expect(bookableResource.fields.name.length).toBeLessThanOrEqual(NAME_LIMITS.bookableResourceName);
          if (out.desired.intent === 'provision') {
            const rate = bookableResource.fields.msdyn_hourlyrate;
            if (rate !== null) expect(rate >= 0 && rate <= 1_000_000_000).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
