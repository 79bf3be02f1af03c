/**
 * A tenant for the service-account integration tests (issue 12): the engine fixture's demo tenant
 * (test/integration/engine-fixture.ts) with
 * - SERVICE_ACCOUNT_DOMAIN set to contoso.com, a verified domain of the demo tenant;
 * - SERVICE_ACCOUNT_SKU_IDS naming two SKUs: the technicians' licence (DYN365_FS_CONTRACTOR, the
 *   one Dataverse's user sync counts in this fixture) and Dynamics 365 Remote Assist (skuId and
 *   service plans from ../shared/reference/seeds-001-003-facts.md §1.4, Learn
 *   licensing-service-plan-reference);
 * - the app granted Domain.Read.All, which the family needs for GET /domains/{domain} at start.
 *
 * Vendor A (Fabrikam) keeps guests, vendor B (Northwind) gets service accounts
 * (o25fs_accounttype 808950001, docs/dataverse-schema.md).
 */
import type { Fixture } from 'tenant-sim';
import { DEMO_SETTINGS, GUEST_SETTINGS } from '../support/tenant.js';
import { engineFixture, type Technician } from './engine-fixture.js';

export const SA_DOMAIN = 'contoso.com';
export const REMOTE_ASSIST_SKU = '7a551360-26c4-4f61-84e6-ef715673e083';
export const FS_SKU = DEMO_SETTINGS.LICENSE_SKU_ID!;
/** The two persona SKUs, in the order SERVICE_ACCOUNT_SKU_IDS gives them. */
export const SA_SKUS = [FS_SKU, REMOTE_ASSIST_SKU] as const;

/** o25fs_accounttype's options (docs/dataverse-schema.md), spelled out so a renumbering fails here. */
export const ACCOUNT_TYPE = { guest: 808950000, service: 808950001 } as const;

export const SA_SETTINGS: Record<string, string> = {
  ...GUEST_SETTINGS,
  SERVICE_ACCOUNT_DOMAIN: SA_DOMAIN,
  SERVICE_ACCOUNT_SKU_IDS: SA_SKUS.join(','),
};

/** The engine fixture for these technicians, plus Domain.Read.All and the Remote Assist SKU. */
export function serviceAccountFixture(technicians: Technician[], options: { domainVerified?: boolean } = {}): Fixture {
  const base = engineFixture(technicians);
  const tenant = base.tenant!;
  return {
    ...base,
    tenant:
      options.domainVerified === false
        ? {
            ...tenant,
            // contoso.com listed as a domain the tenant has added but not verified (simulator.md "Fixtures").
            verifiedDomains: (tenant.verifiedDomains ?? []).filter((d) => d !== SA_DOMAIN),
            domains: [{ id: SA_DOMAIN, isVerified: false, authenticationType: 'Managed', supportedServices: [] }],
          }
        : tenant,
    app: { ...base.app!, roles: [...(base.app!.roles ?? []), 'Domain.Read.All'] },
    graph: {
      ...base.graph,
      subscribedSkus: [
        ...base.graph!.subscribedSkus!,
        {
          skuId: REMOTE_ASSIST_SKU,
          skuPartNumber: 'MICROSOFT_REMOTE_ASSIST',
          appliesTo: 'User',
          capabilityStatus: 'Enabled',
          consumedUnits: 0,
          prepaidUnits: { enabled: 10, suspended: 0, warning: 0, lockedOut: 0 },
          servicePlans: [
            { servicePlanId: '0850ebb5-64ee-4d3a-a3e1-5a97213653b5', servicePlanName: 'CDS_REMOTE_ASSIST', provisioningStatus: 'Success', appliesTo: 'User' },
            { servicePlanId: '4f4c7800-298a-4e22-8867-96b17850d4dd', servicePlanName: 'MICROSOFT_REMOTE_ASSIST', provisioningStatus: 'Success', appliesTo: 'User' },
            { servicePlanId: '57ff2da0-773e-42df-b2af-ffb7a2317929', servicePlanName: 'TEAMS1', provisioningStatus: 'Success', appliesTo: 'User' },
          ],
        },
      ],
    },
  };
}
