/**
 * The run queue's triggers (src/app/queue-run.ts does the work): `runQueue` runs each run message
 * under the lock of its scope; `runPoison` records the runs whose message the host moved to the
 * poison queue after host.json's maxDequeueCount failed deliveries. Both use the app's storage
 * account (connection AzureWebJobsStorage, identity-based with AzureWebJobsStorage__queueServiceUri).
 */
import { app, type InvocationContext } from '@azure/functions';
import { executeRunMessage, recordPoisonedRun, type QueueDelivery } from '../app/queue-run.js';
import { POISON_QUEUE_NAME, RUN_QUEUE_NAME } from '../history/run-queue.js';
import { loggerFor, reconcilerApp, telemetry } from './app-instance.js';

/** The host's trigger metadata carries the delivery count (1 on the first delivery) and the message id. */
export function deliveryOf(context: InvocationContext): QueueDelivery {
  const meta = context.triggerMetadata ?? {};
  const count = Number(meta.dequeueCount);
  return { dequeueCount: Number.isInteger(count) && count > 0 ? count : 1, ...(typeof meta.id === 'string' ? { messageId: meta.id } : {}) };
}

export async function runQueueItem(item: unknown, context: InvocationContext): Promise<void> {
  try {
    await executeRunMessage(reconcilerApp(), item, deliveryOf(context), loggerFor(context));
  } finally {
    await telemetry.flush();
  }
}

export async function runPoisonItem(item: unknown, context: InvocationContext): Promise<void> {
  try {
    await recordPoisonedRun(reconcilerApp(), item, deliveryOf(context), loggerFor(context));
  } finally {
    await telemetry.flush();
  }
}

app.storageQueue('runQueue', { queueName: RUN_QUEUE_NAME, connection: 'AzureWebJobsStorage', handler: runQueueItem });
app.storageQueue('runPoison', { queueName: POISON_QUEUE_NAME, connection: 'AzureWebJobsStorage', handler: runPoisonItem });
