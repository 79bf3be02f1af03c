/**
 * reconcilers/technicians/service-account-plan.ts (issue 12): the check at start of
 * SERVICE_ACCOUNT_DOMAIN and SERVICE_ACCOUNT_SKU_IDS against the tenant, one licence line per SKU,
 * and the information-barrier segment tally.
 */
import { describe, expect, it } from 'vitest';
import { checkServiceAccountConfiguration, licenceSummaries, segmentTallies, skusOf } from '../../../reconcilers/technicians/service-account-plan.js';
import { technicianSettings, type TechnicianSettings } from '../../../reconcilers/technicians/settings.js';
import { ConfigurationError } from '../../../src/model/errors.js';
import type { Observation } from '../../../src/model/observation.js';
import type { Change } from '../../../src/model/plan.js';
import { SA_DOMAIN, SKU, observation, testSettings } from '../../support/model.js';
import { SKU_B, saSettings, sku } from './service-account-fixture.js';

const SKU_C = 'e0000000-0000-4000-8000-0000000000cc';
const tech = (s = saSettings([sku, SKU_B])): TechnicianSettings => technicianSettings(s);
const skuRow = (skuId: string, part: string, enabled: number, consumed: number) => ({ skuId, skuPartNumber: part, capabilityStatus: 'Enabled', consumedUnits: consumed, prepaidUnits: { enabled, suspended: 0, warning: 0 } });
const bothSubscribed = observation({ subscribedSkus: [skuRow(SKU, 'D365_FIELD_SERVICE_CONTRACTOR', 25, 10), skuRow(SKU_B.toUpperCase(), 'DYN365_REMOTE_ASSIST', 5, 5)] });

function configurationError(obs: Observation, settings: TechnicianSettings): unknown {
  try {
    checkServiceAccountConfiguration(obs, settings);
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    const e = err as ConfigurationError;
    return [e.code, e.message];
  }
}

describe('checkServiceAccountConfiguration', () => {
  const notVerified = (problem: string): [string, string] => ['SERVICE_ACCOUNT_DOMAIN_NOT_VERIFIED', `SERVICE_ACCOUNT_DOMAIN=${SA_DOMAIN} ${problem}, so no service account can be created there; the run stops.`];
  const cases: { reason: string; obs: Observation; settings: TechnicianSettings; want: unknown }[] = [
    { reason: 'service accounts off: nothing is checked, even with no domain read', obs: observation({ serviceAccountDomain: undefined, subscribedSkus: [] }), settings: tech(testSettings()), want: 'ok' },
    { reason: 'a verified, managed domain and subscribed SKUs (skuIds compared without case): fine', obs: bothSubscribed, settings: tech(), want: 'ok' },
    { reason: 'the domain is not one of the tenant\'s (GET /domains/{id} 404)', obs: observation({ serviceAccountDomain: null }), settings: tech(saSettings()), want: notVerified('is not a domain of the tenant') },
    { reason: 'the domain was added but not verified', obs: observation({ serviceAccountDomain: { id: SA_DOMAIN, isVerified: false, authenticationType: 'Managed' } }), settings: tech(saSettings()), want: notVerified('is not verified yet') },
    {
      reason: 'a federated domain: POST /users would need onPremisesImmutableId (authenticationType compared without case)',
      obs: observation({ serviceAccountDomain: { id: SA_DOMAIN, isVerified: true, authenticationType: 'federated' } }),
      settings: tech(saSettings()),
      want: notVerified('is federated (creating a user there needs onPremisesImmutableId from the identity provider, which the product does not have)'),
    },
    {
      reason: 'one persona SKU the tenant does not have',
      obs: observation(),
      settings: tech(),
      want: ['SERVICE_ACCOUNT_SKU_NOT_SUBSCRIBED', `SERVICE_ACCOUNT_SKU_IDS names ${SKU_B}, which is not among the tenant's subscribed SKUs, so service accounts cannot be licensed; the run stops.`],
    },
    {
      reason: 'two missing SKUs are named together',
      obs: observation(),
      settings: tech(saSettings([SKU_B, sku, SKU_C])),
      want: ['SERVICE_ACCOUNT_SKU_NOT_SUBSCRIBED', `SERVICE_ACCOUNT_SKU_IDS names ${SKU_B}, ${SKU_C}, which are not among the tenant's subscribed SKUs, so service accounts cannot be licensed; the run stops.`],
    },
    { reason: 'the domain is checked first', obs: observation({ serviceAccountDomain: null }), settings: tech(), want: notVerified('is not a domain of the tenant') },
  ];
  for (const tc of cases) it(tc.reason, () => expect(configurationError(tc.obs, tc.settings)).toEqual(tc.want));

  it('the errors stop the run (not retryable) and say what to do', () => {
    let caught: ConfigurationError | undefined;
    try {
      checkServiceAccountConfiguration(observation({ serviceAccountDomain: null }), tech(saSettings()));
    } catch (err) {
      caught = err as ConfigurationError;
    }
    expect([caught?.retryable, caught?.action]).toEqual([false, 'Verify the domain in the Entra admin center (Settings, Domain names) or set SERVICE_ACCOUNT_DOMAIN to a verified, managed domain; clear the setting to turn service accounts off.']);
  });
});

