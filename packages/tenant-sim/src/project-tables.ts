/**
 * The Project Operations tables of seed 002 (issue 14): msdyn_project and msdyn_projecttask, with
 * the custom columns the project-work-orders family adds (docs/dataverse-schema.md of the repository).
 * Sources: the Project Operations column renames (learn.microsoft.com/dynamics365/project-operations/psa/psa-project-operations-changes),
 * the schedule API's entity list (learn.microsoft.com/dynamics365/project-operations/project-management/schedule-api-preview)
 * and custom task columns (learn.microsoft.com/dynamics365/project-operations/project-management/enterprise-task-custom-columns).
 * They are TypeScript, not rows of schemas/dataverse-entities.json, so that the seed's tables stay in
 * the files that own them; entities.ts appends them (docs/simulator-dataverse.md "Project and Field Service tables").
 */
import type { EntitySpec } from './dataverse/schema.js';
import { BOOKING_SYSTEM_STATUS } from './booking-tables.js';

/** o25fs_taskstage: Ready to Sync is the seed's stage; the others are this product's choice. */
export const TASK_STAGE: Record<number, string> = {
  808950000: 'Planned',
  808950001: 'Ready to Sync',
  808950002: 'Synced',
  808950003: 'On Hold',
};
export const TASK_READY_TO_SYNC = 808950001;

const ACTIVE_INACTIVE: EntitySpec['states'] = { 0: ['Active', { 1: 'Active' }], 1: ['Inactive', { 2: 'Inactive' }] };

export const PROJECT_TABLES: EntitySpec[] = [
  {
    set: 'msdyn_projects',
    logicalName: 'msdyn_project',
    primaryName: 'msdyn_subject',
    changeTracking: true,
    states: ACTIVE_INACTIVE,
    columns: [
      { name: 'msdyn_subject', type: 'String', maxLength: 200, required: true },
      { name: 'msdyn_description', type: 'Memo', maxLength: 2000 },
      // msdyn_customer is a Customer lookup: account or contact, one navigation property each.
      { name: '_msdyn_customer_value', type: 'Lookup', navs: { msdyn_customer_account: 'accounts', msdyn_customer_contact: 'contacts' }, onDelete: 'RemoveLink' },
      { name: 'msdyn_scheduledstart', type: 'DateTime' },
      { name: 'msdyn_finish', type: 'DateTime' },
      { name: 'msdyn_effort', type: 'Double', min: 0 },
      { name: 'msdyn_effortcompleted', type: 'Double', min: 0 },
      { name: 'msdyn_effortremaining', type: 'Double', min: 0 },
      { name: 'msdyn_progress', type: 'Decimal', min: 0, max: 1 },
      { name: 'o25fs_taskscompleted', type: 'Integer', min: 0, max: 100000 },
      { name: 'o25fs_percentcomplete', type: 'Decimal', min: 0, max: 100 },
    ],
  },
  {
    set: 'msdyn_projecttasks',
    logicalName: 'msdyn_projecttask',
    primaryName: 'msdyn_subject',
    changeTracking: true,
    states: ACTIVE_INACTIVE,
    columns: [
      { name: 'msdyn_subject', type: 'String', maxLength: 450, required: true },
      { name: '_msdyn_project_value', type: 'Lookup', navs: { msdyn_project: 'msdyn_projects' }, onDelete: 'Cascade', required: true },
      // The parent task: a task with children is a summary task (the WBS).
      { name: '_msdyn_parenttask_value', type: 'Lookup', navs: { msdyn_parenttask: 'msdyn_projecttasks' }, onDelete: 'Cascade' },
      { name: 'msdyn_outlinelevel', type: 'Integer', min: 1, max: 100 },
      { name: 'msdyn_displaysequence', type: 'Double' },
      { name: 'msdyn_start', type: 'DateTime' },
      { name: 'msdyn_finish', type: 'DateTime' },
      // The legacy PSA names of start and finish, which the seed's samples still use.
      { name: 'msdyn_scheduledstart', type: 'DateTime' },
      { name: 'msdyn_scheduledend', type: 'DateTime' },
      { name: 'msdyn_duration', type: 'Double', min: 0 },
      { name: 'msdyn_effort', type: 'Double', min: 0 },
      { name: 'msdyn_effortcompleted', type: 'Double', min: 0 },
      { name: 'msdyn_effortremaining', type: 'Double', min: 0 },
      { name: 'msdyn_progress', type: 'Decimal', min: 0, max: 1 },
      { name: 'msdyn_actualstart', type: 'DateTime' },
      { name: 'msdyn_actualend', type: 'DateTime' },
      { name: 'msdyn_summary', type: 'Boolean', default: false },
      { name: 'o25fs_taskstage', type: 'Picklist', options: TASK_STAGE, default: 808950000 },
      { name: 'o25fs_fieldservicestatus', type: 'Picklist', options: BOOKING_SYSTEM_STATUS },
      { name: 'o25fs_actualstart', type: 'DateTime' },
      { name: 'o25fs_actualend', type: 'DateTime' },
      { name: 'o25fs_actualeffort', type: 'Decimal', min: 0, max: 1000000 },
      { name: 'o25fs_effortvariance', type: 'Decimal', min: -1000000, max: 1000000 },
      { name: 'o25fs_percentcomplete', type: 'Decimal', min: 0, max: 100 },
      { name: 'o25fs_syncerror', type: 'Memo', maxLength: 2000 },
    ],
  },
];
