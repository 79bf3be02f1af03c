/**
 * Drift repaired through the real clients (issue 3, "Tests": licence removed by hand, user taken out
 * of the group, a bookable resource column edited, a characteristic added or removed on the
 * resource by hand, coordinates changed on the systemuser; plus the usage location).
 *
 * Each case starts from a converged tenant, changes one thing the way an admin would (through the
 * services' APIs), and checks: the plan holds exactly the repairing change with its reason, apply
 * sends exactly the repairing request, the simulator's state is repaired, and the next plan is empty.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bookableResourceIdFor, resourceCharacteristicIdFor } from '../../reconcilers/technicians/ids.js';
import type { Change } from '../../src/model/plan.js';
import { REF, converge, startEngineTenant, technician, type EngineTenant, type Technician } from './engine-fixture.js';

const ada = technician(1, { first: 'Ada', last: 'Lovelace', characteristics: [['hvac', 'expert'], ['electrical', 'competent']] });
const brId = bookableResourceIdFor(ada.id);
const hvacRowId = resourceCharacteristicIdFor(brId, REF.characteristics.hvac);

interface Ids {
  userId: string;
  systemUserId: string;
}

interface DriftCase {
  name: string;
  reason: string;
  /** Makes the drift; returns anything the expectations need (e.g. the id of a row added by hand). */
  drift(t: EngineTenant, ids: Ids): Promise<string | undefined>;
  change(ids: Ids, extra: string | undefined): Pick<Change, 'kind' | 'target' | 'before' | 'after'>;
  reasonMatches: RegExp;
  request(ids: Ids, extra: string | undefined, t: EngineTenant): { method: string; path: string; body: unknown };
  repaired(t: EngineTenant, ids: Ids, extra: string | undefined): void;
}

const ok = (status: number): void => {
  expect(status).toBeLessThan(300);
};

