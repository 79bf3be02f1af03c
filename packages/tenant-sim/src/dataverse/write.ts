/**
 * POST (create), PATCH (update and upsert) and DELETE of one row.
 * Sources: create-entity-web-api.md, update-delete-entities-using-web-api.md,
 * perform-conditional-operations-using-web-api.md (If-Match / If-None-Match), compose-http-requests-
 * handle-errors.md (412 DuplicateRecord/ConcurrencyVersionMismatch, 405 CannotDeleteDueToAssociation,
 * 403 PrivilegeDenied);
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api,
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api,
 * learn.microsoft.com/power-platform/admin/create-users,
 * learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookableresource;
 * ownership (Assign by PATCH of ownerid) and the creating user (createdby): ownership.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Row } from '../dataverse-store.js';
import type { SimResponse } from '../types.js';
import type { DvContext } from './context.js';
import { CODES, DataverseError, jsonResponse, noContent, notFound, payloadError } from './errors.js';
import { deleteWithBehaviours } from './delete.js';
import { annotationFilter, projectRow } from './format.js';
import { isGuid, parsePrefer, parseQuery, parseSelect, type Target } from './options.js';
import { contextUrl } from './read.js';
import { appUserId, applyOwnership } from './ownership.js';
import { applyRules } from './rules.js';
import type { EntityDef } from './schema.js';
import { columnsFromPayload } from './validate.js';

function parseBody(entity: EntityDef, body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw payloadError(entity.set, 'Invalid JSON. A token was not recognized in the JSON content.');
  }
}

function refuseCreate(entity: EntityDef): void {
  if (entity.createRefused) {
    // Users come only from the Entra ID user sync
    // (learn.microsoft.com/power-platform/admin/create-users); the app is denied the create
    // privilege.
    throw new DataverseError(
      403,
      CODES.privilegeDenied,
      `Principal user is missing ${entity.createRefused} privilege: ${entity.logicalName} rows are created only by the Microsoft Entra ID user sync in this environment.`,
    );
  }
}

function entityUrl(dx: DvContext, entity: EntityDef, id: string): string {
  return `${dx.root}${entity.set}(${id})`;
}

function locationHeaders(dx: DvContext, entity: EntityDef, id: string, inner: boolean): Record<string, string> {
  const url = entityUrl(dx, entity, id);
  return inner ? { Location: url, 'OData-EntityId': url } : { 'OData-EntityId': url };
}

function representation(dx: DvContext, entity: EntityDef, id: string, rawQuery: string, headers: Record<string, string>, status: number): SimResponse {
  const select = parseSelect(entity, parseQuery(rawQuery).get('$select'), dx.store);
  const prefer = parsePrefer(headers.prefer);
  const row = dx.store.get(entity.set, id)!;
  const body = { '@odata.context': contextUrl(dx, entity.set, select, true), ...projectRow(entity, row, dx.store, { select, annotations: annotationFilter(prefer.annotations) }) };
  return jsonResponse(status, body, { 'Preference-Applied': 'return=representation', ETag: dx.store.etag(entity.set, id) });
}

/** Tells the webhooks (webhooks.ts) a row was written through the Web API. */
function written(dx: DvContext, entity: EntityDef, message: 'Create' | 'Update', id: string, columns: Row): void {
  dx.sim.dataverseWritten?.({ table: entity.logicalName, message, id, columns, organizationName: new URL(dx.sim.dataverseUrl).hostname.split('.')[0] ?? '', userId: appUserId(dx.store, dx.appId) });
}

function insertRow(dx: DvContext, entity: EntityDef, id: string, payload: unknown): void {
  const changes = columnsFromPayload(entity, payload, id, undefined, dx);
  applyOwnership(entity, changes, true, dx);
  // CreatedBy is the calling user (the table references: read-only, set by the platform): the app's
  // application user, the same systemuser that owns what it creates (ownership.ts).
  changes._createdby_value = appUserId(dx.store, dx.appId);
  const row = applyRules(entity, id, changes, undefined, new Date(dx.sim.now()));
  dx.scope?.journal.record(entity.set, id);
  dx.store.insert(entity.set, row);
  written(dx, entity, 'Create', id, changes);
}

