/**
 * The demo tenant's Project Operations project (issue 14 of the product, "The demo tenant holds a
 * small project"): a fibre roll-out for the portal's customer Coho Winery (demo-portal.ts), whose
 * tasks show what the project-work-orders family does in the demo. A summary task holds four leaf
 * tasks, each in one of PROJECT_CASES; the family's reference data beside it: a work order type with
 * its price list (the family's price list when WORK_ORDER_PRICE_LIST_ID is not set) and the standard
 * booking statuses, each with its Field Service status (msdyn_fieldservicestatus, the global choice
 * msdyn_bookingsystemstatus:
 * https://learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookingstatus;
 * Committed for all but Canceled, as a new Field Service environment has them).
 *
 * The survey task's work order was made earlier (by the product: it carries the product's lookups)
 * and its one booking is Completed, so the first run writes the task's and the project's progress
 * columns; they start blank. Its technician is a converged one of the demo (demo-cases.ts), so the
 * booking's resource is a bookable resource the technicians family keeps as it is.
 */
import { FS } from './booking-tables.js';
import { CREATED, demoId } from './demo-reference.js';
import type { Row } from './fixture-builders.js';
import { TASK_READY_TO_SYNC } from './project-tables.js';
import { WO_STATUS } from './workorder-tables.js';

export const PROJECT_ID = demoId('project:coho-fibre-rollout');
export const PROJECT_CUSTOMER_ID = demoId('account:coho');
export const WORK_ORDER_TYPE_ID = demoId('workordertype:installation');
export const PRICE_LIST_ID = demoId('pricelevel:field-services');
/** The converged technician whose bookable resource did the survey (demo-fixture.ts names resources so). */
const SURVEYOR_RESOURCE_ID = demoId('bookableresource:converged-1');

/** o25fs_taskstage Planned (project-tables.ts TASK_STAGE). */
const PLANNED = 808950000;

export type ProjectCase = 'project-summary-ready' | 'project-ready' | 'project-planned' | 'project-completed';

/** What each task case is and what the reconciler should do about it. */
export const PROJECT_CASES: Record<ProjectCase, { state: string; expected: string }> = {
  'project-summary-ready': { state: 'The summary task, marked Ready to Sync by mistake (it has child tasks).', expected: 'No work order; an error on the task alone (WORKORDER_SUMMARY_TASK), written to its o25fs_syncerror.' },
  'project-ready': { state: 'A leaf task marked Ready to Sync, with no work order yet.', expected: 'One work order (Unscheduled) for the project\'s customer, the demo\'s work order type and its price list, promised for the task\'s dates; the next run sets its resource requirement\'s duration (Field Service creates it with 0).' },
  'project-planned': { state: 'A leaf task still Planned.', expected: 'Nothing: no work order, no write.' },
  'project-completed': { state: 'A leaf task Ready to Sync whose work order was made earlier, booked and Completed (one booking, Completed, 9 hours for 8 planned); its progress columns blank.', expected: 'Its progress columns written back (Completed, the arrival and the end, 9 hours, +1 variance, 100%); the project 1 of 3 tasks completed, 33%.' },
};

export interface ProjectTask {
  key: string;
  case: ProjectCase;
  subject: string;
  /** The day in March 2025 the task starts (and, for a leaf, ends). */
  day: number;
  /** Planned effort, hours. */
  effort: number;
}

export const PROJECT_TASKS: ProjectTask[] = [
  { key: 'estate-network', case: 'project-summary-ready', subject: 'Estate fibre network', day: 3, effort: 32 },
  { key: 'survey-ducts', case: 'project-completed', subject: 'Survey duct routes', day: 3, effort: 8 },
  { key: 'install-cabinet', case: 'project-ready', subject: 'Install street cabinet', day: 10, effort: 8 },
  { key: 'splice-cellar', case: 'project-ready', subject: 'Splice fibre to the cellar door', day: 11, effort: 8 },
  { key: 'connect-visitors', case: 'project-planned', subject: 'Connect the visitor centre', day: 12, effort: 8 },
];

