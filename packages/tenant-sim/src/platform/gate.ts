/**
 * The simulator's RequestGate: every top-level request and every inner Graph $batch request passes
 * here before its handler (server.ts). Order, per request:
 *   1. Dataverse: take a concurrency slot, or 429 0x80072326 at once
 *   (learn.microsoft.com/power-apps/developer/data-platform/api-limits: "fails immediately").
 *   2. The injected latency (the slot stays held, as a slow server holds it).
 *   3. Injected faults (seeded 429 / 503); a faulted request uses no budget.
 *   4. Service protection. Graph: the invitation manager's limit, the write quota and the
 *      resource-unit quota, in that order, and a request refused by one uses none of them.
 *      Dataverse: the request window and the execution time per user.
 * `release()` (called when the response is ready) frees the concurrency slot. `leave()` then sees
 * every answer, inner Dataverse $batch parts included: it charges Dataverse execution time, adds the
 * services' rate-limit headers and feeds the client report (GET /_sim/report).
 */
import type { RequestGate, GateDecision } from '../platform.js';
import type { ServiceName, SimRequest, SimResponse } from '../types.js';
import { ClientReport } from './client-report.js';
import { DataverseProtection } from './dataverse-limits.js';
import { FaultInjector, mergeFaults } from './faults.js';
import { DEFAULT_GRAPH_LIMITS, GraphWriteBudget, InvitationLimit, isInvitationRequest, mergeLimits, type GraphCaller, type GraphLimits } from './limits.js';
import { ResourceUnitBudget, quotaFor, requestCost, tenantSize } from './read-budget.js';

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** A Graph write: POST/PATCH/PUT/DELETE, except the $batch envelope (its inner requests count). */
export function isGraphWrite(request: SimRequest): boolean {
  if (!WRITE_METHODS.has(request.method.toUpperCase())) return false;
  return request.inner || !isGraphEnvelope(request);
}

function isGraphEnvelope(request: SimRequest): boolean {
  return !request.inner && request.path.replace(/\/+$/, '') === '/$batch';
}

function servicesIn(body: unknown, what: string): [ServiceName, unknown][] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`the ${what} body must be an object`);
  return Object.entries(body).map(([key, value]) => {
    if (key !== 'graph' && key !== 'dataverse') throw new Error(`${what}: unknown service "${key}" (graph, dataverse)`);
    return [key, value];
  });
}

