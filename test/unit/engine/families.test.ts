/**
 * The core over several families (src/engine/family.ts): one merged plan, the guards once over it
 * (licence capacity per SKU, the removal threshold and quarantine across families), each family's
 * status writes, and a family that is off or absent. The second family is a fake "accounts" family
 * that plans what its settings list, so each test says exactly what it draws.
 */
import { describe, expect, it } from 'vitest';
import type { DataverseApi, GraphApi, ServiceRequest } from '../../../src/clients/types.js';
import { ReconcileEngine } from '../../../src/engine/engine.js';
import { configuredFamilies, type Family } from '../../../src/engine/family.js';
import { defaultGuard, licenceCapacityGuard, quarantineGuard, removalThresholdGuard } from '../../../src/engine/guards/index.js';
import { buildPlan } from '../../../src/engine/plan.js';
import { finalStatuses, statusWrites, type FinalStatus } from '../../../src/engine/status.js';
import { ConfigurationError } from '../../../src/model/errors.js';
import type { Change, Subject } from '../../../src/model/plan.js';
import { subjectKey } from '../../../src/model/run.js';
import { techniciansFamily } from '../../../reconcilers/technicians/family.js';
import { SUBSCRIBED_SKUS } from '../../../reconcilers/technicians/tables.js';
import type { Table } from '../../../src/engine/tables/table.js';
import { contactRow, observation, SKU, testSettings } from '../../support/model.js';
import { change, members, NOW, planOf } from '../guards/builders.js';

const OTHER_SKU = 'd0000000-0000-4000-8000-0000000000e5';
/** The fake family's own table (never read here: these tests plan from a built observation). */
const SERVICE_ACCOUNTS: Table = { name: 'serviceaccounts', service: 'dataverse', path: 'serviceaccounts', key: 'id', columns: ['id'], mode: 'full', field: 'serviceAccounts' };
const settings = testSettings();

interface AccountSettings {
  /** Member ids that get a licence of `sku` this run. */
  licensed: string[];
  sku: string;
  withAccess: number;
}

function accountSubject(id: string): Subject {
  return { family: 'accounts', table: 'serviceaccounts', id, displayName: `Account ${id}`, group: { id: 'team-1', name: 'Team One' } };
}

/** A second family: one licence.assign per listed member, every member created in 2025 (older than any technician). */
function accountsFamily(own: AccountSettings | null): Family<AccountSettings> {
  return {
    name: 'accounts',
    tables: [SERVICE_ACCOUNTS, SUBSCRIBED_SKUS],
    // Its changes are the technicians' licence.assign: the kinds come from the technicians family.
    kinds: [],
    settingsOf: () => own,
    observe: () => Promise.resolve({}),
    checkConfiguration: () => undefined,
    plan: (obs, s) => {
      const changes: Change[] = s.licensed.map((id) => ({ ...change(id, 'licence.assign', { after: { skuId: s.sku, directlyAssigned: true } }), subject: accountSubject(id) }));
      const sku = obs.subscribedSkus.find((k) => k.skuId === s.sku)!;
      return {
        changes,
        subjects: s.licensed.map((id) => ({ subject: accountSubject(id), intent: 'provision', status: 'active', storedStatus: null, storedError: null, changeIds: [] })),
        orphans: [],
        licences: [{ skuId: sku.skuId, skuPartNumber: sku.skuPartNumber, unitsNeeded: changes.length, unitsAvailable: sku.prepaidUnits.enabled - sku.consumedUnits }],
      };
    },
    statusWrites: (subjects, statuses): ServiceRequest[] =>
      subjects.map((s) => ({ method: 'PATCH', url: `serviceaccounts(${s.subject.id})`, body: { status: statuses.get(subjectKey(s.subject))?.status ?? null } })),
    withAccess: (_obs, s) => s.withAccess,
    createdAt: () => (id) => `2025-01-${id.slice(2).padStart(2, '0')}T00:00:00Z`,
  };
}

const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
/** Three new technicians, created on 1, 2 and 3 March 2026. */
const newTechnicians = () => [1, 2, 3].map((i) => contactRow(`c-${i}`, { createdon: `2026-03-0${i}T00:00:00Z` }));
const twoSkus = observation({
  contacts: newTechnicians(),
  subscribedSkus: [
    ...observation().subscribedSkus,
    { skuId: OTHER_SKU, skuPartNumber: 'SPE_E5', capabilityStatus: 'Enabled', consumedUnits: 0, prepaidUnits: { enabled: 50, suspended: 0, warning: 0 } },
  ],
});

