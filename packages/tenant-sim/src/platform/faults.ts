/**
 * Injected faults, per service: a share of requests answered 429 or 503, and a latency added to
 * every gated request; for Graph also the directory's replication lag (replication.ts). A seeded
 * PRNG (mulberry32) makes a run repeatable: the same seed and the same request order give the same
 * faults. PUT /_sim/faults sets them (docs/simulator.md).
 */
import type { ServiceName, SimRequest, SimResponse } from '../types.js';
import { bindReplication } from './replication.js';
import { dataverseTooManyRequests, graphTooManyRequests, serviceUnavailable } from './responses.js';

export interface FaultSettings {
  /** Share of requests answered 429 (0..1). */
  rate429: number;
  /** Share of requests answered 503 (0..1); rate429 + rate503 ≤ 1. */
  rate503: number;
  /** Added to every gated request, in milliseconds. */
  latencyMs: number;
  seed: number;
  /** Graph only: how long a write may take to reach every read (0: off). replication.ts. */
  replicationLagMs?: number;
}

export const DEFAULT_FAULTS: FaultSettings = { rate429: 0, rate503: 0, latencyMs: 0, seed: 1 };

/** Settings only Graph has: Entra's directory replicates; Dataverse's store is not simulated as lagging. */
const GRAPH_ONLY: Required<Pick<FaultSettings, 'replicationLagMs'>> = { replicationLagMs: 0 };

/** The largest replication lag accepted, in ms (10 minutes: far beyond the seconds the docs speak of). */
export const MAX_REPLICATION_LAG_MS = 600_000;

/** The replication PRNG runs apart from the 429/503 one, so switching lag on never moves those faults. */
const REPLICATION_SEED_SALT = 0x9e3779b9;

/** Retry-After of an injected 429 or 503, in seconds: small, so chaos tests stay fast. */
export const INJECTED_RETRY_AFTER_S = 1;

/** mulberry32: a tiny, well-mixed 32-bit PRNG; returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Validates one service's part of a PUT /_sim/faults body, merged over its current settings. */
export function mergeFaults(current: FaultSettings, patch: unknown, service: ServiceName): FaultSettings {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new Error(`faults.${service} must be an object`);
  const next = { ...current };
  const known = service === 'graph' ? { ...DEFAULT_FAULTS, ...GRAPH_ONLY } : DEFAULT_FAULTS;
  for (const [key, value] of Object.entries(patch)) {
    if (key in GRAPH_ONLY && service !== 'graph') throw new Error(`faults.${service}.${key}: replication lag is simulated for Graph (Entra) only`);
    if (!(key in known)) throw new Error(`faults.${service}.${key} is not a fault setting (${Object.keys(known).join(', ')})`);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`faults.${service}.${key} must be a number`);
    next[key as keyof FaultSettings] = value;
  }
  for (const key of ['rate429', 'rate503'] as const) {
    if (next[key] < 0 || next[key] > 1) throw new Error(`faults.${service}.${key} must be between 0 and 1`);
  }
  if (next.rate429 + next.rate503 > 1) throw new Error(`faults.${service}: rate429 + rate503 must not exceed 1`);
  if (next.latencyMs < 0) throw new Error(`faults.${service}.latencyMs must not be negative`);
  if (!Number.isInteger(next.seed)) throw new Error(`faults.${service}.seed must be a whole number`);
  const lag = next.replicationLagMs;
  if (lag !== undefined && (lag < 0 || lag > MAX_REPLICATION_LAG_MS)) throw new Error(`faults.${service}.replicationLagMs must be between 0 and ${MAX_REPLICATION_LAG_MS}`);
  return next;
}

export interface FaultCounters {
  injected429: number;
  injected503: number;
}

/** One service's fault injector. */
export class FaultInjector {
  settings: FaultSettings;
  readonly counters: FaultCounters = { injected429: 0, injected503: 0 };
  private random = mulberry32(DEFAULT_FAULTS.seed);
  private replicationRandom = mulberry32(DEFAULT_FAULTS.seed ^ REPLICATION_SEED_SALT);

  constructor(private readonly service: ServiceName) {
    this.settings = service === 'graph' ? { ...DEFAULT_FAULTS, ...GRAPH_ONLY } : { ...DEFAULT_FAULTS };
  }

  /** Applies new settings; the PRNGs restart from the seed, so the same body gives the same run. */
  configure(patch: unknown): void {
    this.settings = mergeFaults(this.settings, patch, this.service);
    this.random = mulberry32(this.settings.seed);
    this.replicationRandom = mulberry32(this.settings.seed ^ REPLICATION_SEED_SALT);
  }

  /** Hands the replication lag and its seeded draw to the Graph handlers of this request. */
  bindReplication(request: SimRequest): void {
    const lagMs = this.settings.replicationLagMs ?? 0;
    if (lagMs > 0) bindReplication(request, { lagMs, draw: this.replicationRandom });
  }

  async delay(): Promise<void> {
    const ms = this.settings.latencyMs;
    if (ms > 0) await new Promise<void>((resolve) => setTimeout(resolve, ms));
  }

  /**
   * Draws once per request: a 429, a 503 or nothing. Dataverse's injected 429 uses the requests
   * code with the given window numbers. A 503 carries Retry-After on about half the draws only, so
   * clients must also back off on their own (the docs say Retry-After "may be specified").
   */
  draw(dataverseWindow: { limit: number; windowMs: number }): SimResponse | undefined {
    const { rate429, rate503 } = this.settings;
    if (rate429 === 0 && rate503 === 0) return undefined;
    const u = this.random();
    if (u < rate429) {
      this.counters.injected429 += 1;
      return this.service === 'graph'
        ? graphTooManyRequests(INJECTED_RETRY_AFTER_S)
        : dataverseTooManyRequests(dataverseWindow.limit, dataverseWindow.windowMs, INJECTED_RETRY_AFTER_S);
    }
    if (u < rate429 + rate503) {
      this.counters.injected503 += 1;
      return serviceUnavailable(this.service, this.random() < 0.5 ? INJECTED_RETRY_AFTER_S : null);
    }
    return undefined;
  }
}
