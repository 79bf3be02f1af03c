/**
 * Group-based licensing (learn.microsoft.com/graph/api/group-assignlicense: "Licenses assigned to
 * the group will be assigned to all users in the group"; Entra "Assign licenses to users by group
 * membership" and "Resolve group license assignment problems").
 *
 * - `POST /groups/{id}/assignLicense` takes the user's body and answers 202 Accepted with the group:
 *   the members are processed later, in the background.
 * - Processing a member gives it one licenseAssignmentStates entry per licence of each group it is a
 *   direct member of, `assignedByGroup` the group's id, and the SKU in assignedLicenses. A member
 *   who holds the SKU already (directly or from another group) consumes no other unit.
 * - Errors are not returned to anyone: "they're recorded on the user object". With no unit free the
 *   entry is `state: 'Error', error: 'CountViolation'` and the SKU is not in assignedLicenses. The
 *   docs are silent on when a failed entry is tried again; the simulator (stricter) tries only when
 *   the member is processed again (a membership change, or the group's licences change): Entra's
 *   page says an admin must "trigger the processing of groups that previously failed".
 * - Leaving the group (or the group losing the licence) removes the inherited entry, and the SKU
 *   when no other source grants it.
 * - Processing happens `environment.groupLicensingDelayMs` after the change ("This process might
 *   take some time"), at the first Graph request from then on (settleGroupLicensing, called by the
 *   router before each request and by the admin state and sync routes); with delay 0, on the next
 *   request, never inside the one that made the change. While it is due, the member has no entry.
 * - The docs name no state for "being processed"; the simulator shows none.
 */
import type { GroupRecord, SimContext, SimRequest, SimResponse, SimState } from '../types.js';
import { badRequest, notFound } from './errors.js';
import { checkSku, parseBody } from './licences.js';
import { freeUnits, grants, skuRecord, statesOf, writeStates, type LicenceState } from './licence-states.js';
import { requireRole } from './permissions.js';
import { contextUrl, jsonBody } from './view.js';

/** Marks users for processing `groupLicensingDelayMs` from `now`; an earlier deadline already set stays. */
export function scheduleLicensing(state: SimState, userIds: Iterable<string>, now: number): void {
  const due = now + state.environment.groupLicensingDelayMs;
  for (const raw of userIds) {
    const id = raw.toLowerCase();
    const current = state.graph.licensingDue.get(id);
    if (current === undefined || due < current) state.graph.licensingDue.set(id, due);
  }
}

/** Processes every user whose time has come, oldest deadline first; true when a user changed. */
export function settleGroupLicensing(state: SimState, now: number): boolean {
  const ready = [...state.graph.licensingDue].filter(([, due]) => due <= now).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  let changed = false;
  for (const [id, due] of ready) {
    state.graph.licensingDue.delete(id);
    if (processMember(state, id, new Date(due).toISOString())) changed = true;
  }
  return changed;
}

/** The licences a user is to inherit: each licence of each group it is a direct member of, by group id. */
function inherited(state: SimState, userId: string): { group: GroupRecord; skuId: string; disabledPlans: string[] }[] {
  return [...state.graph.groups.values()]
    .filter((g) => g.members.has(userId) && g.assignedLicenses.length > 0)
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .flatMap((group) => group.assignedLicenses.map((l) => ({ group, skuId: l.skuId, disabledPlans: l.disabledPlans })));
}

/** One member's inherited entries brought in line with its groups, as of `at`. True when it changed. */
export function processMember(state: SimState, userId: string, at: string): boolean {
  const user = state.graph.users.get(userId);
  if (!user) return false;
  const current = statesOf(user);
  const next: LicenceState[] = current.filter((s) => s.assignedByGroup === null);
  // SKUs the user keeps whatever this pass does: direct ones, and inherited ones that stay granted.
  const held = new Set(next.filter(grants).map((s) => s.skuId.toLowerCase()));
  const wanted = inherited(state, userId);
  const existing = (w: (typeof wanted)[number]): LicenceState | undefined =>
    current.find((s) => s.assignedByGroup === w.group.id && s.skuId.toLowerCase() === w.skuId);
  for (const w of wanted) {
    const e = existing(w);
    if (e && grants(e)) held.add(w.skuId);
  }
  for (const w of wanted) {
    const e = existing(w);
    if (e && grants(e)) {
      const same = JSON.stringify(e.disabledPlans) === JSON.stringify(w.disabledPlans);
      next.push(same ? e : { ...e, disabledPlans: w.disabledPlans, lastUpdatedDateTime: at });
      continue;
    }
    const sku = skuRecord(state, w.skuId);
    const ok = held.has(w.skuId) || (sku !== undefined && freeUnits(sku) > 0);
    if (ok) held.add(w.skuId);
    next.push({
      skuId: w.skuId,
      disabledPlans: w.disabledPlans,
      assignedByGroup: w.group.id,
      state: ok ? 'Active' : 'Error',
      error: ok ? 'None' : 'CountViolation',
      lastUpdatedDateTime: e && e.state === (ok ? 'Active' : 'Error') ? e.lastUpdatedDateTime : at,
    });
  }
  if (JSON.stringify(next) === JSON.stringify(current)) return false;
  writeStates(state, user, next);
  return true;
}

/** The group as the 202 answer and GET /groups/{id}?$select=assignedLicenses show its licences. */
export function groupLicences(g: GroupRecord): { skuId: string; disabledPlans: string[] }[] {
  return g.assignedLicenses.map((l) => ({ disabledPlans: [...l.disabledPlans], skuId: l.skuId }));
}

/** POST /groups/{id}/assignLicense (group-assignlicense.md). */
export function assignGroupLicense(req: SimRequest, ctx: SimContext, id: string): SimResponse {
  requireRole(req, 'assignGroupLicense');
  const { add, remove } = parseBody(jsonBody(req.body), 'Group');
  const g = ctx.state.graph.groups.get(id.toLowerCase());
  if (!g) throw notFound(id);
  // Validate everything first: a failed request changes nothing. Units are not checked here: running
  // out of them is a processing error recorded on each member (licensing-groups-resolve-problems.md).
  for (const a of add) checkSku(ctx, a);
  for (const skuId of remove) {
    // Docs are silent; the simulator refuses (stricter), as for a user.
    if (!g.assignedLicenses.some((l) => l.skuId === skuId)) throw badRequest(`Group does not have a license with SKU ${skuId} to remove.`);
  }
  const kept = g.assignedLicenses.filter((l) => !remove.includes(l.skuId) && !add.some((a) => a.skuId === l.skuId));
  g.assignedLicenses = [...kept, ...add.map((a) => ({ skuId: a.skuId, disabledPlans: a.disabledPlans }))];
  scheduleLicensing(ctx.state, g.members, ctx.now());
  return {
    status: 202,
    body: { '@odata.context': contextUrl(ctx.graphBaseUrl, 'groups', null, true), id: g.id, displayName: g.displayName, assignedLicenses: groupLicences(g) },
  };
}