describe('a plan merged from two families', () => {
  it('lists both families\' subjects and changes in one plan, and their shared SKU once with the units of both', () => {
    const accounts = accountsFamily({ licensed: ids('m', 13), sku: SKU, withAccess: 0 });
    const plan = buildPlan(twoSkus, settings, { kind: 'tenant' }, { families: [techniciansFamily, accounts] });
    expect(plan.version).toBe(2);
    expect(plan.subjects.map((s) => `${s.subject.family}/${s.subject.id}`)).toEqual([...ids('c', 3).map((id) => `technicians/${id}`), ...ids('m', 13).map((id) => `accounts/${id}`)]);
    expect(plan.subjects[0]!.subject).toEqual({ family: 'technicians', table: 'contacts', id: 'c-1', displayName: 'Tech c-1', group: { id: 'acc-1', name: 'Fabrikam Services' } });
    // The full subject is on every change too, vendor name included (the diff alone does not know it).
    expect(plan.changes.filter((c) => c.subject.id === 'c-1').every((c) => c.subject.group?.name === 'Fabrikam Services')).toBe(true);
    expect(plan.changes.filter((c) => c.kind === 'licence.assign').map((c) => c.subject.id)).toEqual([...ids('c', 3), 'm-1', 'm-10', 'm-11', 'm-12', 'm-13', ...ids('m', 9).slice(1)]);
    expect(plan.subjects.find((s) => s.subject.id === 'm-2')!.changeIds).toEqual(['m-2/licence.assign']);
    expect(plan.summary.licences).toEqual([{ skuId: SKU, skuPartNumber: 'D365_FIELD_SERVICE_CONTRACTOR', unitsNeeded: 16, unitsAvailable: 15 }]);
  });

  it('licence capacity counts two families drawing one SKU against its one pool: the newest subject waits', () => {
    const families = [techniciansFamily, accountsFamily({ licensed: ids('m', 13), sku: SKU, withAccess: 0 })];
    const plan = buildPlan(twoSkus, settings, { kind: 'tenant' }, { families });
    const guarded = licenceCapacityGuard.guard(plan, { observation: twoSkus, settings, families: configuredFamilies(settings, families), overrides: {}, now: NOW });
    expect(guarded.changes.filter((c) => c.blocked).map((c) => [c.id, c.blocked!.code])).toEqual([['c-3/licence.assign', 'NO_LICENCE_UNITS']]);
    expect(guarded.subjects.filter((s) => s.status === 'no_licence_units').map((s) => s.subject.id)).toEqual(['c-3']);
    expect(guarded.summary.licences).toEqual([{ skuId: SKU, skuPartNumber: 'D365_FIELD_SERVICE_CONTRACTOR', unitsNeeded: 16, unitsAvailable: 15 }]);
  });

  it('licence capacity keeps SKUs apart: units of another SKU do not count against the technicians\' licence', () => {
    const families = [techniciansFamily, accountsFamily({ licensed: ids('m', 13), sku: OTHER_SKU, withAccess: 0 })];
    const plan = buildPlan(twoSkus, settings, { kind: 'tenant' }, { families });
    const guarded = defaultGuard.guard(plan, { observation: twoSkus, settings, families: configuredFamilies(settings, families), overrides: {}, now: NOW });
    expect(guarded.changes.filter((c) => c.blocked)).toEqual([]);
    expect(guarded.summary.licences).toEqual([
      { skuId: SKU, skuPartNumber: 'D365_FIELD_SERVICE_CONTRACTOR', unitsNeeded: 3, unitsAvailable: 15 },
      { skuId: OTHER_SKU, skuPartNumber: 'SPE_E5', unitsNeeded: 13, unitsAvailable: 50 },
    ]);
  });

  it('the removal threshold counts every family\'s removals together, against every family\'s access', () => {
    const accounts = accountsFamily({ licensed: [], sku: SKU, withAccess: 30 });
    const removals = [...['c-1', 'c-2', 'c-3'].map((id) => change(id, 'group.remove')), ...['m-1', 'm-2', 'm-3'].map((id) => ({ ...change(id, 'group.remove'), subject: accountSubject(id) }))];
    const plan = planOf(removals);
    const obs = observation({ groupMemberIds: members(20) });
    const both = configuredFamilies(settings, [techniciansFamily, accounts]);
    // 20 technicians + 30 accounts with access: 10 % is 5 subjects; 3 + 3 is over, either family alone is not.
    const guarded = removalThresholdGuard.guard(plan, { observation: obs, settings, families: both, overrides: {}, now: NOW });
    expect(guarded.changes.map((c) => [c.id, c.blocked?.code ?? null])).toEqual(removals.map((c) => [c.id, 'REMOVALS_HELD']));
    const one = planOf(removals.slice(0, 3));
    expect(removalThresholdGuard.guard(one, { observation: obs, settings, families: both, overrides: {}, now: NOW })).toBe(one);
  });

  it('quarantine holds back a quarantined subject of any family', () => {
    const plan = planOf([{ ...change('m-1', 'licence.assign'), subject: accountSubject('m-1') }], [
      { subject: accountSubject('m-1'), intent: 'provision', status: 'active', storedStatus: 'error', storedError: 'last error', storedFailures: 3, storedNextAttemptAt: '2026-11-23T12:00:00Z', changeIds: [] },
    ]);
    const guarded = quarantineGuard.guard(plan, { observation: observation(), settings, families: configuredFamilies(settings, [techniciansFamily]), overrides: {}, now: NOW });
    expect(guarded.changes.map((c) => c.blocked?.code)).toEqual(['QUARANTINED']);
    expect(guarded.subjects.map((s) => [s.subject.family, s.status])).toEqual([['accounts', 'quarantined']]);
  });

  it('each family writes only its own subjects\' statuses', () => {
    const families = [techniciansFamily, accountsFamily({ licensed: ['m-1'], sku: SKU, withAccess: 0 })];
    const plan = buildPlan(observation({ contacts: [contactRow('c-1')] }), settings, { kind: 'tenant' }, { families });
    const statuses = new Map<string, FinalStatus>([['technicians/c-1', { status: 'invited', error: null }], ['accounts/m-1', { status: 'active', error: null }]]);
    expect(statusWrites(plan, statuses, families).map((w) => [w.method, w.url, w.body])).toEqual([
      ['PATCH', 'contacts(c-1)', { o25fs_provisioningstatus: 808950001, o25fs_provisioningerror: null }],
      ['PATCH', 'serviceaccounts(m-1)', { status: 'active' }],
    ]);
  });

  it('two families\' subjects with the same id keep apart: results and statuses are keyed by family and id', () => {
    const families = [techniciansFamily, accountsFamily({ licensed: ['c-1'], sku: SKU, withAccess: 0 })];
    const plan = buildPlan(observation({ contacts: [contactRow('c-1')] }), settings, { kind: 'tenant' }, { families });
    const accountChange = plan.changes.find((c) => c.subject.family === 'accounts')!;
    const results = plan.changes.map((c) => ({ changeId: c.id, subjectKey: subjectKey(c.subject), outcome: c === accountChange ? 'failed' as const : 'applied' as const, ...(c === accountChange ? { error: { class: 'contact' as const, code: 'X_FAILED', message: 'No.', action: 'Fix it.' } } : {}) }));
    const statuses = finalStatuses(plan, results);
    expect([...statuses.keys()].sort()).toEqual(['accounts/c-1', 'technicians/c-1']);
    expect(statuses.get('accounts/c-1')).toEqual({ status: 'error', error: 'No. What to do: Fix it.' });
    expect(statuses.get('technicians/c-1')?.status).toBe('invited');
    expect(statusWrites(plan, statuses, families).map((w) => [w.url, w.body])).toEqual([
      ['contacts(c-1)', { o25fs_provisioningstatus: 808950001, o25fs_provisioningerror: null }],
      ['serviceaccounts(c-1)', { status: 'error' }],
    ]);
  });

  it('a scope naming one family\'s group or subjects plans that family alone', () => {
    const families = [techniciansFamily, accountsFamily({ licensed: ['m-1'], sku: SKU, withAccess: 0 })];
    const obs = observation({ contacts: [contactRow('c-1')] });
    const byVendor = buildPlan(obs, settings, { kind: 'group', family: 'technicians', groupId: 'acc-1' }, { families });
    expect(byVendor.subjects.map((s) => s.subject.id)).toEqual(['c-1']);
    const byAccount = buildPlan(obs, settings, { kind: 'subjects', family: 'accounts', subjectIds: ['m-1'] }, { families });
    expect(byAccount.subjects.map((s) => s.subject.id)).toEqual(['m-1']);
  });
});

