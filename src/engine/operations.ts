/**
 * From a planned Change to the one request that carries it out. The request is built from the
 * change's own target and `after` values, so what the dry run showed is exactly what apply sends.
 * docs/plan-format.md lists each kind with its request.
 */
import { classify } from '../clients/classify.js';
import type { DataverseApi, GraphApi, ServiceRequest, ServiceResponse } from '../clients/types.js';
import { markAttributeOf, technicianSettings, type Settings } from '../config.js';
import { type ContactError, TransientError } from '../model/errors.js';
import type { Change, TargetEntity, Values } from '../model/plan.js';
import type { ApplyDeps } from './apply.js';
import { findUsersByEmail } from './pre-invite-lookup.js';

type CreatedId = (changeId: string) => string | undefined;

/** Lookup value properties (`_x_value`) → the navigation property and entity set to bind. */
const LOOKUPS: Partial<Record<TargetEntity, Record<string, [nav: string, set: string]>>> = {
  contact: { _o25fs_bookableresourceid_value: ['o25fs_BookableResourceId', 'bookableresources'] },
  bookableresource: {
    _userid_value: ['UserId', 'systemusers'],
    _msdyn_organizationalunit_value: ['msdyn_OrganizationalUnit', 'msdyn_organizationalunits'],
    _msdyn_warehouse_value: ['msdyn_warehouse', 'msdyn_warehouses'],
  },
  bookableresourcecharacteristic: {
    _resource_value: ['Resource', 'bookableresources'],
    _characteristic_value: ['Characteristic', 'characteristics'],
    _ratingvalue_value: ['RatingValue', 'ratingvalues'],
  },
};

/** Columns the plan shows for explanation but that are not written (state of a link, not a column). */
const NOT_WRITTEN = new Set(['statecode', 'statuscode']);

function resolve(value: unknown, createdId: CreatedId): unknown {
  if (value && typeof value === 'object' && 'createdBy' in value) {
    const id = createdId(String((value as { createdBy: unknown }).createdBy));
    if (!id) throw unresolved(String((value as { createdBy: unknown }).createdBy));
    return id;
  }
  return value;
}

function unresolved(changeId: string): TransientError {
  return new TransientError('DEPENDENCY_NOT_CREATED', `The object created by ${changeId} has no id yet.`, 'Nothing to do: the next run retries.');
}

export function targetId(change: Change, createdId: CreatedId): string {
  const id = change.target.id ?? (change.target.createdBy ? createdId(change.target.createdBy) : undefined);
  if (!id) throw unresolved(change.target.createdBy ?? change.id);
  return id;
}

/** Dataverse body: plain columns as they are, lookups as `Nav@odata.bind` (null clears the lookup). */
export function dataverseBody(entity: TargetEntity, values: Values, createdId: CreatedId, opts: { create: boolean }): Values {
  const body: Values = {};
  const lookups = LOOKUPS[entity] ?? {};
  for (const [key, raw] of Object.entries(values)) {
    const value = resolve(raw, createdId);
    const lookup = lookups[key];
    if (lookup) {
      const [nav, set] = lookup;
      if (value === null && opts.create) continue;
      body[`${nav}@odata.bind`] = value === null ? null : `/${set}(${String(value)})`;
    } else if (!(opts.create && NOT_WRITTEN.has(key))) {
      body[key] = value;
    }
  }
  return body;
}

const IF_MATCH_ANY = { 'If-Match': '*' };

export function toRequest(change: Change, createdId: CreatedId, settings: Settings): ServiceRequest {
  const after = change.after ?? {};
  const before = change.before ?? {};
  switch (change.kind) {
    case 'user.invite':
      return {
        method: 'POST',
        url: '/invitations',
        body: {
          invitedUserEmailAddress: after.mail,
          invitedUserDisplayName: after.displayName,
          inviteRedirectUrl: technicianSettings(settings).inviteRedirectUrl,
          sendInvitationMessage: technicianSettings(settings).sendInvitationEmail,
          invitedUserType: 'Guest',
        },
      };
    case 'user.update':
    case 'user.mark':
      return { method: 'PATCH', url: `/users/${targetId(change, createdId)}`, body: after };
    case 'licence.assign':
      // Assigning a SKU the user already has only rewrites its disabled plans: safe to repeat.
      return { method: 'POST', url: `/users/${targetId(change, createdId)}/assignLicense`, idempotent: true, body: { addLicenses: [{ skuId: after.skuId, disabledPlans: [] }], removeLicenses: [] } };
    case 'licence.remove':
      return { method: 'POST', url: `/users/${targetId(change, createdId)}/assignLicense`, body: { addLicenses: [], removeLicenses: [before.skuId] } };
    case 'group.add':
      return {
        method: 'POST',
        url: `/groups/${String(after.groupId)}/members/$ref`,
        body: { '@odata.id': `${settings.graphBaseUrl}/directoryObjects/${targetId(change, createdId)}` },
      };
    case 'group.remove':
      return { method: 'DELETE', url: `/groups/${String(before.groupId)}/members/${targetId(change, createdId)}/$ref` };
    case 'bookableresource.create':
    case 'characteristic.create': {
      const set = change.kind === 'bookableresource.create' ? 'bookableresources' : 'bookableresourcecharacteristics';
      const key = change.kind === 'bookableresource.create' ? 'bookableresourceid' : 'bookableresourcecharacteristicid';
      return { method: 'POST', url: set, body: { [key]: targetId(change, createdId), ...dataverseBody(change.target.entity, after, createdId, { create: true }) } };
    }
    case 'characteristic.delete':
      return { method: 'DELETE', url: `bookableresourcecharacteristics(${targetId(change, createdId)})` };
    case 'contact.anchor':
    case 'contact.link':
    case 'systemuser.update':
    case 'bookableresource.update':
    case 'bookableresource.deactivate':
    case 'characteristic.update': {
      const set = `${change.target.entity}s`;
      // If-Match: * makes the PATCH an update only: it never creates a row that was deleted meanwhile.
      return { method: 'PATCH', url: `${set}(${targetId(change, createdId)})`, headers: IF_MATCH_ANY, body: dataverseBody(change.target.entity, after, createdId, { create: false }) };
    }
  }
}

function createdIdOf(change: Change, response: ServiceResponse): string | undefined {
  if (change.kind !== 'user.invite') return undefined;
  const id = (response.body as { invitedUser?: { id?: unknown } } | undefined)?.invitedUser?.id;
  return typeof id === 'string' ? id.toLowerCase() : undefined;
}

export function createApplyDeps(settings: Settings, graph: GraphApi, dataverse: DataverseApi): Omit<ApplyDeps, 'deadline' | 'now'> {
  return {
    graph,
    dataverse,
    toRequest: (change, createdId) => toRequest(change, createdId, settings),
    createdIdOf,
    errorOf: (change, request, response) => {
      const error = classify(change.target.service, request, response);
      // A create whose deterministic id already exists was done by an earlier, interrupted run.
      if (error && response.status === 412 && (change.kind === 'bookableresource.create' || change.kind === 'characteristic.create')) return null;
      return error;
    },
    findExistingUsers: async (invites) => {
      const found = await findUsersByEmail(
        graph,
        invites.map((c) => ({ email: String(c.after?.mail ?? ''), contactId: c.subject.id })),
        markAttributeOf(settings),
      );
      const out = new Map<string, string | ContactError | TransientError>();
      invites.forEach((c, i) => {
        const hit = found[i];
        if (hit !== undefined) out.set(c.id, hit);
      });
      return out;
    },
  };
}
