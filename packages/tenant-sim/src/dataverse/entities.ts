/**
 * The tables the simulator serves. They are data: ../../schemas/dataverse-entities.json lists each
 * table's columns with their types, limits, lookups and delete behaviours, and names its sources.
 * This file turns that list into the EntityDefs the handlers use (schema.ts adds the primary key,
 * createdon, modifiedon and the state columns) and answers the lookups over them.
 */
import file from '../../schemas/dataverse-entities.json' with { type: 'json' };
import { PROJECT_TABLES } from '../project-tables.js';
import { WORK_ORDER_TABLES } from '../workorder-tables.js';
import { BOOKING_TABLES } from '../booking-tables.js';
import { defineEntity, lookupSets, type Column, type DeleteBehaviour, type EntityDef, type EntitySpec } from './schema.js';

/** Boolean columns' labels (BooleanAttributeMetadata's default Yes/No). */
const YES_NO: Record<number, string> = { 1: 'Yes', 0: 'No' };

/** A column as the file writes it: a Column that may name a global choice instead of listing options. */
type ColumnEntry = Omit<Column, 'options'> & { options?: Record<string, string>; choice?: string };
type TableEntry = Omit<EntitySpec, 'columns'> & { columns: ColumnEntry[] };
/** An N:N relationship as the file declares it (relationships.ts serves it). */
export interface RelationshipEntry {
  name: string;
  entity1: string;
  entity2: string;
}
interface EntitiesFile {
  choices: Record<string, Record<string, string>>;
  relationships: RelationshipEntry[];
  entities: TableEntry[];
}

// The JSON's inferred type is wider than the file's shape; test/unit/schema-files.test.ts
// checks every type, choice and lookup target in it.
const data = file as unknown as EntitiesFile;

/** The Column the file describes, its keys in the file's order (a choice becomes its options in place). */
function columnOf(entry: ColumnEntry, table: string): Column {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'choice') {
      const options = data.choices[value as string];
      if (!options) throw new Error(`dataverse-entities.json: ${table}.${entry.name} names an unknown choice '${String(value)}'`);
      out.options = options;
    } else out[key] = value;
    if (key === 'type' && value === 'Boolean' && entry.options === undefined) out.options = YES_NO;
  }
  return out as unknown as Column;
}

// The seed-002 tables (issue 14) are declared in TypeScript by the files that own them.
const definitions: EntityDef[] = [
  ...data.entities.map((t) => defineEntity({ ...t, columns: t.columns.map((c) => columnOf(c, t.set)) })),
  ...[...PROJECT_TABLES, ...WORK_ORDER_TABLES, ...BOOKING_TABLES].map(defineEntity),
];

const bySet = new Map(definitions.map((d) => [d.set, d]));

export function entityBySet(set: string): EntityDef | undefined {
  return bySet.get(set);
}

export function allEntities(): EntityDef[] {
  return definitions;
}

/** Lookups in any table that point at `set`: used for delete behaviours. */
export function referencesTo(set: string): { entity: EntityDef; column: string; onDelete: DeleteBehaviour }[] {
  const out: { entity: EntityDef; column: string; onDelete: DeleteBehaviour }[] = [];
  for (const entity of definitions) {
    for (const column of entity.columns.values()) {
      if (column.type !== 'Lookup' || !column.onDelete) continue;
      if (lookupSets(column).includes(set)) out.push({ entity, column: column.name, onDelete: column.onDelete });
    }
  }
  return out;
}

/** The N:N relationships of the file, in its order. */
export function relationshipEntries(): RelationshipEntry[] {
  return data.relationships;
}
