/**
 * applyPlan: dependency waves, batching per service, and failure isolation per contact.
 * The clients are fakes that record what they were asked to send.
 */
import { describe, expect, it } from 'vitest';
import type { DataverseApi, GraphApi, ServiceRequest, ServiceResponse } from '../../../src/clients/types.js';
import { applyPlan, waves, type ApplyDeps } from '../../../src/engine/apply.js';
import { ConfigurationError, ContactError, ThrottledError } from '../../../src/model/errors.js';
import type { Change, ChangeKind, Plan } from '../../../src/model/plan.js';

function change(contactId: string, kind: ChangeKind, dependsOn: string[] = [], extra: Partial<Change> = {}): Change {
  const service = kind.startsWith('user') || kind.startsWith('licence') || kind.startsWith('group') ? 'graph' : 'dataverse';
  return {
    id: `${contactId}/${kind}`,
    subject: { family: 'technicians', table: 'contacts', id: contactId, displayName: contactId, group: null },
    kind,
    target: { service, entity: service === 'graph' ? 'user' : 'bookableresource', id: kind === 'user.invite' ? null : `${contactId}-obj` },
    before: null,
    after: {},
    reason: 'test',
    dependsOn,
    ...extra,
  };
}

function plan(changes: Change[]): Plan {
  return {
    version: 2,
    generatedAt: '2026-11-23T00:00:00Z',
    scope: { kind: 'tenant' },
    changes,
    subjects: [],
    orphans: [],
    tallies: [],
    summary: { changesByKind: {}, subjectsByStatus: {}, licences: [{ skuId: 's', skuPartNumber: null, unitsNeeded: 0, unitsAvailable: 0 }], orphans: 0, blockedRemovals: 0, errors: 0 },
  };
}

function fakes(answer: (req: ServiceRequest) => ServiceResponse | Error = () => ({ status: 204, headers: {}, body: undefined })) {
  const graphCalls: ServiceRequest[][] = [];
  const dataverseCalls: ServiceRequest[][] = [];
  const sendMany = (calls: ServiceRequest[][]) => async (reqs: ServiceRequest[]) => {
    calls.push(reqs);
    const out: ServiceResponse[] = [];
    for (const r of reqs) {
      const a = answer(r);
      if (a instanceof Error) throw a;
      out.push(a);
    }
    return out;
  };
  const graph = { list: async () => [], send: async () => ({ status: 200, headers: {}, body: {} }), sendMany: sendMany(graphCalls) } as GraphApi;
  const dataverse = { list: async () => [], send: async () => ({ status: 200, headers: {}, body: {} }), sendMany: sendMany(dataverseCalls) } as DataverseApi;
  const deps: ApplyDeps = {
    graph,
    dataverse,
    toRequest: (c, created) => ({
      method: 'POST',
      url: `/${c.kind}/${c.target.id ?? created(c.target.createdBy ?? '') ?? 'unresolved'}`,
    }),
    createdIdOf: (c, res) => (c.kind === 'user.invite' ? ((res.body as { invitedUser?: { id: string } })?.invitedUser?.id ?? undefined) : undefined),
    errorOf: (_c, _req, res) =>
      res.status < 300
        ? null
        : res.status === 403
          ? new ConfigurationError('MISSING_PERMISSION', 'no permission', 'grant it')
          : new ContactError('GRAPH_REJECTED', `refused ${res.status}`, 'fix it'),
  };
  return { deps, graphCalls, dataverseCalls };
}

describe('waves', () => {
  it('puts every change one wave after the deepest change it depends on', () => {
    const invite = change('c1', 'user.invite');
    const update = change('c1', 'user.update', [invite.id]);
    const licence = change('c1', 'licence.assign', [invite.id, update.id]);
    const other = change('c2', 'licence.assign');
    expect(waves([invite, update, licence, other]).map((w) => w.map((c) => c.id))).toEqual([
      ['c1/user.invite', 'c2/licence.assign'],
      ['c1/user.update'],
      ['c1/licence.assign'],
    ]);
  });
});

