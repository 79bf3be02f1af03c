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
 * The core's part of an observation with nothing in it. Each configured family's part is laid over
 * it; a family that is off adds nothing (its fields stay absent: src/model/observation.ts).
 */
export function baseObservation(now: Date): Pick<Observation, 'observedAt' | 'subscribedSkus'> {
  return { observedAt: now.toISOString(), subscribedSkus: [] };
}

export async function observe(graph: GraphApi, dataverse: DataverseApi, settings: Settings, now: Date, families: readonly ConfiguredFamily[]): Promise<Observation> {
  const services = { graph, dataverse };
  const rows = readTables(services, tablesOf(families));
  // The rows are awaited here too: a failed table read fails the observation even if no family
  // awaited it yet, and never goes unhandled.
  const [, ...parts] = await Promise.all([rows, ...families.map(({ family, settings: own }) => family.observe(rows, services, own, settings))]);
  // Each configured family's part completes the fields it declared (Family.observe returns them all);
  // the type cannot see that, hence the assertion.
  return Object.assign(baseObservation(now), ...parts) as Observation;
}
