/**
 * The benchmark's lower bound (bench/lower-bound.ts). Page maxima: Graph 999
 * (learn.microsoft.com/graph/api/group-list-members, learn.microsoft.com/graph/paging), Dataverse
 * 5,000 (learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview); batch
 * maxima: Graph 20 (learn.microsoft.com/graph/json-batching), Dataverse 1,000
 * (learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api);
 * the write window: 3,000 per 150 s (learn.microsoft.com/graph/throttling).
 */
import { describe, expect, it } from 'vitest';
import { depths, minimumWriteTimeMs, minimumWriteTimeWithInvitesMs, pagesFor, ratio, readBound, writeBound, writeRate, type NeededChange } from '../../../bench/lower-bound.js';

const c = (contactId: string, kind: NeededChange['kind'], service: NeededChange['service']): NeededChange => ({ contactId, kind, service });

/** The first apply of a new technician: five changes (src/engine/plan.ts DEPENDENCIES). */
function newTechnician(id: string): NeededChange[] {
  return [c(id, 'user.invite', 'graph'), c(id, 'contact.anchor', 'dataverse'), c(id, 'user.update', 'graph'), c(id, 'licence.assign', 'graph'), c(id, 'group.add', 'graph')];
}

describe('pagesFor', () => {
  it.each([
    { rows: 0, max: 999, pages: 1, reason: 'an empty collection still costs the request that finds it empty' },
    { rows: 999, max: 999, pages: 1, reason: 'exactly one full Graph page' },
    { rows: 1000, max: 999, pages: 2, reason: 'one row over the Graph maximum needs a second page' },
    { rows: 10_000, max: 999, pages: 11, reason: '10,000 guests in pages of 999' },
    { rows: 10_000, max: 5000, pages: 2, reason: '10,000 contacts in Dataverse pages of 5,000' },
    { rows: 100_001, max: 5000, pages: 21, reason: 'a partial last page counts' },
  ])('$rows rows, pages of $max → $pages ($reason)', ({ rows, max, pages }) => {
    expect(pagesFor(rows, max)).toBe(pages);
  });

  it('refuses impossible inputs', () => {
    expect(() => pagesFor(-1, 10)).toThrow(/rows/);
    expect(() => pagesFor(10, 0)).toThrow(/pageMax/);
  });
});

describe('readBound', () => {
  it('sums pages per service and adds the pre-invite look-ups in envelopes of 20 and the staff-account checks 15 emails a read', () => {
    const bound = readBound(
      [
        { service: 'graph', name: 'users', rows: 10_000 },
        { service: 'graph', name: 'members', rows: 10_000 },
        { service: 'graph', name: 'skus', rows: 2, pageMax: 1000 },
        { service: 'dataverse', name: 'contacts', rows: 12_000 },
        { service: 'dataverse', name: 'characteristics', rows: 6 },
      ],
      41,
    );
    expect(bound).toEqual({
      graph: 11 + 11 + 1 + 3 + 3,
      dataverse: 3 + 1,
      lookupEnvelopes: 3 + 3,
      collections: [
        { service: 'graph', name: 'users', rows: 10_000, pages: 11 },
        { service: 'graph', name: 'members', rows: 10_000, pages: 11 },
        { service: 'graph', name: 'skus', rows: 2, pages: 1 },
        { service: 'dataverse', name: 'contacts', rows: 12_000, pages: 3 },
        { service: 'dataverse', name: 'characteristics', rows: 6, pages: 1 },
      ],
    });
  });
});

describe('depths (the dependency table of src/engine/plan.ts)', () => {
  it('puts a new technician in three waves: invite; anchor, update, group; licence', () => {
    expect(depths(newTechnician('a'))).toEqual([0, 1, 1, 2, 1]);
  });

  it('gives a change no depth for a dependency that is not planned', () => {
    // An existing user without its licence: licence.assign depends on user.update only when planned.
    expect(depths([c('a', 'licence.assign', 'graph'), c('b', 'user.update', 'graph')])).toEqual([0, 0]);
  });

  it('never links changes of different contacts', () => {
    expect(depths([c('a', 'user.invite', 'graph'), c('b', 'user.update', 'graph')])).toEqual([0, 0]);
  });

  it('puts characteristics after the bookable resource they hang on', () => {
    expect(depths([c('a', 'bookableresource.create', 'dataverse'), c('a', 'characteristic.create', 'dataverse'), c('a', 'contact.link', 'dataverse')])).toEqual([0, 1, 1]);
  });

  it('detects a cycle in a dependency table', () => {
    expect(() => depths([c('a', 'user.invite', 'graph'), c('a', 'user.update', 'graph')], { 'user.invite': ['user.update'], 'user.update': ['user.invite'] })).toThrow(/cycle/);
  });
});

