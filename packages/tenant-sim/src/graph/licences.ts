/**
 * POST /users/{id}/assignLicense and GET /subscribedSkus (user-assignlicense.md,
 * subscribedsku-list.md, resources/licenseassignmentstate.md).
 */
import { replicaView } from '../platform/replication.js';
import type { SimContext, SimRequest, SimResponse } from '../types.js';
import { badRequest, notFound, unsupportedQuery } from './errors.js';
import { requireRole } from './permissions.js';
import { parseQuery, parseSelect, refuseOptions } from './query.js';
import { findUser } from './user-store.js';
import { freeUnits, holdsSku, skuRecord, statesOf, writeStates, type LicenceState } from './licence-states.js';
import { contextUrl, jsonBody, projectUser } from './view.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalidParam = (name: string, resource: string): Error => badRequest(`Invalid value specified for property '${name}' of resource '${resource}'.`);

function guidList(v: unknown, name: string, resource: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !GUID.test(x))) throw invalidParam(name, resource);
  return (v as string[]).map((x) => x.toLowerCase());
}

/** The assignLicense body, the same for a user and a group (group-assignlicense.md names the same parameters). */
export function parseBody(body: Record<string, unknown>, resource = 'User'): { add: { skuId: string; disabledPlans: string[] }[]; remove: string[] } {
  // Both parameters are non-nullable collections (CSDL; user-assignlicense.md): empty is fine, null or missing is not.
  if (!Array.isArray(body.addLicenses)) throw invalidParam('addLicenses', resource);
  if (!Array.isArray(body.removeLicenses)) throw invalidParam('removeLicenses', resource);
  const add = (body.addLicenses as unknown[]).map((a) => {
    const l = a as { skuId?: unknown; disabledPlans?: unknown } | null;
    if (l === null || typeof l !== 'object' || typeof l.skuId !== 'string' || !GUID.test(l.skuId)) throw invalidParam('addLicenses', resource);
    return { skuId: l.skuId.toLowerCase(), disabledPlans: l.disabledPlans === undefined ? [] : guidList(l.disabledPlans, 'disabledPlans', resource) };
  });
  const remove = guidList(body.removeLicenses, 'removeLicenses', resource);
  const addIds = add.map((a) => a.skuId);
  if (new Set(addIds).size !== addIds.length) throw badRequest('The same SKU appears more than once in addLicenses.');
  if (addIds.some((s) => remove.includes(s))) throw badRequest('A SKU cannot be both added and removed in the same request.');
  return { add, remove };
}

/** The SKU a licence names, refused as Graph refuses an unknown SKU or service plan. */
export function checkSku(ctx: SimContext, a: { skuId: string; disabledPlans: string[] }): Record<string, unknown> {
  const sku = skuRecord(ctx.state, a.skuId);
  if (!sku) throw badRequest(`License ${a.skuId} does not correspond to a valid company License.`);
  const plans = Array.isArray(sku.servicePlans) ? (sku.servicePlans as { servicePlanId?: string }[]).map((p) => String(p.servicePlanId).toLowerCase()) : [];
  const unknownPlan = a.disabledPlans.find((p) => !plans.includes(p));
  if (unknownPlan) throw badRequest(`Service plan ${unknownPlan} in disabledPlans is not part of SKU ${a.skuId}.`);
  return sku;
}

