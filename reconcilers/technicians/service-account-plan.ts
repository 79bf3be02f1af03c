/**
 * What the technicians family's plan says about service accounts as a whole (issue 12): the check
 * at start that SERVICE_ACCOUNT_DOMAIN and SERVICE_ACCOUNT_SKU_IDS name what the tenant has, one
 * licence line per SKU either identity draws on, and the information-barrier segments in use.
 *
 * Segments and their policies live in Security & Compliance PowerShell, which the product cannot
 * call (../docs/operations.md "Information barriers" gives the cmdlets). So the plan counts the
 * segment values the service accounts carry, for the admin to define one segment per value.
 */
import { ConfigurationError } from '../../src/model/errors.js';
import type { Observation } from '../../src/model/observation.js';
import type { Change, LicenceSummary, Tally } from '../../src/model/plan.js';
import { cmp } from './desired.js';
import { serviceAccountSettingsOf } from './service-account-settings.js';
import type { TechnicianSettings } from './settings.js';

const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

export function checkServiceAccountConfiguration(observation: Observation, settings: TechnicianSettings): void {
  const sa = serviceAccountSettingsOf(settings);
  if (sa.domain === null) return;
  const domain = observation.serviceAccountDomain;
  if (!domain || !domain.isVerified || domain.authenticationType.toLowerCase() === 'federated') {
    const problem = !domain
      ? 'is not a domain of the tenant'
      : !domain.isVerified
        ? 'is not verified yet'
        : 'is federated (creating a user there needs onPremisesImmutableId from the identity provider, which the product does not have)';
    throw new ConfigurationError(
      'SERVICE_ACCOUNT_DOMAIN_NOT_VERIFIED',
      `SERVICE_ACCOUNT_DOMAIN=${sa.domain} ${problem}, so no service account can be created there; the run stops.`,
      'Verify the domain in the Entra admin center (Settings, Domain names) or set SERVICE_ACCOUNT_DOMAIN to a verified, managed domain; clear the setting to turn service accounts off.',
    );
  }
  const subscribed = new Set(observation.subscribedSkus.map((s) => lc(s.skuId)));
  const missing = sa.skuIds.filter((sku) => !subscribed.has(sku));
  if (missing.length > 0) {
    throw new ConfigurationError(
      'SERVICE_ACCOUNT_SKU_NOT_SUBSCRIBED',
      `SERVICE_ACCOUNT_SKU_IDS names ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not among the tenant's subscribed SKUs, so service accounts cannot be licensed; the run stops.`,
      "Set SERVICE_ACCOUNT_SKU_IDS to skuIds that GET /subscribedSkus lists (the persona's licences), or buy them, then run again.",
    );
  }
}

/** The SKUs the family draws on: LICENSE_SKU_ID, and the service accounts' while they are set up. */
export function skusOf(settings: TechnicianSettings): string[] {
  const sa = serviceAccountSettingsOf(settings);
  return [...new Set([lc(settings.licenseSkuId), ...(sa.domain !== null ? sa.skuIds : [])])];
}

/** One line per SKU: units this plan assigns (guests and service accounts together) and units free. */
export function licenceSummaries(observation: Observation, settings: TechnicianSettings, changes: readonly Change[]): LicenceSummary[] {
  return skusOf(settings).map((skuId) => {
    const sku = observation.subscribedSkus.find((s) => lc(s.skuId) === skuId);
    return {
      skuId: sku?.skuId ?? skuId,
      skuPartNumber: sku?.skuPartNumber ?? null,
      unitsNeeded: changes.filter((c) => c.kind === 'licence.assign' && lc(String(c.after?.skuId)) === skuId).length,
      unitsAvailable: sku ? sku.prepaidUnits.enabled - sku.consumedUnits : null,
    };
  });
}

/** The segment values the active service accounts carry, with how many carry each (none: no tally). */
export function segmentTallies(values: readonly string[], attribute: string): Tally[] {
  if (values.length === 0) return [];
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [
    {
      id: 'segments',
      family: 'technicians',
      title: 'Information-barrier segments in use',
      description: `Values of ${attribute} on the service accounts; define one segment per value (docs/operations.md, "Information barriers").`,
      unit: 'service accounts',
      rows: [...counts.entries()].sort(([a], [b]) => cmp(a, b)).map(([value, count]) => ({ value, count })),
    },
  ];
}
