/**
 * DELETE with the relationships' delete behaviours (CascadeConfiguration.Delete in the table
 * references;
 * learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookableresourcecharacteristic):
 * Cascade deletes the referencing rows too (bookableresource →
 * bookableresourcecharacteristic), RemoveLink clears their lookup, Restrict refuses the delete while a
 * referencing row exists (characteristic ← bookableresourcecharacteristic), answered 405
 * CannotDeleteDueToAssociation (compose-http-requests-handle-errors.md "Identify status codes").
 * An N:N association of a deleted row is deleted with it. The whole plan is computed before anything changes, so a refused delete changes nothing.
 */
import type { DvContext } from './context.js';
import { CODES, DataverseError } from './errors.js';
import { referencesTo } from './entities.js';
import { intersectRowsOf } from './relationships.js';
import type { EntityDef } from './schema.js';

export function deleteWithBehaviours(entity: EntityDef, id: string, dx: DvContext): void {
  const deletes = new Map<string, { set: string; id: string }>();
  const unlinks: { set: string; id: string; column: string }[] = [];

  const visit = (def: EntityDef, rowId: string): void => {
    deletes.set(`${def.set}/${rowId}`, { set: def.set, id: rowId });
    for (const ref of referencesTo(def.set)) {
      for (const row of dx.store.table(ref.entity.set).values()) {
        const value = row[ref.column];
        if (value === null || value === undefined || String(value).toLowerCase() !== rowId) continue;
        const childId = String(row[ref.entity.primaryKey]).toLowerCase();
        if (deletes.has(`${ref.entity.set}/${childId}`)) continue;
        if (ref.onDelete === 'Restrict') {
          throw new DataverseError(405, CODES.restrictDelete, 'The object you tried to delete is associated with another object and cannot be deleted.');
        }
        if (ref.onDelete === 'Cascade') visit(ref.entity, childId);
        else unlinks.push({ set: ref.entity.set, id: childId, column: ref.column });
      }
    }
  };
  visit(entity, id);

  const stamp = new Date(dx.sim.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const u of unlinks) {
    if (deletes.has(`${u.set}/${u.id}`)) continue;
    dx.scope?.journal.record(u.set, u.id);
    dx.store.update(u.set, u.id, { [u.column]: null, modifiedon: stamp });
  }
  // N:N associations of every deleted row go with it (relationships.ts).
  const intersects = [...deletes.values()].flatMap((d) => intersectRowsOf(dx.store, d.set, d.id));
  for (const d of [...intersects, ...deletes.values()]) {
    dx.scope?.journal.record(d.set, d.id);
    dx.store.delete(d.set, d.id);
  }
}
