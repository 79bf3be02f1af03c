/**
 * Seams between the simulator's HTTP core and its platform behaviour: service-protection limits and
 * injected faults (the gate), and Dataverse's user sync. Each has a no-op version, so the core runs
 * without them and tests can swap them.
 */
import type { ServiceName, SimRequest, SimResponse, SimState } from './types.js';

export interface GateDecision {
  /** A response to send instead of calling the handler (429, 503). */
  reject?: SimResponse;
  /** Called when the request is done (releases a concurrency slot). */
  release(): void;
}

export interface RequestGate {
  /**
   * Called once per top-level request and once per inner Graph $batch request (Graph throttles
   * them one by one). Dataverse $batch parts are not passed here: a batch counts once.
   */
  enter(service: ServiceName, request: SimRequest): Promise<GateDecision>;
  /** PUT /_sim/faults body for one or both services; a service left out keeps its settings. */
  setFaults(body: unknown): void;
  /** PUT /_sim/limits body. */
  setLimits(body: unknown): void;
  describe(): unknown;
  /**
   * Called with the answer to every request the core dispatched (top-level and inner, the gate's
   * own refusals included), before it is sent: adds the services' rate-limit headers and feeds the
   * client report. Returns the answer to send.
   */
  leave?(request: SimRequest, response: SimResponse): SimResponse;
  /** GET /_sim/report: what the logged requests say about the client (platform/client-report.ts). */
  report?(): unknown;
  /** Empties the report (with the request log); the page links the services issued are kept. */
  clearReport?(): void;
}

export const noopGate: RequestGate = {
  enter: () => Promise.resolve({ release: () => undefined }),
  setFaults: () => undefined,
  setLimits: () => undefined,
  describe: () => ({}),
};

export interface UserSync {
  /** Entra changed (licence, membership, account state): schedule the affected users' sync. */
  entraChanged(state: SimState): void;
  /** POST /_sim/sync: run the sync now for every user, ignoring the delay. */
  runNow(state: SimState): void;
  stop(): void;
}

export const noopUserSync: UserSync = {
  entraChanged: () => undefined,
  runNow: () => undefined,
  stop: () => undefined,
};
