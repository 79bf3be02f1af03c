/**
 * The resource requirement Field Service creates with each work order (seed 002, issue 14): one
 * msdyn_resourcerequirement whose msdyn_workorder is the new work order, named after it, with its
 * promised window as the requirement's from/to dates and time window, and its estimated duration
 * (general Field Service behaviour: learn.microsoft.com/dynamics365/field-service/create-work-order; the
 * requirement's columns: learn.microsoft.com/dynamics365/field-service/developer/reference/entities/msdyn_resourcerequirement;
 * not re-verified against a page that states it, so the columns it gets are this simulator's choice).
 * Incident types are not simulated: the duration is msdyn_totalestimatedduration, or 0 without it
 * (docs/simulator-dataverse.md "Project and Field Service tables"). A reconciler finds it with
 * `_msdyn_workorder_value eq <id>` rather than creating another.
 */
import { randomUUID } from 'node:crypto';
import type { DvContext } from './dataverse/context.js';
import { appUserId } from './dataverse/ownership.js';

const stamp = (at: number): string => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
const dateOf = (value: unknown): string | null => (typeof value === 'string' ? value.slice(0, 10) : null);

export function createRequirement(dx: DvContext, workOrderId: string): void {
  const wo = dx.store.get('msdyn_workorders', workOrderId);
  if (!wo) return;
  const id = randomUUID();
  const now = stamp(dx.sim.now());
  dx.scope?.journal.record('msdyn_resourcerequirements', id);
  dx.store.insert('msdyn_resourcerequirements', {
    msdyn_resourcerequirementid: id,
    msdyn_name: typeof wo.msdyn_name === 'string' ? wo.msdyn_name : null,
    _msdyn_workorder_value: workOrderId,
    msdyn_fromdate: dateOf(wo.msdyn_timefrompromised),
    msdyn_todate: dateOf(wo.msdyn_timetopromised),
    msdyn_timefrompromised: wo.msdyn_timefrompromised ?? null,
    msdyn_timetopromised: wo.msdyn_timetopromised ?? null,
    msdyn_duration: typeof wo.msdyn_totalestimatedduration === 'number' ? wo.msdyn_totalestimatedduration : 0,
    msdyn_allocationmethod: 192350000,
    statecode: 0,
    statuscode: 1,
    _createdby_value: appUserId(dx.store, dx.appId),
    createdon: now,
    modifiedon: now,
  });
}
