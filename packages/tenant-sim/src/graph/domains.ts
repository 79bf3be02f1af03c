/**
 * GET /domains and GET /domains/{id} (Learn domain-list, domain-get,
 * learn.microsoft.com/graph/api/domain-get; the resource: resources/domain). The records come from
 * the fixture (../tenant-domains.ts); this module shapes them as the docs' examples do.
 *
 * - A domain object carries the properties of the domain-get example: authenticationType,
 *   availabilityStatus (null except in the verify action's answer), id, isAdminManaged, isDefault,
 *   isInitial, isRoot ("true if the domain is a verified root domain", false for a subdomain or an
 *   unverified domain), isVerified, supportedServices, passwordValidityPeriodInDays,
 *   passwordNotificationWindowInDays and state (null when no operation is scheduled).
 *   isAdminManaged is true: the simulator's tenants manage their own DNS.
 * - {id} is the fully qualified domain name, matched case-insensitively (DNS names are).
 * - An unknown domain is 404 Request_ResourceNotFound with Graph's directory-object message. The
 *   docs show no error for this page: the body is inferred from the other directory reads
 *   (docs/simulator-graph.md "Domains").
 * - $select works; $filter, $top, $search, $orderby, $expand and $count are refused rather than
 *   ignored (the simulator does not implement them here; stricter).
 */
import { domainRecords, findDomain } from '../tenant-domains.js';
import type { DomainRecord, SimContext, SimRequest, SimResponse } from '../types.js';
import { notFound } from './errors.js';
import { requireRole } from './permissions.js';
import { parseQuery, parseSelect, refuseOptions } from './query.js';
import { contextUrl } from './view.js';

/** The domain resource's properties in the order of the domain-get example. */
const DOMAIN_PROPS = [
  'authenticationType', 'availabilityStatus', 'id', 'isAdminManaged', 'isDefault', 'isInitial', 'isRoot', 'isVerified',
  'supportedServices', 'passwordValidityPeriodInDays', 'passwordNotificationWindowInDays', 'state',
] as const;

const SELECTABLE = new Set<string>(DOMAIN_PROPS);

const REFUSED = ['$filter', '$top', '$skiptoken', '$count', '$search', '$orderby', '$expand', '$skip', '$format'];

function domainObject(d: DomainRecord, all: readonly DomainRecord[]): Record<string, unknown> {
  // A verified domain is a root unless another verified domain of the tenant is its parent.
  const parent = all.some((p) => p.isVerified && p.id.toLowerCase() !== d.id.toLowerCase() && d.id.toLowerCase().endsWith(`.${p.id.toLowerCase()}`));
  return {
    authenticationType: d.authenticationType,
    availabilityStatus: null,
    id: d.id,
    isAdminManaged: true,
    isDefault: d.isDefault,
    isInitial: d.isInitial,
    isRoot: d.isVerified && !parent,
    isVerified: d.isVerified,
    supportedServices: [...d.supportedServices],
    passwordValidityPeriodInDays: null,
    passwordNotificationWindowInDays: null,
    state: null,
  };
}

function project(obj: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
  return Object.fromEntries((select ?? DOMAIN_PROPS).map((p) => [p, obj[p]]));
}

export function listDomains(req: SimRequest, ctx: SimContext): SimResponse {
  requireRole(req, 'readDomains');
  const q = parseQuery(req.rawQuery);
  refuseOptions(q, REFUSED, 'on domains by the simulator');
  const select = parseSelect(q, SELECTABLE, 'domain');
  const all = domainRecords(ctx.state.tenant);
  return {
    status: 200,
    body: { '@odata.context': contextUrl(ctx.graphBaseUrl, 'domains', select), value: all.map((d) => project(domainObject(d, all), select)) },
  };
}

export function getDomain(req: SimRequest, ctx: SimContext, name: string): SimResponse {
  requireRole(req, 'readDomains');
  const q = parseQuery(req.rawQuery);
  refuseOptions(q, REFUSED, 'on a single domain');
  const select = parseSelect(q, SELECTABLE, 'domain');
  const d = findDomain(ctx.state.tenant, name);
  if (!d) throw notFound(name);
  const body = project(domainObject(d, domainRecords(ctx.state.tenant)), select);
  return { status: 200, body: { '@odata.context': contextUrl(ctx.graphBaseUrl, 'domains', select, true), ...body } };
}
