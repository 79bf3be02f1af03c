/**
 * Dataverse's user sync from Entra (create-users.md): a user who is enabled, holds a
 * licence listed in the environment (licensedSkuIds) with its Dataverse service plan not disabled
 * (licenceCounts below) and is a DIRECT member of the environment's
 * security group gets a systemuser; one who stops meeting any of these is set isdisabled = true (the
 * row is never deleted); meeting them again clears it. Without a security group, every enabled,
 * licensed user qualifies (the docs' "if the environment has a security group").
 *
 * The sync is asynchronous: a change is applied userSyncDelayMs after Entra changed (delay 0: on a
 * later tick, never inside the request). A user whose state flips back within the delay gets no
 * change. POST /_sim/sync (runNow) applies everything pending at once. Each pass scans the whole
 * tenant, as the background sync does; changes are coalesced into one scan per 100 ms at most (per
 * tick when the delay is 0), and the delay still counts from the first change.
 */
import { randomUUID } from 'node:crypto';
import type { UserSync } from '../platform.js';
import type { SimState } from '../types.js';
import type { Row } from '../dataverse-store.js';

type Action = 'create' | 'enable' | 'disable' | 'refresh';

interface Pending {
  timer: ReturnType<typeof setTimeout>;
  action: Action;
}

const SYSTEMUSERS = 'systemusers';

function lower(v: unknown): string {
  return typeof v === 'string' ? v.toLowerCase() : '';
}

/**
 * The SKU's Dataverse service plans: those named as Microsoft's licensing reference names the
 * Dataverse (formerly Common Data Service) plans, DYN365_CDS_… and CDS_… (Learn "Product names
 * and service plan identifiers for licensing"). [] when the fixture lists none for the SKU.
 */
export function dataversePlans(state: SimState, skuId: string): string[] {
  const sku = state.graph.subscribedSkus.find((s) => lower(s.skuId) === skuId);
  const plans = Array.isArray(sku?.servicePlans) ? (sku.servicePlans as { servicePlanId?: unknown; servicePlanName?: unknown }[]) : [];
  return plans.filter((p) => /^(DYN365_CDS|CDS_)/i.test(String(p.servicePlanName ?? ''))).map((p) => lower(p.servicePlanId));
}

/**
 * A licence counts when the environment lists its SKU and it keeps a Dataverse service plan
 * enabled: "a valid license that has a Dynamics 365 or Microsoft Power Platform recognized service
 * plan" (Learn "Troubleshoot user access issues"). A SKU whose Dataverse plans are all in the
 * assignment's disabledPlans does not count; a SKU the fixture gives no Dataverse plan counts.
 */
function licenceCounts(state: SimState, licence: { skuId?: unknown; disabledPlans?: unknown }, skus: Set<string>): boolean {
  const skuId = lower(licence.skuId);
  if (!skus.has(skuId)) return false;
  const plans = dataversePlans(state, skuId);
  if (plans.length === 0) return true;
  const disabled = new Set(Array.isArray(licence.disabledPlans) ? (licence.disabledPlans as unknown[]).map(lower) : []);
  return plans.some((p) => !disabled.has(p));
}

/** The user's licences that count for this environment, by SKU id (lower case). */
export function countingSkuIds(state: SimState, user: Record<string, unknown>): string[] {
  const skus = new Set(state.environment.licensedSkuIds.map(lower));
  const licences = Array.isArray(user.assignedLicenses) ? (user.assignedLicenses as { skuId?: unknown; disabledPlans?: unknown }[]) : [];
  return licences.filter((l) => licenceCounts(state, l, skus)).map((l) => lower(l.skuId));
}

/** A direct member of the environment's security group (every user when it has none). */
export function inEnvironmentGroup(state: SimState, user: Record<string, unknown>): boolean {
  const groupId = state.environment.securityGroupId;
  if (groupId === null) return true;
  return state.graph.groups.get(groupId.toLowerCase())?.members.has(lower(user.id)) ?? false;
}

/** Whether the Entra user qualifies for a systemuser in this environment. */
export function isEligible(state: SimState, user: Record<string, unknown>): boolean {
  if (user.accountEnabled === false) return false;
  if (countingSkuIds(state, user).length === 0) return false;
  const groupId = state.environment.securityGroupId;
  if (groupId === null) return true;
  return state.graph.groups.get(groupId.toLowerCase())?.members.has(lower(user.id)) ?? false;
}

/** The columns the sync copies from Entra onto the systemuser. */
function syncedColumns(user: Record<string, unknown>): Row {
  return {
    azureactivedirectoryobjectid: lower(user.id),
    internalemailaddress: user.mail ?? null,
    fullname: user.displayName ?? null,
    domainname: user.userPrincipalName ?? null,
  };
}

