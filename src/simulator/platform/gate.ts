/**
 * The simulator's RequestGate: every top-level request and every inner Graph $batch request passes
 * here before its handler (server.ts). Order, per request:
 *   1. Dataverse: take a concurrency slot, or 429 0x80072326 at once (facts §11: "fails immediately").
 *   2. The injected latency (the slot stays held, as a slow server holds it).
 *   3. Injected faults (seeded 429 / 503); a faulted request uses no budget.
 *   4. Service protection: Graph's write budget per app, Dataverse's request window per user.
 * `release()` (called when the response is ready) frees the concurrency slot.
 */
import type { RequestGate, GateDecision } from '../platform.js';
import type { ServiceName, SimRequest } from '../types.js';
import { FaultInjector, mergeFaults } from './faults.js';
import { DataverseProtection, GraphWriteBudget, mergeLimits } from './limits.js';

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** A Graph write: POST/PATCH/PUT/DELETE, except the $batch envelope (its inner requests count). */
export function isGraphWrite(request: SimRequest): boolean {
  if (!WRITE_METHODS.has(request.method.toUpperCase())) return false;
  return request.inner || request.path.replace(/\/+$/, '') !== '/$batch';
}

function servicesIn(body: unknown, what: string): [ServiceName, unknown][] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`the ${what} body must be an object`);
  return Object.entries(body).map(([key, value]) => {
    if (key !== 'graph' && key !== 'dataverse') throw new Error(`${what}: unknown service "${key}" (graph, dataverse)`);
    return [key, value];
  });
}

export interface PlatformGateOptions {
  /** Start with the service-protection limits switched off (tenant-sim --no-limits). */
  limitsEnabled?: boolean;
  /** Latency for both services at start (tenant-sim --latency-ms). */
  latencyMs?: number;
  /** Graph's replication lag at start (tenant-sim --replication-lag-ms; replication.ts). */
  replicationLagMs?: number;
  now?: () => number;
}

export class PlatformGate implements RequestGate {
  readonly faults = { graph: new FaultInjector('graph'), dataverse: new FaultInjector('dataverse') };
  readonly graphBudget = new GraphWriteBudget();
  readonly dataverseProtection = new DataverseProtection();
  private readonly now: () => number;

  constructor(options: PlatformGateOptions = {}) {
    this.now = options.now ?? Date.now;
    if (options.limitsEnabled === false) this.setLimits({ graph: { enabled: false }, dataverse: { enabled: false } });
    if (options.latencyMs !== undefined) this.setFaults({ graph: { latencyMs: options.latencyMs }, dataverse: { latencyMs: options.latencyMs } });
    if (options.replicationLagMs !== undefined) this.setFaults({ graph: { replicationLagMs: options.replicationLagMs } });
  }

  async enter(service: ServiceName, request: SimRequest): Promise<GateDecision> {
    const principal = `${request.claims.tid}/${request.claims.appid}`;
    let release = (): void => undefined;
    if (service === 'dataverse') {
      const refused = this.dataverseProtection.acquire(principal);
      if (refused) return { reject: refused, release };
      let released = false;
      release = () => {
        if (released) return;
        released = true;
        this.dataverseProtection.release(principal);
      };
    }
    const faults = this.faults[service];
    await faults.delay();
    const dv = this.dataverseProtection.settings;
    const fault = faults.draw({ limit: dv.requestsPerWindow, windowMs: dv.windowMs });
    if (fault) return { reject: fault, release };
    const now = this.now();
    const throttled = service === 'graph'
      ? (isGraphWrite(request) ? this.graphBudget.admit(principal, now) : undefined)
      : this.dataverseProtection.admit(principal, now);
    if (throttled) return { reject: throttled, release };
    if (service === 'graph') faults.bindReplication(request);
    return { release };
  }

  /** PUT /_sim/faults: `{ "graph": {…}, "dataverse": {…} }`; a service left out keeps its settings. */
  setFaults(body: unknown): void {
    const parts = servicesIn(body, 'faults');
    // Validate every part before applying any, so a bad body changes nothing.
    for (const [service, patch] of parts) mergeFaults(this.faults[service].settings, patch, service);
    for (const [service, patch] of parts) this.faults[service].configure(patch);
  }

  /** PUT /_sim/limits: same shape; a service named starts fresh windows and counters. */
  setLimits(body: unknown): void {
    const parts = servicesIn(body, 'limits');
    for (const [service, patch] of parts) {
      if (service === 'graph') mergeLimits(this.graphBudget.settings, patch, service);
      else mergeLimits(this.dataverseProtection.settings, patch, service);
    }
    for (const [service, patch] of parts) {
      if (service === 'graph') this.graphBudget.configure(patch);
      else this.dataverseProtection.configure(patch);
    }
  }

  describe(): unknown {
    const now = this.now();
    return {
      faults: { graph: { ...this.faults.graph.settings }, dataverse: { ...this.faults.dataverse.settings } },
      limits: { graph: { ...this.graphBudget.settings }, dataverse: { ...this.dataverseProtection.settings } },
      usage: {
        graph: { ...this.graphBudget.usage(now), ...this.faults.graph.counters },
        dataverse: { ...this.dataverseProtection.usage(now), ...this.faults.dataverse.counters },
      },
    };
  }
}
