/**
 * The on-demand Dataverse user (DATAVERSE_USER_ON_DEMAND, src/config-power-platform.ts): a
 * technician whose identity is (or, in this plan, becomes) licensed and a member of the technician
 * group, and who has no enabled systemuser, gets one through the Power Platform admin API's addUser
 * ("force sync user") instead of waiting for Dataverse's background sync, which has no SLA
 * (create-users.md). Its change runs after the invitation or account creation, the licence and the
 * group membership of the same plan, and the bookable resource runs after it, pointing at the
 * systemuser addUser makes (`_userid_value: { createdBy }`).
 *
 * Dataverse creates the systemuser seconds after addUser answers 200 (third-party reports: 10–20 s),
 * so the change settles (ChangeKindSpec.settle, src/engine/kind.ts): after its wave, apply re-reads
 * systemusers by azureactivedirectoryobjectid, every SETTLE_POLL_MS for at most SETTLE_MAX_MS; the
 * row's id becomes the change's createdId and the bookable resource is created in the same apply.
 * A row still missing then is DATAVERSE_USER_NOT_CREATED_YET: the contact waits and the next run
 * carries on (level-based: it sees the row, or calls addUser again, which is harmless).
 */
import type { Change } from '../../src/model/plan.js';
import { TransientError, type ReconcilerError } from '../../src/model/errors.js';
import type { CreatedId, KindServices } from '../../src/engine/kind.js';
import { resolveCreated } from '../../src/engine/kind.js';
import type { SystemUserRow } from '../../src/model/rows.js';
import type { DesiredTechnician, ObservedTechnician } from './state.js';
import { change, changeId, isWaitingForDataverseUser, type RequestSettings, type TechnicianChangeSpec, type TechnicianKind } from './common.js';
import { stableId } from './effects.js';
import { inheritsLicence } from './presence.js';

/** The api-version Terraform's provider calls addUser with (its BAP_API_VERSION). */
export const ADD_USER_API_VERSION = '2023-06-01';
export const SETTLE_POLL_MS = 2000;
export const SETTLE_MAX_MS = 30_000;
/** Object ids per systemusers read while settling (the filter stays far below URL limits). */
const SETTLE_CHUNK = 50;

/** The systemuser reference of a technician whose Dataverse user this plan adds (the addUser change). */
export interface DataverseUserRef {
  createdBy: string;
}

/**
 * This plan asks for the Dataverse user: on demand is on, the contact is provisioned, it has no
 * enabled systemuser, and its identity is enabled, licensed and in the group once the plan's
 * earlier changes ran (the conditions of create-users.md, as the desired state says them).
 */
export function addsDataverseUser(desired: DesiredTechnician, observed: ObservedTechnician): boolean {
  if (!desired.dataverseUser.onDemand || desired.intent !== 'provision' || !isWaitingForDataverseUser(observed)) return false;
  if (!desired.licence.assigned || !desired.group.member) return false;
  // Group licensing (LICENSE_MODE=group): Entra assigns the licence some time after the group add,
  // so addUser waits until the member holds it; asking earlier would only be told userNotLicensed.
  const fromGroup = desired.licence.fromGroup;
  if (fromGroup !== undefined && !desired.licence.skuIds.every((sku) => inheritsLicence(observed, sku, fromGroup))) return false;
  const enabled = desired.user.accountEnabled ?? observed.user?.accountEnabled !== false;
  return enabled;
}

/** The contact waits for Dataverse's user (no bookable resource in this plan). */
export function awaitsDataverseUser(desired: DesiredTechnician, observed: ObservedTechnician): boolean {
  return isWaitingForDataverseUser(observed) && !addsDataverseUser(desired, observed);
}

/** The systemuser the bookable resource points at: the enabled one observed, the one this plan adds, or none yet. */
export function dataverseUserOf(desired: DesiredTechnician, observed: ObservedTechnician): string | DataverseUserRef | null {
  if (!isWaitingForDataverseUser(observed)) return observed.systemUser!.systemuserid;
  return addsDataverseUser(desired, observed) ? { createdBy: changeId(desired.contactId, 'systemuser.add') } : null;
}

export function diff(desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  if (!addsDataverseUser(desired, observed)) return [];
  const creator = desired.account === 'service' ? 'user.create' : 'user.invite';
  const objectId = observed.user ? observed.user.id : { createdBy: changeId(desired.contactId, creator) };
  const su = observed.systemUser;
  return [
    change(
      desired,
      'systemuser.add',
      { service: 'powerPlatform', entity: 'systemuser', id: su?.systemuserid ?? null },
      su ? { isdisabled: true } : null,
      { objectId },
      su
        ? "The technician's Dataverse user is disabled although the account qualifies; the Power Platform is asked to sync it now (DATAVERSE_USER_ON_DEMAND) rather than at its own pace."
        : "The technician has no Dataverse user yet; the Power Platform is asked to add it now (DATAVERSE_USER_ON_DEMAND) rather than wait for Dataverse's background sync, so the bookable resource follows in this run.",
    ),
  ];
}

