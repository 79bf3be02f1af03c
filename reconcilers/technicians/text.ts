/**
 * Contact text is typed by vendor admins, outsiders (issue 9, item 6). Before a name reaches Entra
 * or Dataverse it loses what only a terminal or a text renderer acts on: ANSI escape sequences
 * (CSI `ESC [ … final`, OSC/DCS/SOS/PM/APC strings up to BEL or ST, and their one-byte C1 forms),
 * the remaining C0/C1 control characters, the bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) that reorder what a reader sees, and lone UTF-16 surrogates (not
 * text at all: JSON can only carry them as an escape the services may refuse). Line breaks and tabs
 * become one space, so "Ana\nSilva" stays two words.
 *
 * Letters, marks, zero-width joiners and the bidi *marks* (U+200E, U+200F, U+061C) are kept: they
 * are part of how names are written in some scripts and cannot reorder the text around them.
 */

/**
 * An escape sequence: a control string (OSC, DCS, SOS, PM, APC) up to its terminator (BEL, or ST
 * as `ESC \`), or to the end when an ESC-introduced one is never terminated (a terminal would
 * swallow the rest too); the same strings introduced by a C1 character only when terminated (a
 * stray C1 character from mis-decoded text must not eat the rest of a name; it is dropped alone);
 * a CSI (`ESC [` or U+009B) with its parameter, intermediate and final bytes; any other escape with
 * its intermediate and final byte.
 */
const ESCAPE_SEQUENCE = new RegExp(
  [
    '\\u001b[\\]PX^_][\\s\\S]*?(?:\\u0007|\\u001b\\\\|$)',
    '[\\u0090\\u0098\\u009d\\u009e\\u009f][^\\u0007\\u009c\\u001b]*?(?:\\u0007|\\u009c|\\u001b\\\\)',
    '(?:\\u001b\\[|\\u009b)[0-?]*[ -/]*[@-~]?',
    '\\u001b[ -/]*[0-~]?',
  ].join('|'),
  'gu',
);
const LINE_BREAKS = /[ ]*[\t\n\v\f\r\u0085\u2028\u2029]+[ ]*/gu;
const CONTROLS = /[\p{Cc}\u202a-\u202e\u2066-\u2069\p{Cs}]/gu;

/** The name without escapes, controls, bidi overrides or lone surrogates, trimmed; null when nothing is left. */
export function cleanName(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = value.replace(ESCAPE_SEQUENCE, '').replace(LINE_BREAKS, ' ').replace(CONTROLS, '').trim();
  return cleaned === '' ? null : cleaned;
}

/**
 * At most `max` UTF-16 code units (the unit of Entra's and Dataverse's length limits), never
 * ending on the first half of a surrogate pair: a cut emoji would leave a lone surrogate.
 */
export function cutToLength(value: string, max: number): string {
  if (value.length <= max) return value;
  const last = value.charCodeAt(max - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
  return value.slice(0, end);
}

/** Characters a reader cannot see or that are not text, shown by their code in messages. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]|(?! )\p{Zs}/gu;

/** "U+200B" for one code point. */
export function codePointName(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A vendor admin's text as it may be quoted in a message, report or status column: invisible and
 * non-text characters appear as "[U+200B]" (so the admin sees where they are and the message
 * carries none of them), and it is cut to `max` code units with "…".
 */
export function visible(value: string, max = 80): string {
  const shown = value.replace(HIDDEN, (ch) => `[${codePointName(ch)}]`);
  return shown.length > max ? `${cutToLength(shown, max - 1)}…` : shown;
}
