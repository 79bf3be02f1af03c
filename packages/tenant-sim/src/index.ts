/** Public entry of the tenant simulator (tests, the demo, the bench and the CLI use this; other entries are the exports map's subpaths in ../package.json). */
import { Simulator, type SimulatorOptions } from './server.js';
import { PlatformGate, type PlatformGateOptions } from './platform/gate.js';
import { PlatformUserSync } from './platform/user-sync.js';

export { Simulator, type SimulatorInfo, type SimulatorOptions } from './server.js';
export { ORIGIN_NAMES, type OriginName } from './listeners.js';
export type { Fixture, RequestLogEntry, SimRequest, SimResponse, SimState } from './types.js';
export { PlatformGate, type PlatformGateOptions } from './platform/gate.js';
export { PlatformUserSync } from './platform/user-sync.js';

export interface CreateSimulatorOptions extends SimulatorOptions {
  /** Start-up settings of the default gate (ignored when `gate` is given). */
  platform?: PlatformGateOptions;
}

/**
 * A simulator with the platform behaviour switched on: service-protection limits (documented
 * defaults), fault injection and Graph replication lag (none until PUT /_sim/faults or the
 * `platform` start-up options) and Dataverse's user sync.
 */
export function createSimulator(options: CreateSimulatorOptions): Simulator {
  const { platform, ...rest } = options;
  const gate = options.gate ?? new PlatformGate(platform);
  const sim = new Simulator({ ...rest, gate, userSync: options.userSync ?? new PlatformUserSync() });
  // Graph's resource-unit quota follows the tenant's size (platform/read-budget.ts).
  if (gate instanceof PlatformGate) gate.userCount = () => sim.state.graph.users.size;
  return sim;
}