describe('writeBound', () => {
  it('packs each wave of each service into the fewest envelopes and adds the status writes last', () => {
    const changes = Array.from({ length: 2000 }, (_, i) => newTechnician(`c${i}`)).flat();
    expect(writeBound(changes, 2000)).toEqual({
      // Graph: 2,000 each of invite, update and licence, and 2,000 group adds in 100 PATCHes of 20.
      operations: { graph: 6100, dataverse: 4000 },
      // Graph: invites 100; updates 100 (the group adds go as PATCHes, outside $batch); licences 100.
      // Dataverse: anchors 2; statuses 2.
      envelopes: { graph: 300, dataverse: 4 },
      waves: 4,
    });
  });

  it('needs nothing when nothing changes', () => {
    expect(writeBound([], 0)).toEqual({ operations: { graph: 0, dataverse: 0 }, envelopes: { graph: 0, dataverse: 0 }, waves: 0 });
  });

  it('does not round a partial envelope per contact: 21 independent Graph writes take 2 envelopes', () => {
    const changes = Array.from({ length: 21 }, (_, i) => c(`c${i}`, 'user.update', 'graph'));
    expect(writeBound(changes, 0).envelopes).toEqual({ graph: 2, dataverse: 0 });
  });

  it('counts a wave of 21 group adds as two PATCH writes outside any envelope', () => {
    const changes = Array.from({ length: 21 }, (_, i) => c(`c${i}`, 'group.add', 'graph'));
    expect(writeBound(changes, 0)).toEqual({ operations: { graph: 2, dataverse: 0 }, envelopes: { graph: 0, dataverse: 0 }, waves: 1 });
  });

  it('sends a lone group add as a single add: one write in one envelope', () => {
    expect(writeBound([c('a', 'group.add', 'graph')], 0)).toEqual({ operations: { graph: 1, dataverse: 0 }, envelopes: { graph: 1, dataverse: 0 }, waves: 1 });
  });
});

describe('write rate against a sliding-window limit (learn.microsoft.com/graph/throttling: 3,000 writes per 150 s)', () => {
  const limit = { writes: 3000, windowMs: 150_000 };

  it.each([
    { n: 0, ms: 0, reason: 'no writes' },
    { n: 3000, ms: 0, reason: 'one full budget goes at once' },
    { n: 3001, ms: 150_000, reason: 'one write over the budget waits a whole window' },
    { n: 6000, ms: 150_000, reason: 'two budgets: one wait' },
    { n: 8000, ms: 300_000, reason: '2,000 onboardings at four Graph writes each' },
  ])('$n writes need at least $ms ms ($reason)', ({ n, ms }) => {
    expect(minimumWriteTimeMs(n, limit)).toBe(ms);
  });

  it('is not limit-bound when one budget covers the writes', () => {
    expect(writeRate(2000, 9000, limit)).toEqual({ limitBound: false, writes: 2000, budget: 3000 });
  });

  it('is the shortest allowed time over the time taken when limit-bound', () => {
    expect(writeRate(8000, 320_000, limit)).toEqual({ limitBound: true, writes: 8000, minimumMs: 300_000, actualMs: 320_000, share: 0.9375 });
  });

  it('never claims more than 100%', () => {
    expect(writeRate(8000, 100, limit)).toMatchObject({ share: 1 });
  });
});

describe('ratio', () => {
  it('is 1 for 0 of 0, infinite for something over a bound of 0', () => {
    expect(ratio(0, 0)).toBe(1);
    expect(ratio(1, 0)).toBe(Infinity);
    expect(ratio(24, 23)).toBeCloseTo(1.0435, 4);
  });
});

describe('minimumWriteTimeWithInvitesMs (the write limit and the invitation limit together)', () => {
  const small = { writes: 600, windowMs: 30_000 };
  const cases: { reason: string; n: number; invites: number; ms: number }[] = [
    { reason: 'no invitation: the write limit alone', n: 800, invites: 0, ms: 30_000 },
    { reason: 'few invitations: neither limit binds', n: 400, invites: 100, ms: 0 },
    { reason: '200 invitations: 150 go at once, 50 after 5 s; the last dependents wait for the write window', n: 800, invites: 200, ms: 30_000 },
    { reason: 'invitations alone over the invitation limit: one more invitation window', n: 151, invites: 151, ms: 5_000 },
    { reason: '600 invitations and nothing else: four invitation windows (the write budget holds them)', n: 600, invites: 600, ms: 15_000 },
  ];
  for (const tc of cases) it(tc.reason, () => expect(minimumWriteTimeWithInvitesMs(tc.n, tc.invites, small)).toBe(tc.ms));

  it('never less than the write limit alone', () => {
    for (const [n, invites] of [[2000, 500], [8000, 2000], [12_000, 3000]] as const) {
      expect(minimumWriteTimeWithInvitesMs(n, invites, { writes: 3000, windowMs: 150_000 })).toBeGreaterThanOrEqual(minimumWriteTimeMs(n, { writes: 3000, windowMs: 150_000 }));
    }
  });
});
