/**
 * N:N relationships (schemas/dataverse-entities.json `relationships`): the intersect rows, and the
 * Web API's association requests on the collection-valued navigation property that both tables
 * carry under the relationship's name (Learn "Associate and disassociate table rows using the Web
 * API", learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api):
 * - POST <set>(<id>)/<nav>/$ref {"@odata.id": "<root>/<other set>(<id>)"} associates: 204;
 * - DELETE <set>(<id>)/<nav>(<other id>)/$ref, or DELETE <set>(<id>)/<nav>/$ref?$id=<url>, disassociates: 204;
 * - GET <set>(<id>)/<nav>?$select=… lists the related rows, filtered and paged as any list (read.ts).
 *
 * Intersect rows live in the store under the relationship's name, holding the two primary keys and
 * their own key `<name>id` (the intersect entity's primary key), derived from the pair so one pair is
 * one row. Errors the page does not give (docs/simulator-dataverse.md "N:N relationships"):
 * associating an existing pair is 400 DuplicateRecord "Cannot insert duplicate key." (the facts file
 * records a duplicate-key error as observed, the status is the stricter choice); a row that does not
 * exist on either side is 404 ObjectDoesNotExist as for any missing row; disassociating a pair that is
 * not associated is 404 too (stricter than ignoring it).
 */
import { createHash } from 'node:crypto';
import type { DataverseStore, Row } from '../dataverse-store.js';
import type { SimResponse } from '../types.js';
import type { DvContext } from './context.js';
import { CODES, DataverseError, badRequest, noContent, notFound, payloadError } from './errors.js';
import { entityBySet, relationshipEntries } from './entities.js';
import { parseQuery, type Target } from './options.js';
import { getCollection } from './read.js';
import type { EntityDef } from './schema.js';
import { resolveReference } from './validate.js';

export interface Relationship {
  name: string;
  /** entity1 first, as the file lists them; each side's primary key is its column in the intersect row. */
  sides: [EntityDef, EntityDef];
}

const relationships: Relationship[] = relationshipEntries().map((r) => {
  const one = entityBySet(r.entity1);
  const two = entityBySet(r.entity2);
  if (!one || !two) throw new Error(`dataverse-entities.json: relationship ${r.name} names an unknown table`);
  return { name: r.name, sides: [one, two] };
});

export function allRelationships(): Relationship[] {
  return relationships;
}

export function relationshipByName(name: string): Relationship | undefined {
  return relationships.find((r) => r.name === name);
}

/** The relationship a navigation property of `entity` names, and which side `entity` is. */
export function navRelationship(entity: EntityDef, nav: string): { rel: Relationship; self: 0 | 1 } | undefined {
  const rel = relationshipByName(nav);
  if (!rel) return undefined;
  if (rel.sides[0].set === entity.set) return { rel, self: 0 };
  if (rel.sides[1].set === entity.set) return { rel, self: 1 };
  return undefined;
}