describe('applyPlan', () => {
  it('sends each wave as one batch call per service and resolves ids created by earlier waves', async () => {
    const invite = change('c1', 'user.invite', [], { target: { service: 'graph', entity: 'user', id: null } });
    const update = change('c1', 'user.update', [invite.id], { target: { service: 'graph', entity: 'user', id: null, createdBy: invite.id } });
    const br = change('c2', 'bookableresource.create');
    const { deps, graphCalls, dataverseCalls } = fakes((req) =>
      req.url.startsWith('/user.invite') ? { status: 201, headers: {}, body: { invitedUser: { id: 'new-user' } } } : { status: 204, headers: {}, body: undefined },
    );
    const out = await applyPlan(plan([invite, br, update]), deps);
    expect(graphCalls.map((b) => b.map((r) => r.url))).toEqual([['/user.invite/unresolved'], ['/user.update/new-user']]);
    expect(dataverseCalls.map((b) => b.map((r) => r.url))).toEqual([['/bookableresource.create/c2-obj']]);
    expect(out.results.map((r) => [r.changeId, r.outcome, r.createdId])).toEqual([
      ['c1/user.invite', 'applied', 'new-user'],
      ['c2/bookableresource.create', 'applied', undefined],
      ['c1/user.update', 'applied', undefined],
    ]);
    expect(out.runError).toBeUndefined();
  });

  it('a failed change skips only its own dependents; other contacts go on', async () => {
    const bad = change('bad', 'user.invite');
    const badDependent = change('bad', 'group.add', [bad.id]);
    const good = change('good', 'user.invite');
    const goodDependent = change('good', 'group.add', [good.id]);
    const { deps } = fakes((req) => (req.url.includes('/bad') || req.url === '/user.invite/bad-obj' ? { status: 400, headers: {}, body: {} } : { status: 201, headers: {}, body: { invitedUser: { id: 'u' } } }));
    deps.toRequest = (c) => ({ method: 'POST', url: `/${c.kind}/${c.subject.id}` });
    const out = await applyPlan(plan([bad, good, badDependent, goodDependent]), deps);
    const outcome = Object.fromEntries(out.results.map((r) => [r.changeId, r.outcome]));
    expect(outcome).toEqual({ 'bad/user.invite': 'failed', 'good/user.invite': 'applied', 'bad/group.add': 'skipped', 'good/group.add': 'applied' });
    expect(out.results.find((r) => r.changeId === 'bad/user.invite')?.error?.code).toBe('GRAPH_REJECTED');
  });

  it('a configuration error stops the run after its wave and reports the rest as not reached', async () => {
    const first = change('c1', 'user.invite');
    const next = change('c2', 'group.add', [], { dependsOn: [] });
    const later = change('c2', 'licence.assign', [next.id]);
    const { deps } = fakes((req) => (req.url.startsWith('/group.add') ? { status: 403, headers: {}, body: {} } : { status: 201, headers: {}, body: {} }));
    const out = await applyPlan(plan([first, next, later]), deps);
    expect(out.runError?.code).toBe('MISSING_PERMISSION');
    expect(out.results.map((r) => r.outcome)).toEqual(['applied', 'failed', 'not_reached']);
  });

  it('when the client gives up (throttled past its retries) the batch fails retryably and the run goes on', async () => {
    const a = change('c1', 'licence.assign');
    const b = change('c2', 'bookableresource.update');
    const { deps } = fakes((req) => (req.url.startsWith('/licence') ? new ThrottledError('GRAPH_THROTTLED', 'throttled', 'wait', 1000) : { status: 204, headers: {}, body: undefined }));
    const out = await applyPlan(plan([a, b]), deps);
    expect(out.results.map((r) => [r.outcome, r.error?.class])).toEqual([['failed', 'throttled'], ['applied', undefined]]);
    expect(out.runError).toBeUndefined();
  });

  it('blocked changes are never sent and their dependents are skipped', async () => {
    const removal = change('c1', 'licence.remove', [], { blocked: { code: 'REMOVAL_THRESHOLD', reason: 'held back' } });
    const { deps, graphCalls } = fakes();
    const out = await applyPlan(plan([removal]), deps);
    expect(graphCalls).toEqual([]);
    expect(out.results[0]).toMatchObject({ outcome: 'blocked', error: { code: 'REMOVAL_THRESHOLD' } });
  });

  it('stops at the deadline before starting a wave', async () => {
    const a = change('c1', 'user.invite');
    const b = change('c1', 'user.update', [a.id]);
    const { deps } = fakes(() => ({ status: 201, headers: {}, body: { invitedUser: { id: 'u' } } }));
    let t = 0;
    deps.now = () => t;
    deps.deadline = 10;
    deps.graph.sendMany = async (reqs) => {
      t = 100;
      return reqs.map(() => ({ status: 201, headers: {}, body: { invitedUser: { id: 'u' } } }));
    };
    const out = await applyPlan(plan([a, b]), deps);
    expect(out.results.map((r) => r.outcome)).toEqual(['applied', 'not_reached']);
    expect(out.runError?.code).toBe('RUN_DEADLINE');
  });

  it('adopts an existing user instead of inviting again (crash safety)', async () => {
    const invite = change('c1', 'user.invite');
    const { deps, graphCalls } = fakes();
    deps.looksUp = (c) => c.kind === 'user.invite';
    deps.findExisting = async (invites) => new Map(invites.map((c) => [c.id, 'existing-id']));
    const out = await applyPlan(plan([invite]), deps);
    expect(graphCalls).toEqual([]);
    expect(out.results[0]).toMatchObject({ outcome: 'applied', createdId: 'existing-id' });
  });
});
