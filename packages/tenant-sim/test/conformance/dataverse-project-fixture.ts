/**
 * A seed-002 fixture shared by the dataverse-project-*.test.ts files: a project with a summary task
 * and two leaf tasks, a work order type, a price list, booking statuses mapped to each Field Service
 * status (plus one with no mapping and one that does not complete the work order), on top of the
 * shared Dataverse fixture (its account and bookable resource).
 */
import type { Fixture } from '../../src/index.js';
import { ACCOUNT_A, RESOURCE_1, dataverseFixture, g } from './dataverse-fixture.js';

export const PROJECT = g(1, 'a1a1a1a1');
export const SUMMARY_TASK = g(1, 'a2a2a2a2');
export const TASK_1 = g(2, 'a2a2a2a2');
export const TASK_2 = g(3, 'a2a2a2a2');
export const WO_TYPE = g(1, 'a3a3a3a3');
export const PRICE_LIST = g(1, 'a4a4a4a4');
export const STATUS = {
  scheduled: g(1, 'a5a5a5a5'),
  traveling: g(2, 'a5a5a5a5'),
  inProgress: g(3, 'a5a5a5a5'),
  completed: g(4, 'a5a5a5a5'),
  canceled: g(5, 'a5a5a5a5'),
  unmapped: g(6, 'a5a5a5a5'),
  incomplete: g(7, 'a5a5a5a5'),
};
export { ACCOUNT_A, RESOURCE_1, g };

export function projectFixture(): Fixture {
  const f = dataverseFixture();
  const dv = f.dataverse!;
  const task = (id: string, subject: string, parent: string | null, stage: number): Record<string, unknown> => ({
    msdyn_projecttaskid: id, msdyn_subject: subject, _msdyn_project_value: PROJECT, _msdyn_parenttask_value: parent,
    msdyn_start: '2027-01-04T08:00:00Z', msdyn_finish: '2027-01-06T17:00:00Z', msdyn_effort: 16, o25fs_taskstage: stage, statecode: 0, statuscode: 1,
  });
  dv.msdyn_projects = [{ msdyn_projectid: PROJECT, msdyn_subject: 'Fibre rollout', _msdyn_customer_value: ACCOUNT_A, statecode: 0, statuscode: 1 }];
  dv.msdyn_projecttasks = [task(SUMMARY_TASK, 'Street cabinets', null, 808950000), task(TASK_1, 'Install cabinet 1', SUMMARY_TASK, 808950001), task(TASK_2, 'Install cabinet 2', SUMMARY_TASK, 808950000)];
  dv.pricelevels = [{ pricelevelid: PRICE_LIST, name: 'Field services 2027', statecode: 0, statuscode: 100001 }];
  dv.msdyn_workordertypes = [{ msdyn_workordertypeid: WO_TYPE, msdyn_name: 'Installation', _msdyn_pricelist_value: PRICE_LIST, statecode: 0, statuscode: 1 }];
  const status = (id: string, name: string, fs: number | null, completes = true): Record<string, unknown> => ({
    bookingstatusid: id, name, status: fs === 690970005 ? 3 : 2, msdyn_fieldservicestatus: fs, msdyn_statuscompletesworkorder: completes, statecode: 0, statuscode: 1,
  });
  dv.bookingstatuses = [
    status(STATUS.scheduled, 'Acknowledged', 690970000),
    status(STATUS.traveling, 'Travel', 690970001),
    status(STATUS.inProgress, 'Onsite', 690970003),
    status(STATUS.completed, 'Complete', 690970004),
    status(STATUS.canceled, 'Cancelled', 690970005),
    status(STATUS.unmapped, 'Custom', null),
    status(STATUS.incomplete, 'Incomplete', 690970004, false),
  ];
  return f;
}

/** The documented create body (create-work-order-api-example) with the product's lookups. */
export function workOrderBody(task: string | null): Record<string, unknown> {
  return {
    'msdyn_serviceaccount@odata.bind': `/accounts(${ACCOUNT_A})`,
    'msdyn_workordertype@odata.bind': `/msdyn_workordertypes(${WO_TYPE})`,
    'msdyn_pricelist@odata.bind': `/pricelevels(${PRICE_LIST})`,
    msdyn_systemstatus: 690970000,
    msdyn_taxable: false,
    msdyn_instructions: 'Install cabinet 1',
    msdyn_timefrompromised: '2027-01-04T08:00:00Z',
    msdyn_timetopromised: '2027-01-06T17:00:00Z',
    'o25fs_Project@odata.bind': `/msdyn_projects(${PROJECT})`,
    ...(task ? { 'o25fs_ProjectTask@odata.bind': `/msdyn_projecttasks(${task})` } : {}),
  };
}

export function bookingBody(workOrder: string, status: string): Record<string, unknown> {
  return {
    name: 'Cabinet 1 visit',
    'BookingStatus@odata.bind': `/bookingstatuses(${status})`,
    'Resource@odata.bind': `/bookableresources(${RESOURCE_1})`,
    'msdyn_workorder@odata.bind': `/msdyn_workorders(${workOrder})`,
    starttime: '2027-01-04T08:00:00Z',
    endtime: '2027-01-04T12:00:00Z',
    duration: 240,
  };
}
