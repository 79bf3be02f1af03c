/**
 * The words the report uses for the plan's codes. Vendor admins read these, so they say what happens
 * in the admin's terms ("Assign licence"), not the API's ("licence.assign"). Every map is a
 * Record over the model's union type, so a new ProvisioningStatus fails the typecheck here until it
 * has a label; a change kind's label is part of its kind's declaration.
 */
import type { ChangeOutcome, RunOutcome } from '../model/run.js';
import { KIND_LABELS } from '../kinds.js';
import type { ChangeKind, ProvisioningStatus, TargetEntity } from '../model/plan.js';

/** Each change kind's label, as its kind declares it (reconcilers/<family>/). */
export const CHANGE_KIND_LABELS: Readonly<Record<ChangeKind, string>> = KIND_LABELS;

export const STATUS_LABELS: Readonly<Record<ProvisioningStatus, string>> = {
  active: 'Active',
  invited: 'Invited',
  waiting_for_dataverse_user: 'Waiting for Dataverse user',
  pending: 'Changes pending',
  no_licence_units: 'No licence units',
  removal_blocked: 'Removal held back',
  error: 'Error',
  quarantined: 'Quarantined',
  deprovisioned: 'Deprovisioned',
  out_of_scope: 'Out of scope',
};

/** Every status, in the order the report lists them (the order of STATUS_LABELS). */
export const PROVISIONING_STATUSES: readonly ProvisioningStatus[] = Object.keys(STATUS_LABELS) as ProvisioningStatus[];

/** One sentence per status: what it means for the technician and whether anyone needs to act. */
export const STATUS_DESCRIPTIONS: Readonly<Record<ProvisioningStatus, string>> = {
  active: 'Fully set up: guest user, licence, group, bookable resource and characteristics are in place.',
  invited: 'The guest invitation was sent; the rest of the setup follows on the next runs.',
  waiting_for_dataverse_user:
    'Waiting for Dataverse to create the user record from Entra. This is normal and resolves on its own, usually within minutes.',
  pending: 'Changes are planned for this technician and will be applied by the next run.',
  no_licence_units: 'No licence unit is free for this technician. Buy or free a unit; the next run assigns it.',
  removal_blocked: 'A removal of access is held back by the threshold guard until an admin releases it.',
  error: 'Something needs an admin: see the error and what to do.',
  quarantined: 'This technician failed several runs in a row; runs try again less often until the cause is fixed.',
  deprovisioned: 'Access removed (licence, group, bookable resource). The guest user is kept, never deleted.',
  out_of_scope: 'Setup technician is off for this contact. Nothing is removed; what still exists is listed.',
};

export const CHANGE_OUTCOME_LABELS: Readonly<Record<ChangeOutcome, string>> = {
  applied: 'Applied',
  failed: 'Failed',
  skipped: 'Skipped',
  blocked: 'Held back',
  not_reached: 'Not reached',
};

/** What each outcome means, shown next to a change in a run's report. */
export const CHANGE_OUTCOME_DESCRIPTIONS: Readonly<Record<ChangeOutcome, string>> = {
  applied: 'Applied',
  failed: 'Failed',
  skipped: 'Skipped: an earlier step for this contact failed; the next run tries again',
  blocked: 'Held back by a guard',
  not_reached: 'Not reached: the run stopped before this change; the next run picks it up',
};

export const RUN_OUTCOME_LABELS: Readonly<Record<RunOutcome, string>> = {
  succeeded: 'Succeeded',
  partial: 'Partly succeeded',
  failed: 'Failed',
  stopped: 'Stopped early',
};

/** What each run outcome means for the admin. */
export const RUN_OUTCOME_DESCRIPTIONS: Readonly<Record<RunOutcome, string>> = {
  succeeded: 'Every change that was not held back was applied.',
  partial: 'Some contacts had errors, or a family stopped on its configuration; everything else went on.',
  failed: 'The run could not do its work; see the run error and what to do.',
  stopped: 'The run stopped before it finished (deadline, lost lock or configuration error); the next run picks up the rest.',
};

export const ENTITY_LABELS: Readonly<Record<TargetEntity, string>> = {
  user: 'Entra user',
  group: 'Technician group',
  contact: 'Contact',
  systemuser: 'Dataverse user',
  bookableresource: 'Bookable resource',
  bookableresourcecharacteristic: 'Resource characteristic',
  adx_invitation: 'Portal invitation',
  adx_webrole: 'Web role',
  msdyn_workorder: 'Work order',
  msdyn_resourcerequirement: 'Resource requirement',
  msdyn_projecttask: 'Project task',
  msdyn_project: 'Project',
};

