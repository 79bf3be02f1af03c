/** Country → ISO 3166-1 alpha-2 (usageLocation). Source: ISO 3166-1 code list. */
import { describe, expect, it } from 'vitest';
import { knownCountryCodes, toCountryCode } from '../../../reconcilers/technicians/country.js';

describe('toCountryCode', () => {
  const cases: { reason: string; input: string | null; want: string | null }[] = [
    { reason: 'a two-letter code in any case', input: 'de', want: 'DE' },
    { reason: 'a three-letter code', input: 'GBR', want: 'GB' },
    { reason: 'an English name', input: 'Netherlands', want: 'NL' },
    { reason: 'a common variant', input: 'Holland', want: 'NL' },
    { reason: 'USA and United States of America', input: 'United States of America', want: 'US' },
    { reason: 'dotted abbreviations', input: 'U.S.A.', want: 'US' },
    { reason: 'UK is not an ISO code but means GB', input: 'UK', want: 'GB' },
    { reason: 'parts of the UK', input: 'Scotland', want: 'GB' },
    { reason: 'accents and apostrophes do not matter', input: "cote d'ivoire", want: 'CI' },
    { reason: 'the ISO "Name, qualifier" form', input: 'Korea, Republic of', want: 'KR' },
    { reason: 'a leading "The"', input: 'The Bahamas', want: 'BS' },
    { reason: '"&" for "and"', input: 'Trinidad & Tobago', want: 'TT' },
    { reason: 'new and old names', input: 'Turkey', want: 'TR' },
    { reason: 'surrounding spaces', input: '  France ', want: 'FR' },
    { reason: 'an unassigned two-letter code', input: 'XX', want: null },
    { reason: 'an unknown name', input: 'Narnia', want: null },
    { reason: 'empty', input: '   ', want: null },
    { reason: 'null', input: null, want: null },
  ];
  for (const tc of cases) {
    it(`${tc.reason}: ${JSON.stringify(tc.input)} → ${tc.want}`, () => expect(toCountryCode(tc.input)).toBe(tc.want));
  }
  it('knows all 249 ISO 3166-1 entries, each mapping to itself', () => {
    const codes = knownCountryCodes();
    expect(codes).toHaveLength(249);
    for (const code of codes) expect(toCountryCode(code)).toBe(code);
  });
});
