/**
 * What the technicians' changes do to the in-memory model of the services (an Observation), as the
 * services would do it when the call succeeds. The property tests and the kind conformance kit
 * (test/support/describe-kind.ts) apply plans through these; the product never calls them. Pure:
 * every function returns a new Observation (rows that change are copied, the others shared), and
 * throws when a change targets something that does not exist.
 */
import { createHash } from 'node:crypto';
import { isCreatedRef } from './ids.js';
import type { EffectRefs, EffectResult } from '../../src/engine/kind.js';
import type { Observation } from '../../src/model/observation.js';
import type { Change, Values } from '../../src/model/plan.js';
import type { GraphUser } from '../../src/model/rows.js';

/** The model tenant's domain: invited guests get `<email with _>#EXT#@` this as their UPN. */
export const MODEL_TENANT_DOMAIN = 'contoso.onmicrosoft.com';

/** A short id that depends only on its seed, so the same plan always creates the same objects. */
export const stableId = (prefix: string, seed: string): string => `${prefix}-${createHash('sha1').update(seed).digest('hex').slice(0, 12)}`;

/** A guest as Entra creates it for an invitation: enabled, pending, no names, licence or location. */
export function invitedGuest(id: string, email: string, displayName: string | null = null): GraphUser {
  return {
    id,
    displayName,
    givenName: null,
    surname: null,
    mail: email,
    otherMails: [email],
    userPrincipalName: `${email.replace('@', '_')}#EXT#@${MODEL_TENANT_DOMAIN}`,
    userType: 'Guest',
    creationType: 'Invitation',
    externalUserState: 'PendingAcceptance',
    accountEnabled: true,
    usageLocation: null,
    assignedLicenses: [],
    licenseAssignmentStates: [],
  };
}

function resolve(value: unknown, refs: EffectRefs): unknown {
  if (!isCreatedRef(value)) return value;
  const id = refs.created(value.createdBy);
  if (!id) throw new Error(`model: ${value.createdBy} has not created anything`);
  return id;
}

/** The id of the object the change acts on in the model. */
export function modelTargetId(change: Change, refs: EffectRefs): string {
  const id = change.target.id ?? (change.target.createdBy ? refs.created(change.target.createdBy) : undefined);
  if (!id) throw new Error(`model: no target id for ${change.id}`);
  return id;
}

/** `row` with the change's values written (ids of objects this plan created resolved). */
export function patched<T extends object>(row: T, values: Values | null, refs: EffectRefs): T {
  const out = { ...row } as Record<string, unknown>;
  for (const [k, v] of Object.entries(values ?? {})) out[k] = resolve(v, refs);
  return out as T;
}

const same = (a: unknown, b: string): boolean => String(a).toLowerCase() === b.toLowerCase();

/** `rows` with the one whose `key` is `id` replaced by `edit(row)`; throws when there is none. */
export function replaceRow<T>(rows: readonly T[], key: keyof T, id: string, what: string, edit: (row: T) => T): T[] {
  const i = rows.findIndex((r) => same(r[key], id));
  if (i < 0) throw new Error(`model: missing ${what} ${id}`);
  return rows.map((r, j) => (j === i ? edit(r) : r));
}

/** The model with the change's target user replaced by `edit(user)`. */
export function editUser(model: Observation, change: Change, refs: EffectRefs, edit: (user: GraphUser) => GraphUser): Observation {
  const id = modelTargetId(change, refs).toLowerCase();
  if (!model.users.some((u) => u.id.toLowerCase() === id)) throw new Error(`model: ${change.id} targets missing user ${id}`);
  return { ...model, users: replaceRow(model.users, 'id', id, 'user', edit) };
}

/** The target user's id in the model (lower case); throws when the user does not exist. */
export function userIdOf(model: Observation, change: Change, refs: EffectRefs): string {
  const id = modelTargetId(change, refs).toLowerCase();
  const user = model.users.find((u) => u.id.toLowerCase() === id);
  if (!user) throw new Error(`model: ${change.id} targets missing user ${id}`);
  return user.id.toLowerCase();
}

/** An effect that writes the change's `after` on the target row of `table`. */
export function patchEffect<K extends 'contacts' | 'systemUsers' | 'bookableResources'>(
  table: K,
  key: keyof Observation[K][number],
  what: string,
): (model: Observation, change: Change, refs: EffectRefs) => EffectResult<Observation> {
  return (model, change, refs) => {
    const rows = model[table] as Observation[K][number][];
    const next = replaceRow(rows, key, modelTargetId(change, refs), what, (row) => patched(row, change.after, refs));
    return { model: { ...model, [table]: next } };
  };
}
