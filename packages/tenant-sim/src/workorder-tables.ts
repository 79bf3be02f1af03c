/**
 * The Field Service work order tables of seed 002 (issue 14): msdyn_workordertype, pricelevel,
 * msdyn_workorder (with the product's o25fs_projecttask and o25fs_project lookups; the alternate key on
 * o25fs_projecttask is served by workorder-key.ts) and msdyn_resourcerequirement.
 * Sources: learn.microsoft.com/dynamics365/field-service/developer/reference/entities/msdyn_workorder
 * (msdyn_serviceaccount, msdyn_workordertype, msdyn_pricelist, msdyn_systemstatus, msdyn_taxable
 * ApplicationRequired; the system status values), learn.microsoft.com/dynamics365/field-service/developer/create-work-order-api-example,
 * …/entities/msdyn_resourcerequirement, learn.microsoft.com/power-apps/developer/data-platform/reference/entities/pricelevel
 * and …/field-service/developer/reference/entities/msdyn_workordertype.
 */
import type { EntitySpec } from './dataverse/schema.js';

export const WO_STATUS = { unscheduled: 690970000, scheduled: 690970001, inProgress: 690970002, completed: 690970003, posted: 690970004, canceled: 690970005 } as const;

const SYSTEM_STATUS: Record<number, string> = {
  690970000: 'Unscheduled',
  690970001: 'Scheduled',
  690970002: 'In Progress',
  690970003: 'Completed',
  690970004: 'Posted',
  690970005: 'Canceled',
};
const ACTIVE_INACTIVE: EntitySpec['states'] = { 0: ['Active', { 1: 'Active' }], 1: ['Inactive', { 2: 'Inactive' }] };

export const WORK_ORDER_TABLES: EntitySpec[] = [
  {
    set: 'pricelevels',
    logicalName: 'pricelevel',
    primaryName: 'name',
    // pricelevel.md: statuscode 100001 Active, 100002 Inactive.
    states: { 0: ['Active', { 100001: 'Active' }], 1: ['Inactive', { 100002: 'Inactive' }] },
    columns: [{ name: 'name', type: 'String', maxLength: 100, required: true }],
  },
  {
    set: 'msdyn_workordertypes',
    logicalName: 'msdyn_workordertype',
    primaryName: 'msdyn_name',
    states: ACTIVE_INACTIVE,
    columns: [
      { name: 'msdyn_name', type: 'String', maxLength: 100, required: true },
      { name: '_msdyn_pricelist_value', type: 'Lookup', navs: { msdyn_PriceList: 'pricelevels' }, onDelete: 'RemoveLink' },
      { name: 'msdyn_incidentrequired', type: 'Boolean', default: false },
    ],
  },
  {
    set: 'msdyn_workorders',
    logicalName: 'msdyn_workorder',
    primaryName: 'msdyn_name',
    changeTracking: true,
    states: ACTIVE_INACTIVE,
    columns: [
      // Work Order Number: autonumbered when the create leaves it out (workorder-key.ts).
      { name: 'msdyn_name', type: 'String', maxLength: 100 },
      { name: '_msdyn_serviceaccount_value', type: 'Lookup', navs: { msdyn_serviceaccount: 'accounts' }, onDelete: 'Restrict', required: true },
      { name: '_msdyn_billingaccount_value', type: 'Lookup', navs: { msdyn_billingaccount: 'accounts' }, onDelete: 'RemoveLink' },
      { name: '_msdyn_workordertype_value', type: 'Lookup', navs: { msdyn_workordertype: 'msdyn_workordertypes' }, onDelete: 'Restrict', required: true },
      { name: '_msdyn_pricelist_value', type: 'Lookup', navs: { msdyn_pricelist: 'pricelevels' }, onDelete: 'Restrict', required: true },
      { name: 'msdyn_systemstatus', type: 'Picklist', options: SYSTEM_STATUS, required: true, default: WO_STATUS.unscheduled },
      { name: 'msdyn_taxable', type: 'Boolean', required: true, default: false },
      { name: 'msdyn_instructions', type: 'Memo', maxLength: 20000 },
      { name: 'msdyn_timefrompromised', type: 'DateTime' },
      { name: 'msdyn_timetopromised', type: 'DateTime' },
      { name: 'msdyn_totalestimatedduration', type: 'Integer', min: 0, max: 2147483647 },
      { name: 'msdyn_firstarrivedon', type: 'DateTime', readOnly: true },
      { name: 'msdyn_completedon', type: 'DateTime', readOnly: true },
      // The product's lookups (docs/dataverse-schema.md); one work order per task: the alternate key.
      { name: '_o25fs_projecttask_value', type: 'Lookup', navs: { o25fs_ProjectTask: 'msdyn_projecttasks' }, onDelete: 'RemoveLink' },
      { name: '_o25fs_project_value', type: 'Lookup', navs: { o25fs_Project: 'msdyn_projects' }, onDelete: 'RemoveLink' },
    ],
  },
  {
    set: 'msdyn_resourcerequirements',
    logicalName: 'msdyn_resourcerequirement',
    primaryName: 'msdyn_name',
    changeTracking: true,
    states: ACTIVE_INACTIVE,
    columns: [
      { name: 'msdyn_name', type: 'String', maxLength: 100 },
      { name: '_msdyn_workorder_value', type: 'Lookup', navs: { msdyn_WorkOrder: 'msdyn_workorders' }, onDelete: 'Cascade' },
      { name: 'msdyn_fromdate', type: 'DateTime', format: 'DateOnly' },
      { name: 'msdyn_todate', type: 'DateTime', format: 'DateOnly' },
      { name: 'msdyn_duration', type: 'Integer', min: 0, max: 2147483647 },
      { name: 'msdyn_timefrompromised', type: 'DateTime' },
      { name: 'msdyn_timetopromised', type: 'DateTime' },
      { name: 'msdyn_effort', type: 'Decimal', min: 0, max: 1000000000 },
      {
        name: 'msdyn_allocationmethod',
        type: 'Picklist',
        options: { 192350000: 'None', 192350001: 'Full capacity', 192350003: 'Distribute evenly', 192350004: 'Percentage capacity', 192350005: 'Front load' },
        default: 192350000,
      },
    ],
  },
];
