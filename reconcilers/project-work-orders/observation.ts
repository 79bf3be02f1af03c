/**
 * The project-work-orders family's part of the Observation, declared into the core's interface by
 * declaration merging (as reconcilers/portal/observation.ts does). Every field is optional: an
 * observation of a run without this family has none of them.
 */
import type { BookingRow, BookingStatusRow, ProjectRow, RequirementRow, TaskRow, WorkOrderRow, WorkOrderTypeRow } from './rows.js';

declare module '../../src/model/observation.js' {
  interface Observation {
    workOrderProjects?: ProjectRow[];
    workOrderTasks?: TaskRow[];
    /** Work orders linked to a project (o25fs_project): the product's. */
    workOrders?: WorkOrderRow[];
    workOrderRequirements?: RequirementRow[];
    workOrderBookings?: BookingRow[];
    bookingStatuses?: BookingStatusRow[];
    /** Active work order types (WORK_ORDER_TYPE_ID must be one). */
    workOrderTypes?: WorkOrderTypeRow[];
  }
}

export {};
