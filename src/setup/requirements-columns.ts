/**
 * The columns the product adds to Dataverse, per family, with their types, limits and choice values:
 * docs/dataverse-schema.md ("Columns the product adds to `contact`", "Customer portal", "Project work
 * orders") in data. The option values come from the families' own constants (the values they read
 * and write), so a value changed there changes what setup creates and doctor checks; the labels
 * are the docs' (Dataverse shows them, the product never reads them).
 *
 * Setup is a command-line entry point like src/cli/, so it may read the families' constants
 * (eslint.config.js).
 */
import { PORTAL_STATUS } from '../../reconcilers/portal/status.js';
import { READY_TO_SYNC } from '../../reconcilers/project-work-orders/rows.js';
import { ACCOUNT_TYPE } from '../../reconcilers/technicians/desired.js';
import { statusToOptionValue } from '../../reconcilers/technicians/status-codes.js';
import type { ProvisioningStatus } from '../model/plan.js';

/** The AttributeType (AttributeTypeCode) of a column, as the Web API's definitions name it. */
export type ColumnType = 'String' | 'Memo' | 'Integer' | 'Decimal' | 'DateTime' | 'Picklist' | 'Boolean' | 'Lookup';

export interface ChoiceOption {
  value: number;
  label: string;
}

export interface ColumnRequirement {
  /** The family that needs it (Settings.families key). */
  family: string;
  /** Table logical name. */
  table: string;
  logicalName: string;
  schemaName: string;
  displayName: string;
  type: ColumnType;
  maxLength?: number;
  min?: number;
  max?: number;
  /** Picklist: every value must exist (the product stores and compares them). */
  options?: readonly ChoiceOption[];
  /** Why setup cannot create it through the Attributes endpoint (a lookup needs a relationship). */
  manual?: string;
}

/** The docs' labels of o25fs_provisioningstatus, in the order of the values. */
const PROVISIONING_LABELS: Readonly<Record<ProvisioningStatus, string>> = {
  pending: 'Pending',
  invited: 'Invited',
  waiting_for_dataverse_user: 'Waiting for Dataverse user',
  active: 'Active',
  deprovisioned: 'Deprovisioned',
  removal_blocked: 'Removal blocked',
  no_licence_units: 'No licence units',
  error: 'Error',
  quarantined: 'Quarantined',
  out_of_scope: 'Out of scope',
};

const provisioningOptions: ChoiceOption[] = (Object.entries(PROVISIONING_LABELS) as [ProvisioningStatus, string][])
  .map(([status, label]) => ({ value: statusToOptionValue(status), label }))
  .sort((a, b) => a.value - b.value);

const contact = (family: string, c: Omit<ColumnRequirement, 'family' | 'table'>): ColumnRequirement => ({ family, table: 'contact', ...c });

const TECHNICIANS: ColumnRequirement[] = [
  contact('technicians', { logicalName: 'o25fs_entraobjectid', schemaName: 'o25fs_EntraObjectId', displayName: 'Entra Object Id', type: 'String', maxLength: 100 }),
  contact('technicians', { logicalName: 'o25fs_provisioningstatus', schemaName: 'o25fs_ProvisioningStatus', displayName: 'Provisioning Status', type: 'Picklist', options: provisioningOptions }),
  contact('technicians', { logicalName: 'o25fs_provisioningerror', schemaName: 'o25fs_ProvisioningError', displayName: 'Provisioning Error', type: 'Memo', maxLength: 4000 }),
  contact('technicians', { logicalName: 'o25fs_consecutivefailures', schemaName: 'o25fs_ConsecutiveFailures', displayName: 'Consecutive Failures', type: 'Integer', min: 0, max: 2147483647 }),
  contact('technicians', { logicalName: 'o25fs_nextattemptat', schemaName: 'o25fs_NextAttemptAt', displayName: 'Next Attempt At', type: 'DateTime' }),
  contact('technicians', {
    logicalName: 'o25fs_accounttype', schemaName: 'o25fs_AccountType', displayName: 'Account Type', type: 'Picklist',
    options: [{ value: ACCOUNT_TYPE.guest, label: 'Guest' }, { value: ACCOUNT_TYPE.service, label: 'Service account' }],
  }),
];

const PORTAL: ColumnRequirement[] = [
  contact('portal', { logicalName: 'o25fs_portalaccess', schemaName: 'o25fs_PortalAccess', displayName: 'Portal Access', type: 'Boolean' }),
  contact('portal', {
    logicalName: 'o25fs_portalstatus', schemaName: 'o25fs_PortalStatus', displayName: 'Portal Status', type: 'Picklist',
    options: [
      { value: PORTAL_STATUS.invitationPending, label: 'Invitation pending' },
      { value: PORTAL_STATUS.invitationSent, label: 'Invitation sent' },
      { value: PORTAL_STATUS.active, label: 'Active on the portal' },
      { value: PORTAL_STATUS.accessRemoved, label: 'Access removed' },
      { value: PORTAL_STATUS.error, label: 'Error' },
    ],
  }),
  contact('portal', { logicalName: 'o25fs_portalerror', schemaName: 'o25fs_PortalError', displayName: 'Portal Error', type: 'Memo', maxLength: 2000 }),
];

