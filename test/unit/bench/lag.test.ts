/**
 * The replication-lag figures of the benchmark (bench/lag.ts): the onboarding apply with lag against
 * the same apply without it, from the simulator's request log (packages/tenant-sim/docs/simulator.md, GET /_sim/requests).
 * Under lag, references to new guests are answered 404 / 400 "…do not exist" (packages/tenant-sim/docs/simulator-graph.md
 * "Replication lag") and sent again in new envelopes.
 */
import { describe, expect, it } from 'vitest';
import { countRequests } from '../../../bench/counts.js';
import { lagFigures } from '../../../bench/lag.js';
import type { RequestLogEntry } from 'tenant-sim';

const inner = (method: string, path: string, status: number): { method: string; path: string; status: number } => ({ method, path, status });
const batch = (...parts: ReturnType<typeof inner>[]): RequestLogEntry => ({ service: 'graph', method: 'POST', path: '/$batch', status: 200, inner: parts });

const withoutLag: RequestLogEntry[] = [
  { service: 'graph', method: 'GET', path: '/users?$top=999', status: 200 },
  batch(inner('POST', '/invitations', 201), inner('POST', '/invitations', 201)),
  batch(inner('PATCH', '/users/a', 204), inner('POST', '/groups/g/members/$ref', 204), inner('PATCH', '/users/b', 204), inner('POST', '/groups/g/members/$ref', 204)),
  { service: 'dataverse', method: 'POST', path: '$batch', status: 200, inner: [inner('PATCH', 'contacts(1)', 204)] },
];
const withLag: RequestLogEntry[] = [
  ...withoutLag.slice(0, 2),
  batch(inner('PATCH', '/users/a', 404), inner('POST', '/groups/g/members/$ref', 400), inner('PATCH', '/users/b', 204), inner('POST', '/groups/g/members/$ref', 204)),
  batch(inner('PATCH', '/users/a', 404), inner('POST', '/groups/g/members/$ref', 204)),
  batch(inner('PATCH', '/users/a', 204)),
  withoutLag[3]!,
];

describe('lagFigures', () => {
  it('extra requests and write operations are the lag run minus the run without lag; "not replicated" answers are counted; envelopes against the bound', () => {
    const f = lagFigures(2000, { counts: countRequests(withoutLag), wallMs: 10_000, boundGraphEnvelopes: 2 }, { counts: countRequests(withLag), wallMs: 13_500, boundGraphEnvelopes: 2 });
    expect(f).toEqual({
      lagMs: 2000,
      extraRequests: { graph: 2, dataverse: 0 },
      extraGraphWriteOps: 3,
      notReplicated: 3,
      graphWriteEnvelopes: { sent: 4, bound: 2 },
      wallMs: { without: 10_000, with: 13_500 },
    });
  });

  it('the same log twice costs nothing extra', () => {
    const same = { counts: countRequests(withoutLag), wallMs: 1, boundGraphEnvelopes: 2 };
    expect(lagFigures(500, same, same)).toMatchObject({ extraRequests: { graph: 0, dataverse: 0 }, extraGraphWriteOps: 0, notReplicated: 0 });
  });
});
