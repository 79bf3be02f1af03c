/**
 * LICENSE_MODE=group: the technician group carries LICENSE_SKU_ID and Entra licenses its members
 * (group-based licensing, learn.microsoft.com/graph/api/group-assignlicense). The product then
 * never calls assignLicense: joining the group is the assignment and leaving it (group.remove, a
 * guarded removal) the removal. What is left to the product:
 *
 * - at start, the group must carry the licence (checkGroupLicensing; else GROUP_LICENCE_MISSING
 *   stops the family, as no technician could be licensed);
 * - per technician, what Entra made of the inheritance, from the user's licenseAssignmentStates
 *   (groupLicensingOutcome): licensed; still processing (Entra assigns in the background, "This
 *   process might take some time": the technician waits, no error); or failed, which Entra only
 *   records on the user ("they're recorded on the user object", Entra "Resolve group license
 *   assignment problems"): a GROUP_LICENSING_FAILED warning whose text names the fix.
 *
 * The usage location is still set by user.update: group licensing would otherwise use the
 * directory's ("any users without a usage location specified inherit the location of the directory").
 */
import { listError } from '../../src/clients/classify.js';
import type { GraphApi } from '../../src/clients/types.js';
import { ConfigurationError, ContactError } from '../../src/model/errors.js';
import type { Observation } from '../../src/model/observation.js';
import type { ProvisioningStatus } from '../../src/model/plan.js';
import { licenseModeOf, type TechnicianSettings } from './settings.js';
import type { DesiredTechnician, ObservedTechnician } from './state.js';
import { inheritsLicence } from './presence.js';

const lc = (v: string): string => v.toLowerCase();

/** What one read of the technician group gives: its name, and in group mode the skuIds it carries (lower case). */
export interface TechnicianGroupRead {
  displayName?: string;
  skuIds?: string[];
}

/**
 * GET /groups/{id} with the properties the run needs: the displayName (for the report) and, with
 * `licences`, assignedLicenses, which is "Returned only on $select" (Graph group resource). null
 * when the group does not exist (a 404).
 */
export async function readTechnicianGroup(graph: GraphApi, groupId: string, licences: boolean): Promise<TechnicianGroupRead | null> {
  const request = { method: 'GET' as const, url: `/groups/${groupId}?$select=id,displayName${licences ? ',assignedLicenses' : ''}` };
  const res = await graph.send(request);
  if (res.status === 404) return null;
  if (res.status !== 200) throw listError('graph', request, res);
  const body = res.body as { displayName?: unknown; assignedLicenses?: { skuId: string }[] };
  return {
    ...(typeof body.displayName === 'string' && body.displayName !== '' ? { displayName: body.displayName } : {}),
    ...(licences ? { skuIds: (body.assignedLicenses ?? []).map((l) => lc(l.skuId)).sort() } : {}),
  };
}

/** The observation's fields from one read of the group (or its absence). */
export function groupObservation(read: TechnicianGroupRead | null, settings: TechnicianSettings): Pick<Observation, 'technicianGroupSkuIds' | 'technicianGroupName'> {
  return {
    ...(licenseModeOf(settings) === 'group' ? { technicianGroupSkuIds: read?.skuIds ?? [] } : {}),
    ...(read?.displayName !== undefined ? { technicianGroupName: read.displayName } : {}),
  };
}

/**
 * The observation's part from the technician group itself, read every full read beside its members
 * (one GET): its name for the report and, in group mode, its licences.
 */
export async function observeTechnicianGroup(graph: GraphApi, settings: TechnicianSettings): Promise<Pick<Observation, 'technicianGroupSkuIds' | 'technicianGroupName'>> {
  return groupObservation(await readTechnicianGroup(graph, settings.technicianGroupId, licenseModeOf(settings) === 'group'), settings);
}

