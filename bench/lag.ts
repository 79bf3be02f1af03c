/**
 * What Entra's replication lag costs the onboarding scenario (docs/benchmarks.md "Replication lag"):
 * its first apply run again in a fresh simulator started with `--replication-lag-ms N`
 * (packages/tenant-sim/docs/simulator-graph.md "Replication lag"), compared with the same apply without lag and with the
 * lower bound. Right after the invitations the new guests are "Not Found" for a moment, so the
 * client sends those references again (src/clients/replication-policy.ts); the extra requests are
 * the figure. Pure functions, unit tested in test/unit/bench/lag.test.ts.
 */
import { requestsSent, type Counts } from './counts.js';
import type { Service } from './lower-bound.js';

export interface LagFigures {
  lagMs: number;
  /** Requests sent (direct + envelopes), with lag minus without. */
  extraRequests: Record<Service, number>;
  /** Graph write operations sent (direct and inner, every attempt), with lag minus without. */
  extraGraphWriteOps: number;
  /** Graph answers that said "not replicated yet" (404, or 400 on a member add), with lag minus without. */
  notReplicated: number;
  /** Graph write envelopes of the lag run (re-sends after 429 excluded) and the bound. */
  graphWriteEnvelopes: { sent: number; bound: number };
  wallMs: { without: number; with: number };
}

export interface PhaseCounts {
  counts: Counts;
  wallMs: number;
  boundGraphEnvelopes: number;
}

/** 404 and 400 answers of the phase; without lag the onboarding run has none (its checks say so). */
function refusals(c: Counts): number {
  return (c.graph.errors['404'] ?? 0) + (c.graph.errors['400'] ?? 0);
}

export function lagFigures(lagMs: number, without: PhaseCounts, withLag: PhaseCounts): LagFigures {
  const g = withLag.counts.graph;
  return {
    lagMs,
    extraRequests: {
      graph: requestsSent(g) - requestsSent(without.counts.graph),
      dataverse: requestsSent(withLag.counts.dataverse) - requestsSent(without.counts.dataverse),
    },
    extraGraphWriteOps: g.writeOps - without.counts.graph.writeOps,
    notReplicated: refusals(withLag.counts) - refusals(without.counts),
    graphWriteEnvelopes: { sent: g.writeEnvelopes - g.writeEnvelopesAfter429, bound: withLag.boundGraphEnvelopes },
    wallMs: { without: without.wallMs, with: withLag.wallMs },
  };
}
