/**
 * The project-work-orders family's observation: its tables (tables.ts) from the core's one read of
 * every family's tables. It needs no lookup beyond them: the work order type is checked against the
 * active types read with them (family.ts), and every link it follows is a column of those rows.
 */
import type { ObservationPart } from '../../src/engine/family.js';
import type { IncrementalReads } from '../../src/engine/incremental/family-reads.js';
import { rowsFor } from '../../src/engine/tables/registry.js';
import type { TableRows } from '../../src/engine/tables/table.js';
import { WO_BOOKING_STATUSES, WO_BOOKINGS, WO_PROJECTS, WO_REQUIREMENTS, WO_TASKS, WO_TYPES, WO_WORK_ORDERS } from './tables.js';

export function workOrderPart(rows: TableRows): ObservationPart {
  return {
    workOrderProjects: rowsFor(rows, WO_PROJECTS),
    workOrderTasks: rowsFor(rows, WO_TASKS),
    workOrders: rowsFor(rows, WO_WORK_ORDERS),
    workOrderRequirements: rowsFor(rows, WO_REQUIREMENTS),
    workOrderBookings: rowsFor(rows, WO_BOOKINGS),
    bookingStatuses: rowsFor(rows, WO_BOOKING_STATUSES),
    workOrderTypes: rowsFor(rows, WO_TYPES),
  };
}

export async function observeWorkOrders(rows: Promise<TableRows>): Promise<ObservationPart> {
  return workOrderPart(await rows);
}

/**
 * The incremental observer's reads (src/engine/incremental/family-reads.ts). Every table of this
 * family is read in full each run (tables.ts), so an incremental round hands it the same rows a full
 * read does: no token of its own, nothing of its own kept in the snapshot. Without this the
 * incremental observer (every Functions run) refused to run with the family on.
 */
export const workOrderIncremental: IncrementalReads<unknown> = {
  openTokens: async () => ({}),
  fullRead: async (rows) => ({ part: workOrderPart(await rows), tokens: {}, missingUserIds: [] }),
  incrementalRead: async (shared) => {
    const round = await shared;
    if (!round.ok) return `the ${round.refused[0]?.table ?? 'table'} token was refused (${round.refused[0]?.reason ?? ''})`;
    return { part: workOrderPart(round.rows), tokens: {}, missingUserIds: [] };
  },
  snapshotRows: () => new Map(),
};
