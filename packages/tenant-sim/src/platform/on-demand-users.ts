/**
 * What the Power Platform admin API's addUser ("force sync user") does to one Entra user: it
 * checks the same conditions as the background sync (create-users.md: enabled, a licence of the
 * environment, a direct member of its security group) and, when they hold, the systemuser is
 * created or enabled a little later (FixturePowerPlatform.addUserDelayMs), through the same
 * per-user sync as the background one (platform/user-sync.ts `syncUser`).
 *
 * Licence propagation: Terraform's provider retries addUser "while the error contains
 * userNotLicensed" because an assigned licence takes time to reach the Power Platform
 * (microsoft/terraform-provider-power-platform internal/services/authorization/api_user.go). The
 * simulator models it as licencePropagationMs after the licence state's lastUpdatedDateTime (the
 * time Graph's assignLicense wrote it); a fixture licence without that time has propagated.
 */
import type { SimState } from '../types.js';
import { countingSkuIds, inEnvironmentGroup, syncUser } from './user-sync.js';

export interface AddUserRefusal {
  status: number;
  code: string;
  message: string;
}

interface LicenceState {
  skuId?: unknown;
  assignedByGroup?: unknown;
  state?: unknown;
  lastUpdatedDateTime?: unknown;
}

/** When the user's earliest counting licence became usable by addUser (epoch ms), or undefined when none has. */
function licensedSince(state: SimState, user: Record<string, unknown>): number | undefined {
  const counting = new Set(countingSkuIds(state, user));
  if (counting.size === 0) return undefined;
  const states = Array.isArray(user.licenseAssignmentStates) ? (user.licenseAssignmentStates as LicenceState[]) : [];
  let earliest: number | undefined;
  for (const sku of counting) {
    const mine = states.filter((s) => String(s.skuId ?? '').toLowerCase() === sku);
    // A fixture licence with no assignment state, or a state with no time, was assigned long ago.
    const times = mine.length === 0 ? [0] : mine.filter((s) => s.state === undefined || s.state === 'Active').map((s) => Date.parse(String(s.lastUpdatedDateTime ?? '')) || 0);
    for (const t of times) earliest = earliest === undefined ? t : Math.min(earliest, t);
  }
  return earliest === undefined ? undefined : earliest + state.powerPlatform.licencePropagationMs;
}

/**
 * Why addUser refuses this user now, or null when it accepts. The error texts are the simulator's
 * own: the REST contract is undocumented; the product matches only `userNotLicensed` in the body,
 * as Terraform's provider does.
 */
export function addUserRefusal(state: SimState, user: Record<string, unknown>, now: number): AddUserRefusal | null {
  const id = String(user.id);
  if (user.accountEnabled === false) {
    return { status: 400, code: 'UserDisabled', message: `The user ${id} is disabled in Microsoft Entra ID and cannot be added to the environment.` };
  }
  const since = licensedSince(state, user);
  if (since === undefined || since > now) {
    return {
      status: 400,
      code: 'userNotLicensed',
      message: `userNotLicensed: the user ${id} does not have a license that gives access to this environment${since === undefined ? '' : ' yet (the license assignment is still propagating)'}.`,
    };
  }
  if (!inEnvironmentGroup(state, user)) {
    return { status: 400, code: 'UserNotInSecurityGroup', message: `The user ${id} is not a direct member of the environment's security group.` };
  }
  return null;
}

/** The systemusers addUser calls have yet to create, per state; stop() drops them. */
export class OnDemandUsers {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  /** The user's systemuser is created or enabled after the environment's addUser delay. */
  add(state: SimState, userId: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      syncUser(state, userId);
    }, state.powerPlatform.addUserDelayMs);
    this.timers.add(timer);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
