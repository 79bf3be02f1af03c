/**
 * The tenant's domains (Learn resources/domain, learn.microsoft.com/graph/api/resources/domain):
 * built once from the fixture, served by GET /domains (graph/domains.ts) and consulted wherever
 * Graph needs "one of the verified domain names in your organization" (POST /users, PATCH
 * userPrincipalName, the invitation refusal for a tenant's own domain).
 *
 * The fixture's `defaultDomain` and `verifiedDomains` stay the short form: each is a Managed,
 * verified domain. `domains` entries add the rest ({id, isVerified, authenticationType,
 * supportedServices}); an entry may repeat a listed domain only to add its details, never to
 * contradict it (a listed domain that the entry calls unverified is refused, as is a second entry
 * for the same name), so the fixture describes one state Graph could be in. isDefault and
 * isInitial are derived, not given: the default is defaultDomain, the initial domain the first
 * <name>.onmicrosoft.com one.
 */
import { FixtureError } from './fixture-users.js';
import type { DomainRecord, Fixture, FixtureDomain, SimState } from './types.js';

const AUTH_TYPES = ['Managed', 'Federated'] as const;

/** A fully qualified domain name: labels of letters, digits and hyphens, at least two of them. */
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

function fail(message: string): never {
  throw new FixtureError(`tenant.domains: ${message}.`);
}

function checkEntry(d: FixtureDomain, i: number): FixtureDomain {
  if (typeof d.id !== 'string' || !DOMAIN_NAME.test(d.id)) fail(`entry ${i} needs an id that is a domain name, got ${JSON.stringify(d.id)}`);
  if (d.isVerified !== undefined && typeof d.isVerified !== 'boolean') fail(`${d.id}: isVerified must be true or false`);
  if (d.authenticationType !== undefined && !(AUTH_TYPES as readonly string[]).includes(d.authenticationType)) {
    fail(`${d.id}: authenticationType ${JSON.stringify(d.authenticationType)} is not Managed or Federated (the domain resource's values)`);
  }
  if (d.supportedServices !== undefined && (!Array.isArray(d.supportedServices) || !d.supportedServices.every((s) => typeof s === 'string'))) {
    fail(`${d.id}: supportedServices must be a list of service names, e.g. ["Email"]`);
  }
  return d;
}

/** The entries of a fixture's tenant.domains, checked; state.ts keeps them as given. */
export function checkDomainEntries(tenant: Fixture['tenant'], defaultDomain: string, verifiedDomains: string[]): FixtureDomain[] {
  const entries = (tenant?.domains ?? []).map(checkEntry);
  const seen = new Set<string>();
  const listed = new Set([defaultDomain, ...verifiedDomains].map((d) => d.toLowerCase()));
  for (const e of entries) {
    if (seen.has(e.id.toLowerCase())) fail(`${e.id} is listed twice`);
    seen.add(e.id.toLowerCase());
    if (listed.has(e.id.toLowerCase()) && e.isVerified === false) fail(`${e.id} is the default or a verified domain but its entry says isVerified false`);
  }
  return entries.map((e) => ({ ...e, ...(e.supportedServices ? { supportedServices: [...e.supportedServices] } : {}) }));
}

/**
 * Every domain of the tenant, the default first, then the verified list, then the other entries.
 * Derived on each call from the tenant's lists, so a test that edits `verifiedDomains` in the
 * running state changes what Graph accepts at once.
 */
export function domainRecords(tenant: Pick<SimState['tenant'], 'defaultDomain' | 'verifiedDomains' | 'domains'>): DomainRecord[] {
  const { defaultDomain } = tenant;
  const lower = (d: string): string => d.toLowerCase();
  const listed = [defaultDomain, ...tenant.verifiedDomains.filter((d) => lower(d) !== lower(defaultDomain))];
  const byName = new Map(tenant.domains.map((e) => [lower(e.id), e]));
  const names = [...listed, ...tenant.domains.map((e) => e.id).filter((id) => !listed.some((l) => lower(l) === lower(id)))];
  // The initial domain is the <name>.onmicrosoft.com one the tenant was created with (domain.md, isInitial).
  const initial = names.find((n) => lower(n).endsWith('.onmicrosoft.com')) ?? defaultDomain;
  return names.map((name) => {
    const entry = byName.get(lower(name));
    const isListed = listed.some((l) => lower(l) === lower(name));
    return {
      id: name,
      authenticationType: entry?.authenticationType ?? 'Managed',
      isVerified: isListed || entry?.isVerified === true,
      isDefault: lower(name) === lower(defaultDomain),
      isInitial: name === initial,
      supportedServices: [...(entry?.supportedServices ?? [])],
    };
  });
}

/** The names POST /users, PATCH userPrincipalName and the invitation check accept as verified, lower-cased. */
export function verifiedDomainNames(tenant: SimState['tenant']): string[] {
  return domainRecords(tenant).filter((d) => d.isVerified).map((d) => d.id.toLowerCase());
}

/** The tenant's domain of that name (domain names compare case-insensitively). */
export function findDomain(tenant: SimState['tenant'], name: string): DomainRecord | undefined {
  return domainRecords(tenant).find((d) => d.id.toLowerCase() === name.toLowerCase());
}
