/**
 * applyPlan's settle step (src/engine/apply.ts, ChangeKindSpec.settle in src/engine/kind.ts): a
 * change whose object the service makes after answering (addUser's systemuser) is waited for after
 * its wave; the id it settles on is its createdId, which the next wave's `createdBy` resolves to,
 * and a change that does not settle fails with its error and its dependents are skipped. Power
 * Platform changes go to their own client.
 */
import { describe, expect, it } from 'vitest';
import type { DataverseApi, GraphApi, PowerPlatformApi, ServiceRequest, ServiceResponse } from '../../../src/clients/types.js';
import { applyPlan, type ApplyDeps } from '../../../src/engine/apply.js';
import { TransientError } from '../../../src/model/errors.js';
import type { Change, Plan } from '../../../src/model/plan.js';

const subject = (id: string) => ({ family: 'technicians', table: 'contacts', id, displayName: id, group: null }) as const;
const add = (c: string): Change => ({ id: `${c}/systemuser.add`, subject: subject(c), kind: 'systemuser.add', target: { service: 'powerPlatform', entity: 'systemuser', id: null }, before: null, after: { objectId: `${c}-user` }, reason: 'r', dependsOn: [] });
const create = (c: string): Change => ({ id: `${c}/bookableresource.create`, subject: subject(c), kind: 'bookableresource.create', target: { service: 'dataverse', entity: 'bookableresource', id: `${c}-br` }, before: null, after: { _userid_value: { createdBy: `${c}/systemuser.add` } }, reason: 'r', dependsOn: [`${c}/systemuser.add`] });
const plan = (changes: Change[]): Plan => ({ version: 2, generatedAt: '2026-12-03T00:00:00Z', scope: { kind: 'tenant' }, changes, subjects: [], orphans: [], tallies: [], summary: { changesByKind: {}, subjectsByStatus: {}, licences: [], orphans: 0, blockedRemovals: 0, errors: 0 } });

function deps(settled: Record<string, string | TransientError>) {
  const sent: { service: string; requests: ServiceRequest[] }[] = [];
  const settleCalls: string[][] = [];
  const many = (service: string) => async (requests: ServiceRequest[]): Promise<ServiceResponse[]> => {
    sent.push({ service, requests });
    return requests.map(() => ({ status: 200, headers: {}, body: undefined }));
  };
  const d: ApplyDeps = {
    graph: { sendMany: many('graph') } as unknown as GraphApi,
    dataverse: { sendMany: many('dataverse') } as unknown as DataverseApi,
    powerPlatform: { send: () => Promise.reject(new Error('unused')), sendMany: many('powerPlatform') } satisfies PowerPlatformApi,
    toRequest: (c, created) => ({ method: 'POST', url: `/${c.kind}`, body: c.kind === 'bookableresource.create' ? { user: created(`${c.subject.id}/systemuser.add`) ?? 'unresolved' } : c.after }),
    createdIdOf: () => undefined,
    errorOf: () => null,
    settles: (c) => c.kind === 'systemuser.add',
    settle: async (changes) => {
      settleCalls.push(changes.map((c) => c.id));
      return new Map(changes.flatMap((c) => (settled[c.id] === undefined ? [] : [[c.id, settled[c.id]!] as const])));
    },
  };
  return { d, sent, settleCalls };
}

describe('the settle step', () => {
  it('sends addUser through the Power Platform client, waits once for the wave, and the next wave uses the settled id', async () => {
    const { d, sent, settleCalls } = deps({ 'a/systemuser.add': 'su-a', 'b/systemuser.add': 'su-b' });
    const out = await applyPlan(plan([add('a'), add('b'), create('a'), create('b')]), d);
    expect(settleCalls).toEqual([['a/systemuser.add', 'b/systemuser.add']]);
    expect(sent.map((s) => s.service)).toEqual(['powerPlatform', 'dataverse']);
    expect(sent[1]!.requests.map((r) => r.body)).toEqual([{ user: 'su-a' }, { user: 'su-b' }]);
    expect(out.results.map((r) => [r.changeId, r.outcome, r.createdId])).toEqual([
      ['a/systemuser.add', 'applied', 'su-a'],
      ['b/systemuser.add', 'applied', 'su-b'],
      ['a/bookableresource.create', 'applied', undefined],
      ['b/bookableresource.create', 'applied', undefined],
    ]);
  });

  it('a change that does not settle fails with its error; only its own dependents are skipped', async () => {
    const late = new TransientError('DATAVERSE_USER_NOT_CREATED_YET', 'not yet', 'wait');
    const { d, sent } = deps({ 'a/systemuser.add': late, 'b/systemuser.add': 'su-b' });
    const out = await applyPlan(plan([add('a'), add('b'), create('a'), create('b')]), d);
    const byId = new Map(out.results.map((r) => [r.changeId, r]));
    expect(byId.get('a/systemuser.add')).toMatchObject({ outcome: 'failed', error: { code: 'DATAVERSE_USER_NOT_CREATED_YET', class: 'transient' } });
    expect(byId.get('a/bookableresource.create')?.outcome).toBe('skipped');
    expect(byId.get('b/bookableresource.create')?.outcome).toBe('applied');
    expect(sent[1]!.requests).toHaveLength(1);
    expect(out.runError).toBeUndefined();
  });

  it('without a Power Platform client, its changes fail with one configuration error that stops the run', async () => {
    const { d } = deps({});
    delete d.powerPlatform;
    const out = await applyPlan(plan([add('a'), create('a')]), d);
    expect(out.runError?.code).toBe('SETTINGS_INVALID');
    expect(out.results.map((r) => r.outcome)).toEqual(['failed', 'not_reached']);
  });
});
