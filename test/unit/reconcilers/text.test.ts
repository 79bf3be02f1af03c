/**
 * cleanName, cutToLength and visible (reconcilers/technicians/text.ts): what is removed from a vendor admin's
 * names before they reach Entra or Dataverse, and how their text is quoted in messages (issue 9,
 * item 6). Escape sequences are ECMA-48's (CSI, OSC and the other control strings, C1 forms).
 */
import { describe, expect, it } from 'vitest';
import { cleanName, codePointName, cutToLength, visible } from '../../../reconcilers/technicians/text.js';

describe('cleanName', () => {
  const cases = [
    { reason: 'an ordinary name is left alone', raw: 'Zoë Åberg', want: 'Zoë Åberg' },
    { reason: 'HTML is text (the report escapes it), not a control', raw: '<b>Ana</b>', want: '<b>Ana</b>' },
    { reason: 'white space around is trimmed', raw: '  Ana  ', want: 'Ana' },
    { reason: 'a CSI colour sequence is removed whole, not just its ESC', raw: 'Ana \u001b[1;31mSilva\u001b[0m', want: 'Ana Silva' },
    { reason: 'a CSI that clears the screen is removed', raw: '\u001b[2J\u001b[HAna', want: 'Ana' },
    { reason: 'the one-byte C1 CSI (U+009B) is removed with its parameters', raw: 'Ana\u009b31m Silva', want: 'Ana Silva' },
    { reason: 'an OSC 8 hyperlink ended by BEL keeps only its visible text', raw: '\u001b]8;;https://evil.example\u0007Ana\u001b]8;;\u0007', want: 'Ana' },
    { reason: 'an OSC window title ended by ST (ESC \\) is removed', raw: 'Ana\u001b]0;pwned\u001b\\ Silva', want: 'Ana Silva' },
    { reason: 'an OSC never terminated swallows the rest, as a terminal would', raw: 'Ana\u001b]0;pwned Silva', want: 'Ana' },
    { reason: 'a DCS string is removed', raw: 'Ana\u001bPq#0;2;0;0;0\u001b\\ Silva', want: 'Ana Silva' },
    { reason: 'a terminated C1 OSC (U+009D … U+009C) is removed', raw: 'Ana\u009d0;pwned\u009c Silva', want: 'Ana Silva' },
    { reason: 'a stray C1 character (mis-decoded text) is dropped alone, the name kept', raw: 'Ana\u009d Silva', want: 'Ana Silva' },
    { reason: 'a two-character escape (ESC c, reset) is removed', raw: '\u001bcAna', want: 'Ana' },
    { reason: 'a lone ESC at the end is removed', raw: 'Ana\u001b', want: 'Ana' },
    { reason: 'NUL, BEL, backspace and DEL are removed', raw: 'A\u0000n\u0007a\u0008\u007f', want: 'Ana' },
    { reason: 'a line break or tab becomes one space', raw: 'Ana\r\n\tSilva', want: 'Ana Silva' },
    { reason: 'a line separator becomes one space', raw: 'Ana\u2028Silva', want: 'Ana Silva' },
    { reason: 'a right-to-left override and its pop are removed', raw: 'Ana \u202eavlis\u202c', want: 'Ana avlis' },
    { reason: 'the embeddings and overrides U+202A-U+202E are removed', raw: '\u202aA\u202bn\u202ca\u202d\u202e', want: 'Ana' },
    { reason: 'the isolates U+2066-U+2069 are removed', raw: '\u2066A\u2067n\u2068a\u2069', want: 'Ana' },
    { reason: 'the bidi marks (LRM, RLM, ALM) stay: scripts need them and they reorder nothing', raw: 'Ana\u200e \u200fSilva\u061c', want: 'Ana\u200e \u200fSilva\u061c' },
    { reason: 'a zero-width joiner stays (emoji and Indic names use it)', raw: 'Ana \u{1F469}\u200d\u{1F527}', want: 'Ana \u{1F469}\u200d\u{1F527}' },
    { reason: 'a lone surrogate is removed', raw: 'An\ud800a', want: 'Ana' },
    { reason: 'a whole surrogate pair (an emoji) stays', raw: 'Ana \u{1F600}', want: 'Ana \u{1F600}' },
  ];
  for (const tc of cases) {
    it(tc.reason, () => {
      expect(cleanName(tc.raw)).toBe(tc.want);
    });
  }

  it.each([
    { reason: 'null', raw: null },
    { reason: 'only controls and escapes', raw: '\u001b[0m\u0000\u202e\t' },
    { reason: 'only spaces', raw: '   ' },
  ])('nothing left ($reason) is null, so the fallback rules apply', ({ raw }) => {
    expect(cleanName(raw)).toBeNull();
  });
});

describe('cutToLength', () => {
  const cases = [
    { reason: 'shorter than the limit: unchanged', text: 'Ana', max: 10, want: 'Ana' },
    { reason: 'longer: cut to the limit', text: 'abcdef', max: 4, want: 'abcd' },
    { reason: 'the limit inside a surrogate pair: cut before the pair', text: `abc\u{1F600}`, max: 4, want: 'abc' },
    { reason: 'the limit right after a pair: the pair is kept', text: `ab\u{1F600}cd`, max: 4, want: `ab\u{1F600}` },
  ];
  for (const tc of cases) {
    it(tc.reason, () => {
      expect(cutToLength(tc.text, tc.max)).toBe(tc.want);
    });
  }
});

describe('visible', () => {
  const cases = [
    { reason: 'printable text is unchanged', text: "o'brien@vendor.example", want: "o'brien@vendor.example" },
    { reason: 'a zero-width space is shown by its code', text: 'ana\u200b@x', want: 'ana[U+200B]@x' },
    { reason: 'a lone surrogate is shown by its code', text: 'ana\ud800@x', want: 'ana[U+D800]@x' },
    { reason: 'an ESC is shown by its code', text: '\u001b[31m', want: '[U+001B][31m' },
    { reason: 'a no-break space is shown by its code, an ASCII space is not', text: 'a\u00a0b c', want: 'a[U+00A0]b c' },
    { reason: 'a tag character (astral) is shown with its full code', text: 'a\u{e0041}', want: 'a[U+E0041]' },
    { reason: 'longer than the limit: cut with an ellipsis', text: 'abcdefghij', want: 'abcd…', max: 5 },
  ];
  for (const tc of cases) {
    it(tc.reason, () => {
      expect(visible(tc.text, tc.max)).toBe(tc.want);
    });
  }

  it('codePointName pads to four hex digits', () => {
    expect([codePointName('\u0007'), codePointName('\u200b'), codePointName('\u{1F600}')]).toEqual(['U+0007', 'U+200B', 'U+1F600']);
  });
});