function addUserRequest(c: Change, createdId: CreatedId, settings: RequestSettings): { method: 'POST'; url: string; body: { objectId: string }; idempotent: true } {
  const environmentId = settings.powerPlatform?.environmentId ?? '';
  const objectId = String(resolveCreated(c.after?.objectId, createdId));
  // addUser is idempotent in effect (it refreshes a user already there), so a lost answer may be retried.
  return {
    method: 'POST',
    url: `/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/${encodeURIComponent(environmentId)}/addUser?api-version=${ADD_USER_API_VERSION}`,
    body: { objectId },
    idempotent: true,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Enabled systemusers of these Entra object ids, by object id (lower case). */
async function enabledSystemUsers(services: KindServices, objectIds: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < objectIds.length; i += SETTLE_CHUNK) {
    const part = objectIds.slice(i, i + SETTLE_CHUNK);
    // azureactivedirectoryobjectid is a Guid column: compared unquoted.
    const filter = `isdisabled eq false and (${part.map((id) => `azureactivedirectoryobjectid eq ${id}`).join(' or ')})`;
    const rows = await services.dataverse.list<Pick<SystemUserRow, 'systemuserid' | 'azureactivedirectoryobjectid'>>('systemusers', { select: ['systemuserid', 'azureactivedirectoryobjectid'], filter });
    for (const r of rows) if (r.azureactivedirectoryobjectid) found.set(r.azureactivedirectoryobjectid.toLowerCase(), r.systemuserid);
  }
  return found;
}

function notCreatedYet(waitedMs: number): TransientError {
  return new TransientError(
    'DATAVERSE_USER_NOT_CREATED_YET',
    `The Power Platform accepted the technician's Dataverse user, but Dataverse had not created it after ${Math.round(waitedMs / 1000)} s; the bookable resource is created on a later run.`,
    'Nothing to do: the next run finds the user and creates the bookable resource.',
  );
}

/** Waits, bounded, for the systemusers of the applied addUser changes (see the file comment). */
export async function settleAddedUsers(
  changes: readonly Change[],
  services: KindServices,
  createdId: CreatedId,
  timing: { pollMs: number; maxMs: number } = { pollMs: SETTLE_POLL_MS, maxMs: SETTLE_MAX_MS },
): Promise<Map<string, string | ReconcilerError>> {
  const out = new Map<string, string | ReconcilerError>();
  const pending = new Map(changes.map((c) => [String(resolveCreated(c.after?.objectId, createdId)).toLowerCase(), c.id]));
  const started = Date.now();
  for (;;) {
    const found = await enabledSystemUsers(services, [...pending.keys()]);
    for (const [objectId, systemUserId] of found) {
      const id = pending.get(objectId);
      if (id === undefined) continue;
      out.set(id, systemUserId);
      pending.delete(objectId);
    }
    const waited = Date.now() - started;
    if (pending.size === 0 || waited + timing.pollMs > timing.maxMs) break;
    await sleep(timing.pollMs);
  }
  const waited = Date.now() - started;
  for (const id of pending.values()) out.set(id, notCreatedYet(waited));
  return out;
}

export const systemUserAddSpec: TechnicianChangeSpec = {
  kind: 'systemuser.add',
  label: 'Add Dataverse user on demand',
  // Dataverse adds only an enabled, licensed direct member of the environment's group (create-users.md).
  runsAfter: ['user.invite', 'user.create', 'user.update', 'licence.assign', 'group.add'],
  removal: false,
  toRequest: addUserRequest,
  settle: (changes, services, createdId) => settleAddedUsers(changes, services, createdId),
  effect: (model, c, refs) => {
    const objectId = String(isRef(c.after?.objectId) ? refs.created(c.after.objectId.createdBy) : c.after?.objectId);
    const existing = model.systemUsers.find((s) => (s.azureactivedirectoryobjectid ?? '').toLowerCase() === objectId.toLowerCase());
    if (existing) {
      return { model: { ...model, systemUsers: model.systemUsers.map((s) => (s === existing ? { ...s, isdisabled: false } : s)) }, createdId: existing.systemuserid };
    }
    const user = model.users.find((u) => u.id.toLowerCase() === objectId.toLowerCase());
    const row: SystemUserRow = { systemuserid: stableId('su', objectId.toLowerCase()), azureactivedirectoryobjectid: objectId, internalemailaddress: user?.mail ?? null, fullname: user?.displayName ?? null, isdisabled: false, address1_latitude: null, address1_longitude: null };
    return { model: { ...model, systemUsers: [...model.systemUsers, row] }, createdId: row.systemuserid };
  },
};

function isRef(v: unknown): v is DataverseUserRef {
  return typeof v === 'object' && v !== null && typeof (v as { createdBy?: unknown }).createdBy === 'string';
}

/** The kind: one change kind, its own module (its effect makes a systemuser the coordinates kind then diffs). */
export const systemUserAddKind: TechnicianKind = { name: 'systemuser-add', changes: [systemUserAddSpec], diff };
