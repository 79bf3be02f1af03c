/**
 * The readers src/config.ts validates app settings with. Each adds the problem it finds to the list
 * it was made with and returns a placeholder, so one pass collects every problem (a family's
 * readers get their own list, which is reported only when the family is on).
 */
export type Env = Record<string, string | undefined>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Readers {
  problems: string[];
  get(name: string): string | undefined;
  required(name: string, fix: string): string;
  httpsUrl(name: string, value: string): string;
  guid(name: string, value: string, what: string): string;
  bool(name: string, fallback: string): boolean;
  whole(name: string, min: number, max: number, why: string): number | undefined;
}

/** Readers of app settings that add each problem they find to `problems` (and return a placeholder). */
export function readers(env: Env, problems: string[]): Readers {
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  return {
    problems,
    get,
    required(name, fix) {
      const v = get(name);
      if (v === undefined) problems.push(`${name} is not set. ${fix}`);
      return v ?? '';
    },
    httpsUrl(name, value) {
      if (value === '') return value;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        problems.push(`${name} is not a URL ("${value}"). Set it to an https:// address.`);
        return value;
      }
      if (url.protocol !== 'https:') problems.push(`${name} must use https:// ("${value}").`);
      return value.replace(/\/+$/, '');
    },
    guid(name, value, what) {
      if (value !== '' && !GUID.test(value)) problems.push(`${name} must be a GUID (${what}); got "${value}".`);
      return value.toLowerCase();
    },
    bool(name, fallback) {
      const v = (get(name) ?? fallback).toLowerCase();
      if (v !== 'true' && v !== 'false') problems.push(`${name} must be true or false; got "${v}".`);
      return v === 'true';
    },
    whole(name, min, max, why) {
      const raw = get(name);
      if (raw === undefined) return undefined;
      // An optional minus and digits only: Number() would also read "1e1" as 10 and "0x10" as 16.
      const n = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isInteger(n) || n < min || n > max) problems.push(`${name} must be a whole number from ${min} to ${max} (${why}); got "${raw}".`);
      return n;
    },
  };
}

