/**
 * The settings of the technicians' second identity, the member service account (issue 12,
 * docs/configuration.md "Service accounts"): the verified domain the accounts live in, the licences
 * the persona needs and the user property that carries the vendor's information-barrier segment.
 *
 * SERVICE_ACCOUNT_DOMAIN is optional: while it is unset, a contact that asks for a service account
 * gets an error on its own row (a vendor admin ticking a choice must not stop every guest), and
 * the family does not look for service accounts at all. When it is set, the family checks at start
 * that the tenant has verified it (reconcilers/technicians/service-account-plan.ts).
 */
import type { Readers } from '../../src/config.js';

export interface ServiceAccountSettings {
  /** The verified domain of the accounts' UPNs; null while service accounts are not set up. */
  domain: string | null;
  /** The persona's licences, lower-cased, in the order given (default: LICENSE_SKU_ID). */
  skuIds: string[];
  /** The user property that carries the vendor segment (SEGMENT_ATTRIBUTES). */
  segmentAttribute: SegmentAttribute;
}

export const SERVICE_ACCOUNT_SETTING_NAMES = ['SERVICE_ACCOUNT_DOMAIN', 'SERVICE_ACCOUNT_SKU_IDS', 'SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE'] as const;

/**
 * User properties information barriers can filter on (Purview "Attributes for information barrier
 * policies": Company, Department, PhysicalDeliveryOfficeName, ExtensionAttribute1–15) that
 * `PATCH /users` can write on a cloud-only user, with each one's maximum length (Graph user
 * resource; onPremisesExtensionAttributes: 1,024).
 */
export const SEGMENT_ATTRIBUTE_LIMITS: Readonly<Record<string, number>> = {
  companyName: 64,
  department: 64,
  officeLocation: 128,
  ...Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, 1024])),
};

export type SegmentAttribute = string;

/** "At most 48 characters after the @" (Entra "Password policies and account restrictions"). */
export const DOMAIN_MAX_LENGTH = 48;

const DOMAIN = /^(?=.{1,48}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function loadServiceAccountSettings(r: Readers, licenseSkuId: string): ServiceAccountSettings {
  const rawDomain = r.get('SERVICE_ACCOUNT_DOMAIN');
  const domain = rawDomain?.toLowerCase() ?? null;
  if (domain !== null && !DOMAIN.test(domain)) {
    r.problems.push(
      `SERVICE_ACCOUNT_DOMAIN must be a domain name of at most ${DOMAIN_MAX_LENGTH} characters that the tenant has verified, e.g. contoso.com; got "${rawDomain}".`,
    );
  }
  const rawSkus = r.get('SERVICE_ACCOUNT_SKU_IDS');
  const skuIds = rawSkus === undefined
    ? [licenseSkuId.toLowerCase()]
    : [...new Set(rawSkus.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => r.guid('SERVICE_ACCOUNT_SKU_IDS', s, 'comma-separated skuIds from GET /subscribedSkus').toLowerCase()))];
  if (rawSkus !== undefined && skuIds.length === 0) r.problems.push('SERVICE_ACCOUNT_SKU_IDS names no skuId; leave it unset to use LICENSE_SKU_ID.');
  const segmentAttribute = r.get('SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE') ?? 'companyName';
  const markAttribute = r.get('OWNERSHIP_MARK_ATTRIBUTE') ?? 'extensionAttribute15';
  if (!(segmentAttribute in SEGMENT_ATTRIBUTE_LIMITS)) {
    r.problems.push(
      `SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE must be one of companyName, department, officeLocation or extensionAttribute1 to extensionAttribute15 (user properties information barriers can filter on); got "${segmentAttribute}".`,
    );
  } else if (segmentAttribute === markAttribute) {
    r.problems.push(`SERVICE_ACCOUNT_SEGMENT_ATTRIBUTE and OWNERSHIP_MARK_ATTRIBUTE are both ${segmentAttribute}; the segment needs an attribute of its own.`);
  }
  return { domain, skuIds, segmentAttribute };
}

/** The service-account settings, with their defaults when the settings were built without them (tests). */
export function serviceAccountSettingsOf(t: { licenseSkuId: string; serviceAccounts?: ServiceAccountSettings }): ServiceAccountSettings {
  return t.serviceAccounts ?? { domain: null, skuIds: [t.licenseSkuId.toLowerCase()], segmentAttribute: 'companyName' };
}
