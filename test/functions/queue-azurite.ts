/**
 * Test helper: Azurite's queue service beside the blob service of test/support/azurite.ts, as one
 * AzureWebJobsStorage connection string with both endpoints (what the Functions app gets in Azure).
 * Started like the blob service (src/server/azurite.ts): 127.0.0.1, a free port, a temporary
 * folder, --skipApiVersionCheck because @azure/storage-queue sends a newer API version than Azurite
 * 3.35 knows.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { RunQueue } from '../../src/history/run-queue.js';
import { startAzurite, type TestAzurite } from '../support/azurite.js';

export interface QueueAzurite {
  blobs: TestAzurite;
  /** AzureWebJobsStorage with BlobEndpoint and QueueEndpoint. */
  connectionString: string;
  service: QueueServiceClient;
  /** A fresh run queue and its poison queue (unique names), so tests do not see each other's messages. */
  queues(): { run: RunQueue; main: QueueClient; poison: QueueClient };
  stop(): Promise<void>;
}

export async function startQueueAzurite(): Promise<QueueAzurite> {
  const [blobs, queue] = await Promise.all([startAzurite(), startQueueService()]);
  const connectionString = `${blobs.connectionString}QueueEndpoint=${queue.endpoint};`;
  const service = QueueServiceClient.fromConnectionString(connectionString);
  return {
    blobs,
    connectionString,
    service,
    queues: () => {
      const name = `runs-${randomUUID().slice(0, 8)}`;
      const main = service.getQueueClient(name);
      return { run: new RunQueue(main), main, poison: service.getQueueClient(`${name}-poison`) };
    },
    stop: async () => {
      await Promise.all([blobs.stop(), queue.stop()]);
    },
  };
}

async function startQueueService(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const main = join(dirname(createRequire(import.meta.url).resolve('azurite/package.json')), 'dist', 'src', 'queue', 'main.js');
  const location = mkdtempSync(join(tmpdir(), 'vendor-reconciler-azurite-queue-'));
  const child = spawn(process.execPath, [main, '--queueHost', '127.0.0.1', '--queuePort', '0', '--location', location, '--silent', '--disableTelemetry', '--skipApiVersionCheck'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Azurite's queue service did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /successfully listens on http:\/\/[^:]+:(\d+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`Azurite's queue service exited (${code}):\n${output}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}/devstoreaccount1`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
      }
      rmSync(location, { recursive: true, force: true });
    },
  };
}
