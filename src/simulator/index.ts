/** Public entry of the tenant simulator (tests, the demo, the bench and the CLI use this). */
import { Simulator, type SimulatorOptions } from './server.js';

export { Simulator, type SimulatorInfo, type SimulatorOptions } from './server.js';
export type { Fixture } from './types.js';

/** A simulator with the platform behaviour switched on (limits, faults, user sync). */
export function createSimulator(options: SimulatorOptions): Simulator {
  return new Simulator(options);
}
