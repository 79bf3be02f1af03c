/**
 * Turns a stored row into its Web API representation: `@odata.etag` (W/"<version>") first, the
 * selected columns (every column when there is no $select; a known column missing from the row reads
 * as null), the primary key always (select-columns.md), and, only when `Prefer:
 * odata.include-annotations` asks for them, the formatted values and lookup annotations
 * (compose-http-requests-handle-errors.md "Request annotations"; query-data-web-api.md "Formatted
 * values", "Lookup property data"). Annotations come right before the property they describe.
 */
import type { DataverseStore, Row } from '../dataverse-store.js';
import { entityBySet } from './entities.js';
import { navTargets, type Column, type EntityDef } from './schema.js';

export const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
export const LOOKUP_LOGICAL_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';
export const ASSOCIATED_NAV = 'Microsoft.Dynamics.CRM.associatednavigationproperty';

/** Which annotations a request asked for: `*`, exact names, or prefixes ending in `*`. */
export type AnnotationFilter = (name: string) => boolean;

export function annotationFilter(patterns: string[] | null): AnnotationFilter {
  if (!patterns || patterns.length === 0) return () => false;
  return (name) =>
    patterns.some((p) => {
      if (p === '*') return true;
      if (p.startsWith('-')) return false;
      if (p.endsWith('*')) return name.startsWith(p.slice(0, -1));
      return p === name;
    });
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 5 });

function formatDate(value: string): string | null {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  const h = d.getUTCHours();
  const hh = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${hh}:${mm} ${h < 12 ? 'AM' : 'PM'}`;
}

/** Dataverse's formatted value for a column value, or null when the type has none. */
export function formattedValue(column: Column, value: unknown, store: DataverseStore): string | null {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'State':
    case 'Status':
    case 'Picklist':
      return column.options?.[Number(value)] ?? null;
    case 'Boolean':
      return column.options?.[value ? 1 : 0] ?? (value ? 'Yes' : 'No');
    case 'Money':
      return usd.format(Number(value));
    case 'Integer':
    case 'Decimal':
    case 'Double':
      return grouped.format(Number(value));
    case 'DateTime':
      return formatDate(String(value));
    case 'Lookup': {
      const target = lookupTarget(column, String(value), store);
      if (!target) return null;
      const def = entityBySet(target.set);
      const name = def ? target.row[def.primaryName] : null;
      return name === null || name === undefined ? null : String(name);
    }
    default:
      return null;
  }
}

/**
 * Which target table holds a lookup's id (a Customer lookup may point at accounts or contacts, an
 * owner at systemusers or teams).
 */
export function lookupTarget(column: Column, id: string, store: DataverseStore): { set: string; nav: string; row: Row } | null {
  for (const nav of Object.keys(column.navs ?? {})) {
    for (const set of navTargets(column, nav)) {
      const row = store.get(set, id);
      if (row) return { set, nav, row };
    }
  }
  return null;
}

export interface ProjectOptions {
  /** Columns to return; null for all. */
  select: string[] | null;
  annotations: AnnotationFilter;
}

export function projectRow(entity: EntityDef, row: Row, store: DataverseStore, options: ProjectOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': store.etag(entity.set, String(row[entity.primaryKey])) };
  const names = options.select ?? [...entity.columns.keys()];
  const wantFormatted = options.annotations(FORMATTED);
  const wantLogical = options.annotations(LOOKUP_LOGICAL_NAME);
  const wantNav = options.annotations(ASSOCIATED_NAV);
  for (const name of names) {
    const column = entity.columns.get(name);
    if (!column) continue;
    const value = row[name] ?? null;
    if (value !== null && column.type === 'Lookup' && (wantFormatted || wantLogical || wantNav)) {
      const target = lookupTarget(column, String(value), store);
      const def = target ? entityBySet(target.set) : undefined;
      if (wantFormatted && target && def) {
        const label = target.row[def.primaryName];
        if (label !== null && label !== undefined) out[`${name}@${FORMATTED}`] = String(label);
      }
      if (wantNav && target) out[`${name}@${ASSOCIATED_NAV}`] = target.nav;
      if (wantLogical && def) out[`${name}@${LOOKUP_LOGICAL_NAME}`] = def.logicalName;
    } else if (wantFormatted && value !== null) {
      const f = formattedValue(column, value, store);
      if (f !== null) out[`${name}@${FORMATTED}`] = f;
    }
    out[name] = value;
  }
  out[entity.primaryKey] = row[entity.primaryKey];
  return out;
}
