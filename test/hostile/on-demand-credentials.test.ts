/**
 * Credentials never appear in outputs with DATAVERSE_USER_ON_DEMAND (issue 15 item 1): a Functions
 * app run that adds its technician's Dataverse user through the Power Platform admin API, with its
 * outputs collected the way operators get them (run-outputs.ts: the five report formats, the run
 * record and blobs, HTTP answers, telemetry, logs, stdout/stderr). The bearer token the product sent
 * to the admin API (caught where the simulator receives it) and the app's client secret are in none
 * of them; the search is proven by finding the token in an output it was planted in.
 */
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/families.js';
import { startHarness } from '../functions/harness.js';
import { engineFixture, technician } from '../integration/engine-fixture.js';
import { GUEST_SETTINGS } from '../support/tenant.js';
import { outputsHolding } from './credential-search.js';
import { appRunOutputs } from './run-outputs.js';

describe('no credential of the Power Platform path appears in any output', () => {
  it('through the Functions app, for a run that adds the Dataverse user on demand', { timeout: 90_000 }, async () => {
    const h = await startHarness(engineFixture([technician(51, { first: 'Ada', last: 'Quinn' })]), GUEST_SETTINGS);
    try {
      const { s } = h.tenant;
      await s.admin('PUT', '/power-platform', { addUserDelayMs: 200 });
      const bearers: string[] = [];
      type Route = (r: { headers: Record<string, string> }) => { response: { status: number } };
      const sim = s.sim as unknown as { routePowerPlatform: Route };
      const route = sim.routePowerPlatform.bind(s.sim);
      sim.routePowerPlatform = (r) => {
        bearers.push((r.headers.authorization ?? '').replace(/^Bearer /, ''));
        return route(r);
      };
      const settings = loadSettings({ ...GUEST_SETTINGS, ...s.info.env, DATAVERSE_USER_ON_DEMAND: 'true' });
      const outputs = await appRunOutputs({ ...h, app: (options = {}) => h.app({ settings, ...options }) });

      // The run did use the admin API, with a token, and reached Active.
      expect(bearers).toHaveLength(1);
      expect(bearers[0]!.split('.')).toHaveLength(3);
      expect(outputs['report text']).toContain('Add Dataverse user on demand');
      expect(outputs['GET /api/runs/{id}']).toContain('"active"');

      // A clean search means something: the finder sees the token where it is planted.
      expect(outputsHolding(bearers[0]!, { planted: `Authorization: Bearer ${bearers[0]!}` })).toEqual(['planted']);
      for (const secret of [bearers[0]!, s.info.clientSecret]) expect(outputsHolding(secret, outputs)).toEqual([]);
      // Nor any other access token (a JWT's header and payload both start eyJ).
      expect(Object.entries(outputs).filter(([, text]) => /eyJ[\w-]{8,}\.eyJ[\w-]{8,}/.test(text)).map(([name]) => name)).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
