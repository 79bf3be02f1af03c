/**
 * POST /api/dataverse/contacts: the Dataverse webhook (issue 15 item 2). A service endpoint
 * registered as a webhook (docs/deploy.md) posts the RemoteExecutionContext of a contact's Create or
 * Update (of the technician columns) here; the route queues a run scoped to that contact, so a saved
 * contact starts provisioning within a minute instead of at the next hourly run.
 *
 * - Authentication: the function key. The registration's WebhookKey authentication sends it as
 *   `?code=<key>` (Learn "Register a WebHook": "WebhookKey: Includes a query string using code as
 *   the key"), which is how the Functions host checks a key for authLevel 'function'; a request
 *   without it never reaches this handler.
 * - Only PrimaryEntityName, PrimaryEntityId and MessageName are read: the run reads the contact
 *   itself, so a body trimmed for size (x-ms-dynamics-msg-size-exceeded) works as well.
 * - Duplicates and out-of-order notifications are harmless without deduplication: each one queues a
 *   run of the contact that plans from the tenant's state when it runs (never from the
 *   notification's values), runs of the same contact never overlap (its lease,
 *   src/history/scoped-run-lock.ts), and a run that finds everything done writes nothing.
 * - A body that is no contact notification answers 400 with what is wrong, so a wrong registration
 *   shows up as failed system jobs in Dataverse instead of silently doing nothing.
 */
import { asReconcilerError } from '../model/errors.js';
import { escapeJsonText } from '../report/terminal-safe.js';
import { enqueueRun } from './queue-run.js';
import type { ReconcilerApp } from './reconciler-app.js';
import type { AppRequest, AppResponse } from './types.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MESSAGES = ['Create', 'Update'];

class NotANotification extends Error {}

/** The contact a RemoteExecutionContext is about. */
export function contactOfNotification(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new NotANotification('The body must be the RemoteExecutionContext JSON that Dataverse posts to a webhook.');
  }
  const body = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (body.PrimaryEntityName !== 'contact') {
    throw new NotANotification(`PrimaryEntityName must be "contact"; got ${JSON.stringify(body.PrimaryEntityName ?? null)}. Register the step on the contact table only.`);
  }
  if (typeof body.MessageName !== 'string' || !MESSAGES.includes(body.MessageName)) {
    throw new NotANotification(`MessageName must be Create or Update; got ${JSON.stringify(body.MessageName ?? null)}. Register the steps on Create and Update only.`);
  }
  if (typeof body.PrimaryEntityId !== 'string' || !GUID.test(body.PrimaryEntityId)) throw new NotANotification('PrimaryEntityId must be the contact id (a GUID).');
  return body.PrimaryEntityId.toLowerCase();
}

export async function contactWebhook(app: () => ReconcilerApp, request: AppRequest): Promise<AppResponse> {
  try {
    const contactId = contactOfNotification(await request.text());
    const runId = await enqueueRun(app(), { scope: { kind: 'subjects', family: 'technicians', subjectIds: [contactId] }, dryRun: false, trigger: 'webhook' });
    request.log.info(`webhook: run ${runId} queued for one contact`);
    return json(202, { runId, status: 'queued', statusUrl: `/api/runs/${runId}` });
  } catch (err) {
    if (err instanceof NotANotification) return json(400, { error: err.message, code: 'BAD_REQUEST' });
    const e = asReconcilerError(err);
    request.log.error(`webhook: the run could not be queued (${e.code})`);
    // Dataverse retries a failed asynchronous webhook call; a settings problem says what to fix.
    return json(e.errorClass === 'configuration' ? 500 : 503, { error: e.message, code: e.code, action: e.action });
  }
}

function json(status: number, value: unknown): AppResponse {
  return { status, headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Content-Type': 'application/json; charset=utf-8' }, body: `${escapeJsonText(JSON.stringify(value, null, 2))}\n` };
}