export const projectTaskId = (key: string): string => demoId(`projecttask:${key}`);
const SUMMARY_KEY = 'estate-network';
const at = (day: number, hour: number): string => `2025-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;

function taskRow(t: ProjectTask): Row {
  const summary = t.key === SUMMARY_KEY;
  const last = Math.max(...PROJECT_TASKS.map((x) => x.day));
  return {
    msdyn_projecttaskid: projectTaskId(t.key),
    msdyn_subject: t.subject,
    _msdyn_project_value: PROJECT_ID,
    _msdyn_parenttask_value: summary ? null : projectTaskId(SUMMARY_KEY),
    msdyn_outlinelevel: summary ? 1 : 2,
    msdyn_start: at(t.day, 8),
    msdyn_finish: at(summary ? last : t.day, 16),
    msdyn_effort: t.effort,
    o25fs_taskstage: t.case === 'project-planned' ? PLANNED : TASK_READY_TO_SYNC,
    o25fs_fieldservicestatus: null,
    o25fs_actualstart: null,
    o25fs_actualend: null,
    o25fs_actualeffort: null,
    o25fs_effortvariance: null,
    o25fs_percentcomplete: null,
    o25fs_syncerror: null,
    statecode: 0,
    statuscode: 1,
    createdon: CREATED,
  };
}

const STATUSES: [key: string, name: string, fs: number][] = [
  ['scheduled', 'Scheduled', FS.scheduled],
  ['traveling', 'Traveling', FS.traveling],
  ['in-progress', 'In Progress', FS.inProgress],
  ['on-break', 'On Break', FS.onBreak],
  ['completed', 'Completed', FS.completed],
  ['canceled', 'Canceled', FS.canceled],
];
export const bookingStatusId = (key: string): string => demoId(`bookingstatus:${key}`);

/** The survey's work order, its requirement and its Completed booking: 08:30 arrival, 9 hours on site. */
function completedWork(t: ProjectTask): Record<string, Row[]> {
  const workOrderId = demoId(`workorder:${t.key}`);
  const requirementId = demoId(`resourcerequirement:${t.key}`);
  const [start, end] = [at(t.day, 8), at(t.day, 17)];
  return {
    msdyn_workorders: [{
      msdyn_workorderid: workOrderId,
      msdyn_name: 'WO-00001',
      _msdyn_serviceaccount_value: PROJECT_CUSTOMER_ID,
      _msdyn_workordertype_value: WORK_ORDER_TYPE_ID,
      _msdyn_pricelist_value: PRICE_LIST_ID,
      msdyn_systemstatus: WO_STATUS.completed,
      msdyn_taxable: false,
      msdyn_instructions: t.subject,
      msdyn_timefrompromised: start,
      msdyn_timetopromised: at(t.day, 16),
      msdyn_firstarrivedon: at(t.day, 8).replace(':00:00Z', ':30:00Z'),
      msdyn_completedon: end,
      _o25fs_projecttask_value: projectTaskId(t.key),
      _o25fs_project_value: PROJECT_ID,
      statecode: 0,
      statuscode: 1,
      createdon: CREATED,
    }],
    msdyn_resourcerequirements: [{
      msdyn_resourcerequirementid: requirementId,
      msdyn_name: 'WO-00001',
      _msdyn_workorder_value: workOrderId,
      msdyn_fromdate: start.slice(0, 10),
      msdyn_todate: start.slice(0, 10),
      msdyn_duration: t.effort * 60,
      msdyn_allocationmethod: 192350000,
      statecode: 0,
      statuscode: 1,
      createdon: CREATED,
    }],
    bookableresourcebookings: [{
      bookableresourcebookingid: demoId(`booking:${t.key}`),
      name: t.subject,
      _bookingstatus_value: bookingStatusId('completed'),
      _resource_value: SURVEYOR_RESOURCE_ID,
      _msdyn_workorder_value: workOrderId,
      _msdyn_resourcerequirement_value: requirementId,
      starttime: start,
      endtime: end,
      duration: 540,
      bookingtype: 1,
      msdyn_actualarrivaltime: at(t.day, 8).replace(':00:00Z', ':30:00Z'),
      statecode: 0,
      statuscode: 1,
      createdon: CREATED,
      // Every Dataverse row carries modifiedon; the mobility feed (GET /api/bookings) pages by it.
      modifiedon: end,
    }],
  };
}

/** The project's tables for the demo's Dataverse; its customer is the portal's Coho Winery account. */
export function projectTables(): Record<string, Row[]> {
  const done = PROJECT_TASKS.filter((t) => t.case === 'project-completed').map(completedWork);
  const rows = (table: string): Row[] => done.flatMap((d) => d[table] ?? []);
  return {
    msdyn_projects: [{
      msdyn_projectid: PROJECT_ID,
      msdyn_subject: 'Fibre roll-out, Coho Winery estate',
      _msdyn_customer_value: PROJECT_CUSTOMER_ID,
      msdyn_scheduledstart: at(3, 8),
      o25fs_taskscompleted: null,
      o25fs_percentcomplete: null,
      statecode: 0,
      statuscode: 1,
      createdon: CREATED,
    }],
    msdyn_projecttasks: PROJECT_TASKS.map(taskRow),
    pricelevels: [{ pricelevelid: PRICE_LIST_ID, name: 'Field services 2025', statecode: 0, statuscode: 100001 }],
    msdyn_workordertypes: [{ msdyn_workordertypeid: WORK_ORDER_TYPE_ID, msdyn_name: 'Installation', _msdyn_pricelist_value: PRICE_LIST_ID, msdyn_incidentrequired: false, statecode: 0, statuscode: 1 }],
    bookingstatuses: STATUSES.map(([key, name, fs]) => ({ bookingstatusid: bookingStatusId(key), name, status: fs === FS.canceled ? 3 : 2, msdyn_fieldservicestatus: fs, statecode: 0, statuscode: 1 })),
    msdyn_workorders: rows('msdyn_workorders'),
    msdyn_resourcerequirements: rows('msdyn_resourcerequirements'),
    bookableresourcebookings: rows('bookableresourcebookings'),
  };
}