/** Throws GROUP_LICENCE_MISSING in group mode when the technician group does not carry LICENSE_SKU_ID. */
export function checkGroupLicensing(observation: Observation, settings: TechnicianSettings): void {
  if (licenseModeOf(settings) !== 'group') return;
  const carried = observation.technicianGroupSkuIds ?? [];
  if (carried.includes(lc(settings.licenseSkuId))) return;
  const names = new Map(observation.subscribedSkus.map((s) => [lc(s.skuId), s.skuPartNumber]));
  const listed = carried.map((id) => `${names.get(id) ?? 'unknown SKU'} (${id})`).join(', ');
  throw new ConfigurationError(
    'GROUP_LICENCE_MISSING',
    `LICENSE_MODE=group, but the technician group TECHNICIAN_GROUP_ID=${settings.technicianGroupId} does not carry the licence LICENSE_SKU_ID=${settings.licenseSkuId} (${listed ? `it carries ${listed}` : 'it carries no licence'}). Technicians get their licence only from that group, so the family stops.`,
    "Assign the licence to the group (Entra admin center: Groups, the technician group, Licenses, Assignments; or POST /groups/{id}/assignLicense), or set LICENSE_MODE=direct, then run again.",
  );
}

export type GroupLicensingOutcome =
  | { kind: 'licensed'; warning?: ContactError }
  | { kind: 'processing' }
  | { kind: 'failed'; status: ProvisioningStatus; warning: ContactError };

/** What each Graph error means for a technician, and what to do about it (licenseassignmentstate's values). */
const FIXES: Record<string, { meaning: string; action: string }> = {
  CountViolation: {
    meaning: 'no unit of the licence is free',
    action: 'Buy more units of the licence, or free units by removing it from people who no longer need it',
  },
  MutuallyExclusiveViolation: {
    meaning: 'the user holds another licence with a service plan that cannot be combined with it',
    action: 'Remove the conflicting licence from the user (or from the group that gives it)',
  },
  DependencyViolation: {
    meaning: 'another licence of the user depends on a service plan of this one',
    action: 'Give the user the plan it depends on another way, or remove the dependent licence',
  },
  ProhibitedInUsageLocationViolation: {
    meaning: "the licence is not available in the user's usage location",
    action: "Check the contact's country (it sets the usage location), or take the technician out of this licence",
  },
  UniquenessViolation: {
    meaning: 'a service plan of the licence must be unique and the user has it already',
    action: 'Remove the duplicate plan from the user',
  },
};
const OTHER = { meaning: 'Entra could not assign it', action: "Open the user's licences in the Entra admin center for the details and fix what they name" };
const REPROCESS = "; then reprocess the group's licences (Entra admin center: Groups, the technician group, Licenses, Reprocess). The next run reads the result.";

function failure(desired: DesiredTechnician, skuId: string, error: string | null, active: boolean): ContactError {
  const fix = FIXES[error ?? ''] ?? OTHER;
  const what = active ? 'holds the licence but with an error' : 'does not get the licence';
  return new ContactError(
    'GROUP_LICENSING_FAILED',
    `The technician group gives licence ${skuId}, but the user of contact ${desired.contactId} ${what}: ${fix.meaning} (${error ?? 'no error given'}).`,
    `${fix.action}${REPROCESS}`,
  );
}

/**
 * What Entra made of the technician's inherited licences, for a technician in group mode whose
 * user exists and is (or is being made) a member. Licensed when each SKU is held (inherited from
 * any group, or assigned directly); failed when the technician group's entry for one is in error;
 * processing otherwise (no entry yet). null outside group mode, or when there is nothing to judge.
 */
export function groupLicensingOutcome(desired: DesiredTechnician, observed: ObservedTechnician, joining: boolean): GroupLicensingOutcome | null {
  const groupId = desired.licence.fromGroup;
  if (groupId === undefined || desired.intent !== 'provision' || !observed.user || !(observed.isGroupMember || joining)) return null;
  let processing = false;
  let warning: ContactError | undefined;
  for (const skuId of desired.licence.skuIds) {
    const own = (observed.inheritedLicences ?? []).find((l) => l.skuId === skuId && l.groupId === groupId);
    if (observed.directSkuIds.includes(skuId) || inheritsLicence(observed, skuId)) {
      if (own?.state === 'ActiveWithError') warning ??= failure(desired, skuId, own.error, true);
      continue;
    }
    if (own && (own.state === 'Error' || own.state === 'Disabled')) {
      const status: ProvisioningStatus = own.error === 'CountViolation' ? 'no_licence_units' : 'error';
      return { kind: 'failed', status, warning: failure(desired, skuId, own.error, false) };
    }
    processing = true;
  }
  if (processing) return { kind: 'processing' };
  return warning ? { kind: 'licensed', warning } : { kind: 'licensed' };
}
