/**
 * Observe, in bulk: the tables every configured family declares are read once (their union,
 * src/engine/tables/registry.ts: two families declaring one table share its read), with one paged
 * `list` each (src/engine/tables/read.ts), and each family turns the rows into its part of the
 * Observation with its own lookups (Family.observe, src/engine/family.ts).
 *
 * The families get the rows as a promise: a family's reads that need no rows (the technician
 * group's members) start beside the table reads, in the order they always have, and the ones that
 * depend on the rows start as soon as the rows are in. Each client bounds its own concurrency.
 */
import type { DataverseApi, GraphApi } from '../clients/types.js';
import type { Settings } from '../config.js';
import type { Observation } from '../model/observation.js';
import type { ConfiguredFamily } from './family.js';
import { readTables } from './tables/read.js';
import { unionTables } from './tables/registry.js';
import type { Table } from './tables/table.js';

/** The tables a run reads: the union of the configured families' declarations. */
export function tablesOf(families: readonly ConfiguredFamily[]): Table[] {
  return unionTables(families.map((f) => f.family.tables));
}

/**
 * An observation with nothing in it: the fields of a family that is off stay like this.
 * `groupMemberIds` is null (no technician group read), as for a group that does not exist.
 */
export function emptyObservation(now: Date): Observation {
  return {
    observedAt: now.toISOString(),
    contacts: [],
    accounts: [],
    vendorCharacteristics: [],
    characteristics: [],
    ratingValues: [],
    users: [],
    groupMemberIds: null,
    subscribedSkus: [],
    systemUsers: [],
    bookableResources: [],
    resourceCharacteristics: [],
  };
}

export async function observe(graph: GraphApi, dataverse: DataverseApi, settings: Settings, now: Date, families: readonly ConfiguredFamily[]): Promise<Observation> {
  const services = { graph, dataverse };
  const rows = readTables(services, tablesOf(families));
  // The rows are awaited here too: a failed table read fails the observation even if no family
  // awaited it yet, and never goes unhandled.
  const [, ...parts] = await Promise.all([rows, ...families.map(({ family, settings: own }) => family.observe(rows, services, own, settings))]);
  const observation = emptyObservation(now);
  for (const part of parts) Object.assign(observation, part);
  return observation;
}
