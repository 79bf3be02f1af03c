/**
 * reconcilers/technicians/systemuser-add.ts: when the plan asks the Power Platform for the Dataverse
 * user (DATAVERSE_USER_ON_DEMAND), the addUser request it builds, how it waits for the systemuser
 * (bounded, batched reads), and what the bookable resource and coordinates then point at.
 */
import { describe, expect, it } from 'vitest';
import { diff as resourceDiff } from '../../../reconcilers/technicians/bookable-resource.js';
import { addsDataverseUser, diff, settleAddedUsers, systemUserAddSpec } from '../../../reconcilers/technicians/systemuser-add.js';
import { diff as coordinatesDiff } from '../../../reconcilers/technicians/systemuser.js';
import type { DataverseApi, DataverseQuery } from '../../../src/clients/types.js';
import type { KindServices } from '../../../src/engine/kind.js';
import type { Change } from '../../../src/model/plan.js';
import { convergedTech, desiredFor, observedFor, technicianSubject, testSettings } from '../../support/model.js';

const ENV = 'e0000000-0000-4000-8000-0000000000e1';
const onDemand = testSettings({ powerPlatform: { environmentId: ENV, apiUrl: 'https://api.bap.microsoft.com' } });
const t = convergedTech(1, { address1_latitude: 52.37022, address1_longitude: 4.89517 });
const desired = desiredFor(t.contact, onDemand);

describe('systemuser.add diff', () => {
  const cases = [
    { reason: 'on demand, no systemuser: addUser for the observed guest', settings: onDemand, overrides: { systemUser: null }, want: { before: null, after: { objectId: 'u-1' }, target: { service: 'powerPlatform', entity: 'systemuser', id: null } } },
    { reason: 'on demand, a disabled systemuser: addUser syncs it again', settings: onDemand, overrides: { systemUser: { ...t.systemUser, isdisabled: true } }, want: { before: { isdisabled: true }, after: { objectId: 'u-1' }, target: { service: 'powerPlatform', entity: 'systemuser', id: t.systemUser.systemuserid } } },
    { reason: 'on demand, no guest yet: addUser names the user the invitation creates', settings: onDemand, overrides: { systemUser: null, user: null }, want: { after: { objectId: { createdBy: 'c-1/user.invite' } } } },
    { reason: 'on demand, an enabled systemuser: nothing (the read guards the call)', settings: onDemand, overrides: {}, want: null },
    { reason: 'off: nothing, the background sync makes it', settings: testSettings(), overrides: { systemUser: null }, want: null },
  ] as const;
  for (const c of cases) {
    it(c.reason, () => {
      const changes = diff(desiredFor(t.contact, c.settings), observedFor(t, c.overrides));
      if (c.want === null) expect(changes).toEqual([]);
      else expect(changes).toMatchObject([{ id: 'c-1/systemuser.add', kind: 'systemuser.add', subject: technicianSubject('c-1'), dependsOn: [], ...c.want }]);
    });
  }

  it('a deactivated contact, or a guest whose sign-in is blocked and not managed, gets no addUser', () => {
    expect(diff(desiredFor({ ...t.contact, statecode: 1 }, onDemand), observedFor(t, { systemUser: null }))).toEqual([]);
    expect(addsDataverseUser(desired, observedFor(t, { systemUser: null, user: { ...t.user, accountEnabled: false } }))).toBe(false);
  });

  it('the bookable resource and the coordinates follow the systemuser addUser makes, in the same plan', () => {
    const observed = observedFor(t, { systemUser: null, bookableResource: null, resourceCharacteristics: [] });
    const create = resourceDiff(desired, observed).find((c) => c.kind === 'bookableresource.create');
    expect(create?.after?._userid_value).toEqual({ createdBy: 'c-1/systemuser.add' });
    expect(coordinatesDiff(desired, observed)).toMatchObject([
      { kind: 'systemuser.update', target: { service: 'dataverse', entity: 'systemuser', id: null, createdBy: 'c-1/systemuser.add' }, after: { address1_latitude: 52.37022, address1_longitude: 4.89517 } },
    ]);
    // Off, the contact waits: no resource.
    expect(resourceDiff(desiredFor(t.contact), observed)).toEqual([]);
  });
});

