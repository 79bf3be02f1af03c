/**
 * Graph's identity and access resource-unit quota (Learn "Microsoft Graph service-specific
 * throttling limits", section "Identity and access service limits"):
 *
 * - A token bucket per app and tenant holding S 3,500 / M 5,000 / L 8,000 resource units per 10 s,
 *   by tenant size: S under 50 users, M 50 to 500, L above 500 (the user count of the tenant now).
 * - Every identity request costs resource units, reads and writes alike: the base cost of its
 *   path (GET users 2, GET groups/{id}/members 3, GET subscribedSkus 3, any other GET 1; POST,
 *   PATCH, PUT and DELETE 1 plus 1 write), then $select −1, $expand +1, $top below 20 −1, never
 *   below 1. Costs of `me/…` paths apply to `users/{id}/…`.
 * - Only the requests over the quota are throttled: 429 with Retry-After, x-ms-throttle-scope
 *   `Tenant_Application/ReadWrite/<app>/<tenant>` and x-ms-throttle-information
 *   ResourceUnitLimitExceeded. Answered requests carry x-ms-resource-unit (their cost) and, above
 *   0.8 of the quota, x-ms-throttle-limit-percentage.
 *
 * The $batch envelope costs nothing: each inner request is charged on its own (json-batching.md).
 */
import type { GraphCaller, GraphLimits } from './limits.js';
import { graphThrottleHeaders, graphTooManyRequests } from './responses.js';
import type { SimResponse } from '../types.js';

export type TenantSize = 'S' | 'M' | 'L';

/** S: under 50 users, M: between 50 and 500, L: above 500 (the page's note on tenant sizes). */
export function tenantSize(users: number): TenantSize {
  if (users < 50) return 'S';
  return users <= 500 ? 'M' : 'L';
}

export function quotaFor(size: TenantSize, s: GraphLimits): number {
  return size === 'S' ? s.resourceUnitsSmall : size === 'M' ? s.resourceUnitsMedium : s.resourceUnitsLarge;
}

/** GET paths with a base cost above 1 (the page's table; `{id}` is one segment). */
const GET_COSTS: [RegExp, number][] = [
  [/^\/applications$/i, 2],
  [/^\/applications\/[^/]+\/extensionProperties$/i, 2],
  [/^\/contracts$/i, 3],
  [/^\/domains\/[^/]+\/domainNameReferences$/i, 4],
  [/^\/groups\/[^/]+\/members(\/microsoft\.graph\.[A-Za-z]+)?$/i, 3],
  [/^\/groups\/[^/]+\/transitiveMembers(\/microsoft\.graph\.[A-Za-z]+)?$/i, 5],
  [/^\/(me|users\/[^/]+)\/(licenseDetails|memberOf|ownedObjects|transitiveMemberOf)$/i, 2],
  [/^\/oauth2PermissionGrants(\/[^/]+)?$/i, 2],
  [/^\/servicePrincipals\/[^/]+\/appRoleAssignments$/i, 2],
  [/^\/subscribedSkus$/i, 3],
  [/^\/users$/i, 2],
];

/** POST paths with their own cost and no write (the page's table). */
const POST_COSTS: [RegExp, number][] = [
  [/^\/directoryObjects\/getByIds$/i, 3],
  [/^\/getObjectsById$/i, 3],
  [/^\/isMemberOf$/i, 4],
  [/^\/(me|users\/[^/]+)\/(checkMemberGroups|checkMemberObjects)$/i, 4],
  [/^\/(me|users\/[^/]+)\/(getMemberGroups|getMemberObjects)$/i, 2],
];

function option(rawQuery: string, name: string): string | undefined {
  for (const pair of rawQuery.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    let decoded = key;
    try {
      decoded = decodeURIComponent(key);
    } catch {
      // an undecodable name is no system query option
    }
    if (decoded.toLowerCase() === name) return eq < 0 ? '' : pair.slice(eq + 1);
  }
  return undefined;
}

/** The resource units of one request (and whether it is also a write). */
export function requestCost(method: string, path: string, rawQuery: string): { units: number; write: boolean } {
  const m = method.toUpperCase();
  const p = path.replace(/\/+$/, '') || '/';
  let units = 1;
  let write = m === 'POST' || m === 'PATCH' || m === 'PUT' || m === 'DELETE';
  if (m === 'GET') units = GET_COSTS.find(([re]) => re.test(p))?.[1] ?? 1;
  if (m === 'POST') {
    const listed = POST_COSTS.find(([re]) => re.test(p));
    if (listed) [units, write] = [listed[1], false];
  }
  if (option(rawQuery, '$select') !== undefined) units -= 1;
  if (option(rawQuery, '$expand') !== undefined) units += 1;
  const top = option(rawQuery, '$top');
  if (top !== undefined && /^\d+$/.test(top) && Number(top) < 20) units -= 1;
  return { units: Math.max(1, units), write };
}

interface Bucket {
  tokens: number;
  at: number;
}

/** The resource-unit buckets, per app and tenant. */
export class ResourceUnitBudget {
  private buckets = new Map<string, Bucket>();
  spent = 0;
  throttled = 0;

  reset(): void {
    this.buckets.clear();
    this.spent = 0;
    this.throttled = 0;
  }

  /** The caller's bucket refilled up to now: `quota` units per window, never above `quota`. */
  private bucket(caller: GraphCaller, now: number, quota: number, windowMs: number): Bucket {
    const key = `${caller.tenant}/${caller.app}`;
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { tokens: quota, at: now }));
    b.tokens = Math.min(quota, b.tokens + ((now - b.at) * quota) / windowMs);
    b.at = now;
    return b;
  }

  /** A 429 when the bucket holds fewer than `units`; nothing is spent until commit(). */
  check(caller: GraphCaller, units: number, now: number, quota: number, s: GraphLimits): SimResponse | undefined {
    const b = this.bucket(caller, now, quota, s.resourceUnitWindowMs);
    if (b.tokens >= units) return undefined;
    this.throttled += 1;
    const waitMs = ((units - b.tokens) * s.resourceUnitWindowMs) / quota;
    return graphTooManyRequests(Math.max(1, Math.ceil(waitMs / 1000)), graphThrottleHeaders('Tenant_Application', 'ReadWrite', caller, 'ResourceUnitLimitExceeded'));
  }

  /** Spends the units and returns the headers of the answer. */
  commit(caller: GraphCaller, units: number, now: number, quota: number, s: GraphLimits): Record<string, string> {
    const b = this.bucket(caller, now, quota, s.resourceUnitWindowMs);
    b.tokens -= units;
    this.spent += units;
    const used = (quota - b.tokens) / quota;
    const headers: Record<string, string> = { 'x-ms-resource-unit': String(units) };
    // "Returned only when the application consumed more than 0.8 of its limit."
    if (used > 0.8) headers['x-ms-throttle-limit-percentage'] = used.toFixed(2);
    return headers;
  }

  /** Units spent within the refill window, summed over callers. */
  inUse(now: number, quota: number, s: GraphLimits): number {
    let used = 0;
    for (const b of this.buckets.values()) used += Math.max(0, quota - Math.min(quota, b.tokens + ((now - b.at) * quota) / s.resourceUnitWindowMs));
    return Math.round(used);
  }
}
