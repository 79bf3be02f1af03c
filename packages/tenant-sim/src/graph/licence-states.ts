/**
 * A user's licence assignments as Graph keeps them: `licenseAssignmentStates` holds one entry per
 * SKU and source (direct, or each group it is inherited from), and `assignedLicenses` one entry per
 * SKU the user actually has (resources/licenseassignmentstate.md; user.md: "Use the
 * licenseAssignmentStates property to identify the directly assigned and inherited licenses").
 * Shared by the user's assignLicense (licences.ts) and group-based licensing (group-licensing.ts).
 */
import type { SimState } from '../types.js';
import type { User } from './user-store.js';

export interface LicenceState {
  skuId: string;
  disabledPlans: string[];
  /** null for a direct assignment, else the id of the group it is inherited from. */
  assignedByGroup: string | null;
  /** Active | ActiveWithError | Disabled | Error (licenseassignmentstate.md). */
  state: string;
  /** None, or CountViolation, MutuallyExclusiveViolation, … (licenseassignmentstate.md). */
  error: string;
  lastUpdatedDateTime: string;
}

export function statesOf(u: User): LicenceState[] {
  return Array.isArray(u.licenseAssignmentStates) ? (u.licenseAssignmentStates as LicenceState[]) : [];
}

/** Whether the entry gives the user the licence: an Error entry is an intent that failed, not a licence. */
export const grants = (s: LicenceState): boolean => s.state === 'Active' || s.state === 'ActiveWithError';

/** Whether the user has the SKU from any source (and so already consumes one of its units). */
export function holdsSku(u: User, skuId: string): boolean {
  return statesOf(u).some((s) => s.skuId.toLowerCase() === skuId && grants(s));
}

export function skuRecord(state: SimState, skuId: string): Record<string, unknown> | undefined {
  return state.graph.subscribedSkus.find((s) => String(s.skuId).toLowerCase() === skuId);
}

/** prepaidUnits.enabled − consumedUnits (our own calculation; subscribedsku.md defines both). */
export function freeUnits(sku: Record<string, unknown>): number {
  const enabled = Number((sku.prepaidUnits as { enabled?: unknown } | undefined)?.enabled ?? 0);
  return enabled - Number(sku.consumedUnits ?? 0);
}

/**
 * Writes `next` as the user's states and derives assignedLicenses from them: one entry per SKU
 * the user has (a direct entry's disabledPlans win over an inherited one's), none for a failed
 * entry. A SKU the user gains or loses moves the subscription's consumedUnits by one: a user
 * holding a SKU from several sources consumes one unit (Entra "Resolve group license assignment
 * problems": members of two groups with the product "still consume only one license").
 */
export function writeStates(state: SimState, u: User, next: LicenceState[]): void {
  const before = new Set(statesOf(u).filter(grants).map((s) => s.skuId.toLowerCase()));
  const after = new Set(next.filter(grants).map((s) => s.skuId.toLowerCase()));
  for (const skuId of after) {
    const sku = skuRecord(state, skuId);
    if (sku && !before.has(skuId)) sku.consumedUnits = Number(sku.consumedUnits ?? 0) + 1;
  }
  for (const skuId of before) {
    const sku = skuRecord(state, skuId);
    if (sku && !after.has(skuId)) sku.consumedUnits = Math.max(0, Number(sku.consumedUnits ?? 0) - 1);
  }
  u.licenseAssignmentStates = next;
  const bySku = new Map<string, string[]>();
  for (const s of next) {
    if (!grants(s)) continue;
    const key = s.skuId.toLowerCase();
    if (!bySku.has(key) || s.assignedByGroup === null) bySku.set(key, s.disabledPlans);
  }
  u.assignedLicenses = [...bySku].map(([skuId, disabledPlans]) => ({ disabledPlans, skuId }));
}