export function assignLicense(req: SimRequest, ctx: SimContext, key: string): SimResponse {
  requireRole(req, 'assignLicense');
  const { add, remove } = parseBody(jsonBody(req.body));
  const user = findUser(ctx.state, key);
  // A user still replicating is "Not Found" to the replica serving the request (replication.ts).
  if (!user || !replicaView(req, ctx.state, ctx.now()).sees(String(user.id))) throw notFound(key);
  if (add.length > 0 && (typeof user.usageLocation !== 'string' || user.usageLocation === '')) {
    throw badRequest('License assignment cannot be done for user with invalid usage location.');
  }
  // Validate everything first: a failed request changes nothing.
  for (const a of add) {
    const sku = checkSku(ctx, a);
    if (!holdsSku(user, a.skuId) && freeUnits(sku) <= 0) {
      throw badRequest(`Subscription with SKU ${a.skuId} does not have any available licenses.`);
    }
  }
  for (const skuId of remove) {
    const mine = statesOf(user).filter((s) => s.skuId.toLowerCase() === skuId);
    if (mine.length === 0) {
      // Docs are silent; the simulator refuses (stricter) so a client notices it removes what it never assigned.
      throw badRequest(`User does not have a license with SKU ${skuId} to remove.`);
    }
    if (!mine.some((s) => s.assignedByGroup === null)) {
      throw badRequest('User license is inherited from a group membership and it cannot be removed directly from the user.');
    }
  }

  const now = new Date(ctx.now()).toISOString();
  let next: LicenceState[] = [...statesOf(user)];
  for (const a of add) {
    next = next.filter((s) => !(s.skuId.toLowerCase() === a.skuId && s.assignedByGroup === null));
    next.push({ skuId: a.skuId, disabledPlans: a.disabledPlans, assignedByGroup: null, state: 'Active', error: 'None', lastUpdatedDateTime: now });
  }
  for (const skuId of remove) next = next.filter((s) => !(s.skuId.toLowerCase() === skuId && s.assignedByGroup === null));
  // assignedLicenses holds direct and inherited licences, one entry per SKU (user.md); units move with it.
  writeStates(ctx.state, user, next);
  ctx.entraChanged();
  return { status: 200, body: projectUser(user, null, { '@odata.context': contextUrl(ctx.graphBaseUrl, 'users', null, true) }) };
}

const SKU_PROPS: ReadonlySet<string> = new Set(['accountId', 'accountName', 'appliesTo', 'capabilityStatus', 'consumedUnits', 'id', 'prepaidUnits', 'servicePlans', 'skuId', 'skuPartNumber', 'subscriptionIds']);

function fullSku(ctx: SimContext, s: Record<string, unknown>): Record<string, unknown> {
  const prepaid = (s.prepaidUnits ?? {}) as Record<string, unknown>;
  return {
    accountId: s.accountId ?? ctx.state.tenant.id,
    accountName: s.accountName ?? ctx.state.tenant.defaultDomain.split('.')[0],
    appliesTo: s.appliesTo ?? 'User',
    capabilityStatus: s.capabilityStatus ?? 'Enabled',
    consumedUnits: Number(s.consumedUnits ?? 0),
    id: s.id ?? `${ctx.state.tenant.id}_${String(s.skuId)}`,
    prepaidUnits: { enabled: 0, suspended: 0, warning: 0, lockedOut: 0, ...prepaid },
    servicePlans: s.servicePlans ?? [],
    skuId: s.skuId,
    skuPartNumber: s.skuPartNumber ?? null,
    subscriptionIds: s.subscriptionIds ?? [],
  };
}

export function listSubscribedSkus(req: SimRequest, ctx: SimContext): SimResponse {
  requireRole(req, 'readSubscribedSkus');
  const q = parseQuery(req.rawQuery);
  // subscribedsku-list.md: "This method doesn't support the $filter" (nor paging or $top).
  if (q.options.has('$filter')) throw unsupportedQuery('The $filter query option is not supported on subscribedSkus; filter on the client.');
  refuseOptions(q, ['$top', '$skiptoken', '$count', '$search', '$orderby', '$expand', '$skip', '$format'], 'on subscribedSkus');
  const select = parseSelect(q, SKU_PROPS, 'subscribedSku');
  const value = ctx.state.graph.subscribedSkus.map((s) => {
    const full = fullSku(ctx, s);
    if (!select) return structuredClone(full);
    return Object.fromEntries(select.map((p) => [p, structuredClone(full[p])]));
  });
  return { status: 200, body: { '@odata.context': contextUrl(ctx.graphBaseUrl, 'subscribedSkus', select), value } };
}
