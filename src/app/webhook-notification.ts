/**
 * What a Dataverse webhook notification may start: a run scoped to one technician contact.
 *
 * Dataverse posts the step's execution context (RemoteExecutionContext) as JSON to a registered
 * webhook (Learn, "Use webhooks to create external handlers for server events"). The product trusts
 * none of its values beyond naming which row changed: the run that follows re-reads the contact
 * from Dataverse, so a notification that lies about a column, repeats, or arrives after a later
 * one changes nothing but which contact is looked at next. That also makes duplicates and
 * out-of-order delivery harmless.
 *
 * A notification about anything else (another table, another message) is not an error for the
 * sender to retry: it is answered as ignored, with the reason.
 */
import { BadRequest } from './requests.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Dataverse trims a context past 256 KB (header x-ms-dynamics-msg-size-exceeded) before sending it;
 * a body far beyond that is not a Dataverse notification, and is refused before it is parsed.
 */
export const MAX_NOTIFICATION_BYTES = 1024 * 1024;

export type Notification =
  | { kind: 'contact'; contactId: string; message: 'create' | 'update'; correlationId?: string }
  | { kind: 'ignored'; reason: string };

/** The fields read from the context; everything else in it is left unread. */
interface ContextFields {
  PrimaryEntityName?: unknown;
  PrimaryEntityId?: unknown;
  MessageName?: unknown;
  CorrelationId?: unknown;
}

export function parseNotification(text: string): Notification {
  if (Buffer.byteLength(text, 'utf8') > MAX_NOTIFICATION_BYTES) {
    throw new BadRequest(`The notification is larger than ${MAX_NOTIFICATION_BYTES} bytes; a Dataverse webhook sends at most 256 KB.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequest('The body must be the JSON execution context a Dataverse webhook posts.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequest('The body must be a JSON object: the execution context a Dataverse webhook posts.');
  }
  const ctx = value as ContextFields;
  const table = typeof ctx.PrimaryEntityName === 'string' ? ctx.PrimaryEntityName.toLowerCase() : undefined;
  if (table === undefined) throw new BadRequest('The execution context has no PrimaryEntityName.');
  if (table !== 'contact') return { kind: 'ignored', reason: `notifications about ${table} rows start nothing; register the webhook on contact only` };
  const message = typeof ctx.MessageName === 'string' ? ctx.MessageName.toLowerCase() : undefined;
  if (message === undefined) throw new BadRequest('The execution context has no MessageName.');
  // The messages the registration in docs/deploy.md subscribes to.
  if (message !== 'create' && message !== 'update') {
    return { kind: 'ignored', reason: `the ${message} message starts nothing; register the webhook on Create and Update of contact` };
  }
  if (typeof ctx.PrimaryEntityId !== 'string' || !GUID.test(ctx.PrimaryEntityId)) {
    throw new BadRequest('The execution context\'s PrimaryEntityId must be the contact id (a GUID).');
  }
  const correlationId = typeof ctx.CorrelationId === 'string' && GUID.test(ctx.CorrelationId) ? ctx.CorrelationId.toLowerCase() : undefined;
  return { kind: 'contact', contactId: ctx.PrimaryEntityId.toLowerCase(), message, ...(correlationId ? { correlationId } : {}) };
}