describe('licence lines', () => {
  const assign = (id: string, skuId: string): Change => ({ id, subject: { family: 'technicians', table: 'contacts', id: id.split('/')[0]!, displayName: 'x', group: null }, kind: 'licence.assign', target: { service: 'graph', entity: 'user', id: 'u' }, before: null, after: { skuId, directlyAssigned: true }, reason: 'r', dependsOn: [] });
  const remove = (id: string, skuId: string): Change => ({ ...assign(id, skuId), kind: 'licence.remove', before: { skuId, directlyAssigned: true }, after: { skuId, directlyAssigned: false } });

  const cases: { reason: string; settings: TechnicianSettings; want: string[] }[] = [
    { reason: 'service accounts off: the technicians\' SKU only, even if SERVICE_ACCOUNT_SKU_IDS names others', settings: tech(testSettings({ serviceAccounts: { domain: null, skuIds: [SKU_B], segmentAttribute: 'companyName' } })), want: [sku] },
    { reason: 'on: LICENSE_SKU_ID first, then the persona\'s, each once', settings: tech(saSettings([SKU_B, sku, SKU_C])), want: [sku, SKU_B, SKU_C] },
  ];
  for (const tc of cases) it(`skusOf: ${tc.reason}`, () => expect(skusOf(tc.settings)).toEqual(tc.want));

  it('one line per SKU: units each SKU needs in this plan (guests and service accounts together) and units free', () => {
    const changes = [
      assign('c-1/licence.assign', SKU),
      assign('c-2/licence.assign/' + sku, sku),
      assign('c-2/licence.assign/' + SKU_B, SKU_B.toUpperCase()),
      assign('c-3/licence.assign/' + SKU_B, SKU_B),
      remove('c-4/licence.remove/' + SKU_B, SKU_B),
    ];
    expect(licenceSummaries(bothSubscribed, tech(saSettings([sku, SKU_B, SKU_C])), changes)).toEqual([
      { skuId: SKU, skuPartNumber: 'D365_FIELD_SERVICE_CONTRACTOR', unitsNeeded: 2, unitsAvailable: 15 },
      { skuId: SKU_B.toUpperCase(), skuPartNumber: 'DYN365_REMOTE_ASSIST', unitsNeeded: 2, unitsAvailable: 0 },
      { skuId: SKU_C, skuPartNumber: null, unitsNeeded: 0, unitsAvailable: null },
    ]);
  });

  it('service accounts off: one line, as before issue 12', () => {
    expect(licenceSummaries(bothSubscribed, tech(testSettings()), [assign('c-1/licence.assign', SKU)])).toEqual([{ skuId: SKU, skuPartNumber: 'D365_FIELD_SERVICE_CONTRACTOR', unitsNeeded: 1, unitsAvailable: 15 }]);
  });
});

describe('segmentTallies', () => {
  it('no service account: no tally at all', () => {
    expect(segmentTallies([], 'companyName')).toEqual([]);
  });

  it('one row per value with its count, in value order, naming the attribute', () => {
    expect(segmentTallies(['Fabrikam', 'Contoso Field', 'Fabrikam', 'Adatum', 'Fabrikam'], 'extensionAttribute3')).toEqual([
      {
        id: 'segments',
        family: 'technicians',
        title: 'Information-barrier segments in use',
        description: 'Values of extensionAttribute3 on the service accounts; define one segment per value (docs/operations.md, "Information barriers").',
        unit: 'service accounts',
        rows: [
          { value: 'Adatum', count: 1 },
          { value: 'Contoso Field', count: 1 },
          { value: 'Fabrikam', count: 3 },
        ],
      },
    ]);
  });

  it('values differing only in case stay apart (a segment filter compares the value as it is)', () => {
    expect(segmentTallies(['Fabrikam', 'fabrikam'], 'companyName')[0]!.rows).toEqual([
      { value: 'Fabrikam', count: 1 },
      { value: 'fabrikam', count: 1 },
    ]);
  });
});
