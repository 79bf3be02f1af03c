/**
 * The contact columns a Dataverse webhook step on Update of contact filters on (docs/deploy.md,
 * "Event-driven runs"): the ones a vendor admin edits and the plan reads. The columns the product
 * writes itself are left out, or every status write would notify about the contact it just wrote
 * and start another run for it; so are those the platform derives (fullname, statuscode, createdon).
 * A lookup is named by its logical name (parentcustomerid), not its `_x_value` form, as the step's
 * filtering attributes take it; the owner columns become ownerid, the column an Assign sets.
 */
import { CONTACT_COLUMNS } from './tables.js';

/** Written by the product: the anchor, the resource link, the status and the quarantine counters. */
export const PRODUCT_WRITTEN_CONTACT_COLUMNS: readonly string[] = [
  'o25fs_entraobjectid', '_o25fs_bookableresourceid_value', 'o25fs_provisioningstatus', 'o25fs_provisioningerror', 'o25fs_consecutivefailures', 'o25fs_nextattemptat',
];

const DERIVED = new Set(['contactid', 'fullname', 'statuscode', 'createdon']);
const OWNER = new Set(['_owninguser_value', '_owningteam_value']);

export function webhookFilteringAttributes(): string[] {
  const out = new Set<string>();
  for (const column of CONTACT_COLUMNS) {
    if (PRODUCT_WRITTEN_CONTACT_COLUMNS.includes(column) || DERIVED.has(column)) continue;
    if (OWNER.has(column)) out.add('ownerid');
    else out.add(/^_(.+)_value$/.exec(column)?.[1] ?? column);
  }
  return [...out];
}