function systemUsersByObjectId(state: SimState): Map<string, Row[]> {
  const byId = new Map<string, Row[]>();
  for (const row of state.dataverse.table(SYSTEMUSERS).values()) {
    const id = lower(row.azureactivedirectoryobjectid);
    if (id === '') continue;
    const list = byId.get(id);
    if (list) list.push(row);
    else byId.set(id, [row]);
  }
  return byId;
}

/** What the sync must do for one user, or undefined when Dataverse already agrees with Entra. */
function actionFor(state: SimState, user: Record<string, unknown>, rows: Row[] | undefined): Action | undefined {
  const eligible = isEligible(state, user);
  if (!rows || rows.length === 0) return eligible ? 'create' : undefined;
  if (!eligible) return rows.some((r) => r.isdisabled !== true) ? 'disable' : undefined;
  if (rows.some((r) => r.isdisabled === true)) return 'enable';
  const want = syncedColumns(user);
  return rows.some((r) => Object.entries(want).some(([k, v]) => r[k] !== v)) ? 'refresh' : undefined;
}

/**
 * Brings one user's systemuser rows in line with Entra, as of now: what the background sync does
 * for the user when its turn comes, and what an on-demand addUser does after its delay
 * (platform/on-demand-users.ts).
 */
export function syncUser(state: SimState, userId: string): void {
  const user = state.graph.users.get(userId);
  if (!user) return;
  const rows = systemUsersByObjectId(state).get(userId);
  const action = actionFor(state, user, rows);
  if (action === undefined) return;
  const pk = 'systemuserid';
  if (action === 'create') {
    state.dataverse.insert(SYSTEMUSERS, {
      [pk]: randomUUID(),
      ...syncedColumns(user),
      isdisabled: false,
      accessmode: 0,
      address1_latitude: null,
      address1_longitude: null,
    });
    return;
  }
  for (const row of rows ?? []) {
    const patch: Row = action === 'disable' ? { isdisabled: true } : { ...syncedColumns(user), isdisabled: false };
    if (Object.entries(patch).some(([k, v]) => row[k] !== v)) state.dataverse.update(SYSTEMUSERS, String(row[pk]), patch);
  }
}

/** Scans are coalesced over this long at most (never longer than the sync delay itself). */
const COALESCE_MS = 100;

export class PlatformUserSync implements UserSync {
  private readonly pending = new Map<SimState, Map<string, Pending>>();
  private readonly scans = new Map<SimState, { cancel(): void }>();

  entraChanged(state: SimState): void {
    if (this.scans.has(state)) return;
    const firstChangeAt = Date.now();
    const run = (): void => {
      this.scans.delete(state);
      this.schedule(state, Math.max(0, state.environment.userSyncDelayMs - (Date.now() - firstChangeAt)));
    };
    const wait = Math.min(COALESCE_MS, Math.max(0, state.environment.userSyncDelayMs));
    if (wait === 0) {
      const handle = setImmediate(run);
      this.scans.set(state, { cancel: () => clearImmediate(handle) });
    } else {
      const handle = setTimeout(run, wait);
      this.scans.set(state, { cancel: () => clearTimeout(handle) });
    }
  }

  runNow(state: SimState): void {
    this.scans.get(state)?.cancel();
    this.scans.delete(state);
    for (const p of this.pending.get(state)?.values() ?? []) clearTimeout(p.timer);
    this.pending.delete(state);
    for (const userId of state.graph.users.keys()) syncUser(state, userId);
  }

  stop(): void {
    for (const scan of this.scans.values()) scan.cancel();
    this.scans.clear();
    for (const perState of this.pending.values()) for (const p of perState.values()) clearTimeout(p.timer);
    this.pending.clear();
  }

  /** Which users need a change now; each gets (or keeps) a timer for the environment's delay. */
  private schedule(state: SimState, delayMs: number): void {
    let perState = this.pending.get(state);
    if (!perState) this.pending.set(state, (perState = new Map()));
    const byObjectId = systemUsersByObjectId(state);
    for (const [userId, user] of state.graph.users) {
      const action = actionFor(state, user, byObjectId.get(userId));
      const existing = perState.get(userId);
      if (existing && existing.action === action) continue; // keep the earlier deadline
      if (existing) {
        clearTimeout(existing.timer);
        perState.delete(userId);
      }
      if (action === undefined) continue;
      const timer = setTimeout(() => {
        perState.delete(userId);
        if (perState.size === 0 && this.pending.get(state) === perState) this.pending.delete(state);
        syncUser(state, userId);
      }, delayMs);
      perState.set(userId, { timer, action });
    }
  }
}
