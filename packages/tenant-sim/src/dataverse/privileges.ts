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
 * - N:N association and disassociation (POST …/<nav>/$ref, DELETE …/<nav>(<id>)/$ref; relationships.ts):
 *   Learn "Associate message privileges" (previous-versions/dynamicscrm-2016/developers-guide/gg328270)
 *   lists Write and Append on the relationship's entity 1 (adx_webrole, adx_invitation: the first table
 *   of the file's relationship) from whichever side the request comes, and a privilege on entity 2
 *   (the page's text is cut: "prvSecondaryEntity"); the simulator takes Append To there, as for a
 *   lookup. Disassociate is counted the same (its page was not found; the stricter choice).
 * - GET …/<nav> (the related rows): Read on both tables.
 * - ExecuteWorkflow: Read on workflow (Learn "ExecuteWorkflow message privileges",
 *   previous-versions/dynamicscrm-2016/developers-guide/gg334397); the page also asks Read on the
 *   workflow's primary entity, which the path does not name: the client reads those rows anyway.
 * - WhoAmI: none (needsNoPrivilege): every user may ask who it is.
 * - $batch: nothing of its own; each part is counted on its own.
 */
import { entityBySet } from './entities.js';
import { navRelationship } from './relationships.js';
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
  const nested = nestedNeeds(method.toUpperCase(), decoded);
  if (nested) return nested;
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

/** WhoAmI needs no privilege: the client report counts it as classified. */
export function needsNoPrivilege(method: string, path: string): boolean {
  return method.toUpperCase() === 'GET' && (path === 'WhoAmI' || path === 'WhoAmI()');
}

/** The privileges of a request below a row (an N:N navigation property or ExecuteWorkflow); null otherwise. */
function nestedNeeds(method: string, decoded: string): PrivilegeNeed[] | null {
  const m = /^([A-Za-z0-9_]+)\([^)]*\)\/([A-Za-z0-9_.]+)(\([^)]*\))?(\/\$ref)?$/.exec(decoded);
  const entity = m ? entityBySet(m[1]!) : undefined;
  if (!m || !entity) return null;
  if (m[2] === 'Microsoft.Dynamics.CRM.ExecuteWorkflow') return method === 'POST' && entity.set === 'workflows' ? [{ table: 'workflow', privilege: 'Read' }] : null;
  const nav = navRelationship(entity, m[2]!);
  if (!nav) return null;
  const other = nav.rel.sides[nav.self === 0 ? 1 : 0].logicalName;
  const table = entity.logicalName;
  if (method === 'GET' && !m[4]) return [{ table, privilege: 'Read' }, { table: other, privilege: 'Read' }];
  if ((method === 'POST' || method === 'DELETE') && m[4]) {
    const [one, two] = nav.rel.sides.map((e) => e.logicalName) as [string, string];
    return [{ table: one, privilege: 'Write' }, { table: one, privilege: 'Append' }, { table: two, privilege: 'AppendTo' }];
  }
  return null;
}
