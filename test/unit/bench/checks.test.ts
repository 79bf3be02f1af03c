import { describe, expect, it } from 'vitest';
import type { Counts } from '../../../bench/counts.js';
import type { WriteRate } from '../../../bench/lower-bound.js';
import { collectionsOf, graphWritesPerTechnicianCheck, writeTimeCheck, type PhaseResult } from '../../../bench/scenarios.js';
import { readBound } from '../../../bench/lower-bound.js';
import { GROUP_ID } from '../../../bench/fixtures.js';

// Only the fields the two checks read; the rest of a phase is the bench's own bookkeeping.
function phase(graphWritesAnswered: number, rate: WriteRate): PhaseResult {
  const counts = { graph: { writesAnswered: graphWritesAnswered } } as unknown as Counts;
  return { name: 'apply 1', counts, graphWriteRate: rate } as unknown as PhaseResult;
}

const notBound: WriteRate = { limitBound: false, writes: 10, budget: 600 };

describe('graphWritesPerTechnicianCheck', () => {
  it.each([
    { reason: 'direct mode: invite, update, licence and a twentieth of a PATCH', writes: [610, 0], added: 200, ok: true, per: '3.050' },
    { reason: 'one group add per technician (no PATCH) is over the target', writes: [800, 0], added: 200, ok: false, per: '4.000' },
    { reason: 'writes of every phase count', writes: [600, 20], added: 200, ok: false, per: '3.100' },
  ])('$reason', ({ writes, added, ok, per }) => {
    const c = graphWritesPerTechnicianCheck(writes.map((w) => phase(w, notBound)), added, 3.05);
    expect(c.ok).toBe(ok);
    expect(c.detail).toContain(`= ${per}`);
  });
});

describe('writeTimeCheck', () => {
  it.each([
    { reason: 'within 1.1× of the best time', actualMs: 1650, ok: true },
    { reason: 'just over 1.1×', actualMs: 1651, ok: false },
  ])('$reason', ({ actualMs, ok }) => {
    const c = writeTimeCheck(phase(0, { limitBound: true, writes: 30, minimumMs: 1500, actualMs, share: 1500 / actualMs }), 1.1);
    expect(c.ok).toBe(ok);
    expect(c.target).toBe('apply time ≤ 1.1× what the Graph write limit allows (apply 1)');
  });

  it('passes a phase one window covers and says it is not limit-bound', () => {
    const c = writeTimeCheck(phase(0, notBound), 1.1);
    expect(c).toMatchObject({ ok: true, detail: "not limit-bound: 10 writes fit one window's budget of 600" });
  });
});

describe('collectionsOf', () => {
  it('counts the GET of the technician group (its name for the report) beside its members, one read', () => {
    const members = Array.from({ length: 1000 }, (_, i) => `u${i}`);
    const collections = collectionsOf({ graph: { users: [], groups: [{ id: GROUP_ID, displayName: 'Technicians', members }], subscribedSkus: [] }, dataverse: {} });
    expect(collections.filter((c) => c.name.startsWith('technician group') || c.name === 'group members')).toEqual([
      { service: 'graph', name: 'group members', rows: 1000 },
      { service: 'graph', name: 'technician group', rows: 1 },
    ]);
    // users 1 + members 2 + group 1 + SKUs 1.
    expect(readBound(collections, 0).graph).toBe(5);
  });
});
