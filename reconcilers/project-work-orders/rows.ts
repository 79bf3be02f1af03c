/**
 * The Dataverse rows the project-work-orders family reads, under the standard logical names
 * (Project Operations' msdyn_project / msdyn_projecttask, Field Service's msdyn_workorder,
 * msdyn_resourcerequirement, bookableresourcebooking, bookingstatus) and the columns the product
 * adds (o25fs_*; docs/dataverse-schema.md). Lookups are read as their `_<column>_value` properties.
 */

/** msdyn_project, with the product's progress columns. */
export interface ProjectRow {
  msdyn_projectid: string;
  msdyn_subject: string | null;
  /** 0 Active, 1 Inactive. */
  statecode: number;
  /** The customer (an account): every work order's service account. */
  _msdyn_customer_value: string | null;
  o25fs_taskscompleted: number | null;
  o25fs_percentcomplete: number | null;
}

/** msdyn_projecttask. Only the o25fs_* columns are ever written (custom columns on WBS tables). */
export interface TaskRow {
  msdyn_projecttaskid: string;
  msdyn_subject: string | null;
  _msdyn_project_value: string | null;
  _msdyn_parenttask_value: string | null;
  msdyn_start: string | null;
  msdyn_finish: string | null;
  /** Planned effort, hours. */
  msdyn_effort: number | null;
  statecode: number;
  createdon?: string | null;
  /** The product's task stage choice; 808950001 Ready to Sync. */
  o25fs_taskstage: number | null;
  o25fs_fieldservicestatus: number | null;
  o25fs_actualstart: string | null;
  o25fs_actualend: string | null;
  o25fs_actualeffort: number | null;
  o25fs_effortvariance: number | null;
  o25fs_percentcomplete: number | null;
  o25fs_syncerror: string | null;
}

/** msdyn_workorder, with the product's links to the project and the task (alternate key on the task). */
export interface WorkOrderRow {
  msdyn_workorderid: string;
  msdyn_name: string | null;
  _o25fs_projecttask_value: string | null;
  _o25fs_project_value: string | null;
  msdyn_systemstatus: number;
  _msdyn_serviceaccount_value: string | null;
  _msdyn_workordertype_value: string | null;
  _msdyn_pricelist_value: string | null;
  msdyn_timefrompromised: string | null;
  msdyn_timetopromised: string | null;
  msdyn_instructions: string | null;
}

/** msdyn_resourcerequirement: Field Service creates one with each work order. */
export interface RequirementRow {
  msdyn_resourcerequirementid: string;
  _msdyn_workorder_value: string | null;
  /** DateOnly, "YYYY-MM-DD". */
  msdyn_fromdate: string | null;
  msdyn_todate: string | null;
  /** Minutes. */
  msdyn_duration: number | null;
  createdon?: string | null;
}

/** bookableresourcebooking of a work order. */
export interface BookingRow {
  bookableresourcebookingid: string;
  _msdyn_workorder_value: string | null;
  _bookingstatus_value: string | null;
  starttime: string | null;
  endtime: string | null;
  /** Minutes. */
  duration: number | null;
  msdyn_actualarrivaltime: string | null;
}

export interface BookingStatusRow {
  bookingstatusid: string;
  name: string | null;
  /** 1 Proposed, 2 Committed, 3 Canceled. */
  status: number | null;
  /** The Field Service meaning (settings.ts FS_STATUS); null: a status with no mapping. */
  msdyn_fieldservicestatus: number | null;
}

export interface WorkOrderTypeRow {
  msdyn_workordertypeid: string;
  msdyn_name: string | null;
  /** The type's price list: the work orders' price list when WORK_ORDER_PRICE_LIST_ID is not set. */
  _msdyn_pricelist_value?: string | null;
}

/** o25fs_taskstage 808950001 Ready to Sync. */
export const READY_TO_SYNC = 808950001;

/** msdyn_workorder.msdyn_systemstatus (Learn, msdyn_workorder table reference). */
export const WO_STATUS = {
  unscheduled: 690970000,
  scheduled: 690970001,
  inProgress: 690970002,
  completed: 690970003,
  posted: 690970004,
  canceled: 690970005,
} as const;
