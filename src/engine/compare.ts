/**
 * The one string order of the core: by UTF-16 code unit, never by locale. Plans must be the same on
 * every machine and in every run (the dry run and the apply are one plan), and a locale-aware
 * compare would order ids and names differently under a different ICU or LANG. Families use it
 * too, so their subjects and changes sort the way the core sorts them.
 */

/** Code-unit order of two strings: -1, 0 or 1. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