function withHeaders(response: SimResponse, headers: Record<string, string>): SimResponse {
  return { ...response, headers: { ...(response.headers ?? {}), ...headers } };
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

/** What the gate decided for one request, for leave(). */
interface Passage {
  /** The gate answered instead of the handler (no work done). */
  rejected: boolean;
  /** The service limit that refused it (client report scopes). */
  scope?: string;
  /** Headers for the answer (Graph's resource units). */
  headers?: Record<string, string>;
}

export class PlatformGate implements RequestGate {
  readonly faults = { graph: new FaultInjector('graph'), dataverse: new FaultInjector('dataverse') };
  graphLimits: GraphLimits = { ...DEFAULT_GRAPH_LIMITS };
  readonly graphBudget = new GraphWriteBudget();
  readonly invitations = new InvitationLimit();
  readonly resourceUnits = new ResourceUnitBudget();
  readonly dataverseProtection = new DataverseProtection();
  readonly clientReport = new ClientReport();
  /** The tenant's user count, which sets Graph's resource-unit quota (createSimulator wires it). */
  userCount: () => number = () => 0;
  private readonly now: () => number;
  private readonly passages = new WeakMap<SimRequest, Passage>();

  constructor(options: PlatformGateOptions = {}) {
    this.now = options.now ?? Date.now;
    if (options.limitsEnabled === false) this.setLimits({ graph: { enabled: false }, dataverse: { enabled: false } });
    if (options.latencyMs !== undefined) this.setFaults({ graph: { latencyMs: options.latencyMs }, dataverse: { latencyMs: options.latencyMs } });
    if (options.replicationLagMs !== undefined) this.setFaults({ graph: { replicationLagMs: options.replicationLagMs } });
  }

  async enter(service: ServiceName, request: SimRequest): Promise<GateDecision> {
    const principal = `${request.claims.tid}/${request.claims.appid}`;
    this.clientReport.arrived(request, this.scopesOf(service, request), this.now());
    let release = (): void => undefined;
    if (service === 'dataverse') {
      const refused = this.dataverseProtection.acquire(principal);
      if (refused) return this.reject(request, refused, release, 'dataverse.user');
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
    if (fault) return this.reject(request, fault, release, undefined);
    const now = this.now();
    if (service === 'dataverse') {
      const throttled = this.dataverseProtection.admit(principal, now);
      if (throttled) return this.reject(request, throttled, release, 'dataverse.user');
      return { release };
    }
    const { passage, refused } = this.admitGraph(request, { app: request.claims.appid, tenant: request.claims.tid }, now);
    this.passages.set(request, passage);
    if (refused) return { reject: refused, release };
    // Admitted: the replication lag of what this request creates starts now (faults.ts).
    faults.bindReplication(request);
    return { release };
  }

  private reject(request: SimRequest, response: SimResponse, release: () => void, scope: string | undefined): GateDecision {
    this.passages.set(request, { rejected: true, ...(scope ? { scope } : {}) });
    return { reject: response, release };
  }

  /** Graph's three limits; the first that refuses answers, and nothing is counted unless all admit. */
  private admitGraph(request: SimRequest, caller: GraphCaller, now: number): { passage: Passage; refused?: SimResponse } {
    const s = this.graphLimits;
    if (!s.enabled || isGraphEnvelope(request)) return { passage: { rejected: false } };
    const cost = requestCost(request.method, request.path, request.rawQuery);
    const write = cost.write && isGraphWrite(request);
    const invitation = isInvitationRequest(request.path);
    const quota = quotaFor(tenantSize(this.userCount()), s);
    const checks: [() => SimResponse | undefined, string][] = [
      [() => (invitation ? this.invitations.check(caller, now, s) : undefined), 'graph.invitations'],
      [() => (write ? this.graphBudget.check(caller, now, s) : undefined), 'graph.writes'],
      [() => this.resourceUnits.check(caller, cost.units, now, quota, s), 'graph.resourceUnits'],
    ];
    for (const [check, scope] of checks) {
      const refused = check();
      if (refused) return { passage: { rejected: true, scope }, refused };
    }
    if (invitation) this.invitations.commit(caller, now);
    if (write) this.graphBudget.commit(caller, now);
    return { passage: { rejected: false, headers: this.resourceUnits.commit(caller, cost.units, now, quota, s) } };
  }

  /** The service limits a request counts against (client report: requests during another's wait). */
  private scopesOf(service: ServiceName, request: SimRequest): string[] {
    if (service === 'dataverse') return ['dataverse.user'];
    if (isGraphEnvelope(request)) return [];
    const scopes = ['graph.resourceUnits'];
    if (isGraphWrite(request)) scopes.push('graph.writes');
    if (isInvitationRequest(request.path)) scopes.push('graph.invitations');
    return scopes;
  }

  leave(request: SimRequest, response: SimResponse): SimResponse {
    const passage = this.passages.get(request);
    const now = this.now();
    let answer = response;
    if (request.service === 'dataverse') {
      const principal = `${request.claims.tid}/${request.claims.appid}`;
      // Every operation the handler ran costs server time; the $batch envelope's parts pay for it.
      if (!passage?.rejected && request.path !== '$batch') this.dataverseProtection.executed(principal, now);
      if (!request.inner && this.dataverseProtection.settings.enabled) answer = withHeaders(answer, this.dataverseProtection.headers(principal, now));
    } else if (passage?.headers) {
      answer = withHeaders(answer, passage.headers);
    }
    this.clientReport.answered(request, answer, passage?.scope, now);
    return answer;
  }

  report(): unknown {
    return this.clientReport.report();
  }

  clearReport(): void {
    this.clientReport.clear();
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
      if (service === 'graph') mergeLimits(this.graphLimits, patch, service);
      else mergeLimits(this.dataverseProtection.settings, patch, service);
    }
    for (const [service, patch] of parts) {
      if (service === 'graph') {
        this.graphLimits = mergeLimits(this.graphLimits, patch, service);
        this.graphBudget.reset();
        this.invitations.reset();
        this.resourceUnits.reset();
      } else this.dataverseProtection.configure(patch);
    }
  }

  describe(): unknown {
    const now = this.now();
    const s = this.graphLimits;
    const size = tenantSize(this.userCount());
    return {
      faults: { graph: { ...this.faults.graph.settings }, dataverse: { ...this.faults.dataverse.settings } },
      limits: { graph: { ...s }, dataverse: { ...this.dataverseProtection.settings } },
      usage: {
        graph: {
          ...this.graphBudget.usage(now, s),
          ...this.invitations.usage(now, s),
          tenantSize: size,
          resourceUnitQuota: quotaFor(size, s),
          resourceUnitsInUse: this.resourceUnits.inUse(now, quotaFor(size, s), s),
          resourceUnits: this.resourceUnits.spent,
          throttledResourceUnits: this.resourceUnits.throttled,
          ...this.faults.graph.counters,
        },
        dataverse: { ...this.dataverseProtection.usage(now), ...this.faults.dataverse.counters },
      },
    };
  }
}
