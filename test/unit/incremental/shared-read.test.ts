/**
 * The incremental observer's shared read as each family sees it (src/engine/incremental/shared-read.ts
 * roundFor): one round of the union's tables, merged into each family's own rows with its own
 * declaration, refusals passed on, the tokens of an accepted round.
 */
import { describe, expect, it } from 'vitest';
import type { Family } from '../../../src/engine/family.js';
import type { IncrementalReads } from '../../../src/engine/incremental/family-reads.js';
import { refusals, roundFor, roundTokens, type TablesRound } from '../../../src/engine/incremental/shared-read.js';
import type { Snapshot } from '../../../src/engine/incremental/snapshot-store.js';
import { eq, type Table } from '../../../src/engine/tables/table.js';

type Row = { id: string; kind: string; v?: number };
const table = (name: string, filter: Table['filter'], mode: Table['mode'] = 'change-tracked'): Table => ({
  name, service: 'dataverse', path: name, key: 'id', columns: ['id', 'kind', 'v'], mode, field: name, ...(filter ? { filter } : {}),
});
const deleted = (id: string) => ({ '@odata.context': 'https://x/api/data/v9.2/$metadata#things/$deletedEntity', id, reason: 'deleted' });
const SNAPSHOT = {} as Snapshot;

/** A family that declares `tables` and kept `stored` rows of them in its last observation. */
function family(tables: Table[], stored: Record<string, Row[]>): { family: Family; reads: IncrementalReads<unknown> } {
  const reads: IncrementalReads<unknown> = {
    openTokens: () => Promise.resolve({}),
    fullRead: () => Promise.reject(new Error('not used')),
    incrementalRead: () => Promise.reject(new Error('not used')),
    snapshotRows: () => new Map(Object.entries(stored)),
  };
  return { family: { name: 'f', tables, incremental: reads } as unknown as Family, reads };
}

const THINGS_A = table('things', eq('kind', 'a'));
const THINGS_B = table('things', eq('kind', 'b'));
const SKUS = table('skus', undefined, 'full');

const round = (items: unknown[], full: Row[] = []): TablesRound => ({
  tracked: [{ table: table('things', undefined), result: { ok: true, round: { items, deltaLink: 'next-things', pages: 1 } } }],
  full: new Map([['skus', full]]),
});

describe('roundFor: one round, each family its own rows', () => {
  const cases = [
    {
      reason: 'a changed row that passes both filters reaches both families',
      changes: [{ id: '1', kind: 'a', v: 2 }],
      a: [{ id: '1', kind: 'a', v: 2 }],
      b: [{ id: '2', kind: 'b' }],
    },
    {
      reason: 'a row that moves from one filter to the other leaves one family and joins the other',
      changes: [{ id: '1', kind: 'b' }],
      a: [],
      b: [{ id: '1', kind: 'b' }, { id: '2', kind: 'b' }],
    },
    {
      reason: 'a deleted row leaves the family that had it, and the other is unchanged',
      changes: [deleted('2')],
      a: [{ id: '1', kind: 'a' }],
      b: [],
    },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      const shared = round(c.changes);
      const fa = family([THINGS_A], { things: [{ id: '1', kind: 'a' }] });
      const fb = family([THINGS_B], { things: [{ id: '2', kind: 'b' }] });
      const ra = roundFor(shared, fa.family, fa.reads, SNAPSHOT);
      const rb = roundFor(shared, fb.family, fb.reads, SNAPSHOT);
      expect(ra.ok && ra.rows.get('things')).toEqual(c.a);
      expect(rb.ok && rb.rows.get('things')).toEqual(c.b);
      expect(ra.ok && ra.changes.get('things')).toEqual(c.changes);
    });
  }

  it("gives a family the rows its own filter keeps of a `full` table, and none of a table it does not declare", () => {
    const f = family([table('skus', eq('kind', 'a'), 'full')], {});
    const r = roundFor(round([], [{ id: 's1', kind: 'a' }, { id: 's2', kind: 'b' }]), f.family, f.reads, SNAPSHOT);
    expect(r.ok && r.rows.get('skus')).toEqual([{ id: 's1', kind: 'a' }]);
    expect(r.ok && r.rows.has('things')).toBe(false);
    const g = family([SKUS], {});
    const unfiltered = roundFor(round([], [{ id: 's1', kind: 'a' }, { id: 's2', kind: 'b' }]), g.family, g.reads, SNAPSHOT);
    expect(unfiltered.ok && unfiltered.rows.get('skus')).toEqual([{ id: 's1', kind: 'a' }, { id: 's2', kind: 'b' }]);
  });

  it('throws when a family kept no rows of a change-tracked table it declares (a programming error)', () => {
    const f = family([THINGS_A], {});
    expect(() => roundFor(round([]), f.family, f.reads, SNAPSHOT)).toThrow('the f family kept no things rows in the snapshot');
  });

  it('passes every refused token on, in table order, and merges nothing', () => {
    const refused: TablesRound = {
      tracked: [
        { table: table('users', undefined, 'delta'), result: { ok: false, status: 410, reason: '410 syncStateNotFound' } },
        { table: table('things', undefined), result: { ok: false, status: 400, reason: '400 bad token' } },
      ],
      full: new Map(),
    };
    const expected = [
      { table: 'users', mode: 'delta', reason: '410 syncStateNotFound' },
      { table: 'things', mode: 'change-tracked', reason: '400 bad token' },
    ];
    expect(refusals(refused)).toEqual(expected);
    const f = family([THINGS_A], { things: [] });
    expect(roundFor(refused, f.family, f.reads, SNAPSHOT)).toEqual({ ok: false, refused: expected });
  });

  it('takes the new deltaLink of every accepted token', () => {
    expect(roundTokens(round([]))).toEqual({ things: 'next-things' });
  });
});