export function createRow(target: Target, rawQuery: string, headers: Record<string, string>, body: string, inner: boolean, dx: DvContext): SimResponse {
  const { entity } = target;
  refuseCreate(entity);
  const payload = parseBody(entity, body);
  const supplied = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)[entity.primaryKey] : undefined;
  if (supplied !== undefined && (typeof supplied !== 'string' || !isGuid(supplied))) {
    throw payloadError(entity.set, `Cannot convert the literal '${JSON.stringify(supplied)}' to the expected type 'Edm.Guid'.`);
  }
  const id = typeof supplied === 'string' ? supplied.toLowerCase() : randomUUID();
  if (dx.store.get(entity.set, id)) throw new DataverseError(412, CODES.duplicate, 'A record with matching key values already exists.');
  insertRow(dx, entity, id, payload);
  if (dx.scope) dx.scope.lastEntityUrl = entityUrl(dx, entity, id);
  if (parsePrefer(headers.prefer).returnRepresentation) return representation(dx, entity, id, rawQuery, headers, 201);
  return noContent(locationHeaders(dx, entity, id, inner));
}

function checkEtag(dx: DvContext, entity: EntityDef, id: string, ifMatch: string | undefined): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const wanted = ifMatch.split(',').map((s) => s.trim());
  if (!wanted.includes(dx.store.etag(entity.set, id))) {
    throw new DataverseError(412, CODES.concurrency, "The version of the existing record doesn't match the RowVersion property provided.");
  }
}

export function patchRow(target: Target, id: string, rawQuery: string, headers: Record<string, string>, body: string, inner: boolean, dx: DvContext): SimResponse {
  const { entity } = target;
  const payload = parseBody(entity, body);
  const existing = dx.store.get(entity.set, id);
  const ifMatch = headers['if-match'];
  const ifNoneMatch = headers['if-none-match'];
  const prefer = parsePrefer(headers.prefer);
  if (!existing) {
    // If-Match (any value) prevents the create of an upsert.
    if (ifMatch !== undefined) throw notFound(entity.logicalName, id);
    refuseCreate(entity);
    insertRow(dx, entity, id, payload);
    if (dx.scope) dx.scope.lastEntityUrl = entityUrl(dx, entity, id);
    // Upsert that creates, with return=representation: 201 as for POST (OData 4.0 11.4.4; not verified
    // for Dataverse,
    // learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api).
    if (prefer.returnRepresentation) return representation(dx, entity, id, rawQuery, headers, 201);
    return noContent(locationHeaders(dx, entity, id, inner));
  }
  if (ifNoneMatch?.trim() === '*') throw new DataverseError(412, CODES.duplicate, 'A record with matching key values already exists.');
  checkEtag(dx, entity, id, ifMatch);
  const changes = columnsFromPayload(entity, payload, id, existing, dx);
  applyOwnership(entity, changes, false, dx);
  const write = applyRules(entity, id, changes, existing, new Date(dx.sim.now()));
  dx.scope?.journal.record(entity.set, id);
  dx.store.update(entity.set, id, write);
  written(dx, entity, 'Update', id, changes);
  if (dx.scope) dx.scope.lastEntityUrl = entityUrl(dx, entity, id);
  if (prefer.returnRepresentation) return representation(dx, entity, id, rawQuery, headers, 200);
  return noContent(locationHeaders(dx, entity, id, inner));
}

export function deleteRow(target: Target, id: string, headers: Record<string, string>, dx: DvContext): SimResponse {
  const { entity } = target;
  if (entity.logicalName === 'systemuser') {
    // systemuser has no Delete message: users are disabled, never deleted
    // (learn.microsoft.com/power-platform/admin/create-users).
    throw new DataverseError(405, CODES.notSupported, "The 'Delete' method does not support entities of type 'systemuser'.");
  }
  const existing: Row | undefined = dx.store.get(entity.set, id);
  if (!existing) throw notFound(entity.logicalName, id);
  checkEtag(dx, entity, id, headers['if-match']);
  deleteWithBehaviours(entity, id, dx);
  return noContent();
}

export function methodNotAllowed(method: string, path: string): DataverseError {
  return new DataverseError(405, CODES.notSupported, `The HTTP method '${method}' is not allowed on '${path}'.`);
}
