/**
 * Conformance: the replication-lag model itself, on a fake clock (src/platform/
 * replication.ts; docs/simulator-graph.md "Replication lag"). Sources: Learn group-post-members
 * (note: "it can take a short time for the object to fully replicate across Microsoft Entra ID
 * directory replicas"), aad-advanced-queries ("the response will be eventually consistent", the
 * advanced index is a separate store) and the Entra guidance it links, "Designing for Eventual
 * Consistency for Microsoft Entra" (a new object can be "Not Found"; membership replicates too).
 * The docs give no figure: each write's lag is drawn from the seeded PRNG between half and all of
 * replicationLagMs (simulator choice), advanced queries lag twice as long, and the same seed with the
 * same writes gives the same lags, like the other faults.
 */
import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../src/platform/faults.js';
import { ADVANCED_LAG_FACTOR, noteMembershipChange, noteUserCreated, replicaView } from '../../src/platform/replication.js';
import { stateFromFixture } from '../../src/state.js';
import type { SimRequest, SimState } from '../../src/types.js';

const LAG = 1000;
const G = 'a9000000-0000-0000-0000-000000000001';
const OLD = 'eeeeeeee-0000-0000-0000-000000000001';
const ids = Array.from({ length: 8 }, (_, i) => `dddddddd-0000-0000-0000-${String(i + 1).padStart(12, '0')}`);

function request(): SimRequest {
  return { service: 'graph', method: 'GET', path: '/users', rawQuery: '', headers: {}, body: '', claims: { aud: '', tid: '', appid: '', roles: [], exp: 0 }, inner: false };
}

/** A request admitted by a gate with these fault settings (the gate binds each one it lets through). */
function admitted(faults: FaultInjector): SimRequest {
  const req = request();
  faults.bindReplication(req);
  return req;
}

function newState(): SimState {
  return stateFromFixture({ graph: { users: [{ id: OLD }], groups: [{ id: G, members: [OLD] }] } });
}

/** The first whole 10 ms at which a read sees each user (created at t = 0). */
function visibleTimes(seed: number, advanced = false): number[] {
  const faults = new FaultInjector('graph');
  faults.configure({ replicationLagMs: LAG, seed });
  const state = newState();
  for (const id of ids) noteUserCreated(admitted(faults), state, id, 0);
  const reader = admitted(faults);
  return ids.map((id) => {
    for (let t = 0; t <= 3 * LAG; t += 10) if (replicaView(reader, state, t, advanced).sees(id)) return t;
    return Infinity;
  });
}

describe('replication lag: the model (seeded, fake clock)', () => {
  it('each new object becomes visible between half and all of replicationLagMs after its write, and stays visible', () => {
    const times = visibleTimes(7);
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(LAG / 2);
      expect(t).toBeLessThanOrEqual(LAG + 10);
    }
    // Not one fixed delay: the seeded draw spreads them.
    expect(new Set(times).size).toBeGreaterThan(1);
  });

  it('the same seed and the same writes give the same lags; another seed other lags', () => {
    expect(visibleTimes(7)).toEqual(visibleTimes(7));
    expect(visibleTimes(8)).not.toEqual(visibleTimes(7));
  });

  it(`advanced queries (ConsistencyLevel: eventual) see each object ${ADVANCED_LAG_FACTOR}× later (aad-advanced-queries: separate, eventually consistent index)`, () => {
    const plain = visibleTimes(7);
    const advanced = visibleTimes(7, true);
    advanced.forEach((t, i) => expect(Math.abs(t - ADVANCED_LAG_FACTOR * plain[i]!)).toBeLessThanOrEqual(20));
  });

  it('objects from the fixture, and every object once the lag is switched off (replicationLagMs 0) or without a platform gate, are visible at once', () => {
    const faults = new FaultInjector('graph');
    faults.configure({ replicationLagMs: LAG });
    const state = newState();
    noteUserCreated(admitted(faults), state, ids[0]!, 0);
    expect(replicaView(admitted(faults), state, 1).sees(OLD)).toBe(true);
    expect(replicaView(admitted(faults), state, 1).sees(ids[0]!)).toBe(false);
    expect(replicaView(request(), state, 1).sees(ids[0]!)).toBe(true);
    faults.configure({ replicationLagMs: 0 });
    expect(replicaView(admitted(faults), state, 1).sees(ids[0]!)).toBe(true);
  });

  it('a membership change shows in reads only once replicated; a second change while the first replicates keeps the state before the first', () => {
    const faults = new FaultInjector('graph');
    faults.configure({ replicationLagMs: LAG, seed: 3 });
    const state = newState();
    const group = state.graph.groups.get(G)!;
    const other = 'eeeeeeee-0000-0000-0000-000000000002';
    state.graph.users.set(other, { id: other });
    group.members.add(other);
    noteMembershipChange(admitted(faults), state, G, other, false, 0);
    group.members.delete(OLD);
    noteMembershipChange(admitted(faults), state, G, OLD, true, 0);
    expect(replicaView(admitted(faults), state, 100).members(group)).toEqual([OLD]);
    expect(replicaView(admitted(faults), state, LAG + 1).members(group)).toEqual([other]);
    // Removed then added back within the lag: reads never saw it go.
    group.members.delete(other);
    noteMembershipChange(admitted(faults), state, G, other, true, 2 * LAG);
    group.members.add(other);
    noteMembershipChange(admitted(faults), state, G, other, false, 2 * LAG + 100);
    expect(replicaView(admitted(faults), state, 2 * LAG + 200).members(group)).toEqual([other]);
  });

  it('switching the lag on does not move the seeded 429/503 draws (a separate PRNG stream)', () => {
    const draws = (lag: number): (number | undefined)[] => {
      const faults = new FaultInjector('graph');
      faults.configure({ rate429: 0.3, rate503: 0.2, seed: 42, replicationLagMs: lag });
      const state = newState();
      return Array.from({ length: 30 }, (_, i) => {
        noteUserCreated(admitted(faults), state, ids[i % ids.length]!, i);
        return faults.draw({ limit: 6000, windowMs: 300_000 })?.status;
      });
    };
    expect(draws(LAG)).toEqual(draws(0));
  });
});
