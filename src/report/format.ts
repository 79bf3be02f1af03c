/**
 * Value formatting shared by the renderers. Human formats (text, Markdown, HTML) show short ids;
 * machine formats (CSV, JSON) keep full ids. HTML puts the full id in a title attribute.
 */
import { terminalSafe } from './terminal-safe.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

/** First 8 hex digits of a GUID and an ellipsis; anything else unchanged. */
export function shortId(id: string): string {
  return isGuid(id) ? `${id.slice(0, 8)}…` : id;
}

export const EMPTY = '(empty)';

export interface FormatOptions {
  /** Shorten GUIDs (text, Markdown, HTML). Default false: full ids. */
  shortIds?: boolean;
}

/** One before/after value in words: yes/no, "(empty)", short or full ids, lists joined. */
export function formatValue(value: unknown, options: FormatOptions = {}): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : EMPTY;
  if (typeof value === 'string') return options.shortIds ? shortId(value) : value;
  if (Array.isArray(value)) {
    return value.length === 0 ? '(none)' : value.map((v) => formatValue(v, options)).join(', ');
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return EMPTY;
    return `{ ${entries.map(([k, v]) => `${k}: ${formatValue(v, options)}`).join(', ')} }`;
  }
  return String(value);
}

/** ISO timestamp as "2025-03-01 14:05 UTC"; anything unparsable is returned as given. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "1 change", "3 changes"; `many` for irregular plurals. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Deep equality for JSON-like values, used to find the fields a change actually alters. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    // Treat missing and null alike: both show as "(empty)".
    return (a ?? null) === (b ?? null);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Collapses line breaks and runs of whitespace, for one-line cells and terminal output. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Text safe for a terminal or a one-line cell: line breaks and tabs become spaces, each escape
 * sequence, other control character and bidi override becomes one U+FFFD (terminal-safe.ts), and
 * whitespace collapses.
 */
export function plainText(text: string): string {
  return oneLine(terminalSafe(text.replace(/[\t\n\r]/g, ' ')));
}

/** The minimal shape of a report change these helpers need (see model.ts ReportChange). */
interface DescribableChange {
  shape: 'create' | 'update' | 'remove';
  target: { entityLabel: string; id: string | null; createdByLabel?: string };
  fields: { label: string; before: unknown; after: unknown; afterFrom?: string }[];
}

/** "Entra user 1a2b3c4d…", "Bookable resource (new, from Create bookable resource)". */
export function describeTarget(change: DescribableChange, options: FormatOptions = {}): string {
  const { entityLabel, id, createdByLabel } = change.target;
  if (id !== null) return `${entityLabel} ${options.shortIds ? shortId(id) : id}`;
  return createdByLabel ? `${entityLabel} (new, from "${createdByLabel}")` : `${entityLabel} (new)`;
}

/** One "Label: before → after" per field, in the compact form the human formats share. */
export function describeFields(change: DescribableChange, options: FormatOptions = {}): string[] {
  return change.fields.map((f) => {
    if (change.shape === 'create') return `${f.label}: ${formatValue(f.after, options)}`;
    if (change.shape === 'remove') return `${f.label}: ${formatValue(f.before, options)} → (removed)`;
    return `${f.label}: ${formatValue(f.before, options)} → ${afterText(f, options)}`;
  });
}

/** The new value, or where it comes from when an earlier change creates it. */
export function afterText(f: { after: unknown; afterFrom?: string }, options: FormatOptions = {}): string {
  return f.afterFrom ? `(the new id, from "${f.afterFrom}")` : formatValue(f.after, options);
}
