/**
 * Terminal safety for every report format. Contact data (names, emails, and the error texts and
 * reasons that quote them) is typed by vendor admins, who are outsiders. Printed to a terminal, an
 * ESC [ 2 J clears the screen, an OSC 8 sequence hides a link behind innocent text, an OSC 52
 * sequence writes the reader's clipboard, a C1 control (U+009B is a one-character CSI) does the same
 * as its ESC form, and a bidi override (the "Trojan Source" characters) shows text in another order
 * than it is stored.
 *
 * The writers strip them, not the report model: each format has its own safe spelling and its own
 * structural characters (docs/report.md, "Hostile contact data"):
 * - text, Markdown, HTML and CSV replace each escape sequence, and each other control character
 *   but newline and tab, with one U+FFFD, so the reader sees that the data held something;
 * - JSON stays lossless: JSON.stringify already writes U+0000–U+001F as \u escapes, and
 *   escapeJsonText() does the same for DEL, the C1 controls, the bidi controls and U+2028/U+2029,
 *   which JSON.stringify leaves raw. A script that parses the plan gets the exact value back.
 *
 * Sequence grammar: ECMA-48 (control functions for coded character sets), as xterm implements it.
 */

/** One U+FFFD stands for each removed sequence or character. */
export const REPLACEMENT = '\ufffd';

/** CSI: ESC [ or the C1 CSI, parameter bytes, intermediate bytes, one final byte. */
const CSI = '(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]';
/** OSC, DCS, SOS, PM, APC (ESC or C1 introducer) up to their terminator: BEL, ESC \ or the C1 ST. */
const CONTROL_STRING = '(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d\\u009e\\u009f])[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)';
/** Any other escape sequence: ESC, intermediate bytes, one final byte (ESC c resets the terminal). */
const ESCAPE = '\\u001b[\\u0020-\\u002f]*[\\u0030-\\u007e]';
/** Single characters: C0 but tab and newline, DEL, C1, bidi embeddings, overrides and isolates. */
const SINGLE = '[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]';

const UNSAFE = new RegExp(`${CSI}|${CONTROL_STRING}|${ESCAPE}|${SINGLE}`, 'g');

/** Raw characters that JSON.stringify does not escape but a terminal or an editor acts on. */
const JSON_RAW = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text that a terminal prints as it is stored: every escape sequence, every control character but
 * newline and tab, and every bidi embedding, override and isolate becomes one U+FFFD.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, REPLACEMENT);
}

/**
 * JSON text (the output of JSON.stringify) with the remaining raw controls written as \u escapes.
 * Outside strings JSON text is ASCII, so every match is inside a string, where the escape stands for
 * exactly the same character: JSON.parse gives the same value back.
 */
export function escapeJsonText(json: string): string {
  return json.replace(JSON_RAW, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
