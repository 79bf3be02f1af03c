/**
 * The real applicationinsights 3.16.0 path: createTelemetry with a connection string whose
 * IngestionEndpoint is a local HTTPS server (the exporter only speaks TLS; the test CA from
 * test/setup/global.ts is trusted through NODE_EXTRA_CA_CERTS). The server accepts and records the
 * exporter's POSTs; the test checks the envelopes carry the run event and no '@'.
 * Statsbeat is off for the test (APPLICATIONINSIGHTS_STATSBEAT_DISABLED / _SDKSTATS_DISABLED), and the
 * exporter's settings poller never starts (test/support/one-settings.ts): nothing leaves the machine.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTlsMaterial } from 'tenant-sim/tls';
import { createTelemetry, RUN_EVENT_NAME } from '../../../src/telemetry/index.js';
import { ContactError } from '../../../src/model/errors.js';
import { makeRun } from '../report/fixture.js';
import { disableOneSettingsPolling } from '../../support/one-settings.js';

interface Envelope {
  name: string;
  iKey?: string;
  tags?: Record<string, string>;
  data?: { baseType?: string; baseData?: { name?: string; properties?: Record<string, string>; measurements?: Record<string, number>; exceptions?: { typeName?: string; message?: string }[] } };
}

const posts: { path: string; body: string }[] = [];
let server: https.Server;
let port = 0;

beforeAll(async () => {
  disableOneSettingsPolling();
  process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED = 'true';
  process.env.APPLICATIONINSIGHTS_SDKSTATS_DISABLED = 'true';
  const dir = process.env.SIM_CA_DIR;
  if (!dir) throw new Error('SIM_CA_DIR is not set: run through vitest (test/setup/global.ts)');
  const tls = await createTlsMaterial(dir);
  server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      posts.push({ path: req.url ?? '', body: body.toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.close();
});

function envelopes(): Envelope[] {
  return posts.flatMap((p) => {
    const parsed: unknown = JSON.parse(p.body);
    return (Array.isArray(parsed) ? parsed : [parsed]) as Envelope[];
  });
}

describe('applicationinsights SDK against a local ingestion endpoint', () => {
  it('posts the VendorReconcilerRun event and a sanitised exception, with no @ anywhere', async () => {
    const telemetry = createTelemetry(
      { APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=https://127.0.0.1:${port}/` },
      { offlineStorage: false, trackDependencies: false },
    );
    const run = makeRun();
    telemetry.runFinished(run, 1234);
    telemetry.exception(new ContactError('AMBIGUOUS_USER', 'two users have alice@adatum.example', 'fix'), { trigger: 'timer' });
    await telemetry.flush();
    await telemetry.dispose();

    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((p) => p.path.startsWith('/v2.1/track'))).toBe(true);
    const all = posts.map((p) => p.body).join('\n');
    expect(all).not.toContain('@');
    expect(all).not.toContain('Alice');

    const items = envelopes();
    const event = items.find((e) => e.data?.baseType === 'EventData');
    expect(event?.data?.baseData?.name).toBe(RUN_EVENT_NAME);
    expect(event?.iKey).toBe('00000000-0000-4000-8000-000000000001');
    expect(event?.tags?.['ai.cloud.role']).toBe('vendor-reconciler');
    expect(event?.data?.baseData?.properties).toMatchObject({ runId: run.runId, trigger: 'manual', mode: 'apply', outcome: 'partial' });
    expect(event?.data?.baseData?.measurements).toMatchObject({ durationMs: 1234, 'changes.user.invite': 1, 'results.failed': 1 });

    const exception = items.find((e) => e.data?.baseType === 'ExceptionData');
    expect(exception?.data?.baseData?.exceptions?.[0]).toMatchObject({ typeName: 'ContactError', message: 'AMBIGUOUS_USER' });
  });
});
