/**
 * Table privileges and the application user's privileges.
 *
 * - EntityMetadata.Privileges (Learn SecurityPrivilegeMetadata ComplexType: CanBeBasic, CanBeDeep,
 *   CanBeGlobal, CanBeLocal, Name, PrivilegeId, PrivilegeType): every table has Create, Read, Write,
 *   Delete, Append and AppendTo; a UserOwned table also Assign and Share (Learn "How access to a
 *   record is determined": the privileges of a table; an organization-owned table has no owner to
 *   assign or share by, and only the Global depth). Names follow `prv<Type><table>`; Dataverse
 *   builds them from the table's schema name, which the simulator does not keep, so it uses the
 *   logical name (clients should match by PrivilegeId, as the ids are per environment anyway).
 * - `GET systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()` (Learn RetrieveUserPrivileges
 *   Function, bound to systemuser, no parameters, returns RetrieveUserPrivilegesResponse with
 *   RolePrivileges, a collection of RolePrivilege: BusinessUnitId, Depth, PrivilegeId, PrivilegeName).
 *   The application user of the calling app holds every privilege at Global depth, except those the
 *   fixture leaves out (metadata-state.ts missingPrivileges); the simulator has no security roles,
 *   so any other user holds none. Miscellaneous privileges: only prvWorkflowExecution (the portal's
 *   Send Invitation workflow, docs/dataverse-schema.md).
 */
import type { DataverseStore } from '../dataverse-store.js';
import { BUSINESS_UNIT_ID } from './actions.js';
import type { DvContext } from './context.js';
import { allEntities } from './entities.js';
import { jsonResponse, notFound } from './errors.js';
import { metadataId } from './metadata-attributes.js';
import { metadataOf } from './metadata-state.js';
import { appUserId } from './ownership.js';
import type { EntityDef } from './schema.js';

const ALL_TYPES = ['Create', 'Read', 'Write', 'Delete', 'Assign', 'Share', 'Append', 'AppendTo'] as const;
const ORGANIZATION_TYPES = ['Create', 'Read', 'Write', 'Delete', 'Append', 'AppendTo'] as const;
export const MISC_PRIVILEGES: readonly string[] = ['prvWorkflowExecution'];

export interface TablePrivilege {
  PrivilegeId: string;
  Name: string;
  PrivilegeType: string;
  CanBeBasic: boolean;
  CanBeLocal: boolean;
  CanBeDeep: boolean;
  CanBeGlobal: boolean;
}

export const privilegeIdOf = (name: string): string => metadataId(`privilege ${name}`);

export function tablePrivileges(entity: EntityDef): TablePrivilege[] {
  const owned = entity.ownership === 'UserOwned';
  return (owned ? ALL_TYPES : ORGANIZATION_TYPES).map((type) => {
    const name = `prv${type}${entity.logicalName}`;
    return { PrivilegeId: privilegeIdOf(name), Name: name, PrivilegeType: type, CanBeBasic: owned, CanBeLocal: owned, CanBeDeep: owned, CanBeGlobal: true };
  });
}

/** The privileges the calling app's application user holds, by name → id. */
function heldByAppUser(store: DataverseStore): { name: string; id: string }[] {
  const missing = metadataOf(store).missingPrivileges;
  const out: { name: string; id: string }[] = [];
  for (const entity of allEntities()) {
    for (const p of tablePrivileges(entity)) {
      if (!missing.has(`${entity.logicalName}:${p.PrivilegeType}`) && !missing.has(p.Name)) out.push({ name: p.Name, id: p.PrivilegeId });
    }
  }
  for (const name of MISC_PRIVILEGES) if (!missing.has(name)) out.push({ name, id: privilegeIdOf(name) });
  return out;
}

export function retrieveUserPrivileges(userId: string, dx: DvContext) {
  const id = userId.toLowerCase();
  const appUser = appUserId(dx.store, dx.appId);
  if (id !== appUser && !dx.store.get('systemusers', id)) throw notFound('systemuser', id);
  const held = id === appUser ? heldByAppUser(dx.store) : [];
  return jsonResponse(200, {
    '@odata.context': `${dx.root}$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse`,
    RolePrivileges: held.map((p) => ({ Depth: 'Global', PrivilegeId: p.id, BusinessUnitId: BUSINESS_UNIT_ID, PrivilegeName: p.name })),
  });
}