describe('families that are off', () => {
  it('a family whose settings are absent is not called: the plan is the other family\'s alone', () => {
    const plan = buildPlan(observation({ contacts: [contactRow('c-1')] }), settings, { kind: 'tenant' }, { families: [techniciansFamily, accountsFamily(null)] });
    expect(plan.subjects.map((s) => s.subject.family)).toEqual(['technicians']);
  });

  it('with no family configured a run fails with NO_FAMILY_CONFIGURED before it sends a request', async () => {
    const untouchable = new Proxy({}, { get: (_t, name) => { throw new Error(`the run used the client (${String(name)})`); } });
    const engine = new ReconcileEngine({ settings: { ...settings, families: {} }, families: [techniciansFamily], graph: untouchable as GraphApi, dataverse: untouchable as DataverseApi, now: () => NOW, newRunId: () => 'run-1' });
    const record = await engine.run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
    expect(record).toMatchObject({ outcome: 'failed', error: { class: 'configuration', code: 'NO_FAMILY_CONFIGURED' }, results: [], statuses: {} });
    expect(record.plan.subjects).toEqual([]);
  });

  it('with no family configured the plan stops with NO_FAMILY_CONFIGURED', () => {
    let caught: unknown;
    try {
      buildPlan(observation(), { ...settings, families: {} }, { kind: 'tenant' }, { families: [techniciansFamily] });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).code).toBe('NO_FAMILY_CONFIGURED');
  });
});
