/**
 * reconcilers/technicians/service-account-name.ts: the service account's deterministic names
 * (issue 12). The UPN rules asserted here are the simulator's for POST /users
 * (packages/tenant-sim/src/graph/user-create.ts, from Entra's "Password policies and account
 * restrictions"): alias of A–Z a–z 0–9 ' . - _ ! # ^ ~, at most 64 characters before the @, 48
 * after, 113 in all, no '.' right before the @. They are restated, not imported: lint keeps tests
 * out of tenant-sim's internals (eslint.config.js).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NICKNAME_PREFIX, mailNicknameFor, segmentValueOf, slug, userPrincipalNameFor } from '../../../reconcilers/technicians/service-account-name.js';

const ID = '3F2504E0-4F89-11D3-9A0C-0305E82C3301';
const DOMAIN = 'contoso.com';
/** 48 characters, the longest domain SERVICE_ACCOUNT_DOMAIN accepts. */
const LONG_DOMAIN = `${'d'.repeat(40)}.example`;

/** The product's own shape: starts and ends (before @) with a letter or digit, no '.' before '@' or next to '_'. */
const PRODUCT_SHAPE = /^[a-z0-9][a-z0-9._-]*[a-z0-9]@/;
/** user-create.ts UPN_ALIAS. */
const SIM_ALIAS = /^[A-Za-z0-9'.\-_!#^~]+$/;

function assertUpnRules(upn: string, domain: string): void {
  const at = upn.lastIndexOf('@');
  const alias = upn.slice(0, at);
  expect(upn).toMatch(PRODUCT_SHAPE);
  expect(upn.slice(at + 1)).toBe(domain);
  expect(alias).toMatch(SIM_ALIAS);
  expect(alias.endsWith('.')).toBe(false);
  expect(alias).not.toMatch(/\._|_\.|\.\.|\.$/);
  expect(alias.length).toBeLessThanOrEqual(64);
  expect(domain.length).toBeLessThanOrEqual(48);
  expect(upn.length).toBeLessThanOrEqual(113);
  expect(upn).toMatch(/^[\x21-\x7e]+$/);
}

describe('mailNicknameFor', () => {
  const cases = [
    { reason: 'a GUID loses its dashes and its case: vr- and 32 hex digits', id: ID, want: 'vr-3f2504e04f8911d39a0c0305e82c3301' },
    { reason: 'the same GUID in lower case gives the same nickname (the look-up key must not depend on case)', id: ID.toLowerCase(), want: 'vr-3f2504e04f8911d39a0c0305e82c3301' },
    { reason: 'braces around the GUID are dropped', id: `{${ID}}`, want: 'vr-3f2504e04f8911d39a0c0305e82c3301' },
  ];
  for (const tc of cases) it(tc.reason, () => expect(mailNicknameFor(tc.id)).toBe(tc.want));

  it('is within Graph\'s 64 characters and the simulator\'s mail alias characters', () => {
    const nick = mailNicknameFor(ID);
    expect(nick.startsWith(NICKNAME_PREFIX)).toBe(true);
    expect(nick).toHaveLength(35);
    expect(nick).toMatch(/^[\x21-\x7e]+$/);
    expect(nick).not.toMatch(/[@()\\[\]";:<>,]/);
  });
});

describe('slug', () => {
  const cases = [
    { reason: 'diaeresis folded', value: 'Zoë', max: 30, sep: '.', want: 'zoe' },
    { reason: 'acute accent and tilde folded', value: 'José Núñez', max: 30, sep: '.', want: 'jose.nunez' },
    { reason: 'Polish ł has no decomposition: mapped by hand; Ż and ó decompose', value: 'Łukasz Żółć', max: 30, sep: '.', want: 'lukasz.zolc' },
    { reason: 'æ and ø are mapped by hand', value: 'Æsa Ørsted', max: 30, sep: '.', want: 'aesa.orsted' },
    { reason: 'ß becomes ss', value: 'Strauß', max: 30, sep: '.', want: 'strauss' },
    { reason: 'Croatian đ has no decomposition: mapped by hand, not a word break', value: 'Đorđević', max: 30, sep: '.', want: 'dordevic' },
    { reason: 'Turkish dotless ı is an i, İ decomposes', value: 'Yıldız İnce', max: 30, sep: '.', want: 'yildiz.ince' },
    { reason: 'Icelandic þ and ð are th and d', value: 'Þórður', max: 30, sep: '.', want: 'thordur' },
    { reason: 'œ and ħ are mapped by hand', value: 'Œuvre Ħal', max: 30, sep: '-', want: 'oeuvre-hal' },
    { reason: 'capital sharp s (ẞ) is ss like ß', value: 'STRAẞE', max: 30, sep: '.', want: 'strasse' },
    { reason: 'full-width letters and ligatures fold through NFKD', value: 'Ｚｏｅ ﬁnn', max: 30, sep: '-', want: 'zoe-finn' },
    { reason: 'only symbols: nothing', value: '!!! ??? ***', max: 30, sep: '.', want: '' },
    { reason: 'only emoji: nothing', value: '🔧🛠️ 👷', max: 30, sep: '.', want: '' },
    { reason: 'a run of other characters becomes one separator, none at either end', value: '  --Ana   Maria--  ', max: 30, sep: '.', want: 'ana.maria' },
    { reason: 'whole words only: the word that would pass the limit is left out', value: 'International Business Machines', max: 20, sep: '-', want: 'international' },
    { reason: 'a first word longer than the limit is cut to it', value: 'Supercalifragilisticexpialidocious Ltd', max: 20, sep: '-', want: 'supercalifragilistic' },
    { reason: 'a word exactly at the limit is kept whole', value: `${'a'.repeat(20)} b`, max: 20, sep: '-', want: 'a'.repeat(20) },
    { reason: "'@' and '#EXT#' are separators, never kept", value: 'a@b#EXT#', max: 30, sep: '.', want: 'a.b.ext' },
    { reason: 'quotes, dots at the end and control characters are separators', value: '"O\'Brien"\u0000\u0007Jr...', max: 30, sep: '.', want: 'o.brien.jr' },
    { reason: 'an RTL override is dropped with the rest of the non-letters', value: '\u202Eevil\u202C name', max: 30, sep: '.', want: 'evil.name' },
  ];
  for (const tc of cases) it(tc.reason, () => expect(slug(tc.value, tc.max, tc.sep)).toBe(tc.want));
});

describe('userPrincipalNameFor', () => {
  const cases: { reason: string; vendor: string; first: string | null; last: string | null; fallback: string; domain?: string; want: string }[] = [
    { reason: 'vendor with a dash between words, person first.last, 8 hex of the id', vendor: 'Fabrikam Services', first: 'Zoë', last: 'Müller', fallback: 'Zoë Müller', want: 'fabrikam-services_zoe.muller_3f2504e0@contoso.com' },
    { reason: 'accents of José folded', vendor: 'Fabrikam', first: 'José', last: 'García', fallback: 'x', want: 'fabrikam_jose.garcia_3f2504e0@contoso.com' },
    { reason: 'Łukasz folded by hand', vendor: 'Fabrikam', first: 'Łukasz', last: 'Nowak', fallback: 'x', want: 'fabrikam_lukasz.nowak_3f2504e0@contoso.com' },
    { reason: 'Æ and ß folded in person and vendor', vendor: 'Ærø Straße', first: 'Æsa', last: 'Weiß', fallback: 'x', want: 'aero-strasse_aesa.weiss_3f2504e0@contoso.com' },
    { reason: 'only a last name: it alone', vendor: 'Fabrikam', first: null, last: 'Silva', fallback: 'Ana Silva', want: 'fabrikam_silva_3f2504e0@contoso.com' },
    { reason: 'no first nor last name: the display name', vendor: 'Fabrikam', first: null, last: null, fallback: 'Zoë Example', want: 'fabrikam_zoe.example_3f2504e0@contoso.com' },
    { reason: 'no name at all: technician', vendor: 'Fabrikam', first: null, last: null, fallback: '', want: 'fabrikam_technician_3f2504e0@contoso.com' },
    { reason: 'first and last name with no Latin letter: the display name when it has some', vendor: 'Fabrikam', first: '李', last: '小龍', fallback: 'Li Xiaolong', want: 'fabrikam_li.xiaolong_3f2504e0@contoso.com' },
    { reason: 'names of emoji only: technician (nothing to read in ASCII)', vendor: 'Fabrikam', first: '🔧', last: '🛠️', fallback: '👷', want: 'fabrikam_technician_3f2504e0@contoso.com' },
    { reason: 'a vendor name of symbols only: vendor', vendor: '@#$%', first: 'Ana', last: 'Silva', fallback: 'Ana Silva', want: 'vendor_ana.silva_3f2504e0@contoso.com' },
    { reason: 'an empty vendor name: vendor', vendor: '', first: 'Ana', last: 'Silva', fallback: 'Ana Silva', want: 'vendor_ana.silva_3f2504e0@contoso.com' },
    { reason: "a hostile '@' and '#EXT#' in the names never reach the UPN as such", vendor: 'evil@contoso.com', first: 'x#EXT#', last: '@admin', fallback: 'x', want: 'evil-contoso-com_x.ext.admin_3f2504e0@contoso.com' },
    { reason: 'quotes and trailing dots are dropped: no period before the separator', vendor: '"Quote\'s" Ltd.', first: 'Ana.', last: 'Silva...', fallback: 'x', want: 'quote-s-ltd_ana.silva_3f2504e0@contoso.com' },
    { reason: 'control characters and an RTL override are dropped', vendor: 'Fab\u0000rikam', first: '\u202EAna', last: 'Sil\u0007va', fallback: 'x', want: 'fab-rikam_ana.sil.va_3f2504e0@contoso.com' },
    {
      reason: 'very long vendor and person names: 20 + 30 characters, whole words, 60 before the @ with a 48-character domain',
      vendor: 'The International Consolidated Field Service Contractors Holding',
      first: 'Maximilian Alexander',
      last: 'von Habsburg-Lothringen',
      fallback: 'x',
      domain: LONG_DOMAIN,
      want: `the-international_maximilian.alexander.von_3f2504e0@${LONG_DOMAIN}`,
    },
    {
      reason: 'single words longer than the limits are cut: the longest alias the product makes (20 + 1 + 30 + 1 + 8 = 60)',
      vendor: 'v'.repeat(200),
      first: 'p'.repeat(300),
      last: null,
      fallback: 'x',
      domain: LONG_DOMAIN,
      want: `${'v'.repeat(20)}_${'p'.repeat(30)}_3f2504e0@${LONG_DOMAIN}`,
    },
  ];
  for (const tc of cases) {
    it(tc.reason, () => {
      const domain = tc.domain ?? DOMAIN;
      const upn = userPrincipalNameFor(ID, tc.vendor, tc.first, tc.last, tc.fallback, domain);
      expect(upn).toBe(tc.want);
      assertUpnRules(upn, domain);
    });
  }

  it('the longest UPN is 60 + 1 + 48 = 109 characters, under the 113 limit', () => {
    const upn = userPrincipalNameFor(ID, 'v'.repeat(200), 'p'.repeat(300), 'q'.repeat(300), 'x', LONG_DOMAIN);
    expect(upn.indexOf('@')).toBe(60);
    expect(upn).toHaveLength(109);
  });

  it('two people of one vendor with the same name differ by their contact id', () => {
    const a = userPrincipalNameFor('11111111-0000-4000-8000-000000000000', 'Fabrikam', 'John', 'Smith', 'John Smith', DOMAIN);
    const b = userPrincipalNameFor('22222222-0000-4000-8000-000000000000', 'Fabrikam', 'John', 'Smith', 'John Smith', DOMAIN);
    expect([a, b]).toEqual(['fabrikam_john.smith_11111111@contoso.com', 'fabrikam_john.smith_22222222@contoso.com']);
  });

  it('property: for any unicode names and vendor, the UPN keeps the rules and is the same every time', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ maxLength: 80 }));
    fc.assert(
      fc.property(
        fc.uuid(),
        text,
        fc.option(text, { nil: null }),
        fc.option(text, { nil: null }),
        text,
        fc.constantFrom(DOMAIN, LONG_DOMAIN, 'a.io'),
        (id, vendor, first, last, fallback, domain) => {
          const upn = userPrincipalNameFor(id, vendor, first, last, fallback, domain);
          assertUpnRules(upn, domain);
          expect(userPrincipalNameFor(id.toUpperCase(), vendor, first, last, fallback, domain)).toBe(upn);
          expect(upn.slice(upn.lastIndexOf('_') + 1, upn.indexOf('@'))).toBe(id.replace(/-/g, '').slice(0, 8).toLowerCase());
          expect(mailNicknameFor(id)).toBe(`vr-${id.replace(/-/g, '').toLowerCase()}`);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('segmentValueOf', () => {
  const cases = [
    { reason: 'the vendor name as it is when it fits', name: 'Fabrikam Services', limit: 64, want: 'Fabrikam Services' },
    { reason: 'spaces around the name are trimmed', name: '  Fabrikam  ', limit: 64, want: 'Fabrikam' },
    { reason: "cut to companyName's 64 characters", name: 'F'.repeat(100), limit: 64, want: 'F'.repeat(64) },
    { reason: 'an extension attribute takes 1,024 characters', name: 'E'.repeat(2000), limit: 1024, want: 'E'.repeat(1024) },
    { reason: 'a cut that ends on a space drops it: the value an admin copies into a segment filter has no invisible end', name: `${'F'.repeat(63)} Services`, limit: 64, want: 'F'.repeat(63) },
    { reason: 'accents kept: the segment is the visible name, not a slug', name: 'Zoë & Søn', limit: 64, want: 'Zoë & Søn' },
  ];
  for (const tc of cases) it(tc.reason, () => expect(segmentValueOf(tc.name, tc.limit)).toBe(tc.want));
});
