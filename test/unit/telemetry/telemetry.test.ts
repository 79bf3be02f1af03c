/**
 * RunTelemetry on Application Insights (src/telemetry/), with a fake TelemetrySink injected so every
 * call the SDK would get is captured; nothing is sent over the network here.
 * Privacy: a run record full of names and email addresses produces telemetry with no '@' and no name.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, ContactError } from '../../../src/model/errors.js';
import type { RunRecord } from '../../../src/model/run.js';
import { createTelemetry, noopAppTelemetry, RUN_EVENT_NAME, type Telemetry, type TelemetrySink } from '../../../src/telemetry/index.js';
import type { DependencyRecord } from '../../../src/telemetry/dependencies.js';
import { C, makeRun } from '../report/fixture.js';

const CONNECTION = 'InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';

class FakeSink implements TelemetrySink {
  readonly calls: { method: string; telemetry: unknown }[] = [];
  flushes = 0;
  shutdowns = 0;
  trackEvent(telemetry: unknown): void {
    this.calls.push({ method: 'trackEvent', telemetry });
  }
  trackException(telemetry: { exception: Error; properties?: Record<string, string> }): void {
    // Capture what the SDK would serialise: name, message, stack.
    const { exception, properties } = telemetry;
    this.calls.push({ method: 'trackException', telemetry: { name: exception.name, message: exception.message, stack: exception.stack, properties } });
  }
  trackDependency(telemetry: DependencyRecord): void {
    this.calls.push({ method: 'trackDependency', telemetry });
  }
  flush(): Promise<void> {
    this.flushes++;
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    this.shutdowns++;
    return Promise.resolve();
  }
}

/** Every name and email the record below carries: none may reach the sink. */
const PERSONAL = [
  'Alice', 'Adams', 'Dave', 'Ivy', 'Bob', 'Brown', 'Carol', 'Jack', 'Adatum Repairs', 'Contoso Field Services', 'HYPERLINK', '<script>',
  'alice@adatum.example', 'dave@old.example', 'ivy@example.com', 'mallory@evil.example', 'Mallory',
];

/** makeRun() (the report fixture: names, emails in values, reasons and messages) plus more emails in errors. */
function personalRun(): RunRecord {
  const run = makeRun();
  run.error = {
    class: 'configuration',
    code: 'SETTINGS_INVALID',
    message: 'INVITE_REDIRECT_URL is mailto:mallory@evil.example for Mallory',
    action: 'Ask mallory@evil.example',
  };
  run.outcome = 'failed';
  run.results = run.results.map((r) =>
    r.outcome === 'failed' && r.error ? { ...r, error: { ...r.error, message: `${r.error.message} for alice@adatum.example (Alice Adams)` } } : r,
  );
  return run;
}

let telemetry: Telemetry | undefined;
afterEach(async () => {
  await telemetry?.dispose();
  telemetry = undefined;
});

