/**
 * The customer portal status on the contact, apart from the technician status (a contact may be
 * both): o25fs_portalstatus (choice) and o25fs_portalerror (what to do), written only when they
 * differ from the stored ones (docs/dataverse-schema.md "Customer portal").
 */
import type { ServiceRequest } from '../../src/clients/types.js';
import type { FinalStatus } from '../../src/engine/status.js';
import type { ProvisioningStatus, SubjectPlan } from '../../src/model/plan.js';
import { subjectKey } from '../../src/model/run.js';

/** o25fs_portalstatus options. */
export const PORTAL_STATUS = {
  invitationPending: 808950000,
  invitationSent: 808950001,
  active: 808950002,
  accessRemoved: 808950003,
  error: 808950004,
} as const;

/**
 * The core's statuses in the portal's words: an issued invitation is "Invitation sent" (pending
 * while the send workflow has not run), a contact holding the role with a redeemed invitation is
 * "Active on the portal", a contact whose access went is "Access removed".
 */
export function portalStatusValue(status: ProvisioningStatus): number | null {
  switch (status) {
    case 'invited':
      return PORTAL_STATUS.invitationSent;
    case 'pending':
    case 'waiting_for_dataverse_user':
      return PORTAL_STATUS.invitationPending;
    case 'active':
      return PORTAL_STATUS.active;
    case 'deprovisioned':
      return PORTAL_STATUS.accessRemoved;
    case 'error':
    case 'quarantined':
    case 'removal_blocked':
    case 'no_licence_units':
      return PORTAL_STATUS.error;
    case 'out_of_scope':
      return null;
  }
}

export function portalStatusOf(value: number | null | undefined): ProvisioningStatus | null {
  switch (value) {
    case PORTAL_STATUS.invitationSent:
      return 'invited';
    case PORTAL_STATUS.invitationPending:
      return 'pending';
    case PORTAL_STATUS.active:
      return 'active';
    case PORTAL_STATUS.accessRemoved:
      return 'deprovisioned';
    case PORTAL_STATUS.error:
      return 'error';
    default:
      return null;
  }
}

export function portalStatusWrites(subjects: readonly SubjectPlan[], statuses: ReadonlyMap<string, FinalStatus>): ServiceRequest[] {
  const writes: ServiceRequest[] = [];
  for (const s of subjects) {
    const final = statuses.get(subjectKey(s.subject));
    if (!final || final.status === 'out_of_scope') continue;
    if (final.status === s.storedStatus && final.error === s.storedError) continue;
    writes.push({
      method: 'PATCH',
      url: `contacts(${s.subject.id})`,
      headers: { 'If-Match': '*' },
      body: { o25fs_portalstatus: portalStatusValue(final.status), o25fs_portalerror: final.error },
    });
  }
  return writes;
}