describe('systemuser.add request', () => {
  it('POSTs addUser for the environment with api-version 2023-06-01 and the user id, marked idempotent', () => {
    const [c] = diff(desiredFor(t.contact, onDemand), observedFor(t, { systemUser: null, user: null }));
    expect(systemUserAddSpec.toRequest(c!, (id) => (id === 'c-1/user.invite' ? 'new-user-id' : undefined), onDemand)).toEqual({
      method: 'POST',
      url: `/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/${ENV}/addUser?api-version=2023-06-01`,
      body: { objectId: 'new-user-id' },
      idempotent: true,
    });
  });
});

function fakeDataverse(answers: Array<Record<string, string>>): { api: DataverseApi; filters: string[] } {
  const filters: string[] = [];
  let round = 0;
  const api: DataverseApi = {
    list: <T>(_set: string, q: DataverseQuery): Promise<T[]> => {
      filters.push(q.filter ?? '');
      const rows = answers[Math.min(round++, answers.length - 1)]!;
      const asked = [...(q.filter ?? '').matchAll(/azureactivedirectoryobjectid eq ([\w-]+)/g)].map((m) => m[1]!);
      return Promise.resolve(asked.filter((id) => rows[id]).map((id) => ({ systemuserid: rows[id], azureactivedirectoryobjectid: id }) as T));
    },
    send: () => Promise.reject(new Error('not used')),
    sendMany: () => Promise.reject(new Error('not used')),
  };
  return { api, filters };
}

const addChange = (n: number, objectId: string): Change => ({ id: `c-${n}/systemuser.add`, subject: { family: 'technicians', table: 'contacts', id: `c-${n}`, displayName: 'Ana Silva', group: null }, kind: 'systemuser.add', target: { service: 'powerPlatform', entity: 'systemuser', id: null }, before: null, after: { objectId }, reason: 'r', dependsOn: [] });

describe('settling: the systemuser is read back, bounded', () => {
  it('gives each change the id of its enabled systemuser as soon as it appears, reading them together', async () => {
    const { api, filters } = fakeDataverse([{}, { 'u-1': 'su-1' }, { 'u-1': 'su-1', 'u-2': 'su-2' }]);
    const services = { dataverse: api } as unknown as KindServices;
    const out = await settleAddedUsers([addChange(1, 'u-1'), addChange(2, 'u-2')], services, () => undefined, { pollMs: 1, maxMs: 1000 });
    expect(out).toEqual(new Map([['c-1/systemuser.add', 'su-1'], ['c-2/systemuser.add', 'su-2']]));
    expect(filters).toEqual([
      'isdisabled eq false and (azureactivedirectoryobjectid eq u-1 or azureactivedirectoryobjectid eq u-2)',
      'isdisabled eq false and (azureactivedirectoryobjectid eq u-1 or azureactivedirectoryobjectid eq u-2)',
      'isdisabled eq false and (azureactivedirectoryobjectid eq u-2)',
    ]);
  });

  it('stops at the bound: a systemuser still missing is DATAVERSE_USER_NOT_CREATED_YET (transient), never a spin', async () => {
    const { api, filters } = fakeDataverse([{}]);
    const out = await settleAddedUsers([addChange(1, 'u-1')], { dataverse: api } as unknown as KindServices, () => undefined, { pollMs: 20, maxMs: 100 });
    const error = out.get('c-1/systemuser.add');
    expect(error).toMatchObject({ errorClass: 'transient', code: 'DATAVERSE_USER_NOT_CREATED_YET' });
    expect(filters.length).toBeGreaterThanOrEqual(2);
    expect(filters.length).toBeLessThanOrEqual(6);
  });
});
