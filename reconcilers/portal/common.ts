/**
 * What the customer portal kinds share: the kind type bound to the family's types, building a
 * Change, and the absolute row URL an N:N `$ref` names (Learn "Associate and disassociate table rows
 * using the Web API": the @odata.id is the row's URI).
 */
import type { ChangeKindSpec, Kind } from '../../src/engine/kind.js';
import type { Observation } from '../../src/model/observation.js';
import type { Change, ChangeKind, ChangeTarget, Subject, Values } from '../../src/model/plan.js';
import type { DesiredPortal, ObservedPortal } from './state.js';

/** The settings the portal's requests read. */
export interface PortalRequestSettings {
  dataverseUrl: string;
}

export type PortalKind = Kind<DesiredPortal, ObservedPortal, PortalRequestSettings, Observation>;
export type PortalChangeSpec = ChangeKindSpec<PortalRequestSettings, Observation>;

export const PORTAL = 'portal';

export function portalSubject(desired: DesiredPortal): Subject {
  return { family: PORTAL, table: 'contacts', id: desired.contactId, displayName: desired.displayName, group: desired.accountId ? { id: desired.accountId, name: null } : null };
}

export function portalChange(desired: DesiredPortal, kind: ChangeKind, target: ChangeTarget, before: Values | null, after: Values | null, reason: string, key?: string): Change {
  const id = key === undefined ? `${desired.contactId}/${kind}` : `${desired.contactId}/${kind}/${key}`;
  return { id, subject: portalSubject(desired), kind, target, before, after, reason, dependsOn: [] };
}

/** `[org]/api/data/v9.2/<set>(<id>)`, as an N:N association's @odata.id. */
export function rowUri(settings: PortalRequestSettings, set: string, id: string): string {
  return `${settings.dataverseUrl.replace(/\/$/, '')}/api/data/v9.2/${set}(${id})`;
}

/** The model's portal lookups; the kinds' effects only run on models of this family. */
export function lookupsOf(model: Observation): NonNullable<Observation['portal']> {
  if (!model.portal) throw new Error('model: no portal lookups');
  return model.portal;
}

/**
 * An N:N association that already exists: Dataverse refuses it as a duplicate key (400 0x80040237
 * "Cannot insert duplicate key"), which means what the change asked for is already so.
 */
export function associatedAlready(_change: Change, response: { status: number; body?: unknown }): boolean {
  const code = (response.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  // 400 is the simulator's documented stricter choice for a duplicate $ref; Dataverse answers a
  // duplicate key on create with 412 and the same code, so either means the pair exists.
  return (response.status === 400 || response.status === 412) && code === '0x80040237';
}