/** Names for the columns and properties changes usually touch; anything else shows its own name. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  displayName: 'Display name',
  givenName: 'First name',
  surname: 'Last name',
  mail: 'Email',
  invitedUserEmailAddress: 'Email',
  invitedUserDisplayName: 'Display name',
  usageLocation: 'Usage location',
  accountEnabled: 'Sign-in allowed',
  userPrincipalName: 'Sign-in name',
  mailNickname: 'Mail nickname',
  otherMails: 'Other emails',
  companyName: 'Company name',
  department: 'Department',
  officeLocation: 'Office location',
  onPremisesExtensionAttributes: 'Extension attributes',
  contactid: 'Contact',
  adx_webroleid: 'Web role',
  adx_name: 'Name',
  adx_type: 'Invitation type',
  adx_expirydate: 'Valid until',
  _adx_invitecontact_value: 'Invited contact',
  _adx_website_value: 'Website',
  workflowId: 'Send workflow',
  skuId: 'Licence SKU',
  directlyAssigned: 'Assigned directly',
  groupId: 'Group',
  member: 'Member',
  o25fs_entraobjectid: 'Entra id',
  _o25fs_bookableresourceid_value: 'Bookable resource',
  address1_latitude: 'Latitude',
  address1_longitude: 'Longitude',
  name: 'Name',
  resourcetype: 'Resource type',
  _userid_value: 'Dataverse user',
  timezone: 'Time zone',
  statecode: 'State',
  statuscode: 'Status reason',
  msdyn_startlocation: 'Start location',
  msdyn_endlocation: 'End location',
  _msdyn_organizationalunit_value: 'Organizational unit',
  msdyn_displayonscheduleboard: 'Display on schedule board',
  msdyn_displayonscheduleassistant: 'Display on schedule assistant',
  msdyn_hourlyrate: 'Hourly rate',
  msdyn_timeoffapprovalrequired: 'Time-off approval required',
  _msdyn_warehouse_value: 'Warehouse',
  _characteristic_value: 'Characteristic',
  _ratingvalue_value: 'Rating',
  _resource_value: 'Bookable resource',
  msdyn_systemstatus: 'System status',
  msdyn_timefrompromised: 'Promised from',
  msdyn_timetopromised: 'Promised to',
  msdyn_instructions: 'Instructions',
  _o25fs_projecttask_value: 'Project task',
  _o25fs_project_value: 'Project',
  _msdyn_serviceaccount_value: 'Service account',
  _msdyn_workordertype_value: 'Work order type',
  _msdyn_pricelist_value: 'Price list',
  msdyn_fromdate: 'From date',
  msdyn_todate: 'To date',
  msdyn_duration: 'Duration (minutes)',
  o25fs_fieldservicestatus: 'Field service status',
  o25fs_actualstart: 'Actual start',
  o25fs_actualend: 'Actual end',
  o25fs_actualeffort: 'Actual effort (hours)',
  o25fs_effortvariance: 'Effort variance (hours)',
  o25fs_percentcomplete: 'Percent complete',
  o25fs_taskscompleted: 'Tasks completed',
};

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

const WORK_LOCATION: Readonly<Record<number, string>> = {
  690970000: 'Resource address (690970000)',
  690970001: 'Organizational unit address (690970001)',
  690970002: 'Location agnostic (690970002)',
};

/** Option-set columns whose numbers mean nothing to an admin. */
const FIELD_VALUE_LABELS: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  statecode: { 0: 'Active', 1: 'Inactive' },
  statuscode: { 1: 'Active', 2: 'Inactive' },
  resourcetype: { 1: 'Generic', 2: 'Contact', 3: 'User', 4: 'Equipment', 5: 'Account', 6: 'Crew', 7: 'Facility', 8: 'Pool' },
  // msdyn_workstartlocationtype; the meaning comes from a third-party early-bound file
  // (the original solution does not define it), so the number is kept next to the words.
  msdyn_startlocation: WORK_LOCATION,
  msdyn_endlocation: WORK_LOCATION,
};

/**
 * Option sets whose numbers mean something else on one table: an invitation's status reasons
 * (adx_invitation: 1 New, 756150000 Sent, 756150001 Redeemed, 2 Inactive) and its type.
 */
const ENTITY_FIELD_VALUE_LABELS: Readonly<Record<string, Readonly<Record<string, Readonly<Record<number, string>>>>>> = {
  adx_invitation: {
    statuscode: { 1: 'New', 756150000: 'Sent', 756150001: 'Redeemed', 2: 'Inactive' },
    adx_type: { 756150000: 'Single', 756150001: 'Group' },
  },
  // msdyn_workorder.msdyn_systemstatus (reconcilers/project-work-orders/rows.ts WO_STATUS).
  msdyn_workorder: {
    msdyn_systemstatus: { 690970000: 'Unscheduled', 690970001: 'Scheduled', 690970002: 'In Progress', 690970003: 'Completed', 690970004: 'Posted', 690970005: 'Canceled' },
  },
};

/** A column's value in words where it is an option set ("Inactive" for statecode 1); else unchanged. */
export function fieldValue(field: string, value: unknown, entity?: string): unknown {
  if (typeof value !== 'number') return value;
  return (entity ? ENTITY_FIELD_VALUE_LABELS[entity]?.[field]?.[value] : undefined) ?? FIELD_VALUE_LABELS[field]?.[value] ?? value;
}

export const TRIGGER_LABELS: Readonly<Record<'timer' | 'manual' | 'cli' | 'webhook' | 'follow-up', string>> = {
  timer: 'the scheduled timer',
  manual: 'a manual trigger',
  cli: 'the command line',
  webhook: 'a Dataverse notification',
  'follow-up': 'a follow-up run',
};

/** How an admin releases held-back removals (issue 5: a setting, a CLI flag or the manual trigger's body). */
export const RELEASE_HINT =
  'an admin can release them by running again with the removal override (docs/operations.md says how) once the list below looks right.';

/** Said on every report: what the product never does, whatever the plan says. */
export const NEVER_DELETES =
  'vendor-reconciler never deletes an Entra user, a Dataverse user, a contact or a bookable resource.';
