/**
 * The table definitions of one simulated environment, as the metadata endpoints serve them
 * (metadata.ts). The tables and their columns are the simulator's schema (entities.ts); a fixture may
 * make the environment differ from it, to stand for a tenant that is not set up yet
 * (Fixture.dataverseMetadata, docs/simulator-dataverse.md "Table definitions"):
 * - `missingColumns`: `table.column` logical names the environment does not have (until a POST to
 *   EntityDefinitions(LogicalName='table')/Attributes creates them);
 * - `choiceValues`: `table.column` → option value → label, replacing the schema's options;
 * - `changeTrackingOff`: tables whose ChangeTrackingEnabled is false (change tracking refuses them);
 * - `missingPrivileges`: `table:PrivilegeType` (or a bare privilege name such as
 *   `prvWorkflowExecution`) the application user's roles do not give (RetrieveUserPrivileges);
 * - `missingKeys`: alternate keys the environment does not have, as `table.column` (the key over that
 *   column; metadata-keys.ts), until a POST to EntityDefinitions(LogicalName='table')/Keys creates them;
 * - `keyIndexDelayMs`: how long a created key's index stays Pending (default 0).
 * The rows keep every schema column whatever the fixture says, but a missing column is refused in
 * $select, $filter and writes (metadata-attributes.ts isHidden), and a missing key stops upserts by it
 * (metadata-keys.ts).
 */
import type { DataverseStore } from '../dataverse-store.js';

export interface DataverseMetadataFixture {
  missingColumns?: string[];
  choiceValues?: Record<string, Record<string, string>>;
  changeTrackingOff?: string[];
  missingPrivileges?: string[];
  missingKeys?: string[];
  keyIndexDelayMs?: number;
}

/** An alternate key created through the Web API. */
export interface CreatedKey {
  schemaName: string;
  displayName: string;
  /** Epoch ms; the index is Active from createdAt + keyIndexDelayMs. */
  createdAt: number;
}

/** A column created through the Web API: what its definition said, kept for the metadata reads. */
export interface CreatedColumn {
  /** The @odata.type of the POST body without its namespace, e.g. PicklistAttributeMetadata. */
  metadataType: string;
  schemaName: string;
  displayName: string | null;
  maxLength?: number;
  options?: Record<number, string>;
  solution: string | null;
}

export interface EnvironmentMetadata {
  missingColumns: Set<string>;
  choiceValues: Map<string, Record<number, string>>;
  changeTrackingOff: Set<string>;
  missingPrivileges: Set<string>;
  /** `table.column` → its definition, for columns created by POST. */
  created: Map<string, CreatedColumn>;
  missingKeys: Set<string>;
  keyIndexDelayMs: number;
  /** `table.column` → the key created over it. */
  createdKeys: Map<string, CreatedKey>;
}

const byStore = new WeakMap<DataverseStore, EnvironmentMetadata>();

const lower = (values: string[] | undefined): Set<string> => new Set((values ?? []).map((v) => v.toLowerCase()));

/** Called once per state (state.ts); a store without it has the schema's definitions unchanged. */
export function initMetadata(store: DataverseStore, fixture: DataverseMetadataFixture | undefined): void {
  const choiceValues = new Map<string, Record<number, string>>();
  for (const [column, options] of Object.entries(fixture?.choiceValues ?? {})) {
    choiceValues.set(column.toLowerCase(), Object.fromEntries(Object.entries(options).map(([v, label]) => [Number(v), label])));
  }
  // Privilege types keep their case (PrivilegeType values are PascalCase); table names are lower case.
  const privileges = new Set((fixture?.missingPrivileges ?? []).map((p) => (p.includes(':') ? `${p.split(':')[0]!.toLowerCase()}:${p.split(':')[1]!}` : p)));
  byStore.set(store, {
    missingColumns: lower(fixture?.missingColumns),
    choiceValues,
    changeTrackingOff: lower(fixture?.changeTrackingOff),
    missingPrivileges: privileges,
    created: new Map(),
    missingKeys: lower(fixture?.missingKeys),
    keyIndexDelayMs: fixture?.keyIndexDelayMs ?? 0,
    createdKeys: new Map(),
  });
}

export function metadataOf(store: DataverseStore): EnvironmentMetadata {
  let m = byStore.get(store);
  if (!m) {
    initMetadata(store, undefined);
    m = byStore.get(store)!;
  }
  return m;
}

/** Whether the environment tracks changes of `logicalName`, given the schema's flag. */
export function changeTrackingOn(store: DataverseStore, logicalName: string, schemaFlag: boolean | undefined): boolean {
  return schemaFlag === true && !metadataOf(store).changeTrackingOff.has(logicalName);
}

/**
 * The environment's differences as a fixture writes them (GET /_sim/state), after what POST created:
 * a created column or key is no longer missing, and a created choice's options are its values.
 * Undefined when the environment is the schema's, so a fixture without them reads back as written.
 */
export function metadataToFixture(store: DataverseStore): DataverseMetadataFixture | undefined {
  const m = metadataOf(store);
  const choiceValues: Record<string, Record<string, string>> = {};
  for (const [column, options] of m.choiceValues) choiceValues[column] = Object.fromEntries(Object.entries(options));
  for (const [column, created] of m.created) if (created.options) choiceValues[column] = Object.fromEntries(Object.entries(created.options));
  const out: DataverseMetadataFixture = {
    ...(m.missingColumns.size > 0 ? { missingColumns: [...m.missingColumns].filter((c) => !m.created.has(c)) } : {}),
    ...(Object.keys(choiceValues).length > 0 ? { choiceValues } : {}),
    ...(m.changeTrackingOff.size > 0 ? { changeTrackingOff: [...m.changeTrackingOff] } : {}),
    ...(m.missingPrivileges.size > 0 ? { missingPrivileges: [...m.missingPrivileges] } : {}),
    ...(m.missingKeys.size > 0 ? { missingKeys: [...m.missingKeys].filter((k) => !m.createdKeys.has(k)) } : {}),
    ...(m.keyIndexDelayMs > 0 ? { keyIndexDelayMs: m.keyIndexDelayMs } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}