const cases: DriftCase[] = [
  {
    name: 'licence removed by hand',
    reason: 'An admin removed the technician licence in the Entra admin center.',
    drift: async (t, { userId }) => {
      ok((await t.s.graph('POST', `/users/${userId}/assignLicense`, { body: { addLicenses: [], removeLicenses: [REF.skuId] } })).status);
      return undefined;
    },
    change: ({ userId }) => ({
      kind: 'licence.assign',
      target: { service: 'graph', entity: 'user', id: userId },
      before: { skuId: REF.skuId, directlyAssigned: false },
      after: { skuId: REF.skuId, directlyAssigned: true },
    }),
    reasonMatches: /no direct assignment of the technician licence/,
    request: ({ userId }) => ({ method: 'POST', path: `/users/${userId}/assignLicense`, body: { addLicenses: [{ skuId: REF.skuId, disabledPlans: [] }], removeLicenses: [] } }),
    repaired: (t, { userId }) => {
      expect(t.user(userId).assignedLicenses).toEqual([{ skuId: REF.skuId, disabledPlans: [] }]);
    },
  },
  {
    name: 'user taken out of the group',
    reason: 'An admin removed the guest from the technician group.',
    drift: async (t, { userId }) => {
      ok((await t.s.graph('DELETE', `/groups/${REF.groupId}/members/${userId}/$ref`)).status);
      return undefined;
    },
    change: ({ userId }) => ({
      kind: 'group.add',
      target: { service: 'graph', entity: 'user', id: userId },
      before: { groupId: REF.groupId, member: false },
      after: { groupId: REF.groupId, member: true },
    }),
    reasonMatches: /group/,
    request: ({ userId }, _x, t) => ({ method: 'POST', path: `/groups/${REF.groupId}/members/$ref`, body: { '@odata.id': `${t.s.info.graphBaseUrl}/directoryObjects/${userId}` } }),
    repaired: (t, { userId }) => {
      expect(t.groupMembers().has(userId)).toBe(true);
    },
  },
  {
    name: 'a bookable resource column edited',
    reason: 'A dispatcher changed the hourly rate on the resource instead of on the contact.',
    drift: async (t) => {
      ok((await t.s.dataverse('PATCH', `bookableresources(${brId})`, { body: { msdyn_hourlyrate: 99 }, headers: { 'If-Match': '*' } })).status);
      return undefined;
    },
    change: () => ({
      kind: 'bookableresource.update',
      target: { service: 'dataverse', entity: 'bookableresource', id: brId },
      before: { msdyn_hourlyrate: 99 },
      after: { msdyn_hourlyrate: 42.5 },
    }),
    reasonMatches: /^The resource's hourly rate differs from the contact/,
    request: () => ({ method: 'PATCH', path: `bookableresources(${brId})`, body: { msdyn_hourlyrate: 42.5 } }),
    repaired: (t) => {
      expect(t.s.sim.state.dataverse.get('bookableresources', brId)?.msdyn_hourlyrate).toBe(42.5);
    },
  },
  {
    name: 'a bookable resource lookup edited (organisational unit)',
    reason: 'A dispatcher moved the resource to another depot; the lookup is written back with @odata.bind.',
    drift: async (t) => {
      const body = { 'msdyn_OrganizationalUnit@odata.bind': `/msdyn_organizationalunits(${REF.orgUnits.manchester})` };
      ok((await t.s.dataverse('PATCH', `bookableresources(${brId})`, { body, headers: { 'If-Match': '*' } })).status);
      return undefined;
    },
    change: () => ({
      kind: 'bookableresource.update',
      target: { service: 'dataverse', entity: 'bookableresource', id: brId },
      before: { _msdyn_organizationalunit_value: REF.orgUnits.manchester },
      after: { _msdyn_organizationalunit_value: REF.orgUnits.london },
    }),
    reasonMatches: /^The resource's organisational unit differs from the contact/,
    request: () => ({ method: 'PATCH', path: `bookableresources(${brId})`, body: { 'msdyn_OrganizationalUnit@odata.bind': `/msdyn_organizationalunits(${REF.orgUnits.london})` } }),
    repaired: (t) => {
      expect(t.s.sim.state.dataverse.get('bookableresources', brId)?._msdyn_organizationalunit_value).toBe(REF.orgUnits.london);
    },
  },
  {
    name: 'a characteristic added on the resource by hand',
    reason: 'A dispatcher added Plumbing on the resource; the contact does not have it.',
    drift: async (t) => {
      const res = await t.s.dataverse('POST', 'bookableresourcecharacteristics', {
        body: {
          'Resource@odata.bind': `/bookableresources(${brId})`,
          'Characteristic@odata.bind': `/characteristics(${REF.characteristics.plumbing})`,
          'RatingValue@odata.bind': `/ratingvalues(${REF.ratings.proficient})`,
        },
      });
      ok(res.status);
      return /\(([0-9a-f-]{36})\)$/.exec(res.headers.get('OData-EntityId') ?? '')?.[1];
    },
    change: (_ids, rowId) => ({
      kind: 'characteristic.delete',
      target: { service: 'dataverse', entity: 'bookableresourcecharacteristic', id: rowId! },
      before: { _characteristic_value: REF.characteristics.plumbing, _ratingvalue_value: REF.ratings.proficient },
      after: null,
    }),
    reasonMatches: /no active technician characteristic for this one/,
    request: (_ids, rowId) => ({ method: 'DELETE', path: `bookableresourcecharacteristics(${rowId})`, body: undefined }),
    repaired: (t, _ids, rowId) => {
      expect(t.s.sim.state.dataverse.get('bookableresourcecharacteristics', rowId!)).toBeUndefined();
      expect(t.table('bookableresourcecharacteristics').map((r) => r._characteristic_value).sort()).toEqual([REF.characteristics.hvac, REF.characteristics.electrical].sort());
    },
  },
  {
    name: 'a characteristic removed from the resource by hand',
    reason: 'A dispatcher deleted HVAC from the resource; the contact still has it, so it comes back with the same deterministic id.',
    drift: async (t) => {
      ok((await t.s.dataverse('DELETE', `bookableresourcecharacteristics(${hvacRowId})`)).status);
      return undefined;
    },
    change: () => ({
      kind: 'characteristic.create',
      target: { service: 'dataverse', entity: 'bookableresourcecharacteristic', id: hvacRowId },
      before: null,
      after: { _resource_value: brId, _characteristic_value: REF.characteristics.hvac, _ratingvalue_value: REF.ratings.expert },
    }),
    reasonMatches: /its bookable resource does not; it is added/,
    request: () => ({
      method: 'POST',
      path: 'bookableresourcecharacteristics',
      body: {
        bookableresourcecharacteristicid: hvacRowId,
        'Resource@odata.bind': `/bookableresources(${brId})`,
        'Characteristic@odata.bind': `/characteristics(${REF.characteristics.hvac})`,
        'RatingValue@odata.bind': `/ratingvalues(${REF.ratings.expert})`,
      },
    }),
    repaired: (t) => {
      expect(t.s.sim.state.dataverse.get('bookableresourcecharacteristics', hvacRowId)).toMatchObject({
        _resource_value: brId,
        _characteristic_value: REF.characteristics.hvac,
        _ratingvalue_value: REF.ratings.expert,
        statecode: 0,
      });
    },
  },
  {
    name: 'coordinates changed on the systemuser',
    reason: 'Someone edited the Dataverse user\'s address; Field Service routes from the contact\'s coordinates.',
    drift: async (t, { systemUserId }) => {
      ok((await t.s.dataverse('PATCH', `systemusers(${systemUserId})`, { body: { address1_latitude: 48.8566, address1_longitude: 2.3522 }, headers: { 'If-Match': '*' } })).status);
      return undefined;
    },
    change: ({ systemUserId }) => ({
      kind: 'systemuser.update',
      target: { service: 'dataverse', entity: 'systemuser', id: systemUserId },
      before: { address1_latitude: 48.8566, address1_longitude: 2.3522 },
      after: { address1_latitude: 51.5074, address1_longitude: -0.1278 },
    }),
    reasonMatches: /coordinates differ from the contact's/,
    request: ({ systemUserId }) => ({ method: 'PATCH', path: `systemusers(${systemUserId})`, body: { address1_latitude: 51.5074, address1_longitude: -0.1278 } }),
    repaired: (t, { systemUserId }) => {
      expect(t.s.sim.state.dataverse.get('systemusers', systemUserId)).toMatchObject({ address1_latitude: 51.5074, address1_longitude: -0.1278 });
    },
  },
  {
    name: 'usage location cleared',
    // Graph refuses null for usageLocation ("Not nullable", user.md), so no API call can clear it;
    // the state is set directly to stand for a guest whose usage location is unset.
    reason: 'The guest has no usage location (e.g. it was never set by the flows that created it).',
    drift: (t, { userId }) => {
      t.user(userId).usageLocation = null;
      return Promise.resolve(undefined);
    },
    change: ({ userId }) => ({ kind: 'user.update', target: { service: 'graph', entity: 'user', id: userId }, before: { usageLocation: null }, after: { usageLocation: 'GB' } }),
    reasonMatches: /usage location differs from the contact/,
    request: ({ userId }) => ({ method: 'PATCH', path: `/users/${userId}`, body: { usageLocation: 'GB' } }),
    repaired: (t, { userId }) => {
      expect(t.user(userId).usageLocation).toBe('GB');
    },
  },
  {
    name: 'usage location changed by hand',
    reason: 'An admin set another country as the guest\'s usage location.',
    drift: async (t, { userId }) => {
      ok((await t.s.graph('PATCH', `/users/${userId}`, { body: { usageLocation: 'FR' } })).status);
      return undefined;
    },
    change: ({ userId }) => ({ kind: 'user.update', target: { service: 'graph', entity: 'user', id: userId }, before: { usageLocation: 'FR' }, after: { usageLocation: 'GB' } }),
    reasonMatches: /usage location differs from the contact/,
    request: ({ userId }) => ({ method: 'PATCH', path: `/users/${userId}`, body: { usageLocation: 'GB' } }),
    repaired: (t, { userId }) => {
      expect(t.user(userId).usageLocation).toBe('GB');
    },
  },
];