/** The intersect row's own key: a GUID derived from the pair (one pair, one row). */
export function intersectId(rel: Relationship, id1: string, id2: string): string {
  const h = createHash('sha1').update(`${rel.name}:${id1.toLowerCase()}:${id2.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function intersectRow(rel: Relationship, id1: string, id2: string): Row {
  const [a, b] = rel.sides;
  return { [`${rel.name}id`]: intersectId(rel, id1, id2), [a.primaryKey]: id1.toLowerCase(), [b.primaryKey]: id2.toLowerCase() };
}

/** The ids on the other side associated with `id` (on side `self`). */
export function relatedIds(store: DataverseStore, rel: Relationship, self: 0 | 1, id: string): Set<string> {
  const mine = rel.sides[self].primaryKey;
  const theirs = rel.sides[self === 0 ? 1 : 0].primaryKey;
  const out = new Set<string>();
  for (const row of store.table(rel.name).values()) if (row[mine] === id) out.add(String(row[theirs]));
  return out;
}

/** Orders (self id, other id) as the intersect row holds them. */
const pair = (self: 0 | 1, id: string, other: string): [string, string] => (self === 0 ? [id, other] : [other, id]);

function checkRow(dx: DvContext, entity: EntityDef, id: string): void {
  if (!dx.store.get(entity.set, id)) throw notFound(entity.logicalName, id);
}

/** The other side's row that an `@odata.id` (body) or `$id` (query) names. */
function referencedId(dx: DvContext, rel: Relationship, self: 0 | 1, value: unknown, where: string): string {
  const other = rel.sides[self === 0 ? 1 : 0];
  const ref = typeof value === 'string' ? resolveReference(value, dx) : null;
  if (!ref) throw badRequest(CODES.invalidArgument, `${where} must be the URL of a row of '${other.set}', such as '${dx.root}${other.set}(<guid>)'.`);
  if (ref.set !== other.set) throw badRequest(CODES.invalidArgument, `The navigation property '${rel.name}' relates '${other.set}', but ${where} points at '${ref.set}'.`);
  return ref.id;
}

export function associate(entity: EntityDef, id: string, nav: string, body: string, dx: DvContext): SimResponse {
  const { rel, self } = navRelationship(entity, nav)!;
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw payloadError(entity.set, 'Invalid JSON. A token was not recognized in the JSON content.');
  }
  const value = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['@odata.id'] : undefined;
  const other = referencedId(dx, rel, self, value, "The body's '@odata.id'");
  checkRow(dx, entity, id);
  checkRow(dx, rel.sides[self === 0 ? 1 : 0], other);
  const [id1, id2] = pair(self, id, other);
  const row = intersectRow(rel, id1, id2);
  const key = String(row[`${rel.name}id`]);
  if (dx.store.get(rel.name, key)) throw badRequest(CODES.duplicate, 'Cannot insert duplicate key.');
  dx.scope?.journal.record(rel.name, key);
  dx.store.insert(rel.name, row);
  return noContent();
}

/** DELETE …/<nav>(<otherId>)/$ref, or …/<nav>/$ref?$id=<url> when `otherId` is null. */
export function disassociate(entity: EntityDef, id: string, nav: string, otherKey: string | null, rawQuery: string, dx: DvContext): SimResponse {
  const { rel, self } = navRelationship(entity, nav)!;
  const other = otherKey ?? referencedId(dx, rel, self, parseQuery(rawQuery).get('$id'), "The query option '$id'");
  checkRow(dx, entity, id);
  checkRow(dx, rel.sides[self === 0 ? 1 : 0], other);
  const [id1, id2] = pair(self, id, other);
  const key = intersectId(rel, id1, id2);
  if (!dx.store.get(rel.name, key)) {
    throw new DataverseError(404, CODES.notFound, `${rel.sides[self === 0 ? 1 : 0].logicalName} With Id = ${other} is not associated with ${entity.logicalName} With Id = ${id} through '${rel.name}'.`);
  }
  dx.scope?.journal.record(rel.name, key);
  dx.store.delete(rel.name, key);
  return noContent();
}

/** GET <set>(<id>)/<nav>: the related rows as a list of the other table, filtered and paged. */
export function listRelated(entity: EntityDef, id: string, nav: string, path: string, rawQuery: string, headers: Record<string, string>, dx: DvContext): SimResponse {
  const { rel, self } = navRelationship(entity, nav)!;
  checkRow(dx, entity, id);
  const otherDef = rel.sides[self === 0 ? 1 : 0];
  const ids = relatedIds(dx.store, rel, self, id);
  const target: Target = { entity: otherDef, id: null };
  return getCollection(target, rawQuery, headers, dx, { predicate: (row) => ids.has(String(row[otherDef.primaryKey])), path });
}

/**
 * Rows deleted on either side take their intersect rows with them (an association cannot outlive a
 * row it names). Called by delete.ts with every row it deletes.
 */
export function intersectRowsOf(store: DataverseStore, set: string, id: string): { set: string; id: string }[] {
  const out: { set: string; id: string }[] = [];
  for (const rel of relationships) {
    for (const side of rel.sides) {
      if (side.set !== set) continue;
      for (const row of store.table(rel.name).values()) {
        if (row[side.primaryKey] === id) out.push({ set: rel.name, id: String(row[`${rel.name}id`]) });
      }
    }
  }
  return out;
}
