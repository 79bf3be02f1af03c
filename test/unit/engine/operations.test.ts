/**
 * src/engine/operations.ts: before apply sends changes, each change's kind looks up what already
 * exists (ChangeKindSpec.findExisting), with only its own changes, the services and the settings;
 * a kind without the hook costs no look-up, and a change its kind found nothing for is sent.
 */
import { describe, expect, it } from 'vitest';
import type { DataverseApi, GraphApi } from '../../../src/clients/types.js';
import type { Settings } from '../../../src/config.js';
import type { Family, FamilyKind } from '../../../src/engine/family.js';
import type { KindSpec } from '../../../src/engine/kind-registry.js';
import { kindRegistryOf } from '../../../src/engine/kind-registry.js';
import { createApplyDeps } from '../../../src/engine/operations.js';
import { ContactError } from '../../../src/model/errors.js';
import type { Change, ChangeKind } from '../../../src/model/plan.js';
import { techniciansFamily } from '../../../reconcilers/technicians/family.js';

const graph = { tag: 'graph' } as unknown as GraphApi;
const dataverse = { tag: 'dataverse' } as unknown as DataverseApi;
const settings = { tag: 'settings' } as unknown as Settings;

/** What each look-up was called with, in order. */
const calls: { kind: string; ids: string[]; graph: unknown; settings: unknown }[] = [];

const spec = (kind: string, lookup: boolean): KindSpec => ({
  kind: kind as ChangeKind,
  label: `Label of ${kind}`,
  runsAfter: [],
  removal: false,
  toRequest: () => ({ method: 'POST', url: `/${kind}` }),
  effect: (model) => ({ model }),
  ...(lookup
    ? {
        findExisting: async (changes, services, given) => {
          calls.push({ kind, ids: changes.map((c) => c.id), graph: services.graph, settings: given });
          const out = new Map<string, string | ContactError>();
          for (const c of changes) {
            if (c.id.startsWith('known')) out.set(c.id, `existing-${c.id}`);
            if (c.id.startsWith('foreign')) out.set(c.id, new ContactError('EMAIL_BELONGS_TO_MEMBER', 'Not ours.', 'Nothing.'));
          }
          return out;
        },
      }
    : {}),
});

const seats: FamilyKind = { name: 'seat', changes: [spec('seat.take', true), spec('seat.note', false)], diff: () => [] };
const seatsFamily: Family = { ...(techniciansFamily as Family), name: 'seats', tables: [], kinds: [seats] };
const change = (id: string, kind: string): Change => ({ id, kind } as unknown as Change);

describe('createApplyDeps: findExisting', () => {
  const deps = createApplyDeps(settings, graph, dataverse, kindRegistryOf([seatsFamily]));

  it("asks each kind about its own changes only, and keeps what it found: an id to adopt or an error", async () => {
    calls.length = 0;
    const found = await deps.findExisting!([change('known-1', 'seat.take'), change('new-1', 'seat.note'), change('new-2', 'seat.take'), change('foreign-1', 'seat.take')]);
    expect(calls).toEqual([{ kind: 'seat.take', ids: ['known-1', 'new-2', 'foreign-1'], graph, settings }]);
    expect([...found.keys()]).toEqual(['known-1', 'foreign-1']);
    expect(found.get('known-1')).toBe('existing-known-1');
    expect(found.get('foreign-1')).toBeInstanceOf(ContactError);
  });

  it('makes no look-up for changes of a kind without the hook', async () => {
    calls.length = 0;
    const found = await deps.findExisting!([change('known-2', 'seat.note')]);
    expect(calls).toEqual([]);
    expect(found.size).toBe(0);
  });
});

describe('createApplyDeps: looksUp', () => {
  const deps = createApplyDeps(settings, graph, dataverse, kindRegistryOf([techniciansFamily as Family, seatsFamily]));
  const cases = [
    { reason: 'a kind that declares findExisting is looked up before it is sent', kind: 'seat.take', want: true },
    { reason: "the technicians' invitation is looked up (never invite twice)", kind: 'user.invite', want: true },
    { reason: 'a kind without the hook is sent as it is', kind: 'seat.note', want: false },
    { reason: 'a technicians create with a deterministic id needs no look-up (its 412 says "already done")', kind: 'bookableresource.create', want: false },
  ];
  for (const c of cases) it(c.reason, () => expect(deps.looksUp!(change('x', c.kind))).toBe(c.want));
});
