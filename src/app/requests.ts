/**
 * What a caller may ask for, checked before anything runs: the scope from GET /api/plan's query and
 * the body of POST /api/run. Every problem becomes a 400 whose message names the field and says what
 * is expected.
 */
import type { RunOverrides } from '../engine/seams.js';
import type { RunScope } from '../model/plan.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A manual run names contacts to fix by hand; a longer list is a job for the whole-tenant run. */
export const MAX_CONTACT_IDS = 1000;

export class BadRequest extends Error {}

export interface RunBody {
  scope: RunScope;
  dryRun: boolean;
  overrides: RunOverrides;
}

export function scopeOf(contactIds: readonly string[], vendorId: string | undefined, names = { contact: 'contact', vendor: 'vendor' }): RunScope {
  if (contactIds.length > 0 && vendorId !== undefined) {
    throw new BadRequest(`Give ${names.contact} or ${names.vendor}, not both: a run is scoped to some contacts or to one vendor's contacts.`);
  }
  if (contactIds.length > MAX_CONTACT_IDS) {
    throw new BadRequest(`${names.contact} lists ${contactIds.length} contacts; at most ${MAX_CONTACT_IDS} are allowed (leave it out to run for the whole tenant).`);
  }
  for (const id of contactIds) {
    if (!GUID.test(id)) throw new BadRequest(`${names.contact} must be contact ids (GUIDs, the contact's contactid); got "${id}".`);
  }
  if (vendorId !== undefined && !GUID.test(vendorId)) {
    throw new BadRequest(`${names.vendor} must be the vendor's account id (a GUID); got "${vendorId}".`);
  }
  // The API's contactIds and vendorId name the technicians family's subjects and groups.
  if (contactIds.length > 0) return { kind: 'subjects', family: 'technicians', subjectIds: [...new Set(contactIds.map((c) => c.toLowerCase()))] };
  if (vendorId !== undefined) return { kind: 'group', family: 'technicians', groupId: vendorId.toLowerCase() };
  return { kind: 'tenant' };
}

/** GET /api/plan?contact=ID&contact=ID or ?vendor=ACCOUNT_ID. */
export function scopeFromQuery(query: URLSearchParams): RunScope {
  const contacts = query.getAll('contact').flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  const vendors = query.getAll('vendor').map((v) => v.trim()).filter((v) => v !== '');
  if (vendors.length > 1) throw new BadRequest('Give vendor once: a report covers one vendor or the whole tenant.');
  return scopeOf(contacts, vendors[0]);
}

const BODY_FIELDS = ['contactIds', 'vendorId', 'dryRun', 'releaseRemovals'];

/** POST /api/run's body; an empty body means the whole tenant. */
export function parseRunBody(text: string): RunBody {
  if (text.trim() === '') return { scope: { kind: 'tenant' }, dryRun: false, overrides: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequest('The body must be JSON, e.g. {"contactIds":["<contact id>"],"dryRun":true}, or empty for the whole tenant.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequest('The body must be a JSON object with any of contactIds, vendorId, dryRun, releaseRemovals.');
  }
  const body = value as Record<string, unknown>;
  const unknown = Object.keys(body).filter((k) => !BODY_FIELDS.includes(k));
  if (unknown.length > 0) {
    throw new BadRequest(`Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; the body takes ${BODY_FIELDS.join(', ')}.`);
  }
  const { contactIds, vendorId, dryRun, releaseRemovals } = body;
  if (contactIds !== undefined && (!Array.isArray(contactIds) || !contactIds.every((c): c is string => typeof c === 'string'))) {
    throw new BadRequest('contactIds must be an array of contact ids (strings), e.g. ["3f2504e0-4f89-11d3-9a0c-0305e82c3301"].');
  }
  if (Array.isArray(contactIds) && contactIds.length === 0) {
    throw new BadRequest('contactIds is empty: name at least one contact, or leave contactIds out to run for the whole tenant.');
  }
  if (vendorId !== undefined && typeof vendorId !== 'string') throw new BadRequest('vendorId must be a string (the vendor account\'s id).');
  if (dryRun !== undefined && typeof dryRun !== 'boolean') throw new BadRequest('dryRun must be true or false.');
  if (releaseRemovals !== undefined && typeof releaseRemovals !== 'boolean') throw new BadRequest('releaseRemovals must be true or false.');
  return {
    scope: scopeOf((contactIds as string[] | undefined) ?? [], vendorId, { contact: 'contactIds', vendor: 'vendorId' }),
    dryRun: dryRun ?? false,
    overrides: releaseRemovals ? { releaseRemovals: true } : {},
  };
}
