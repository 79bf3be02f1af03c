/**
 * The tables the project-work-orders family reads (src/engine/tables/table.ts), each in full every
 * run: a task's readiness needs its children, a project's progress all its tasks, and a work order's
 * progress its bookings. Work orders, requirements and bookings are limited to the product's own
 * (linked to a project by o25fs_project) where the table lets the filter say so.
 */
import { eq, ne, or, type Table } from '../../src/engine/tables/table.js';
import type { BookingRow, BookingStatusRow, ProjectRow, RequirementRow, TaskRow, WorkOrderRow, WorkOrderTypeRow } from './rows.js';

export const WO_PROJECTS: Table<ProjectRow> = {
  name: 'msdyn_projects',
  service: 'dataverse',
  path: 'msdyn_projects',
  key: 'msdyn_projectid',
  columns: ['msdyn_projectid', 'msdyn_subject', 'statecode', '_msdyn_customer_value', 'o25fs_taskscompleted', 'o25fs_percentcomplete'],
  mode: 'full',
  field: 'workOrderProjects',
};

export const WO_TASKS: Table<TaskRow> = {
  name: 'msdyn_projecttasks',
  service: 'dataverse',
  path: 'msdyn_projecttasks',
  key: 'msdyn_projecttaskid',
  columns: [
    'msdyn_projecttaskid', 'msdyn_subject', '_msdyn_project_value', '_msdyn_parenttask_value', 'msdyn_start', 'msdyn_finish', 'msdyn_effort', 'statecode', 'createdon',
    'o25fs_taskstage', 'o25fs_fieldservicestatus', 'o25fs_actualstart', 'o25fs_actualend', 'o25fs_actualeffort', 'o25fs_effortvariance', 'o25fs_percentcomplete', 'o25fs_syncerror',
  ],
  mode: 'full',
  field: 'workOrderTasks',
};

export const WO_WORK_ORDERS: Table<WorkOrderRow> = {
  name: 'msdyn_workorders',
  service: 'dataverse',
  path: 'msdyn_workorders',
  key: 'msdyn_workorderid',
  columns: ['msdyn_workorderid', 'msdyn_name', '_o25fs_projecttask_value', '_o25fs_project_value', 'msdyn_systemstatus', '_msdyn_serviceaccount_value', '_msdyn_workordertype_value', '_msdyn_pricelist_value', 'msdyn_timefrompromised', 'msdyn_timetopromised', 'msdyn_instructions'],
  // The product's work orders (every one it creates is linked to its project), and the ones that
  // hold a task's alternate key without that link: made by hand, they are never written, but the
  // task they name gets WORKORDER_KEY_TAKEN instead of an upsert the key refuses every run.
  filter: or(ne('_o25fs_project_value', null), ne('_o25fs_projecttask_value', null)),
  mode: 'full',
  field: 'workOrders',
};

export const WO_REQUIREMENTS: Table<RequirementRow> = {
  name: 'msdyn_resourcerequirements',
  service: 'dataverse',
  path: 'msdyn_resourcerequirements',
  key: 'msdyn_resourcerequirementid',
  columns: ['msdyn_resourcerequirementid', '_msdyn_workorder_value', 'msdyn_fromdate', 'msdyn_todate', 'msdyn_duration', 'createdon'],
  filter: ne('_msdyn_workorder_value', null),
  mode: 'full',
  field: 'workOrderRequirements',
};

export const WO_BOOKINGS: Table<BookingRow> = {
  name: 'bookableresourcebookings',
  service: 'dataverse',
  path: 'bookableresourcebookings',
  key: 'bookableresourcebookingid',
  columns: ['bookableresourcebookingid', '_msdyn_workorder_value', '_bookingstatus_value', 'starttime', 'endtime', 'duration', 'msdyn_actualarrivaltime'],
  filter: ne('_msdyn_workorder_value', null),
  mode: 'full',
  field: 'workOrderBookings',
};

export const WO_BOOKING_STATUSES: Table<BookingStatusRow> = {
  name: 'bookingstatuses',
  service: 'dataverse',
  path: 'bookingstatuses',
  key: 'bookingstatusid',
  columns: ['bookingstatusid', 'name', 'status', 'msdyn_fieldservicestatus'],
  mode: 'full',
  field: 'bookingStatuses',
};

export const WO_TYPES: Table<WorkOrderTypeRow> = {
  name: 'msdyn_workordertypes',
  service: 'dataverse',
  path: 'msdyn_workordertypes',
  key: 'msdyn_workordertypeid',
  columns: ['msdyn_workordertypeid', 'msdyn_name', '_msdyn_pricelist_value', 'statecode'],
  filter: eq('statecode', 0),
  mode: 'full',
  field: 'workOrderTypes',
};

export const WORK_ORDER_TABLES: readonly Table[] = [WO_PROJECTS, WO_TASKS, WO_WORK_ORDERS, WO_REQUIREMENTS, WO_BOOKINGS, WO_BOOKING_STATUSES, WO_TYPES] as Table[];
