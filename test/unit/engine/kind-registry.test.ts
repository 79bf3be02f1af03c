/**
 * src/engine/kind-registry.ts: the registry comes from the kinds of the families it is given (the
 * core imports no family), so a second family's kinds join the order, the removals and the labels,
 * a kind no given family declares is refused, and one families list gives one registry.
 */
import { describe, expect, it } from 'vitest';
import type { Family, FamilyKind } from '../../../src/engine/family.js';
import type { KindSpec } from '../../../src/engine/kind-registry.js';
import { kindRegistryOf } from '../../../src/engine/kind-registry.js';
import type { Change, ChangeKind } from '../../../src/model/plan.js';
import { techniciansFamily } from '../../../reconcilers/technicians/family.js';

const spec = (kind: string, runsAfter: string[], removal: boolean): KindSpec => ({
  kind: kind as ChangeKind,
  label: `Label of ${kind}`,
  runsAfter: runsAfter as ChangeKind[],
  removal,
  consumes: (change: Change) => (kind === 'seat.take' ? { pool: String(change.after?.pool), units: 1 } : null),
  toRequest: () => ({ method: 'POST', url: `/${kind}` }),
  effect: (model) => ({ model }),
});

/** A second family whose one kind waits for the technicians' invitation. */
const seats: FamilyKind = { name: 'seat', changes: [spec('seat.take', ['user.invite'], false), spec('seat.release', [], true)], diff: () => [] };
const seatsFamily: Family = { ...(techniciansFamily as Family), name: 'seats', tables: [], kinds: [seats] };

describe('kindRegistryOf', () => {
  const families: readonly Family[] = [techniciansFamily as Family, seatsFamily];
  const registry = kindRegistryOf(families);

  it("appends a second family's change kinds to the order, after what they wait for", () => {
    expect(registry.order.slice(-2)).toEqual(['seat.take', 'seat.release']);
    // The technicians' kinds and the seats'.
    expect(registry.order.length).toBe(kindRegistryOf([techniciansFamily as Family]).order.length + 2);
    expect(registry.dependencies['seat.take' as ChangeKind]).toEqual(['user.invite']);
  });

  it("counts its removals with the technicians' and labels its kinds", () => {
    expect([...registry.removals].sort()).toEqual(['bookableresource.deactivate', 'group.remove', 'licence.remove', 'seat.release', 'user.disable']);
    expect(registry.labels['seat.take' as ChangeKind]).toBe('Label of seat.take');
  });

  it('finds a change kind only among the given families', () => {
    expect(registry.spec('seat.take' as ChangeKind).toRequest({} as Change, () => undefined, {} as never)).toEqual({ method: 'POST', url: '/seat.take' });
    expect(() => kindRegistryOf([techniciansFamily as Family]).spec('seat.take' as ChangeKind)).toThrow('No kind declares the change kind seat.take.');
  });

  it('reads the capacity a change draws from its kind', () => {
    expect(registry.capacityOf({ kind: 'seat.take', after: { pool: 'p-1' } } as unknown as Change)).toEqual({ pool: 'p-1', units: 1 });
    expect(registry.capacityOf({ kind: 'seat.release', after: null } as unknown as Change)).toBeNull();
  });

  it('derives once per families list', () => {
    expect(kindRegistryOf(families)).toBe(registry);
    expect(kindRegistryOf([...families])).not.toBe(registry);
  });
});
