/**
 * What the Functions host's queue trigger does with a queue, for tests (the host cannot run here):
 * it polls, takes messages with a visibility timeout, decodes them (host.json messageEncoding
 * base64) and hands the handler the text, parsed when it is JSON, with the trigger metadata
 * (dequeueCount, id). A handler that returns deletes the message; one that throws makes it visible
 * again after host.json's visibilityTimeout, and once it has been dequeued maxDequeueCount times the
 * message goes to `<queue>-poison` instead. At most batchSize + newBatchThreshold messages are in
 * flight. Source: Learn "Azure Queue storage trigger for Azure Functions" (poison messages,
 * concurrency, host.json settings); the settings are read from this repository's host.json.
 */
import { InvocationContext } from '@azure/functions';
import { readFileSync } from 'node:fs';
import type { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { runQueueItem } from '../../src/functions/run-queue.js';
import { POISON_QUEUE_NAME, RUN_QUEUE_NAME } from '../../src/history/run-queue.js';

interface QueueSettings {
  batchSize: number;
  newBatchThreshold: number;
  maxDequeueCount: number;
  visibilityTimeoutSeconds: number;
  messageEncoding: string;
}

export function hostQueueSettings(): QueueSettings {
  const host = JSON.parse(readFileSync(new URL('../../host.json', import.meta.url), 'utf8')) as { extensions: { queues: Record<string, unknown> } };
  const q = host.extensions.queues;
  const [h, m, s] = String(q.visibilityTimeout).split(':').map(Number);
  return {
    batchSize: Number(q.batchSize),
    newBatchThreshold: Number(q.newBatchThreshold),
    maxDequeueCount: Number(q.maxDequeueCount),
    visibilityTimeoutSeconds: (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0),
    messageEncoding: String(q.messageEncoding),
  };
}

export type QueueHandler = (item: unknown, meta: { dequeueCount: number; id: string }) => Promise<unknown>;

export interface DrainResult {
  /** Deliveries that returned, that threw, and messages moved to the poison queue. */
  completed: number;
  failed: number;
  poisoned: number;
  /** The most deliveries in flight at once. */
  maxInFlight: number;
}

/**
 * Runs the host's loop until the queue is empty (invisible messages included, unless `visibleOnly`)
 * and nothing is in flight. `retryAfterSeconds` replaces host.json's visibilityTimeout so tests need not wait 30 s.
 */
export async function drainQueue(queue: QueueClient, poison: QueueClient, handler: QueueHandler, options: { retryAfterSeconds?: number; timeoutMs?: number; visibleOnly?: boolean } = {}): Promise<DrainResult> {
  const settings = hostQueueSettings();
  const limit = settings.batchSize + settings.newBatchThreshold;
  const result: DrainResult = { completed: 0, failed: 0, poisoned: 0, maxInFlight: 0 };
  const inFlight = new Set<Promise<void>>();
  const until = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (Date.now() > until) throw new Error('the queue did not drain in time');
    // The host asks for a new batch only when at most newBatchThreshold deliveries are in flight.
    const room = inFlight.size <= settings.newBatchThreshold ? Math.min(settings.batchSize, limit - inFlight.size) : 0;
    const got = room > 0 ? (await queue.receiveMessages({ numberOfMessages: room, visibilityTimeout: 600 })).receivedMessageItems : [];
    for (const message of got) {
      const text = Buffer.from(message.messageText, 'base64').toString('utf8');
      let item: unknown = text;
      try {
        item = JSON.parse(text);
      } catch {
        // Not JSON: the handler gets the string.
      }
      const delivery = (async () => {
        try {
          await handler(item, { dequeueCount: message.dequeueCount, id: message.messageId });
          result.completed++;
          await queue.deleteMessage(message.messageId, message.popReceipt);
        } catch {
          result.failed++;
          if (message.dequeueCount >= settings.maxDequeueCount) {
            result.poisoned++;
            await poison.createIfNotExists();
            await poison.sendMessage(message.messageText);
            await queue.deleteMessage(message.messageId, message.popReceipt);
          } else {
            await queue.updateMessage(message.messageId, message.popReceipt, undefined, options.retryAfterSeconds ?? settings.visibilityTimeoutSeconds);
          }
        }
      })();
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
    }
    result.maxInFlight = Math.max(result.maxInFlight, inFlight.size);
    if (got.length === 0) {
      if (inFlight.size === 0) {
        // visibleOnly: messages sent invisible for minutes (follow-up runs) are left on the queue.
        if (options.visibleOnly ? (await queue.peekMessages()).peekedMessageItems.length === 0 : (await queue.getProperties()).approximateMessagesCount === 0) return result;
      }
      await Promise.race([...inFlight, new Promise((r) => setTimeout(r, 200))]);
    }
  }
}

/** The Functions app's run queue to its queue function (src/functions/run-queue.ts), with the trigger metadata the host passes. */
export function deliverToRunQueueFunction(service: QueueServiceClient, logs: string[] = []): Promise<DrainResult> {
  return drainQueue(
    service.getQueueClient(RUN_QUEUE_NAME),
    service.getQueueClient(POISON_QUEUE_NAME),
    (item, meta) => runQueueItem(item, new InvocationContext({ invocationId: `inv-runQueue-${meta.id}`, functionName: 'runQueue', triggerMetadata: { dequeueCount: meta.dequeueCount, id: meta.id }, logHandler: (level, ...args) => void logs.push(`${level}: ${args.join(' ')}`) })),
    // The app's follow-up runs are minutes away: left on the queue.
    { visibleOnly: true },
  );
}
