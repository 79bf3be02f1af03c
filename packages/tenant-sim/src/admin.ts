/**
 * Admin endpoints under /_sim/ (no token, loopback only), with the shapes outside tools rely on:
 * GET state, POST reset, PUT faults, PUT limits, PUT/GET webhooks, POST sync, POST portal/redeem, GET/DELETE requests, GET/DELETE report.
 * docs/simulator.md. The report covers the logged requests, so emptying the log empties it too.
 */
import { setChangeTrackingOptions } from './dataverse/change-tracking.js';
import type { WebhookRegistration } from './dataverse/webhooks.js';
import { setDeltaOptions } from './graph/delta.js';
import { settleGroupLicensing } from './graph/group-licensing.js';
import type { Simulator } from './server.js';
import { redeem } from './portal.js';
import { stateToFixture } from './state.js';
import type { Fixture, SimResponse } from './types.js';

function parse(body: string): unknown {
  if (body.trim() === '') return {};
  return JSON.parse(body) as unknown;
}

export async function handleAdmin(method: string, path: string, body: string, sim: Simulator): Promise<SimResponse> {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  // Group licences due by now are processed before the state is shown or synced (group-licensing.ts).
  if ((route === 'GET /_sim/state' || route === 'POST /_sim/sync') && settleGroupLicensing(sim.state, Date.now())) sim.userSync.entraChanged(sim.state);
  try {
    switch (route) {
      case 'GET /_sim/state':
        return { status: 200, body: stateToFixture(sim.state) };
      case 'POST /_sim/reset':
        sim.reset(parse(body) as Fixture);
        sim.gate.clearReport?.();
        return { status: 204 };
      case 'PUT /_sim/faults':
        sim.gate.setFaults(parse(body));
        return { status: 200, body: sim.gate.describe() };
      case 'PUT /_sim/limits':
        sim.gate.setLimits(parse(body));
        return { status: 200, body: sim.gate.describe() };
      case 'PUT /_sim/tracking': {
        // Delta and change-tracking tokens: clock offset and lifetimes (docs/simulator.md).
        const b = parse(body) as Record<string, unknown>;
        return { status: 200, body: { graph: setDeltaOptions(sim.state, b), dataverse: setChangeTrackingOptions(sim.state, b) } };
      }
      case 'POST /_sim/portal/redeem':
        // The portal's Redeem invitation page (portal.ts); `at` (ISO time) stands in for now.
        return redeem(sim.state, parse(body), Date.now());
      case 'PUT /_sim/webhooks':
        // Webhook registrations (dataverse/webhooks.ts): {"value": [registration, …]} replaces them all.
        sim.webhooks.set(((parse(body) as { value?: unknown }).value ?? []) as WebhookRegistration[]);
        return { status: 200, body: { value: sim.webhooks.describe() } };
      case 'GET /_sim/webhooks':
        return { status: 200, body: { value: sim.webhooks.describe(), deliveries: sim.webhooks.deliveries } };
      case 'POST /_sim/sync':
        sim.userSync.runNow(sim.state);
        return { status: 204 };
      case 'GET /_sim/requests':
        return { status: 200, body: { value: sim.requests } };
      case 'DELETE /_sim/requests':
        sim.requests.length = 0;
        sim.gate.clearReport?.();
        return { status: 204 };
      case 'GET /_sim/report':
        if (!sim.gate.report) return { status: 404, body: { error: { code: 'NotFound', message: 'This simulator runs without the platform gate (createSimulator adds it), so it keeps no client report.' } } };
        return { status: 200, body: sim.gate.report() };
      case 'DELETE /_sim/report':
        sim.gate.clearReport?.();
        return { status: 204 };
      default:
        return { status: 404, body: { error: { code: 'NotFound', message: `No admin route ${route}` } } };
    }
  } catch (err) {
    return { status: 400, body: { error: { code: 'BadRequest', message: (err as Error).message } } };
  }
}
