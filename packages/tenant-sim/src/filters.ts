/**
 * The simulator's own `$filter` evaluation, offered to the product's tests (subpath
 * `tenant-sim/filters`): a client that evaluates a filter itself (vendor-reconciler's incremental
 * observer applies a table's filter to change-tracked rows) can check that it agrees with what the
 * simulated service would return for the same `$filter` text.
 */
import { entityBySet } from './dataverse/entities.js';
import { compile } from './dataverse/filter-eval.js';
import { parseFilter as parseDataverseFilter } from './dataverse/filter-parse.js';
import { parseFilter as parseGraphFilter } from './graph/filter.js';
import { matches } from './graph/filter-eval.js';
import type { User } from './graph/user-store.js';

/** A predicate over rows of a Dataverse entity set, as the simulated Web API evaluates `filter`. */
export function dataverseFilter(entitySet: string, filter: string): (row: Record<string, unknown>) => boolean {
  const entity = entityBySet(entitySet);
  if (!entity) throw new Error(`tenant-sim knows no Dataverse entity set "${entitySet}"`);
  return compile(parseDataverseFilter(filter), entity);
}

/** A predicate over Graph users, as the simulated `GET /users?$filter=` evaluates `filter`. */
export function graphUserFilter(filter: string): (user: Record<string, unknown>) => boolean {
  const node = parseGraphFilter(filter);
  return (user) => matches(node, user as unknown as User);
}
