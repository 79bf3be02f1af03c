/**
 * The scoping flags (`--contact ID`…, `--vendor ID`) as a RunScope, and the check that what they
 * name exists. A malformed id is a usage error before anything is read (program.ts); an id that is
 * well formed but names nothing in the tenant is found after the plan, and the run fails naming it:
 * a scope that matched nothing must never read as "nothing to change" with exit 0.
 */
import { ConfigurationError } from '../model/errors.js';
import type { Plan, RunScope } from '../model/plan.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isGuid = (value: string): boolean => GUID.test(value);

/** --contact and --vendor name the technicians family's subjects and groups; --contact wins. */
export function scopeFrom(contacts: string[] | undefined, vendor: string | undefined): RunScope {
  if (contacts && contacts.length > 0) return { kind: 'subjects', family: 'technicians', subjectIds: [...new Set(contacts.map((c) => c.toLowerCase()))] };
  if (vendor) return { kind: 'group', family: 'technicians', groupId: vendor.toLowerCase() };
  return { kind: 'tenant' };
}

/**
 * Throws SCOPE_NOT_FOUND when the plan of a scoped run does not hold what the scope names: the
 * contact ids no subject of the family has, or a vendor with no subject at all.
 */
export function checkScopeFound(scope: RunScope, plan: Plan): void {
  if (scope.kind === 'tenant') return;
  const ids = new Set(plan.subjects.filter((s) => s.subject.family === scope.family).map((s) => s.subject.id.toLowerCase()));
  if (scope.kind === 'subjects') {
    const unknown = scope.subjectIds.filter((id) => !ids.has(id));
    if (unknown.length === 0) return;
    throw new ConfigurationError(
      'SCOPE_NOT_FOUND',
      `No ${scope.family} contact has the id${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: nothing was planned for ${unknown.length > 1 ? 'them' : 'it'}.`,
      "Check the ids (the contact's contactid in Dataverse). The run reads a contact only when its o25fs_setuptechnician is Yes or it is already linked to an Entra user (o25fs_entraobjectid), docs/dataverse-schema.md.",
    );
  }
  if (ids.size > 0) return;
  throw new ConfigurationError(
    'SCOPE_NOT_FOUND',
    `The vendor account ${scope.groupId} has no ${scope.family} contact: nothing was planned for it.`,
    "Check the id (the account's accountid, the contacts' parentcustomerid), or run without --vendor to see every vendor.",
  );
}
