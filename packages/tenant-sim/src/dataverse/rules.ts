/**
 * Platform rules applied after a payload is validated: defaults on create, SystemRequired columns,
 * the statecode/statuscode pair
 * (learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview; a statuscode that
 * belongs to
 * another state is refused, a statecode alone gets its state's default status), the computed
 * columns (contact/systemuser fullname, createdon/modifiedon), and the bookableresource rules of
 * learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookableresource.
 */
import type { Row } from '../dataverse-store.js';
import { CODES, badRequest, validationError } from './errors.js';
import type { EntityDef } from './schema.js';

function stateLabel(entity: EntityDef, state: number): string {
  const label = entity.columns.get('statecode')?.options?.[state] ?? String(state);
  const schema = entity.logicalName.charAt(0).toUpperCase() + entity.logicalName.slice(1);
  return `${schema}State.${label}`;
}

function checkState(entity: EntityDef, id: string, merged: Row, changes: Row): void {
  if (!entity.states) return;
  const state = merged.statecode;
  if (state === null || state === undefined) throw validationError(`The 'statecode' attribute of the '${entity.logicalName}' entity is required and can't be empty.`);
  const statuses = entity.states.get(Number(state));
  if (!statuses) throw validationError(`The value ${String(state)} of 'statecode' on record of type '${entity.logicalName}' is outside the valid range.`);
  if ('statecode' in changes && !('statuscode' in changes)) {
    changes.statuscode = statuses[0];
    merged.statuscode = statuses[0];
  }
  const status = merged.statuscode;
  if (status === null || status === undefined) {
    changes.statuscode = statuses[0];
    merged.statuscode = statuses[0];
    return;
  }
  if (!statuses.includes(Number(status))) {
    throw badRequest(CODES.stateStatus, `${String(status)} is not a valid status code for state code ${stateLabel(entity, Number(state))} on ${entity.logicalName} with Id ${id}.`);
  }
}

function fullName(first: unknown, last: unknown): string | null {
  const parts = [first, last].filter((p) => typeof p === 'string' && p !== '') as string[];
  return parts.length > 0 ? parts.join(' ') : null;
}

/**
 * Completes `changes` (validated payload columns) into what is written: the whole row for a create
 * (`existing` undefined), the changed columns for an update. Returns the columns to write.
 */
export function applyRules(entity: EntityDef, id: string, changes: Row, existing: Row | undefined, now: Date): Row {
  const creating = existing === undefined;
  const write: Row = { ...changes };
  if (creating) {
    for (const column of entity.columns.values()) {
      if (column.default !== undefined && !(column.name in write)) write[column.name] = column.default;
    }
  }
  const merged: Row = { ...(existing ?? {}), ...write };

  for (const column of entity.columns.values()) {
    if (!column.required || column.type === 'State') continue;
    const missing = merged[column.name] === null || merged[column.name] === undefined;
    if (missing && (creating || column.name in write)) {
      throw validationError(`The '${column.name}' attribute of the '${entity.logicalName}' entity is required and can't be empty.`);
    }
  }
  checkState(entity, id, merged, write);

  if (entity.logicalName === 'bookableresource') {
    // Stricter than the table reference: a User-type resource (3) must point at a systemuser
    // (learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookableresource).
    if (Number(merged.resourcetype) === 3 && (merged._userid_value === null || merged._userid_value === undefined)) {
      throw validationError(`A bookable resource of type User (3) needs a user: set 'UserId@odata.bind'.`);
    }
  }
  if ((entity.logicalName === 'contact' || entity.logicalName === 'systemuser') && ('firstname' in write || 'lastname' in write)) {
    write.fullname = fullName(merged.firstname, merged.lastname);
  }
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (creating) write.createdon = stamp;
  write.modifiedon = stamp;
  if (creating) write[entity.primaryKey] = id;
  return write;
}
