/**
 * Ownership of the rows of UserOwned tables (contact, bookableresource: OwnershipType UserOwned in
 * contact.md and bookableresource.md). Sources:
 * - the table references: OwnerId (Type Owner, Targets systemuser, team, SystemRequired); OwningUser,
 *   OwningTeam read-only; the Assign message is "PATCH /<set>(<id>): Update the ownerid property";
 * - Learn, principal EntityType: ownerid is "systemuserid or teamid", so one navigation property,
 *   `ownerid`, binds either `/systemusers(<id>)` or `/teams(<id>)`;
 * - a record created without `ownerid` is owned by the calling user, here the app's application user:
 *   the pages above do not say so for the Web API, the simulator takes the platform's default
 *   (docs/simulator-dataverse.md "Ownership").
 *
 * Exactly one of `_owninguser_value` and `_owningteam_value` is set, equal to `_ownerid_value`.
 * The bind itself (an existing row of an allowed set) is checked by validate.ts like any bind; a null
 * owner is refused by rules.ts because the column is SystemRequired.
 */
import type { DataverseStore, Row } from '../dataverse-store.js';
import type { DvContext } from './context.js';
import { entityBySet } from './entities.js';
import type { EntityDef } from './schema.js';

/**
 * The owner of rows the app creates when the fixture has no systemuser for it (no row with the
 * token's `applicationid`): a fixed id, documented in docs/simulator-dataverse.md "Ownership". No row
 * backs it, so its lookup has no formatted value.
 */
export const DEFAULT_APP_USER_ID = '33333333-3333-3333-3333-333333333333';

// Creates look the application user up often (the benchmark creates tens of thousands of rows while
// the user sync and the product write systemusers), so a found row is kept while it still is the app's
// (applicationid is read-only: checking the one row is enough); the fallback only until the table changes.
const appUsers = new WeakMap<DataverseStore, { generation: number; appId: string; id: string }>();

const isAppUser = (row: Row | undefined, appId: string): boolean =>
  typeof row?.applicationid === 'string' && row.applicationid.toLowerCase() === appId.toLowerCase();

/** The systemuser the calling app writes as: its application user's row, else DEFAULT_APP_USER_ID. */
export function appUserId(store: DataverseStore, appId: string): string {
  const generation = store.generation('systemusers');
  const known = appUsers.get(store);
  if (known && known.appId === appId) {
    if (known.id !== DEFAULT_APP_USER_ID && isAppUser(store.get('systemusers', known.id), appId)) return known.id;
    if (known.id === DEFAULT_APP_USER_ID && known.generation === generation) return known.id;
  }
  let id = DEFAULT_APP_USER_ID;
  for (const row of store.table('systemusers').values()) {
    if (isAppUser(row, appId)) {
      id = String(row.systemuserid);
      break;
    }
  }
  appUsers.set(store, { generation, appId, id });
  return id;
}

/** `_owninguser_value` and `_owningteam_value` for an owner id: a team's id is a team, any other a user. */
export function owningColumns(store: DataverseStore, owner: string): Row {
  const team = store.get('teams', owner) !== undefined;
  return { _owninguser_value: team ? null : owner, _owningteam_value: team ? owner : null };
}

/**
 * Completes validated payload columns with ownership: a create without `ownerid@odata.bind` is owned
 * by the app's user; a create or update that sets the owner (Assign) sets the owning columns with it.
 */
export function applyOwnership(entity: EntityDef, changes: Row, creating: boolean, dx: DvContext): void {
  if (entity.ownership !== 'UserOwned') return;
  if (!('_ownerid_value' in changes)) {
    if (!creating) return;
    changes._ownerid_value = appUserId(dx.store, dx.appId);
  }
  const owner = changes._ownerid_value;
  if (owner === null || owner === undefined) return; // refused by rules.ts: SystemRequired
  Object.assign(changes, owningColumns(dx.store, String(owner)));
}

/**
 * Fixture rows: a row that names `_ownerid_value` gets the owning columns it implies; one that gives
 * them too must agree (else the fixture is refused, as a state Dataverse could not be in). Rows
 * without an owner keep null owner columns: a simplification for fixtures written before ownership
 * was simulated (docs/simulator-dataverse.md "Ownership").
 */
export function completeFixtureOwnership(store: DataverseStore): void {
  for (const set of store.entitySets()) {
    if (entityBySet(set)?.ownership !== 'UserOwned') continue;
    for (const row of store.table(set).values()) {
      const owner = row._ownerid_value;
      if (owner === null || owner === undefined) {
        if (row._owninguser_value != null || row._owningteam_value != null) {
          throw new Error(`fixture ${set} row ${String(row[`${entityBySet(set)!.logicalName}id`])}: owning columns without _ownerid_value`);
        }
        continue;
      }
      const implied = owningColumns(store, String(owner).toLowerCase());
      for (const [column, value] of Object.entries(implied)) {
        if (row[column] !== undefined && row[column] !== value) {
          throw new Error(`fixture ${set} row: ${column} is ${String(row[column])}, but _ownerid_value ${String(owner)} implies ${String(value)}`);
        }
      }
      // Filling columns of a freshly loaded row is not a write: the version stays the fixture's.
      Object.assign(row, { _ownerid_value: String(owner).toLowerCase() }, implied);
    }
  }
}