const WORK_ORDERS = 'project-work-orders';
const task = (c: Omit<ColumnRequirement, 'family' | 'table'>): ColumnRequirement => ({ family: WORK_ORDERS, table: 'msdyn_projecttask', ...c });
const project = (c: Omit<ColumnRequirement, 'family' | 'table'>): ColumnRequirement => ({ family: WORK_ORDERS, table: 'msdyn_project', ...c });
const PROJECT_WORK_ORDERS: ColumnRequirement[] = [
  task({
    logicalName: 'o25fs_taskstage', schemaName: 'o25fs_TaskStage', displayName: 'Task Stage', type: 'Picklist',
    options: [{ value: READY_TO_SYNC - 1, label: 'Planned' }, { value: READY_TO_SYNC, label: 'Ready to Sync' }, { value: READY_TO_SYNC + 1, label: 'Synced' }, { value: READY_TO_SYNC + 2, label: 'On Hold' }],
  }),
  task({
    logicalName: 'o25fs_fieldservicestatus', schemaName: 'o25fs_FieldServiceStatus', displayName: 'Field Service Status', type: 'Picklist',
    options: ['Scheduled', 'Traveling', 'In Progress', 'On Break', 'Completed', 'Canceled'].map((label, i) => ({ value: 690970000 + i, label })),
  }),
  task({ logicalName: 'o25fs_actualstart', schemaName: 'o25fs_ActualStart', displayName: 'Actual Start', type: 'DateTime' }),
  task({ logicalName: 'o25fs_actualend', schemaName: 'o25fs_ActualEnd', displayName: 'Actual End', type: 'DateTime' }),
  task({ logicalName: 'o25fs_actualeffort', schemaName: 'o25fs_ActualEffort', displayName: 'Actual Effort', type: 'Decimal', min: 0, max: 1000000 }),
  task({ logicalName: 'o25fs_effortvariance', schemaName: 'o25fs_EffortVariance', displayName: 'Effort Variance', type: 'Decimal', min: -1000000, max: 1000000 }),
  task({ logicalName: 'o25fs_percentcomplete', schemaName: 'o25fs_PercentComplete', displayName: 'Percent Complete', type: 'Decimal', min: 0, max: 100 }),
  task({ logicalName: 'o25fs_syncerror', schemaName: 'o25fs_SyncError', displayName: 'Sync Error', type: 'Memo', maxLength: 2000 }),
  project({ logicalName: 'o25fs_taskscompleted', schemaName: 'o25fs_TasksCompleted', displayName: 'Tasks Completed', type: 'Integer', min: 0, max: 100000 }),
  project({ logicalName: 'o25fs_percentcomplete', schemaName: 'o25fs_PercentComplete', displayName: 'Percent Complete', type: 'Decimal', min: 0, max: 100 }),
  {
    family: WORK_ORDERS, table: 'msdyn_workorder', logicalName: 'o25fs_projecttask', schemaName: 'o25fs_ProjectTask', displayName: 'Project Task', type: 'Lookup',
    manual: 'a lookup is created with its relationship: add it in the maker portal (docs/dataverse-schema.md "Project work orders"); setup then adds its alternate key',
  },
];

/** An alternate key the product relies on (docs/dataverse-schema.md "Project work orders"). */
export interface KeyRequirement {
  family: string;
  table: string;
  schemaName: string;
  displayName: string;
  /** The key's columns (logical names); a key matches whatever its name when these are its KeyAttributes. */
  attributes: readonly string[];
  why: string;
}

/** Every alternate key the product relies on, by family. */
export const KEYS_BY_FAMILY: Readonly<Record<string, readonly KeyRequirement[]>> = {
  [WORK_ORDERS]: [{
    family: WORK_ORDERS, table: 'msdyn_workorder', schemaName: 'o25fs_ProjectTaskKey', displayName: 'Project Task', attributes: ['o25fs_projecttask'],
    why: 'the work order create is an upsert by this key, so a crash or a rerun never makes two',
  }],
};

/** Every column the product adds, by family (Settings.families key). */
export const COLUMNS_BY_FAMILY: Readonly<Record<string, readonly ColumnRequirement[]>> = {
  technicians: TECHNICIANS,
  portal: PORTAL,
  [WORK_ORDERS]: PROJECT_WORK_ORDERS,
};