let t: EngineTenant | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function convergedTenant(techs: Technician[]): Promise<{ t: EngineTenant; ids: Ids }> {
  const tenant = await startEngineTenant(techs);
  t = tenant;
  await converge(tenant);
  const userId = String(tenant.contact(ada.id).o25fs_entraobjectid);
  return { t: tenant, ids: { userId, systemUserId: String(tenant.systemUserOf(userId).systemuserid) } };
}

describe('drift is repaired with exactly one corrective call', () => {
  it.each(cases)('$name', async (c) => {
    const { t, ids } = await convergedTenant([ada]);
    const extra = await c.drift(t, ids);
    await t.clearLogs();

    const { plan } = await t.engine().plan({ kind: 'tenant' });
    expect(plan.changes).toHaveLength(1);
    const [repair] = plan.changes as [Change];
    expect(repair).toMatchObject({ ...c.change(ids, extra), subject: { family: 'technicians', table: 'contacts', id: ada.id }, dependsOn: [] });
    expect(repair.reason).toMatch(c.reasonMatches);
    expect(plan.subjects.map((x) => x.status)).toEqual(['active']);

    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    expect(run.results.map((r) => [r.changeId, r.outcome])).toEqual([[repair.id, 'applied']]);
    // The one repairing request; the status stays active, so it is not written again.
    expect(t.writes().map((w) => ({ method: w.method, path: w.path, body: w.body }))).toEqual([c.request(ids, extra, t)]);
    c.repaired(t, ids, extra);

    const next = await t.engine().plan({ kind: 'tenant' });
    expect(next.plan.changes).toEqual([]);
  });
});
