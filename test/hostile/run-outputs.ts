/**
 * Every output of a run, gathered as text for the credential search (credentials.test.ts), the way
 * operators get them:
 * - appRunOutputs: one apply through the Functions app (test/functions/harness.ts: the real engine,
 *   run service, blob history and HTTP handlers) with Application Insights telemetry captured by a
 *   sink, the handlers' and the app's log lines recorded, and this process's stdout, stderr and
 *   console copied; then the stored run's report in each format, the run status, every blob the app
 *   wrote (the run record, the history index, the snapshot, the lock);
 * - cli: the `vendor-reconciler` command in a child process, its stdout and stderr.
 * Each collector also proves that what it gathered is not empty, so a clean search means something.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { ReportFormat } from '../../src/report/index.js';
import { createTelemetry } from '../../src/telemetry/index.js';
import { appRequest, recordingLogger, type Harness } from '../functions/harness.js';
import { CapturingSink, captureProcessOutput } from './credential-search.js';

const ROOT = resolve(import.meta.dirname, '../..');
export const FORMATS: ReportFormat[] = ['text', 'json', 'markdown', 'html', 'csv'];
const CONNECTION = 'InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';

/** One apply through the Functions app; every output it produced, by name. */
export async function appRunOutputs(h: Harness): Promise<Record<string, string>> {
  const sink = new CapturingSink();
  const telemetry = createTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION }, { sink, offlineStorage: false });
  const log = recordingLogger();
  const output = captureProcessOutput();
  const outputs: Record<string, string> = {};
  try {
    const { handlers, container } = h.app({ telemetry, log });
    const started = await handlers.run(appRequest('POST', '/api/run', { body: '{}', log }));
    outputs['POST /api/run'] = started.body;
    expect(started.status).toBe(200);
    const { runId, outcome } = JSON.parse(started.body) as { runId: string; outcome: string };
    expect(outcome).toBe('succeeded');
    outputs['GET /api/runs/{id}'] = (await handlers.runStatus(appRequest('GET', `/api/runs/${runId}`, { log }))).body;
    for (const f of FORMATS) {
      const res = await handlers.runStatus(appRequest('GET', `/api/runs/${runId}?format=${f}`, { log }));
      expect(res.status).toBe(200);
      outputs[`report ${f}`] = res.body;
    }
    let blobs = 0;
    for await (const blob of container.listBlobsFlat()) {
      outputs[`blob ${blob.name}`] = (await container.getBlobClient(blob.name).downloadToBuffer()).toString('utf8');
      blobs += 1;
    }
    expect(Object.keys(outputs).filter((k) => k.startsWith('blob ') && outputs[k]!.includes(runId)).length).toBeGreaterThan(0);
    expect(blobs).toBeGreaterThan(0);
    await telemetry.flush();
    outputs.telemetry = JSON.stringify(sink.calls);
    expect(sink.calls.filter((c) => c.method === 'trackEvent')).not.toEqual([]);
    expect(sink.calls.filter((c) => c.method === 'trackDependency')).not.toEqual([]);
    outputs.logs = log.lines.join('\n');
    expect(log.lines).not.toEqual([]);
  } finally {
    output.stop();
    await telemetry.dispose();
  }
  outputs['stdout/stderr/console'] = output.text();
  return outputs;
}

/** `vendor-reconciler <args>` in a child process with `env` over this process's environment. */
export function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/vendor-reconciler.mjs', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
