/**
 * The Dataverse privileges a Web API request needs, for the client report (platform/client-report.ts).
 * Source: Learn "How access to a record is determined" (power-platform/admin/how-record-access-determined):
 * every table has the privileges Create, Read, Write, Delete, Append, Append To, Assign and Share;
 * setting a lookup needs Append on the row that gets it and Append To on the row it points at.
 *
 * - GET of a table or row (change tracking included): Read.
 * - POST: Create, plus Append / Append To for each `Nav@odata.bind` that sets a lookup; a bind of
 *   `ownerid` (the owner of a UserOwned row, ownership.ts) needs Assign on the table instead, as the
 *   page lists Assign as its own privilege and the table references make Assign a PATCH of ownerid.
 * - PATCH: Write (a state change is a write too), plus the binds as for POST. Without `If-Match`
 *   a PATCH may create the row (upsert, update-delete-entities-using-web-api.md), so it needs
 *   Create as well; with `If-Match` it only updates.
 * - DELETE: Delete.
 * - $batch: nothing of its own; each part is counted on its own.
 */
import { entityBySet } from './entities.js';
import { navTargets } from './schema.js';

export type Privilege = 'Read' | 'Create' | 'Write' | 'Delete' | 'Append' | 'AppendTo' | 'Assign';

export interface PrivilegeNeed {
  /** Logical name of the table, e.g. contact. */
  table: string;
  privilege: Privilege;
}

/** The binds of a write body: the logical names of the rows its lookups point at, and whether it assigns. */
function binds(set: string, body: string): { targets: string[]; assigns: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { targets: [], assigns: false };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { targets: [], assigns: false };
  const entity = entityBySet(set);
  const targets: string[] = [];
  let assigns = false;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!key.endsWith('@odata.bind') || value === null) continue;
    const nav = key.slice(0, -'@odata.bind'.length);
    const column = entity?.navs.get(nav);
    if (!column) continue;
    if (column.name === '_ownerid_value') {
      assigns = true;
      continue;
    }
    const target = entityBySet(navTargets(column, nav)[0] ?? '');
    if (target) targets.push(target.logicalName);
  }
  return { targets, assigns };
}

/**
 * What one request (path below /api/data/v9.2/) needs; [] for $batch and for paths that name no
 * table the simulator knows.
 */
export function privilegesOf(method: string, path: string, headers: Record<string, string>, body: string): PrivilegeNeed[] {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return [];
  }
  const m = /^([A-Za-z0-9_]+)(\(.*\))?$/.exec(decoded);
  const entity = m ? entityBySet(m[1]!) : undefined;
  if (!m || !entity) return [];
  const table = entity.logicalName;
  const needs: PrivilegeNeed[] = [];
  const need = (t: string, privilege: Privilege): void => {
    needs.push({ table: t, privilege });
  };
  switch (method.toUpperCase()) {
    case 'GET':
      need(table, 'Read');
      break;
    case 'POST':
      need(table, 'Create');
      break;
    case 'PATCH':
      need(table, 'Write');
      if (headers['if-match'] === undefined) need(table, 'Create');
      break;
    case 'DELETE':
      need(table, 'Delete');
      break;
    default:
      return [];
  }
  const m2 = method.toUpperCase();
  if (m2 === 'POST' || m2 === 'PATCH') {
    const { targets, assigns } = binds(entity.set, body);
    for (const target of targets) {
      need(table, 'Append');
      need(target, 'AppendTo');
    }
    if (assigns) need(table, 'Assign');
  }
  return needs;
}
