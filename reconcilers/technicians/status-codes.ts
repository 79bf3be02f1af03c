/**
 * o25fs_provisioningstatus option values (docs/dataverse-schema.md). The publisher's option value
 * prefix is 80895 (the original solution, microsoft/Dynamics-365-FastTrack-Implementation-Assets:
 * …/Vendor Self-Service, publisher Optimize25Frontline); the product's choice uses 808950000 + n in the
 * order below. Never reorder: the numbers are stored on every contact.
 */
import type { ProvisioningStatus } from '../../src/model/plan.js';

export const PROVISIONING_STATUS_BASE = 808950000;

export const PROVISIONING_STATUS_ORDER: readonly ProvisioningStatus[] = [
  'pending', // 808950000
  'invited', // 808950001
  'waiting_for_dataverse_user', // 808950002
  'active', // 808950003
  'deprovisioned', // 808950004
  'removal_blocked', // 808950005
  'no_licence_units', // 808950006
  'error', // 808950007
  'quarantined', // 808950008
  'out_of_scope', // 808950009
];

export function statusToOptionValue(status: ProvisioningStatus): number {
  return PROVISIONING_STATUS_BASE + PROVISIONING_STATUS_ORDER.indexOf(status);
}

/** The status an option value stands for; null for null or a value this version does not know. */
export function optionValueToStatus(value: number | null | undefined): ProvisioningStatus | null {
  if (value === null || value === undefined) return null;
  return PROVISIONING_STATUS_ORDER[value - PROVISIONING_STATUS_BASE] ?? null;
}