describe('createTelemetry', () => {
  it('with APPLICATIONINSIGHTS_CONNECTION_STRING unset (or blank) is the no-op telemetry and never touches a client', () => {
    const sink = new FakeSink();
    expect(createTelemetry({}, { sink })).toBe(noopAppTelemetry);
    expect(createTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: '  ' }, { sink })).toBe(noopAppTelemetry);
    noopAppTelemetry.runFinished(personalRun(), 10);
    noopAppTelemetry.exception(new Error('x'));
    expect(sink.calls).toEqual([]);
    expect(noopAppTelemetry.enabled).toBe(false);
  });

  it('with the connection string set, sends one VendorReconcilerRun event per run with ids, codes and counts', async () => {
    const sink = new FakeSink();
    telemetry = createTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION }, { sink, trackDependencies: false });
    expect(telemetry.enabled).toBe(true);
    telemetry.runFinished(personalRun(), 40_000.4);

    expect(sink.calls).toHaveLength(1);
    const call = sink.calls[0]!;
    expect(call.method).toBe('trackEvent');
    const event = call.telemetry as { name: string; properties: Record<string, string>; measurements: Record<string, number> };
    expect(event.name).toBe(RUN_EVENT_NAME);
    expect(event.properties).toEqual({
      runId: 'run-2025-03-01-1015',
      trigger: 'manual',
      mode: 'apply',
      scopeKind: 'tenant',
      outcome: 'failed',
      errorCode: 'SETTINGS_INVALID',
      errorClass: 'configuration',
      licenceSkuId: 'c7df2760-2c81-4ef7-b578-5b5392b571df',
      errorCodes: '{"EMAIL_CHANGED":1,"GRAPH_UNAVAILABLE":1,"QUARANTINED":1}',
    });
    const run = makeRun();
    expect(event.measurements).toMatchObject({
      durationMs: 40_000,
      contacts: run.plan.subjects.length,
      changes: run.plan.changes.length,
      // Dave (plan error), Frank (quarantined), Alice (failed group.add)
      errors: 3,
      blockedRemovals: 3,
      orphans: 1,
      licenceUnitsNeeded: 2,
      licenceUnitsAvailable: 1,
      'changes.user.invite': 1,
      'changes.characteristic.create': 1,
      'changes.licence.assign': 2,
      'results.failed': 1,
      'results.blocked': 4,
      'results.not_reached': 1,
      'results.skipped': 0,
      'contacts.error': 1,
      'contacts.active': 1,
      'contacts.pending': 0,
    });
    expect(event.measurements['results.applied']).toBe(run.plan.changes.length - 6);
    // runFinished sends at once (flushes) rather than wait for the SDK's batch interval.
    await telemetry.flush();
    expect(sink.flushes).toBe(2);
  });

  it('nothing passed to the SDK carries an email address or a name (run event, exceptions, dependencies)', () => {
    const sink = new FakeSink();
    telemetry = createTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION }, { sink, trackDependencies: false });
    telemetry.runFinished(personalRun(), 1);
    telemetry.exception(new ContactError('AMBIGUOUS_USER', '2 Entra users have the email alice@adatum.example (Alice Adams)', 'Remove one.'), {
      trigger: 'timer',
      contactName: 'Alice Adams',
      email: 'alice@adatum.example',
      contactId: C.alice,
    });
    telemetry.exception(new ConfigurationError('SETTINGS_INVALID', 'mailto:mallory@evil.example', 'Fix it'));
    telemetry.exception(new Error('fetch failed for dave@old.example'));

    const sent = JSON.stringify(sink.calls);
    expect(sent).not.toContain('@');
    for (const p of PERSONAL) expect(sent).not.toContain(p);

    const exceptions = sink.calls.filter((c) => c.method === 'trackException').map((c) => c.telemetry);
    expect(exceptions[0]).toMatchObject({
      name: 'ContactError',
      message: 'AMBIGUOUS_USER',
      properties: { trigger: 'timer', contactId: C.alice, errorName: 'ContactError', errorCode: 'AMBIGUOUS_USER', errorClass: 'contact' },
    });
    expect(exceptions[2]).toMatchObject({ name: 'Error', message: 'UNEXPECTED', properties: { errorName: 'Error', errorCode: 'UNEXPECTED' } });
  });

  it('tracks the product\'s fetch calls as dependencies, with the query (and its emails) dropped', async () => {
    const server = http.createServer((req, res) => {
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json' });
      res.end('{"value":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const sink = new FakeSink();
      telemetry = createTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION }, { sink });
      await (await fetch(`http://127.0.0.1:${port}/v1.0/users?$filter=mail eq 'alice@adatum.example'`)).text();
      await (await fetch(`http://127.0.0.1:${port}/missing/${C.alice}`, { method: 'PATCH', body: '{}' })).text();
      await new Promise((r) => setTimeout(r, 20));

      const deps = sink.calls.filter((c) => c.method === 'trackDependency').map((c) => c.telemetry as DependencyRecord);
      expect(deps.map(({ duration: _d, ...rest }) => rest)).toEqual([
        { name: 'GET /v1.0/users', data: `http://127.0.0.1:${port}/v1.0/users`, target: `127.0.0.1:${port}`, resultCode: '200', success: true, dependencyTypeName: 'HTTP' },
        { name: 'PATCH /missing/{id}', data: `http://127.0.0.1:${port}/missing/${C.alice}`, target: `127.0.0.1:${port}`, resultCode: '404', success: false, dependencyTypeName: 'HTTP' },
      ]);
      expect(JSON.stringify(deps)).not.toContain('@');

      // After dispose, fetch calls are no longer tracked and the client is shut down.
      await telemetry.dispose();
      await (await fetch(`http://127.0.0.1:${port}/v1.0/groups`)).text();
      expect(sink.calls.filter((c) => c.method === 'trackDependency')).toHaveLength(2);
      expect(sink.shutdowns).toBe(1);
      telemetry = undefined;
    } finally {
      server.close();
    }
  });

  it('does not track calls to the ingestion endpoint named in the connection string', async () => {
    const server = http.createServer((_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const sink = new FakeSink();
      telemetry = createTelemetry(
        { APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=http://127.0.0.1:${port}/` },
        { sink },
      );
      await (await fetch(`http://127.0.0.1:${port}/v2.1/track`, { method: 'POST', body: '[]' })).text();
      await new Promise((r) => setTimeout(r, 20));
      expect(sink.calls).toEqual([]);
    } finally {
      server.close();
    }
  });
});
