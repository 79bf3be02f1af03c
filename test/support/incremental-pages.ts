/**
 * What an incremental run reads when nothing changed (docs/incremental.md "What each run reads"):
 * one page per delta round and per cheap read — users and group delta, group existence, SKUs, the
 * change-tracked tables, characteristics, rating values and the accounts. The number does not grow
 * with the tenant.
 */
export function quietIncrementalPages(technicianGroupId: string): string[] {
  return [
    'dataverse GET accounts',
    'dataverse GET bookableresourcecharacteristics',
    'dataverse GET bookableresources',
    'dataverse GET characteristics',
    'dataverse GET contacts',
    'dataverse GET o25fs_vendorcharacteristics',
    'dataverse GET ratingvalues',
    'dataverse GET systemusers',
    'graph GET /groups/delta',
    `graph GET /groups/${technicianGroupId}`,
    'graph GET /subscribedSkus',
    'graph GET /users/delta',
  ].sort();
}
