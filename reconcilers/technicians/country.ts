/**
 * Country → ISO 3166-1 alpha-2, for the guest's usageLocation (set before any licence: Graph refuses
 * a licence for a user without a valid usage location;
 * learn.microsoft.com/graph/api/user-assignlicense).
 *
 * Accepts a two-letter code, a three-letter code, or an English name with common variants, in any
 * case, with or without accents and punctuation ("côte d'ivoire", "U.S.A.", "Korea, Republic of").
 * Anything else gives null, and the caller falls back to DEFAULT_USAGE_LOCATION.
 */
import { COUNTRY_TABLE } from './country-table.js';

const byAlpha2 = new Set<string>();
const byAlpha3 = new Map<string, string>();
const byName = new Map<string, string>();

/** Lower case, no accents, "&" → "and", no punctuation, single spaces, no leading "the". */
export function normaliseCountryName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[.'’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^the /, '');
}

for (const line of COUNTRY_TABLE.split('\n')) {
  const [alpha2, alpha3, ...names] = line.split('|');
  if (alpha2 === undefined || alpha3 === undefined || names.length === 0) continue;
  byAlpha2.add(alpha2);
  byAlpha3.set(alpha3, alpha2);
  for (const name of names) byName.set(normaliseCountryName(name), alpha2);
}

/** The ISO 3166-1 alpha-2 code (upper case) for a country as people type it, or null. */
export function toCountryCode(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  const upper = trimmed.toUpperCase();
  if (/^[A-Z]{2}$/.test(upper) && byAlpha2.has(upper)) return upper;
  if (/^[A-Z]{3}$/.test(upper) && byAlpha3.has(upper)) return byAlpha3.get(upper) ?? null;
  return byName.get(normaliseCountryName(trimmed)) ?? null;
}

/** Every alpha-2 code the table knows (for tests). */
export function knownCountryCodes(): string[] {
  return [...byAlpha2].sort();
}
