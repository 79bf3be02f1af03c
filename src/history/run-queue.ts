/**
 * The run queue in the app's storage account (AzureWebJobsStorage): POST /api/run, the sharded
 * timer and deferred runs put run messages here, and the Functions host's queue trigger
 * (src/functions/run-queue.ts) hands each one to src/app/queue-run.ts. The same connection styles
 * as the blobs (storage.ts): a connection string (Azurite: an explicit `QueueEndpoint=`), or an
 * identity-based connection through `AzureWebJobsStorage__queueServiceUri` (or `__accountName`),
 * whose identity needs Storage Queue Data Contributor (the host's queue trigger needs it too).
 *
 * Messages are sent base64-encoded: the host's default `messageEncoding` (host.json
 * extensions.queues) is base64, and it fails a message it cannot decode.
 */
import { DefaultAzureCredential } from '@azure/identity';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { ConfigurationError } from '../model/errors.js';

/** The queue the run trigger listens on; the host moves a message that keeps failing to `<name>-poison`. */
export const RUN_QUEUE_NAME = 'vendor-reconciler-runs';
export const POISON_QUEUE_NAME = `${RUN_QUEUE_NAME}-poison`;

/** Azure Queue Storage's longest visibility timeout: 7 days. */
const MAX_DELAY_SECONDS = 7 * 24 * 3600;

type Env = Record<string, string | undefined>;

export class RunQueue {
  private created: Promise<unknown> | undefined;
  private resolved: QueueClient | undefined;

  /** A client, or how to make one on first use (a settings problem then fails the request that needs the queue, not the app). */
  constructor(private readonly source: QueueClient | (() => QueueClient)) {}

  get client(): QueueClient {
    this.resolved ??= typeof this.source === 'function' ? this.source() : this.source;
    return this.resolved;
  }

  /** Sends one message, invisible for `delaySeconds` (a follow-up, a deferred run); creates the queue on first use. */
  async send(text: string, delaySeconds = 0): Promise<void> {
    this.created ??= this.client.createIfNotExists().catch((err: unknown) => {
      this.created = undefined;
      throw err;
    });
    await this.created;
    const visibilityTimeout = Math.min(Math.max(0, Math.round(delaySeconds)), MAX_DELAY_SECONDS);
    await this.client.sendMessage(Buffer.from(text, 'utf8').toString('base64'), { visibilityTimeout });
  }
}

export function queueServiceFromEnv(env: Env = process.env): QueueServiceClient {
  const connection = env.AzureWebJobsStorage?.trim();
  if (connection) return QueueServiceClient.fromConnectionString(connection);
  const account = env.AzureWebJobsStorage__accountName?.trim();
  const uri = env.AzureWebJobsStorage__queueServiceUri?.trim() || (account ? `https://${account}.queue.core.windows.net` : '');
  if (!uri) {
    throw new ConfigurationError(
      'STORAGE_NOT_SET',
      'AzureWebJobsStorage is not set: the run queue needs the app\'s storage account.',
      'Set AzureWebJobsStorage to the storage connection string, or AzureWebJobsStorage__accountName for an identity-based connection (docs/configuration.md).',
    );
  }
  const clientId = env.AzureWebJobsStorage__clientId?.trim();
  return new QueueServiceClient(uri, new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {}));
}

export function runQueueFromEnv(env: Env = process.env): RunQueue {
  return new RunQueue(() => {
    let service: QueueServiceClient;
    try {
      service = queueServiceFromEnv(env);
    } catch (err) {
      if (err instanceof ConfigurationError) throw err;
      // The SDK's own words (e.g. "Invalid EndpointSuffix") for a connection string it cannot use.
      throw new ConfigurationError(
        'STORAGE_NOT_SET',
        `AzureWebJobsStorage gives no usable queue endpoint (${(err as Error).message}): runs go through the run queue.`,
        'Use the storage account\'s full connection string (with QueueEndpoint= for Azurite), or AzureWebJobsStorage__queueServiceUri for an identity-based connection (docs/configuration.md).',
      );
    }
    return service.getQueueClient(RUN_QUEUE_NAME);
  });
}
